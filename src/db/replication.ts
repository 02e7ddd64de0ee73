// Reads to the replica, correctly (full mode with DATABASE_REPLICA_URL). TypeORM's `replication`
// option sends every SELECT built by a query builder / repository outside a transaction to the
// replica and everything else (writes, transactions, raw ds.query) to the primary. This module
// decides, per request, where those plain reads go:
//  - read-your-writes: a request that changes something (any method but GET/HEAD/OPTIONS) with a
//    credential (the API token or the panel's session cookie) marks that credential in Redis for
//    READ_YOUR_WRITES_SECONDS; the same credential's reads go to the primary meanwhile, whichever
//    process serves them;
//  - lag: every process writes a heartbeat row on the primary each second and reads it back from
//    the replica; when the replica is further behind than REPLICA_MAX_LAG_SECONDS (or cannot be
//    read), every read goes to the primary until it catches up. /readyz reports the lag.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { Column, Entity, PrimaryColumn, type DataSource, type ReplicationMode } from 'typeorm';

/** One row (id 1): the primary's clock at the last heartbeat; the replica's copy tells its lag. */
@Entity({ name: 'replication_heartbeat' })
export class ReplicationHeartbeat {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'beat_at', type: 'datetime', precision: 3 })
  beatAt!: Date;
}

export interface ReadRoutingOptions {
  maxLagSeconds: number;
  readYourWritesSeconds: number;
  redis: Redis | null;
  redisPrefix: string;
  logger: Logger;
  /** Heartbeat and lag probe period (default 1000 ms). */
  intervalMs?: number;
}

export interface ReplicaStatus {
  /** Seconds the replica is behind (heartbeat age on the replica), null when it could not be read. */
  lagSeconds: number | null;
  maxLagSeconds: number;
  /** Where plain reads without a recent write of their own go now. */
  readsTo: 'replica' | 'primary';
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);
const ADMIN_COOKIE = /(?:^|;\s*)marquee\.admin=([^;]+)/;

/** The request's credential (token or panel session), hashed; null for an anonymous request. */
function credentialOf(headers: { authorization?: string; cookie?: string }): string | null {
  const raw = headers.authorization || ADMIN_COOKIE.exec(headers.cookie ?? '')?.[1];
  return raw ? createHash('sha256').update(raw).digest('hex').slice(0, 40) : null;
}

export class ReadRouting {
  private readonly als = new AsyncLocalStorage<{ primary: boolean }>();
  /** The last measurement: the replica's lag, and when it was taken. */
  private measured: { lag: number; at: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private probing = false;
  private watcher: NodeJS.Timeout | null = null;

  constructor(private readonly ds: DataSource, private readonly opts: ReadRoutingOptions) {
    // TypeORM asks this for every query-builder read outside a transaction.
    ds.defaultReplicationModeForReads = (): ReplicationMode => (this.replicaUsable() && !this.als.getStore()?.primary ? 'slave' : 'master');
  }

  /**
   * The replica's lag now, as far as we know: the last measurement, plus the time since it once it
   * is overdue (a stuck probe or a stopped replica can only have fallen further behind). null: unknown.
   */
  lagSeconds(): number | null {
    if (!this.measured) return null;
    const overdueMs = Date.now() - this.measured.at - (this.opts.intervalMs ?? 1000);
    return Math.round((this.measured.lag + Math.max(0, overdueMs) / 1000) * 1000) / 1000;
  }

  private replicaUsable(): boolean {
    const lag = this.lagSeconds();
    return lag !== null && lag <= this.opts.maxLagSeconds;
  }

  status(): ReplicaStatus {
    return { lagSeconds: this.lagSeconds(), maxLagSeconds: this.opts.maxLagSeconds, readsTo: this.replicaUsable() ? 'replica' : 'primary' };
  }

  /** Runs `fn` with its plain reads on the primary. */
  onPrimary<T>(fn: () => T): T {
    return this.als.run({ primary: true }, fn);
  }

  async start(): Promise<void> {
    await this.probe();
    this.timer = setInterval(() => void this.probe(), this.opts.intervalMs ?? 1000);
    this.timer.unref();
    this.watch();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.watcher) clearInterval(this.watcher);
    this.timer = this.watcher = null;
  }

  /** Writes the heartbeat on the primary, then measures its age on the replica (bounded: a stuck probe does not block the next). */
  async probe(): Promise<void> {
    if (this.probing) return;
    this.probing = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([this.measure(), new Promise<void>((resolve) => (timer = setTimeout(resolve, 5000)))]);
    } finally {
      clearTimeout(timer);
      this.probing = false;
    }
  }

  private async measure(): Promise<void> {
    try {
      try {
        await this.ds.query('INSERT INTO replication_heartbeat (id, beat_at) VALUES (1, UTC_TIMESTAMP(3)) ON DUPLICATE KEY UPDATE beat_at = UTC_TIMESTAMP(3)');
      } catch (err) {
        this.opts.logger.warn({ err: (err as Error).message }, 'replication heartbeat: primary write failed');
      }
      const qr = this.ds.createQueryRunner('slave');
      try {
        const rows = (await qr.query('SELECT TIMESTAMPDIFF(MICROSECOND, beat_at, UTC_TIMESTAMP(3)) AS lag_us FROM replication_heartbeat WHERE id = 1')) as Array<{ lag_us: number | string | null }>;
        const us = rows[0]?.lag_us;
        this.measured = us === undefined || us === null ? null : { lag: Math.max(0, Number(us)) / 1e6, at: Date.now() };
      } finally {
        await qr.release();
      }
    } catch (err) {
      if (this.measured) this.opts.logger.warn({ err: (err as Error).message }, 'replica unreachable: reads on the primary');
      this.measured = null;
    }
  }

  /** Logs when plain reads move between the replica and the primary. */
  private watch(): void {
    let usable = this.replicaUsable();
    const t = setInterval(() => {
      const now = this.replicaUsable();
      if (now !== usable) this.opts.logger.warn({ lagSeconds: this.lagSeconds(), maxLagSeconds: this.opts.maxLagSeconds }, now ? 'replica caught up: reads back on the replica' : 'replica lagging: reads on the primary');
      usable = now;
    }, 250);
    t.unref();
    this.watcher = t;
  }

  /** Express middleware: marks a credential's writes and sends its reads to the primary while the mark lasts. */
  middleware(): RequestHandler {
    const { redis, redisPrefix, readYourWritesSeconds } = this.opts;
    const key = (cred: string) => `${redisPrefix}:ryw:${cred}`;
    return (req, _res, next) => {
      const cred = credentialOf(req.headers);
      if (!cred) return next();
      const primary = () => this.als.run({ primary: true }, next);
      if (!redis) return primary();
      if (!SAFE.has(req.method)) {
        // Marked before the write runs: the member's next request, on any process, finds the mark.
        redis.set(key(cred), '1', 'EX', readYourWritesSeconds).then(primary, primary);
        return;
      }
      redis.exists(key(cred)).then(
        (n) => (n ? primary() : next()),
        () => primary(), // Redis down: the safe side.
      );
    };
  }
}
