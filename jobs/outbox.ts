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
import { dialectOf } from '../src/db/data-source.js';
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
      // A locking read, shared (producers joining one holder do not deadlock on a lock upgrade): it
      // also sees a holder committed after this transaction's snapshot.
      const lock = inTx && dialectOf(this.ds) === 'mysql' ? { mode: 'pessimistic_read' as const } : undefined;
      const holder = await m.findOne(OutboxEntry, { where: { dedupId: row.dedupId }, select: { id: true }, lock });
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
  //
  // MariaDB/MySQL: ordinary statements; relays in several processes claim with SKIP LOCKED.
  // SQLite (embedded, one process): TypeORM runs every transaction of the process on one shared
  // connection, nesting concurrent ones as savepoints. The relay's statements therefore run
  // synchronously on that connection at a moment when no transaction is open: they never see a
  // request's uncommitted intent and never become part of its transaction.

  /**
   * Claims up to `limit` due intents, oldest first, for `leaseMs`: another relay skips them, and a
   * relay that dies while holding them only delays them by the lease.
   */
  async claim(limit: number, leaseMs: number): Promise<Intent[]> {
    const now = Date.now();
    const lease = seconds(now + leaseMs);
    if (this.sqlite) {
      const rows = await this.onSqlite((db) =>
        db
          .prepare(
            `UPDATE job_outbox SET available_at = ?, attempts = attempts + 1
             WHERE id IN (SELECT id FROM job_outbox WHERE relayed_at IS NULL AND available_at <= ? ORDER BY id LIMIT ?)
             RETURNING id, job_name AS jobName, payload, job_id AS jobId, dedup_id AS dedupId, run_at AS runAt, attempts`,
          )
          .all(sqliteTime(lease), sqliteTime(new Date(now)), limit) as Array<Omit<OutboxEntry, 'runAt'> & { runAt: string }>,
      );
      return rows.map((r) => toIntent({ ...r, runAt: new Date(`${r.runAt.replace(' ', 'T')}Z`) }, 0)).sort((a, b) => a.id - b.id);
    }
    return this.ds.transaction(async (m) => {
      const rows = await m.find(OutboxEntry, {
        where: { relayedAt: IsNull(), availableAt: LessThanOrEqual(new Date(now)) },
        order: { id: 'ASC' },
        take: limit,
        lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' },
      });
      if (rows.length) {
        await m.createQueryBuilder().update(OutboxEntry).set({ availableAt: lease, attempts: () => 'attempts + 1' }).whereInIds(rows.map((r) => r.id)).execute();
      }
      return rows.map((r) => toIntent(r, 1));
    });
  }

  /** The intents are on the bus: delete them, except dedup holders (kept until their job starts). */
  async relayed(intents: Intent[]): Promise<void> {
    const gone = intents.filter((i) => !i.dedupId).map((i) => i.id);
    const held = intents.filter((i) => i.dedupId).map((i) => i.id);
    const now = new Date();
    if (this.sqlite) {
      return this.onSqlite((db) => {
        if (gone.length) db.prepare(`DELETE FROM job_outbox WHERE id IN (${marks(gone)})`).run(...gone);
        if (held.length) db.prepare(`UPDATE job_outbox SET relayed_at = ? WHERE id IN (${marks(held)})`).run(sqliteTime(now), ...held);
      });
    }
    if (gone.length) await this.ds.getRepository(OutboxEntry).delete({ id: In(gone) });
    if (held.length) await this.ds.getRepository(OutboxEntry).update({ id: In(held) }, { relayedAt: now });
  }

  /** The intents were not relayed: a relay may take them again after `delayMs`. */
  async retry(intents: Intent[], error: string, delayMs = 0): Promise<void> {
    if (!intents.length) return;
    const ids = intents.map((i) => i.id);
    const at = seconds(Date.now() + delayMs);
    const lastError = error.slice(0, 500);
    if (this.sqlite) {
      return this.onSqlite((db) => {
        db.prepare(`UPDATE job_outbox SET available_at = ?, last_error = ? WHERE id IN (${marks(ids)})`).run(sqliteTime(at), lastError, ...ids);
      });
    }
    await this.ds.getRepository(OutboxEntry).update({ id: In(ids) }, { availableAt: at, lastError });
  }

  /** The bus started the job with this id: its dedup id is free again (the relay may not have marked it yet). */
  async started(jobId: string): Promise<void> {
    const match = AUTO_ID.exec(jobId);
    if (!match) return;
    const id = Number(match[1]);
    if (this.sqlite) {
      return this.onSqlite((db) => {
        db.prepare('DELETE FROM job_outbox WHERE id = ?').run(id);
      });
    }
    await this.ds.getRepository(OutboxEntry).delete({ id });
  }

  /** Drops dedup holders whose job should have started `holdMs` ago (the job was lost). */
  async prune(): Promise<number> {
    const before = new Date(Date.now() - this.opts.holdMs);
    if (this.sqlite) {
      return this.onSqlite((db) => db.prepare('DELETE FROM job_outbox WHERE relayed_at IS NOT NULL AND run_at < ?').run(sqliteTime(before)).changes);
    }
    const res = await this.ds.getRepository(OutboxEntry).delete({ relayedAt: Not(IsNull()), runAt: LessThan(before) });
    return res.affected ?? 0;
  }

  /** Intents not yet on the bus (monitoring, tests). */
  pending(): Promise<number> {
    return this.ds.getRepository(OutboxEntry).countBy({ relayedAt: IsNull() });
  }

  private get sqlite(): boolean {
    return dialectOf(this.ds) === 'sqlite';
  }

  /** Runs `fn` on SQLite's shared connection as soon as no transaction is open on it, synchronously. */
  private async onSqlite<T>(fn: (db: SqliteHandle) => T): Promise<T> {
    const db = (this.ds.driver as unknown as { databaseConnection: SqliteHandle }).databaseConnection;
    while (db.inTransaction) await new Promise((r) => setTimeout(r, 5));
    return fn(db);
  }
}

/** The part of better-sqlite3's Database the relay uses. */
interface SqliteHandle {
  readonly inTransaction: boolean;
  prepare(sql: string): { all(...params: unknown[]): unknown[]; run(...params: unknown[]): { changes: number } };
}

/** How TypeORM stores a datetime in SQLite: UTC `YYYY-MM-DD HH:MM:SS.mmm`. */
const sqliteTime = (d: Date) => d.toISOString().replace('T', ' ').replace('Z', '');
const marks = (ids: number[]) => ids.map(() => '?').join(', ');

/** `claimedBefore`: 1 when `attempts` was read before the claim's increment. */
function toIntent(r: Pick<OutboxEntry, 'id' | 'jobName' | 'payload' | 'jobId' | 'dedupId' | 'runAt' | 'attempts'>, claimedBefore: 0 | 1): Intent {
  return {
    id: r.id,
    name: r.jobName as JobName,
    data: JSON.parse(r.payload) as JobPayloads[JobName],
    jobId: r.jobId ?? autoJobId(r.id),
    dedupId: r.dedupId,
    runAt: r.runAt,
    attempts: r.attempts + claimedBefore,
  };
}
