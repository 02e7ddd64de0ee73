// The transactional outbox (architecture rule 12). A producer writes its job intent with
// `outbox.add(m, …)` inside the transaction of the change the job follows: the intent commits with
// the change or not at all. The relay (jobs/relay.ts, in the API process and in the worker) moves
// committed intents to the job bus, and keeps retrying while Redis is down, so a Redis outage never
// blocks a request nor loses its job.
//
// Life of a row: pending (relayed_at NULL; `available_at` is when a relay may take it — a claimed
// row is leased by moving it into the future) → added to the bus under a deterministic job id
// (`outbox-<id>`, or the id the producer gave) → deleted. An intent with a dedup id stays as the
// holder of that id (relayed_at set) until its job starts: until then another intent with the same
// dedup id is the same job. A holder whose job never starts (lost with Redis' data) is dropped
// `holdMs` after the job was due.
import {
  In,
  IsNull,
  LessThan,
  LessThanOrEqual,
  Not,
  type DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import { dialectOf, rowLock } from '../src/db/data-source.js';
import { OutboxEntry } from './outbox.entity.js';
import type { JobName, JobPayloads } from './queues.js';

export interface IntentOptions {
  /** The job's id on the bus (one job per id). Default `outbox-<row id>`. Not with `dedupId`. */
  jobId?: string;
  /** While an intent with this id waits here or its job waits on the bus, a new one is the same job. */
  dedupId?: string;
  /** Start the job this long after the change. */
  delayMs?: number;
}

/** What producers get: write an intent in their transaction, learn its job id. */
export type IntentWriter = Pick<Outbox, 'add'>;

/** A claimed intent, as the relay hands it to the bus. */
export interface Intent {
  id: number;
  name: JobName;
  data: JobPayloads[JobName];
  jobId: string;
  dedupId: string | null;
  runAt: Date;
  attempts: number;
}

const AUTO_ID = /^outbox-(\d+)$/;
const autoJobId = (id: number) => `outbox-${id}`;
/** Datetime columns keep whole seconds: round down so a row is never due later than asked. */
const seconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);
/** queryRunner.data key: this transaction wrote intents (nudge the relay when it commits). */
const WROTE = 'outboxIntentsWritten';

