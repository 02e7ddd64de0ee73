// The outbox relay: moves committed job intents (jobs/outbox.ts) to the job bus. One runs in the
// API process and one in the worker (createRuntime starts it, rt.close() stops it); they claim
// different rows. It runs when a transaction that wrote intents commits and every `pollMs` (for
// intents other processes wrote). While the bus is unreachable it backs off (up to `maxBackoffMs`)
// and the intents wait in the database; nothing a request does waits for it.
import type { Logger } from 'pino';
import { JobBusUnavailableError, type JobBus } from './bus.js';
import type { Intent, Outbox } from './outbox.js';

export interface RelayOptions {
  /** Look for intents written by other processes this often. */
  pollMs: number;
  /** Intents claimed per round trip. */
  batch: number;
  /** A claimed intent is left alone by other relays this long (a dead relay's intents come back after it). */
  leaseMs: number;
  /** Longest wait between attempts while the bus is unreachable. */
  maxBackoffMs: number;
  /** Drop dedup holders whose job never started this often. */
  pruneEveryMs: number;
}

const DEFAULTS: RelayOptions = { pollMs: 1000, batch: 100, leaseMs: 30_000, maxBackoffMs: 5000, pruneEveryMs: 60_000 };

export class OutboxRelay {
  private readonly o: RelayOptions;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  /** Consecutive passes that found the bus unreachable (0: healthy). */
  private failures = 0;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;
  private lastPrune = 0;

  constructor(
    private readonly outbox: Outbox,
    private readonly bus: Pick<JobBus, 'enqueue'>,
    private readonly logger: Logger,
    opts: Partial<RelayOptions> = {},
  ) {
    this.o = { ...DEFAULTS, ...opts };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.outbox.onCommitted(() => this.kick());
    this.schedule(0);
  }

  /** Relay soon (a transaction just committed intents). While backing off, the backoff decides. */
  kick(): void {
    if (this.stopped || this.failures) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Relays every due intent now and resolves when done; throws if the bus is unreachable (tests, tools). */
  async flush(): Promise<void> {
    while (this.running) await this.running;
    await this.run();
    if (this.failures) throw new JobBusUnavailableError('outbox: the job bus is unreachable; intents wait in the database');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.running) await this.running;
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, ms);
    this.timer.unref();
  }

  private async tick() {
    if (this.running) {
      this.again = true;
      return;
    }
    await this.run();
    const wait = this.failures ? Math.min(this.o.maxBackoffMs, 250 * 2 ** this.failures) : this.again ? 0 : this.o.pollMs;
    this.again = false;
    this.schedule(wait);
  }

  private run(): Promise<void> {
    this.running = this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Claims and relays batches until none is due or the bus is unreachable. */
  private async pass(): Promise<void> {
    try {
      if (Date.now() - this.lastPrune >= this.o.pruneEveryMs) {
        this.lastPrune = Date.now();
        const dropped = await this.outbox.prune();
        if (dropped) this.logger.warn({ dropped }, 'outbox: dropped dedup holders whose job never started');
      }
      for (;;) {
        const intents = await this.outbox.claim(this.o.batch, this.o.leaseMs);
        if (!intents.length) break;
        if (!(await this.relay(intents))) return;
        if (this.failures) this.logger.info('outbox: job bus reachable again, relaying');
        this.failures = 0;
        if (intents.length < this.o.batch) break;
      }
      this.failures = 0;
    } catch (err) {
      // The database itself failed: try again later, like an unreachable bus.
      this.failures++;
      this.logger.warn({ err: (err as Error).message }, 'outbox relay failed');
    }
  }

  /** false: the bus is unreachable (the unsent intents are given back). */
  private async relay(intents: Intent[]): Promise<boolean> {
    const sent: Intent[] = [];
    try {
      for (const [i, intent] of intents.entries()) {
        try {
          await this.bus.enqueue(intent.name, intent.data as never, { jobId: intent.jobId, delayMs: Math.max(0, intent.runAt.getTime() - Date.now()) });
          sent.push(intent);
        } catch (err) {
          const message = (err as Error).message ?? String(err);
          if (err instanceof JobBusUnavailableError) {
            if (!this.failures) this.logger.warn({ err: message, waiting: intents.length - i }, 'outbox: job bus unreachable, intents wait in the database');
            this.failures++;
            await this.outbox.retry(intents.slice(i), message);
            return false;
          }
          // Something about this intent: it waits (growing up to an hour) and the others go on.
          this.logger.error({ job: intent.name, id: intent.id, err: message }, 'outbox: intent refused by the job bus');
          await this.outbox.retry([intent], message, Math.min(3600_000, 1000 * 2 ** intent.attempts));
        }
      }
      return true;
    } finally {
      await this.outbox.relayed(sent);
    }
  }
}
