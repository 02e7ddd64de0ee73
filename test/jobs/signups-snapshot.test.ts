// A BullMQ round trip through the real worker code: the daily sign-up snapshot.
import { QueueEvents } from 'bullmq';
import { bullConnection, bullPrefix, BullJobBus } from '../../jobs/bus.js';
import { QUEUES } from '../../jobs/queues.js';
import { DailySignupStat } from '../../src/modules/statistics/daily-signup-stat.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { uniqueName } from '../support/users.js';

let ctx: TestContext;
let bus: BullJobBus;
let events: QueueEvents;

beforeAll(async () => {
  ctx = await createTestContext({ schedule: true });
  bus = ctx.rt.jobs as BullJobBus;
  bus.startWorkers(ctx.rt.services, 1);
  events = new QueueEvents(QUEUES.statistics, { connection: bullConnection(ctx.config.redisUrl!), prefix: bullPrefix(ctx.config.redisPrefix) });
  await events.waitUntilReady();
});
afterAll(async () => {
  await events.close();
  await ctx.close();
});

async function signupAt(when: string) {
  const user = await ctx.rt.services.users.signup({ username: uniqueName(), email: 'x@example.com', password: 'pa55word!', getAgreement: false });
  await ctx.rt.ds.getRepository(User).update({ id: user.id }, { createdAt: new Date(when) });
}

async function runSnapshot(day: string) {
  const id = await bus.enqueue('statistics.daily', { day });
  const job = (await bus.queue(QUEUES.statistics).getJob(id))!;
  return job.waitUntilFinished(events, 20_000);
}

describe('statistics.daily', () => {
  it('registers the daily job scheduler (UTC cron)', async () => {
    const schedulers = await bus.queue(QUEUES.statistics).getJobSchedulers();
    expect(schedulers).toEqual([expect.objectContaining({ key: 'statistics-daily', pattern: '5 0 * * *', name: 'statistics.daily' })]);
    await bus.schedule(); // idempotent
    expect(await bus.queue(QUEUES.statistics).getJobSchedulersCount()).toBe(1);
  });

  it('counts the sign-ups of one UTC day through the worker, and running it twice gives the same row', async () => {
    await signupAt('2026-03-01T00:00:00Z');
    await signupAt('2026-03-01T12:30:00Z');
    await signupAt('2026-03-01T23:59:59.500Z');
    await signupAt('2026-02-28T23:59:59Z');
    await signupAt('2026-03-02T00:00:00Z');

    expect(await runSnapshot('2026-03-01')).toMatchObject({ day: '2026-03-01', signups: 3 });
    const first = await ctx.rt.ds.getRepository(DailySignupStat).findBy({ day: '2026-03-01' });
    expect(await runSnapshot('2026-03-01')).toMatchObject({ day: '2026-03-01', signups: 3 });
    const rows = await ctx.rt.ds.getRepository(DailySignupStat).findBy({ day: '2026-03-01' });
    expect(rows).toHaveLength(1);
    expect(rows[0].signups).toBe(first[0].signups);

    // Late data: a recompute picks it up and replaces the row.
    await signupAt('2026-03-01T08:00:00Z');
    expect(await runSnapshot('2026-03-01')).toMatchObject({ day: '2026-03-01', signups: 4 });
    expect(await ctx.rt.ds.getRepository(DailySignupStat).countBy({ day: '2026-03-01' })).toBe(1);
  });

  it('fails a bad payload and retries it with backoff', async () => {
    const id = await bus.enqueue('statistics.daily', { day: '2026-13-45' });
    const job = (await bus.queue(QUEUES.statistics).getJob(id))!;
    expect(job.opts.attempts).toBe(5);
    expect(job.opts.backoff).toEqual({ type: 'exponential', delay: 2000 });
    await new Promise((r) => setTimeout(r, 500));
    const again = (await bus.queue(QUEUES.statistics).getJob(id))!;
    expect(again.attemptsMade).toBeGreaterThanOrEqual(1);
    expect(again.failedReason).toMatch(/not a day/);
  });
});
