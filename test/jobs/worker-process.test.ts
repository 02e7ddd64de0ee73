// The worker entry (`npm run worker`) as a real process: it consumes a job from Redis, and on
// SIGTERM finishes what it is doing and exits 0 — also when the signal arrives in the middle of a
// long job (a year of statistics recomputed).
import { spawn, type ChildProcess } from 'node:child_process';
import { QueueEvents } from 'bullmq';
import { bullConnection, bullPrefix, BullJobBus } from '../../jobs/bus.js';
import { QUEUES } from '../../jobs/queues.js';
import { StatDay } from '../../src/modules/statistics/statistics.entities.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { uniqueName } from '../support/users.js';

let ctx: TestContext;

interface WorkerProcess {
  proc: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}
const workers: WorkerProcess[] = [];

/** Spawns `jobs/worker.ts` against the test database and Redis prefix; resolves once it logged "worker started". */
async function startWorker(): Promise<WorkerProcess> {
  const env = {
    PATH: process.env.PATH,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATABASE_URL: ctx.config.db.type === 'mysql' ? ctx.config.db.url : '',
    REDIS_URL: ctx.config.redisUrl!,
    REDIS_PREFIX: ctx.config.redisPrefix,
    JWT_SECRET: ctx.config.jwtSecret,
    SESSION_SECRET: ctx.config.sessionSecret,
    DATA_DIR: ctx.config.dataDir,
  };
  const proc = spawn(process.execPath, ['--import', 'tsx', 'jobs/worker.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const w: WorkerProcess = { proc, output: () => out, exited: new Promise((resolve) => proc.on('exit', (code) => resolve(code))) };
  workers.push(w);
  const deadline = Date.now() + 30_000;
  while (!out.includes('worker started')) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`worker did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return w;
}

const statisticsEvents = async () => {
  const events = new QueueEvents(QUEUES.statistics, { connection: bullConnection(ctx.config.redisUrl!), prefix: bullPrefix(ctx.config.redisPrefix) });
  await events.waitUntilReady();
  return events;
};

beforeAll(async () => {
  ctx = await createTestContext();
}, 40_000);

afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  await ctx.close();
});

it('processes a snapshot job and stops cleanly on SIGTERM', async () => {
  const worker = await startWorker();
  const bus = ctx.rt.jobs as BullJobBus;
  const events = await statisticsEvents();
  try {
    const id = await bus.enqueue('statistics.daily', { day: '2024-02-29' });
    const job = (await bus.queue(QUEUES.statistics).getJob(id))!;
    expect(await job.waitUntilFinished(events, 20_000)).toMatchObject({ day: '2024-02-29', signups: 0 });
    // The worker registered the daily scheduler at start.
    expect((await bus.queue(QUEUES.statistics).getJobSchedulers()).map((s) => s.key)).toEqual(['statistics-daily']);
  } finally {
    await events.close();
  }
  worker.proc.kill('SIGTERM');
  expect(await worker.exited).toBe(0);
  expect(worker.output()).toContain('worker stopping: finishing active jobs');
  expect(worker.output()).toContain('worker stopped');
}, 40_000);

it('SIGTERM during an active job: the job completes, then the process exits 0', async () => {
  // Some data for the year: sign-ups spread over 2024.
  for (let i = 0; i < 12; i++) {
    const user = await ctx.rt.services.users.signup({ username: uniqueName(), email: 'x@example.com', password: 'pa55word!', getAgreement: false });
    await ctx.rt.ds.getRepository(User).update({ id: user.id }, { createdAt: new Date(Date.UTC(2024, i, 1 + i, 12)) });
  }
  const worker = await startWorker();
  const bus = ctx.rt.jobs as BullJobBus;
  const events = await statisticsEvents();
  try {
    // A year of snapshots (366 days, the largest range a recompute takes): several seconds of work
    // (here: SIGTERM at 1 %, the job finished about 6 s later).
    const id = await bus.enqueue('statistics.recompute', { from: '2024-01-01', to: '2024-12-31' });
    const active = new Promise<void>((resolve) => {
      const onActive = ({ jobId }: { jobId: string }) => {
        if (jobId !== id) return;
        events.off('active', onActive);
        resolve();
      };
      events.on('active', onActive);
    });
    const job = (await bus.queue(QUEUES.statistics).getJob(id))!;
    if ((await job.getState()) !== 'active') await active; // 'active' may have fired before the listener
    // Mid-job: taken by the worker, some days done, not all.
    const deadline = Date.now() + 20_000;
    while (Number((await bus.queue(QUEUES.statistics).getJob(id))!.progress) < 1) {
      if (Date.now() > deadline) throw new Error(`no progress:\n${worker.output()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const atSignal = (await bus.queue(QUEUES.statistics).getJob(id))!;
    expect(await atSignal.getState()).toBe('active');
    expect(Number(atSignal.progress)).toBeLessThan(50);
    const signalledAt = Date.now();
    worker.proc.kill('SIGTERM');

    expect(await worker.exited).toBe(0);
    const done = (await bus.queue(QUEUES.statistics).getJob(id))!;
    expect(await done.getState()).toBe('completed');
    expect(done.returnvalue).toEqual({ from: '2024-01-01', to: '2024-12-31', days: 366 });
    expect(done.progress).toBe(100);
    expect(done.attemptsMade).toBe(1);
    expect(done.finishedOn!).toBeGreaterThan(signalledAt);
    expect(await ctx.rt.ds.getRepository(StatDay).count()).toBe(366);
    const out = worker.output();
    expect(out).toContain('worker stopping: finishing active jobs');
    expect(out.indexOf('worker stopping')).toBeLessThan(out.indexOf('worker stopped'));
  } finally {
    await events.close();
  }
}, 90_000);
