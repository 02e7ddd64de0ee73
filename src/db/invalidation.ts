// Cross-process invalidation of in-process read caches (ARCHITECTURE rule 12). A cache that holds
// what a database write can change listens on a channel; the write's owner publishes the change
// once its transaction has committed. With Redis, a pub/sub channel under the process prefix reaches
// every replica (API processes and workers) in a few milliseconds; without Redis (embedded mode)
// there is one process and the bus stays in it.
//
// A listener hears every message of its channel from other processes (its own process's changes
// are applied locally by the publisher, before publishing). When the subscriber connection comes
// back after an outage, messages may have been lost: every listener is told `{ all: true }`.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource, EntityManager, EntitySubscriberInterface, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';

export interface Invalidation {
  /** Ids whose cached reads are stale. */
  ids?: number[];
  /** Lists (pages, counts) built from many rows are stale. */
  lists?: boolean;
  /** Everything is stale (a rename that reaches many rows, a bulk import, a lost connection). */
  all?: boolean;
}

export type InvalidationListener = (change: Invalidation) => void;

export interface InvalidationBus {
  /** Tells the other processes (never this one: the caller has applied the change locally). */
  publish(channel: string, change: Invalidation): void;
  /** Hears other processes' changes of `channel`. */
  subscribe(channel: string, listener: InvalidationListener): void;
  /** Resolves once the subscriptions are live (a change published after it is heard). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

/** Embedded mode: one process, nothing to tell. */
export class LocalInvalidationBus implements InvalidationBus {
  publish(): void {}
  subscribe(): void {}
  async ready(): Promise<void> {}
  async close(): Promise<void> {}
}

interface Envelope extends Invalidation {
  /** The publishing process (its own messages come back to it and are ignored). */
  o: string;
}

export class RedisInvalidationBus implements InvalidationBus {
  private readonly origin = randomUUID();
  private readonly listeners = new Map<string, InvalidationListener[]>();
  private readonly sub: Redis;
  private readonly started: Promise<void>;
  private connectedOnce = false;

  /** `redis`: the process's command connection (publishes); a duplicate subscribes. */
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger?: Logger,
  ) {
    this.sub = redis.duplicate({ lazyConnect: true, enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.sub.on('error', (err) => this.logger?.warn({ err: err.message }, 'invalidation subscriber error'));
    this.sub.on('message', (channel: string, raw: string) => this.deliver(channel, raw));
    // After a reconnection messages may have been missed: everything cached may be stale.
    this.sub.on('ready', () => {
      if (this.connectedOnce) for (const ls of this.listeners.values()) for (const l of ls) l({ all: true });
      this.connectedOnce = true;
    });
    this.started = this.sub.connect().then(() => undefined);
  }

  private key(channel: string): string {
    return `${this.prefix}:inv:${channel}`;
  }

  private deliver(key: string, raw: string): void {
    const channel = key.slice(`${this.prefix}:inv:`.length);
    let msg: Envelope;
    try {
      msg = JSON.parse(raw) as Envelope;
    } catch {
      return;
    }
    if (msg.o === this.origin) return;
    const change: Invalidation = { ids: Array.isArray(msg.ids) ? msg.ids.map(Number).filter(Number.isInteger) : undefined, lists: !!msg.lists, all: !!msg.all };
    for (const l of this.listeners.get(channel) ?? []) l(change);
  }

  publish(channel: string, change: Invalidation): void {
    const msg: Envelope = { o: this.origin, ...change };
    this.redis.publish(this.key(channel), JSON.stringify(msg)).catch((err: Error) => this.logger?.warn({ err: err.message, channel }, 'invalidation not published (other replicas serve cached reads until their TTL)'));
  }

  subscribe(channel: string, listener: InvalidationListener): void {
    const list = this.listeners.get(channel);
    if (list) {
      list.push(listener);
      return;
    }
    this.listeners.set(channel, [listener]);
    void this.started.then(() => this.sub.subscribe(this.key(channel))).catch((err: Error) => this.logger?.warn({ err: err.message, channel }, 'invalidation subscribe failed'));
  }

  async ready(): Promise<void> {
    await this.started;
    const channels = [...this.listeners.keys()].map((c) => this.key(c));
    if (channels.length) await this.sub.subscribe(...channels);
  }

  async close(): Promise<void> {
    this.sub.disconnect();
  }
}

let feeds = 0;

function merge(a: Invalidation | undefined, b: Invalidation): Invalidation {
  if (!a) return { ids: [...(b.ids ?? [])], lists: !!b.lists, all: !!b.all };
  return { ids: [...new Set([...(a.ids ?? []), ...(b.ids ?? [])])], lists: !!a.lists || !!b.lists, all: !!a.all || !!b.all };
}

/**
 * Where a module's writes report what they changed, for the read caches of every process (one
 * channel). In a transaction: applied to this process's listeners at once, kept on the
 * transaction, applied again and published to the other processes when it commits (applied only,
 * on a rollback) — a read between the write and the commit saw the old rows and may have been
 * cached. Outside a transaction (the write has committed): applied and published.
 */
export class ChangeFeed {
  private readonly key: string;
  private readonly listeners: Array<(c: Invalidation) => void> = [];

  constructor(
    ds: DataSource,
    private readonly bus: InvalidationBus,
    private readonly channel: string,
  ) {
    this.key = `changed:${channel}#${++feeds}`;
    const ended = (event: TransactionCommitEvent | TransactionRollbackEvent, committed: boolean) => {
      const qr = event.queryRunner;
      // A released savepoint is not the end of the transaction.
      if (qr.isTransactionActive) return;
      const pending = qr.data?.[this.key] as Invalidation | undefined;
      if (!pending) return;
      delete qr.data[this.key];
      this.local(pending);
      if (committed) this.bus.publish(this.channel, pending);
    };
    ds.subscribers.push({ afterTransactionCommit: (e) => ended(e, true), afterTransactionRollback: (e) => ended(e, false) } satisfies EntitySubscriberInterface);
    bus.subscribe(channel, (c) => this.local(c));
  }

  /** Hears every change of this process and (through the bus) of the others. */
  onChange(listener: (c: Invalidation) => void): void {
    this.listeners.push(listener);
  }

  record(m: EntityManager | null | undefined, change: Invalidation): void {
    this.local(change);
    const qr = m?.queryRunner;
    if (qr?.isTransactionActive) qr.data[this.key] = merge(qr.data[this.key] as Invalidation | undefined, change);
    else this.bus.publish(this.channel, change);
  }

  private local(change: Invalidation): void {
    for (const l of this.listeners) l(change);
  }
}
