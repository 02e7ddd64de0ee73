// The job bus: BullMQ on Redis in full mode, an in-process runner (same processors, same retry
// policy, same schedules) in the embedded mode. Producers do not call it: they write intents to the
// outbox (jobs/outbox.ts) and the relay (jobs/relay.ts) enqueues them here; the bus itself only
// adds the recurring schedules.
import { CronExpressionParser } from 'cron-parser';
import type { ConnectionOptions, Job, Queue, Worker } from 'bullmq';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { runProcessor, type JobServices } from './processors.js';
import { DEFAULT_JOB_OPTIONS, JOB_QUEUE, QUEUES, SCHEDULES, type JobName, type JobPayloads, type QueueName } from './queues.js';

export interface EnqueueOptions {
  /** Job id: a job with the same id that still exists (any state) is not added again. */
  jobId?: string;
  delayMs?: number;
}

/** The bus cannot be reached now (Redis down): try again later. */
export class JobBusUnavailableError extends Error {
  override name = 'JobBusUnavailableError';
}

export interface JobBus {
  readonly kind: 'bullmq' | 'in-process';
  /** Adds a job; bounded in time: throws JobBusUnavailableError instead of waiting for Redis. */
  enqueue<N extends JobName>(name: N, data: JobPayloads[N], opts?: EnqueueOptions): Promise<string>;
  /** Registers the recurring jobs (idempotent). */
  schedule(): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// BullMQ

export interface BullOptions {
  redisUrl: string;
  prefix: string;
  logger: Logger;
  /** How long `enqueue` waits for Redis before giving up (default 2 s). */
  enqueueTimeoutMs?: number;
}

/**
 * The BullMQ key prefix: the Redis prefix as a hash tag (`{marquee}:bull:<queue>:…`), so every key
 * of every queue hashes to one Redis Cluster slot (BullMQ's Lua scripts touch several keys at once).
 * No ioredis `keyPrefix`: BullMQ does not support it.
 */
export function bullPrefix(redisPrefix: string): string {
  return `{${redisPrefix}}:bull`;
}

export function bullConnection(redisUrl: string): ConnectionOptions {
  const u = new URL(redisUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username || undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    // Workers block on Redis; BullMQ requires this to be null on their connections.
    maxRetriesPerRequest: null,
  };
}

/** Resolves when the client is connected; rejects after `ms` (no command is left waiting). */
function whenReady(client: Redis, ms: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new JobBusUnavailableError(`Redis is not reachable (${client.status})`));
    }, ms);
    client.once('ready', onReady);
  });
}

/**
 * bullmq, loaded by BullJobBus.create(): the embedded mode never uses it, and its import is a good
 * part of a cold start (`npm start` answers sooner without it).
 */
let bullmq: typeof import('bullmq') | null = null;
function bull(): typeof import('bullmq') {
  if (!bullmq) throw new Error('bullmq is not loaded: build the bus with BullJobBus.create()');
  return bullmq;
}

export class BullJobBus implements JobBus {
  readonly kind = 'bullmq' as const;
  private readonly queues = new Map<QueueName, Queue>();
  private readonly workers: Worker[] = [];
  /** enqueue's own connection and queues: they fail fast while Redis is down instead of queueing commands. */
  private producer: Redis | null = null;
  private readonly producerQueues = new Map<QueueName, Queue>();

  private constructor(private readonly opts: BullOptions) {}

  static async create(opts: BullOptions): Promise<BullJobBus> {
    bullmq ??= await import('bullmq');
    return new BullJobBus(opts);
  }

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new (bull().Queue)(name, { connection: bullConnection(this.opts.redisUrl), prefix: this.opts.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      this.queues.set(name, q);
    }
    return q;
  }

  allQueues(): Queue[] {
    return Object.values(QUEUES).map((n) => this.queue(n));
  }

