// The worker entry (`npm run worker`) as a real process: it consumes a job from Redis, and on
// SIGTERM finishes what it is doing and exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { QueueEvents } from 'bullmq';
import { bullConnection, BullJobBus } from '../../jobs/bus.js';
import { QUEUES } from '../../jobs/queues.js';
import { createTestContext, type TestContext } from '../support/context.js';

let ctx: TestContext;
let worker: ChildProcess;
let output = '';

beforeAll(async () => {
  ctx = await createTestContext();
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
  worker = spawn(process.execPath, ['--import', 'tsx', 'jobs/worker.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  worker.stdout!.on('data', (d) => (output += d));
  worker.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 30_000;
  while (!output.includes('worker started')) {
    if (Date.now() > deadline || worker.exitCode !== null) throw new Error(`worker did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 40_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) worker.kill('SIGKILL');
  await ctx.close();
});

it('processes a snapshot job and stops cleanly on SIGTERM', async () => {
  const bus = ctx.rt.jobs as BullJobBus;
  const events = new QueueEvents(QUEUES.statistics, { connection: bullConnection(ctx.config.redisUrl!), prefix: `${ctx.config.redisPrefix}:bull` });
  await events.waitUntilReady();
  try {
    const id = await bus.enqueue('statistics.daily', { day: '2024-02-29' });
    const job = (await bus.queue(QUEUES.statistics).getJob(id))!;
    expect(await job.waitUntilFinished(events, 20_000)).toMatchObject({ day: '2024-02-29', signups: 0 });
    // The worker registered the daily scheduler at start.
    expect((await bus.queue(QUEUES.statistics).getJobSchedulers()).map((s) => s.key)).toEqual(['statistics-daily']);
  } finally {
    await events.close();
  }
  const exited = new Promise<number | null>((resolve) => worker.on('exit', (code) => resolve(code)));
  worker.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(output).toContain('worker stopping: finishing active jobs');
  expect(output).toContain('worker stopped');
}, 40_000);
