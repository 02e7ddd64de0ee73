// Statistics in the service's time zone (Asia/Seoul, the default) against live MariaDB: KST day
// boundaries, sign-ups without staff, the dashboard's KPI cards (this period and the one before,
// checked against numbers worked out by hand from the fixture), today read live and marked
// partial, and the first start's backfill (in-process jobs: computed once, a second start does nothing).
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import type { InProcessJobBus } from '../../jobs/bus.js';
import { OutboxEntry } from '../../jobs/outbox.entity.js';
import { Refund } from '../../src/modules/commerce/commerce.entities.js';
import { DailyRevenueStat, StatDay } from '../../src/modules/statistics/statistics.entities.js';
import { DailySignupStat } from '../../src/modules/statistics/daily-signup-stat.entity.js';
import { BACKFILL_DEDUP_ID, dayBounds, dayIn, DEFAULT_RANGE_DAYS } from '../../src/modules/statistics/statistics.service.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, capturedPaymentAt, memberAccount, staffAccount, type Account } from '../support/commerce-instruments.js';

let ctx: TestContext & { app: Express };
let finance: Account;

beforeAll(async () => {
  ctx = await createTestApp();
  finance = await staffAccount(ctx.rt, ctx.app, 'finance');
}, 60_000);
afterAll(async () => {
  await ctx?.close();
});

const pay = async (what: { plan: string } | { item: number }, when: Date) => capturedPaymentAt(ctx.rt, ctx.app, await memberAccount(ctx.rt, ctx.app), what, when);
const grossOn = async (day: string) => (await ctx.rt.ds.getRepository(DailyRevenueStat).findBy({ day })).reduce((n, r) => n + r.gross, 0);

describe('days of the service zone (KST)', () => {
  it('a KST day runs from 15:00 UTC the day before', () => {
    expect(ctx.rt.services.statistics.timeZone).toBe('Asia/Seoul');
    expect(dayBounds('2026-03-08', 'Asia/Seoul')).toEqual({ from: new Date('2026-03-07T15:00:00Z'), to: new Date('2026-03-08T15:00:00Z') });
    expect(dayIn('Asia/Seoul', new Date('2026-03-07T23:30:00Z'))).toBe('2026-03-08');
    // A zone with daylight saving: the day of the change is 23 hours long.
    const ny = dayBounds('2026-03-08', 'America/New_York');
    expect([ny.from.toISOString(), ny.to.getTime() - ny.from.getTime()]).toEqual(['2026-03-08T05:00:00.000Z', 23 * 3600_000]);
  });

  it('a payment at 23:30 UTC counts on the next KST day', async () => {
    const movieId = (await ctx.rt.services.catalog.createMovie({ name: '자정 영화' }, null)).movie.id;
    await pay({ item: movieId }, new Date('2026-01-10T23:30:00Z'));
    await pay({ item: movieId }, new Date('2026-01-10T14:59:59Z')); // 23:59:59 KST on the 10th
    await ctx.rt.services.statistics.computeRange('2026-01-10', '2026-01-11');
    expect(await grossOn('2026-01-10')).toBe(3000);
    expect(await grossOn('2026-01-11')).toBe(3000);
    expect(await grossOn('2026-01-09')).toBe(0);
  });

  it('sign-ups count members, not staff accounts', async () => {
    const day = '2026-01-20';
    const members = [await memberAccount(ctx.rt, ctx.app), await memberAccount(ctx.rt, ctx.app)];
    const staff = [await staffAccount(ctx.rt, ctx.app, 'catalog'), await staffAccount(ctx.rt, ctx.app, 'admin')];
    for (const a of [...members, ...staff]) await ctx.rt.ds.getRepository(User).update({ id: a.id }, { createdAt: new Date('2026-01-20T01:00:00Z') });
    const snap = await ctx.rt.services.statistics.computeDay(day);
    expect(snap.signups).toBe(2);
    expect((await ctx.rt.ds.getRepository(DailySignupStat).findOneByOrFail({ day })).signups).toBe(2);
  });
});