  private producerQueue(name: QueueName): { client: Redis; queue: Queue } {
    const timeout = this.opts.enqueueTimeoutMs ?? 2000;
    if (!this.producer) {
      this.producer = new Redis(this.opts.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: timeout, connectTimeout: timeout });
      this.producer.on('error', () => undefined); // the relay reports the outage
    }
    let queue = this.producerQueues.get(name);
    if (!queue) {
      queue = new (bull().Queue)(name, { connection: this.producer, prefix: this.opts.prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
      queue.on('error', () => undefined);
      this.producerQueues.set(name, queue);
    }
    return { client: this.producer, queue };
  }

  async enqueue<N extends JobName>(name: N, data: JobPayloads[N], opts: EnqueueOptions = {}): Promise<string> {
    const { client, queue } = this.producerQueue(JOB_QUEUE[name]);
    await whenReady(client, this.opts.enqueueTimeoutMs ?? 2000);
    try {
      const job = await queue.add(name, data, { jobId: opts.jobId, delay: opts.delayMs });
      return String(job.id);
    } catch (err) {
      // Lost the connection or timed out: an outage, not something wrong with this job.
      if (client.status !== 'ready' || /timed? ?out|max retries|Connection is closed|enableOfflineQueue/i.test(String((err as Error)?.message))) {
        throw new JobBusUnavailableError((err as Error).message);
      }
      throw err;
    }
  }

  async schedule(): Promise<void> {
    for (const s of SCHEDULES) {
      await this.queue(JOB_QUEUE[s.job]).upsertJobScheduler(s.id, { pattern: s.pattern, tz: 'UTC' }, { name: s.job, data: s.data });
    }
  }

  /** Starts one BullMQ worker per queue (the worker process). */
  startWorkers(services: JobServices, concurrency = 2): Worker[] {
    for (const name of Object.values(QUEUES)) {
      const worker = new (bull().Worker)(
        name,
        async (job: Job) => {
          await jobStarted(services, String(job.id), this.opts.logger);
          return runProcessor(job.name as JobName, job.data, services, {
            progress: (f) => job.updateProgress(Math.round(Math.min(1, Math.max(0, f)) * 100)),
            log: async (m) => {
              await job.log(m);
            },
          });
        },
        { connection: bullConnection(this.opts.redisUrl), prefix: this.opts.prefix, concurrency, name: `${hostname()}:${process.pid}` },
      );
      worker.on('failed', (job, err) => this.opts.logger.warn({ job: job?.name, id: job?.id, attempt: job?.attemptsMade, err: err.message }, 'job failed'));
      worker.on('completed', (job) => this.opts.logger.info({ job: job.name, id: job.id }, 'job completed'));
      worker.on('error', (err) => this.opts.logger.error({ err: err.message }, 'worker error'));
      this.workers.push(worker);
    }
    return this.workers;
  }

  /** Graceful: waits for active jobs to finish before closing. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values(), ...this.producerQueues.values()].map((q) => q.close()));
    this.producer?.disconnect();
  }
}

/** Tells the outbox a job started (frees its dedup id); a failure there must not fail the job. */
async function jobStarted(services: JobServices, jobId: string, logger: Logger): Promise<void> {
  try {
    await services.outbox.started(jobId);
  } catch (err) {
    logger.warn({ id: jobId, err: (err as Error).message }, 'outbox: could not release the job intent');
  }
}

// ---------------------------------------------------------------------------------------------
// In-process (embedded mode)

export interface InProcessJobRecord {
  id: string;
  name: JobName;
  data: unknown;
  state: 'waiting' | 'active' | 'completed' | 'failed';
  attempts: number;
  progress: number;
  result?: unknown;
  error?: string;
  logs: string[];
  /** When it was added, and when its last attempt started (the panel's job monitor shows them). */
  createdAt: Date;
  lastRunAt?: Date;
  /** Attempts that threw, over the job's life (retries included). */
  failures: number;
}

export class InProcessJobBus implements JobBus {
  readonly kind = 'in-process' as const;
  private seq = 0;
  private readonly jobs = new Map<string, InProcessJobRecord>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(
    /** A getter: services are built after the bus (they may enqueue jobs themselves). */
    private readonly services: () => JobServices,
    private readonly logger: Logger,
    private readonly backoffBaseMs: number = DEFAULT_JOB_OPTIONS.backoff.delay,
  ) {}

  list(): InProcessJobRecord[] {
    return [...this.jobs.values()];
  }

  get(id: string): InProcessJobRecord | undefined {
    return this.jobs.get(id);
  }

  async enqueue<N extends JobName>(name: N, data: JobPayloads[N], opts: EnqueueOptions = {}): Promise<string> {
    const id = opts.jobId ?? `${++this.seq}`;
    const existing = this.jobs.get(id);
    if (existing && (existing.state === 'waiting' || existing.state === 'active')) return id;
    const rec: InProcessJobRecord = { id, name, data, state: 'waiting', attempts: 0, progress: 0, logs: [], createdAt: new Date(), failures: 0 };
    this.jobs.set(id, rec);
    this.later(opts.delayMs ?? 0, () => this.attempt(rec));
    if (this.jobs.size > 1000) this.trim();
    return id;
  }

  private later(ms: number, fn: () => Promise<void>) {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const p = fn().finally(() => this.running.delete(p));
      this.running.add(p);
    }, ms);
    this.timers.add(timer);
  }

