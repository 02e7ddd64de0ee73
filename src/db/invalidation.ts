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