describe('KPI cards', () => {
  it('active subscribers, MRR, refund rate and ARPU of the period and of the one before, as worked out by hand', async () => {
    const movieId = (await ctx.rt.services.catalog.createMovie({ name: 'KPI 영화' }, null)).movie.id;
    // Previous period (2026-04-21 … 04-30): one monthly subscriber (9,900 a month).
    await pay({ plan: 'monthly' }, new Date('2026-04-25T03:00:00Z'));
    // This period (2026-05-01 … 05-10): a yearly subscriber (99,000 a year), an item (3,000), 1,000 of the yearly payment refunded.
    const yearly = await pay({ plan: 'yearly' }, new Date('2026-05-05T03:00:00Z'));
    await pay({ item: movieId }, new Date('2026-05-06T03:00:00Z'));
    await request(ctx.app).post('/refunds/').set(auth(finance.token)).set('Idempotency-Key', randomUUID()).send({ payment_id: yearly.id, amount: 1000, reason: 'goodwill', override: true }).expect(201);
    await ctx.rt.ds.getRepository(Refund).update({ paymentId: yearly.id }, { status: 'completed', completedAt: new Date('2026-05-07T03:00:00Z') });
    await ctx.rt.services.statistics.computeRange('2026-04-21', '2026-05-10');

    const o = await ctx.rt.services.statistics.overview({ from: '2026-05-01', to: '2026-05-10' }, ['revenue', 'subscriptions']);
    // Hand-computed: active at the end = monthly (until 05-25) + yearly = 2; MRR = 9,900 + 99,000 / 12 = 18,150;
    // gross 102,000, refunded 1,000 → rate 1,000 / 102,000 = 0.0098; net 101,000 / 2 subscribers = 50,500.
    expect(o.kpis!.current).toEqual({
      from: '2026-05-01',
      to: '2026-05-10',
      active_subscribers: 2,
      money: [{ currency: 'KRW', mrr: 18150, gross: 102000, refunded: 1000, net: 101000, refund_rate: 0.0098, arpu: 50500 }],
    });
    // The ten days before: the monthly subscriber alone.
    expect(o.kpis!.previous).toEqual({
      from: '2026-04-21',
      to: '2026-04-30',
      active_subscribers: 1,
      money: [{ currency: 'KRW', mrr: 9900, gross: 9900, refunded: 0, net: 9900, refund_rate: 0, arpu: 9900 }],
    });
    // The KPI's money is the revenue block's money (one computation).
    expect(o.revenue![0]!.totals).toMatchObject({ gross: 102000, refunded: 1000, net: 101000 });
    expect(o.partial_day).toBeNull();
  });

  it('today is read live (no snapshot) and marked partial', async () => {
    const stats = ctx.rt.services.statistics;
    const today = stats.today();
    expect(await ctx.rt.ds.getRepository(StatDay).existsBy({ day: today })).toBe(false);
    await pay({ plan: 'monthly' }, new Date(Date.now() - 1000));
    const o = await stats.overview(stats.range({}, { withToday: true }), ['revenue']);
    expect(o).toMatchObject({ to: today, partial_day: today, today, time_zone: 'Asia/Seoul', days: DEFAULT_RANGE_DAYS });
    const krw = o.revenue!.find((r) => r.currency === 'KRW')!;
    expect(krw.days.at(-1)).toEqual({ day: today, gross: 9900, refunded: 0, net: 9900 });
    // Nothing was written by reading.
    expect(await ctx.rt.ds.getRepository(StatDay).existsBy({ day: today })).toBe(false);
    // Without `withToday` (GET themes' default) the range ends yesterday.
    expect(stats.range({}).to < today).toBe(true);
  });
});

describe('first start', () => {
  let embedded: TestContext & { app: Express };
  afterAll(async () => {
    await embedded?.close();
  });

  it('computes the last 30 days once (in-process jobs); a second start does nothing', async () => {
    embedded = await createTestApp({ redis: false });
    const stats = embedded.rt.services.statistics;
    const first = await stats.backfillIfEmpty();
    expect(first).toMatchObject({ to: stats.yesterday() });
    // Two replicas starting together (or a restart before the job ran): still one intent.
    const again = await stats.backfillIfEmpty();
    expect(again?.jobId).toBe(first!.jobId);
    // One holder of the dedup id at most: none once the in-process job has started (the relay runs meanwhile).
    expect(await embedded.rt.ds.getRepository(OutboxEntry).countBy({ dedupId: BACKFILL_DEDUP_ID })).toBeLessThanOrEqual(1);

    await embedded.rt.relay.flush();
    await (embedded.rt.jobs as InProcessJobBus).drain(60_000);
    const days = await embedded.rt.ds.getRepository(StatDay).find({ order: { day: 'ASC' } });
    expect(days).toHaveLength(DEFAULT_RANGE_DAYS);
    expect([days[0]!.day, days.at(-1)!.day]).toEqual([first!.from, first!.to]);

    const dash = await stats.overview(stats.range({}, { withToday: true }), ['signups']);
    expect(dash.computed_days).toBe(DEFAULT_RANGE_DAYS); // 29 snapshots + today live: never "0 of 30"

    // The next start: snapshots exist, nothing is queued.
    expect(await stats.backfillIfEmpty()).toBeNull();
    await embedded.rt.relay.flush();
    expect(await embedded.rt.ds.getRepository(OutboxEntry).countBy({ jobName: 'statistics.recompute' })).toBe(0);
    expect((embedded.rt.jobs as InProcessJobBus).list().filter((j) => j.name === 'statistics.recompute')).toHaveLength(1);
  }, 120_000);
});