  private async attempt(rec: InProcessJobRecord): Promise<void> {
    rec.state = 'active';
    rec.attempts++;
    rec.lastRunAt = new Date();
    try {
      if (rec.attempts === 1) await jobStarted(this.services(), rec.id, this.logger);
      rec.result = await runProcessor(rec.name, rec.data as never, this.services(), {
        progress: async (f) => {
          rec.progress = Math.round(Math.min(1, Math.max(0, f)) * 100);
        },
        log: async (m) => {
          rec.logs.push(m);
        },
      });
      rec.state = 'completed';
    } catch (err) {
      rec.error = err instanceof Error ? err.message : String(err);
      rec.failures++;
      if (rec.attempts < DEFAULT_JOB_OPTIONS.attempts && !this.closed) {
        rec.state = 'waiting';
        this.later(this.backoffBaseMs * 2 ** (rec.attempts - 1), () => this.attempt(rec));
      } else {
        rec.state = 'failed';
        this.logger.warn({ job: rec.name, id: rec.id, err: rec.error }, 'job failed');
      }
    }
  }

  /** Runs a failed job again from its first attempt (the panel's retry button); false when it is not failed. */
  retry(id: string): boolean {
    const rec = this.jobs.get(id);
    if (!rec || rec.state !== 'failed' || this.closed) return false;
    rec.state = 'waiting';
    rec.attempts = 0;
    rec.progress = 0;
    this.later(0, () => this.attempt(rec));
    return true;
  }

  async schedule(): Promise<void> {
    for (const s of SCHEDULES) {
      const arm = () => {
        const next = CronExpressionParser.parse(s.pattern, { tz: 'UTC', currentDate: new Date() }).next().toDate();
        // setTimeout cannot wait longer than ~24.8 days; schedules here are at most daily.
        this.later(Math.min(next.getTime() - Date.now(), 2 ** 31 - 1), async () => {
          await this.enqueue(s.job, s.data as never);
          arm();
        });
      };
      arm();
    }
  }

  /** Resolves when no job is waiting or running (tests, graceful shutdown). */
  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ([...this.jobs.values()].some((j) => j.state === 'waiting' || j.state === 'active')) {
      if (Date.now() > deadline) throw new Error('in-process jobs did not drain in time');
      await Promise.all([...this.running]);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private trim() {
    for (const [id, j] of this.jobs) {
      if (this.jobs.size <= 500) break;
      if (j.state === 'completed' || j.state === 'failed') this.jobs.delete(id);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.running]);
  }
}