export class Outbox implements EntitySubscriberInterface {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly ds: DataSource,
    private readonly opts: { holdMs: number } = { holdMs: 10 * 60_000 },
  ) {
    // TypeORM rebuilds its subscriber list on initialize(): register on an open DataSource.
    if (!ds.isInitialized) throw new Error('Outbox: initialise the DataSource first');
    ds.subscribers.push(this);
  }

  /**
   * Writes a job intent with `m` (the caller's transaction) and returns the job's id. With a
   * dedup id that already has an intent, nothing is written and that intent's job id is returned.
   */
  async add<N extends JobName>(m: EntityManager, name: N, data: JobPayloads[N], opts: IntentOptions = {}): Promise<string> {
    if (opts.jobId && opts.dedupId) throw new Error('an intent has a job id or a dedup id, not both');
    if (opts.jobId && AUTO_ID.test(opts.jobId)) throw new Error(`job id ${opts.jobId} is reserved for the outbox`);
    const now = Date.now();
    const row = {
      jobName: name,
      payload: JSON.stringify(data),
      jobId: opts.jobId ?? null,
      dedupId: opts.dedupId ?? null,
      runAt: seconds(now + (opts.delayMs ?? 0)),
      availableAt: seconds(now),
      attempts: 0,
    };
    let jobId: string;
    if (!opts.dedupId) {
      const res = await m.insert(OutboxEntry, row);
      jobId = opts.jobId ?? autoJobId(Number(res.identifiers[0].id));
    } else {
      jobId = await this.joinOrAdd(m, { ...row, dedupId: opts.dedupId });
    }
    const qr = m.queryRunner;
    if (qr?.isTransactionActive) qr.data[WROTE] = true;
    else this.notify();
    return jobId;
  }

  private async joinOrAdd(m: EntityManager, row: Partial<OutboxEntry> & { dedupId: string }): Promise<string> {
    const inTx = !!m.queryRunner?.isTransactionActive;
    for (let i = 0; i < 3; i++) {
      // The unique dedup index decides between simultaneous producers (the second waits for the first).
      await m.createQueryBuilder().insert().into(OutboxEntry).values(row).orIgnore().updateEntity(false).execute();
      // A locking read: it also sees a holder committed after this transaction's snapshot.
      const holder = await m.findOne(OutboxEntry, { where: { dedupId: row.dedupId }, select: { id: true }, lock: inTx ? rowLock(this.ds) : undefined });
      if (holder) return autoJobId(holder.id);
      // The holder's job started (and released it) between the two statements: insert again.
    }
    throw new Error(`outbox: could not add an intent for ${row.dedupId}`);
  }

  /** Called after each `add` outside a transaction, or when a transaction that added intents commits. */
  onCommitted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify() {
    for (const l of this.listeners) l();
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const qr = event.queryRunner;
    if (qr.isTransactionActive || !qr.data?.[WROTE]) return; // a savepoint, or nothing written
    delete qr.data[WROTE];
    this.notify();
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    const qr = event.queryRunner;
    if (!qr.isTransactionActive && qr.data) delete qr.data[WROTE];
  }

  // ---- the relay's side ---------------------------------------------------------------------

  /**
   * Claims up to `limit` due intents, oldest first, for `leaseMs`: another relay skips them (row
   * locks with SKIP LOCKED on MariaDB/MySQL; SQLite has one writer), and a relay that dies while
   * holding them only delays them by the lease.
   */
  async claim(limit: number, leaseMs: number): Promise<Intent[]> {
    return this.ds.transaction(async (m) => {
      const now = Date.now();
      const rows = await m.find(OutboxEntry, {
        where: { relayedAt: IsNull(), availableAt: LessThanOrEqual(new Date(now)) },
        order: { id: 'ASC' },
        take: limit,
        lock: dialectOf(this.ds) === 'mysql' ? { mode: 'pessimistic_write', onLocked: 'skip_locked' } : undefined,
      });
      if (!rows.length) return [];
      await m
        .createQueryBuilder()
        .update(OutboxEntry)
        .set({ availableAt: seconds(now + leaseMs), attempts: () => 'attempts + 1' })
        .whereInIds(rows.map((r) => r.id))
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.jobName as JobName,
        data: JSON.parse(r.payload) as JobPayloads[JobName],
        jobId: r.jobId ?? autoJobId(r.id),
        dedupId: r.dedupId,
        runAt: r.runAt,
        attempts: r.attempts + 1,
      }));
    });
  }

  /** The intents are on the bus: delete them, except dedup holders (kept until their job starts). */
  async relayed(intents: Intent[]): Promise<void> {
    const gone = intents.filter((i) => !i.dedupId).map((i) => i.id);
    const held = intents.filter((i) => i.dedupId).map((i) => i.id);
    if (gone.length) await this.ds.getRepository(OutboxEntry).delete({ id: In(gone) });
    if (held.length) await this.ds.getRepository(OutboxEntry).update({ id: In(held) }, { relayedAt: new Date() });
  }

  /** The intents were not relayed: a relay may take them again after `delayMs`. */
  async retry(intents: Intent[], error: string, delayMs = 0): Promise<void> {
    if (!intents.length) return;
    await this.ds.getRepository(OutboxEntry).update({ id: In(intents.map((i) => i.id)) }, { availableAt: seconds(Date.now() + delayMs), lastError: error.slice(0, 500) });
  }

  /** The bus started the job with this id: its dedup id is free again (the relay may not have marked it yet). */
  async started(jobId: string): Promise<void> {
    const m = AUTO_ID.exec(jobId);
    if (m) await this.ds.getRepository(OutboxEntry).delete({ id: Number(m[1]) });
  }

  /** Drops dedup holders whose job should have started `holdMs` ago (the job was lost). */
  async prune(): Promise<number> {
    const res = await this.ds.getRepository(OutboxEntry).delete({ relayedAt: Not(IsNull()), runAt: LessThan(new Date(Date.now() - this.opts.holdMs)) });
    return res.affected ?? 0;
  }

  /** Intents not yet on the bus (monitoring, tests). */
  pending(): Promise<number> {
    return this.ds.getRepository(OutboxEntry).countBy({ relayedAt: IsNull() });
  }
}
