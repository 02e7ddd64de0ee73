// The demo of a fresh install against live MariaDB and Redis: the demo data set of the repository
// (no shared data: SHARED_DATA_DIR points nowhere), then the week of members' activity played
// through the services on a simulated clock — what the dashboard, the finance lists and the
// recommendations show the first time a person opens them — and GET /, the page that links them.
import request from 'supertest';
import type { Express } from 'express';
import { Between, In } from 'typeorm';
import { CouponIssue, Payment, Refund, Subscription, SubscriptionEvent } from '../../src/modules/commerce/commerce.entities.js';
import { WatchEvent } from '../../src/modules/members/watch.entity.js';
import { StatDay } from '../../src/modules/statistics/statistics.entities.js';
import { SECTIONS } from '../../src/modules/statistics/statistics.service.js';
import { User } from '../../src/modules/users/user.entity.js';
import { seedDemoCatalogIfEmpty } from '../../src/demo/seed.js';
import { DEMO_COUPON, generateDemoActivityIfNone, type DemoActivityReport } from '../../src/demo/activity.js';
import { createTestApp, type TestContext } from '../support/context.js';

let ctx: TestContext & { app: Express };
/** A fixed end of the week: the same activity every run. */
const NOW = new Date('2026-06-20T09:30:00Z');
const WEEK = ['2026-06-13', '2026-06-14', '2026-06-15', '2026-06-16', '2026-06-17', '2026-06-18', '2026-06-19'];
const weekStart = new Date('2026-06-13T00:00:00Z');
let report: DemoActivityReport;

beforeAll(async () => {
  ctx = await createTestApp({ env: { SHARED_DATA_DIR: '/nonexistent' } });
  const seeded = await seedDemoCatalogIfEmpty(ctx.rt.services, ctx.config.demoDataDir);
  expect(seeded.catalog.status).toBe('seeded');
  expect(seeded.cinemas).toEqual(expect.objectContaining({ cinemas: 12, showtimes: 314 }));
  const r = await generateDemoActivityIfNone(ctx.rt, { now: NOW });
  if (r.status !== 'generated') throw new Error(`no activity: ${r.reason}`);
  report = r.report;
}, 180_000);

afterAll(async () => {
  await ctx?.close();
});

describe('the week of activity', () => {
  it('plays members, payments, renewals, refunds, coupons, ratings and viewing over the seven days before now', () => {
    expect(report.days).toEqual(WEEK);
    expect(report.members).toBe(35); // 12 who subscribed a month before, 23 who joined during the week
    expect(report.methods).toBeGreaterThanOrEqual(35);
    expect(report.payments.paid).toBeGreaterThan(30);
    expect(report.renewals.charged).toBeGreaterThan(5);
    expect(report.renewals.failed).toBe(3); // the member whose new card is declined: three attempts
    expect(report.refunds.completed).toBeGreaterThanOrEqual(1);
    expect(report.refunds.pending).toBeGreaterThanOrEqual(1);
    expect(report.coupons).toEqual({ issued: 23, used: expect.any(Number) });
    expect(report.coupons.used).toBeGreaterThan(0);
    expect(report.ratings).toBeGreaterThan(300);
    expect(report.cinemaReviews).toBeGreaterThan(0);
    // The demo video is probed with ffprobe (installed on the development and CI machines).
    expect(report.contentsSkipped).toBeNull();
    expect(report.contents).toBe(8);
    expect(report.watchEvents).toBeGreaterThan(100);
    expect(report.recommendations).toEqual({ status: 'done', users: 35 });
  });

  it('puts every record at the time it happened, not at the time it was generated', async () => {
    const ds = ctx.rt.ds;
    const members = await ds.getRepository(User).findBy({ role: 'user' });
    expect(members).toHaveLength(35);
    const joinedInWeek = members.filter((u) => u.createdAt >= weekStart && u.createdAt < NOW);
    expect(joinedInWeek).toHaveLength(23);
    expect(members.every((u) => u.createdAt < NOW && u.createdAt > new Date(weekStart.getTime() - 40 * 86_400_000))).toBe(true);
    expect(members.map((u) => u.username)).toContain('별빛고양이');

    const payments = await ds.getRepository(Payment).find();
    for (const p of payments) {
      expect(p.createdAt.getTime()).toBeLessThan(NOW.getTime());
      if (p.paidAt) expect(p.paidAt.getTime()).toBe(p.createdAt.getTime());
    }
    const refunds = await ds.getRepository(Refund).find();
    expect(refunds.every((r) => r.createdAt >= weekStart && r.createdAt < NOW)).toBe(true);
    expect(refunds.filter((r) => r.status === 'completed').every((r) => r.completedAt && r.completedAt >= r.createdAt && r.completedAt < NOW)).toBe(true);
    expect((await ds.getRepository(CouponIssue).find()).every((i) => i.issuedAt >= weekStart && i.issuedAt < NOW)).toBe(true);
    expect(await ds.getRepository(WatchEvent).countBy({ createdAt: Between(weekStart, NOW) })).toBe(report.watchEvents);
    expect(await ds.getRepository(SubscriptionEvent).countBy({ kind: 'renewed', at: Between(weekStart, NOW) })).toBe(report.renewals.charged);
    // The member whose card was replaced by a declined one: suspended after the third attempt.
    expect(await ds.getRepository(Subscription).countBy({ status: 'suspended' })).toBe(1);
    expect(await ds.getRepository(Subscription).countBy({ status: In(['active']) })).toBeGreaterThan(15);
  });

  it('leaves the statistics of the seven days computed: the dashboard shows a week of figures', async () => {
    expect((await ctx.rt.ds.getRepository(StatDay).findBy({ day: In(WEEK) })).map((d) => d.day).sort()).toEqual(WEEK);
    const o = await ctx.rt.services.statistics.overview({ from: WEEK[0]!, to: WEEK[6]! }, SECTIONS);
    expect(o.computed_days).toBe(7);
    expect(o.signups!.total).toBe(23);
    expect(o.signups!.days.every((d) => (d.signups ?? 0) >= 3)).toBe(true);
    const krw = o.revenue!.find((r) => r.currency === 'KRW')!;
    expect(krw.totals.gross).toBeGreaterThan(0);
    expect(krw.days.every((d) => d.gross !== null && d.gross > 0)).toBe(true);
    expect(krw.by_product.map((p) => p.product).sort()).toEqual(['item', 'monthly', 'yearly']);
    expect(o.subscriptions!.by_plan.find((p) => p.plan === 'monthly')!.active).toBeGreaterThan(10);
    expect(o.refunds!.pending).toEqual([{ currency: 'KRW', count: report.refunds.pending, amount: expect.any(Number) }]);
    expect(o.contents!.totals.views).toBeGreaterThan(10);
    expect(o.contents!.top[0]!.title).toMatch(/데모 영상/);
    expect(o.catalog).toEqual(expect.objectContaining({ movies: 57, genres: 29, cinemas: 12 }));
  });

  it('gives members recommendations and the coupon the finance lists show', async () => {
    const member = await ctx.rt.ds.getRepository(User).findOneByOrFail({ username: '별빛고양이' });
    expect((await ctx.rt.services.recommendations.stored(member.id)).length).toBeGreaterThan(0);
    const coupon = (await ctx.rt.ds.query('SELECT code, issued_count AS n FROM coupons')) as Array<{ code: string; n: number }>;
    expect(coupon).toEqual([{ code: DEMO_COUPON, n: 23 }]);
  });

  it('runs once: with members there, nothing more is generated', async () => {
    const users = await ctx.rt.ds.getRepository(User).count();
    expect(await generateDemoActivityIfNone(ctx.rt, { now: NOW })).toEqual({ status: 'skipped', reason: 'members exist already' });
    expect(await ctx.rt.ds.getRepository(User).count()).toBe(users);
  });
});

describe('GET /', () => {
  it('answers a small page linking the admin panel, the API docs and the health checks', async () => {
    const res = await request(ctx.app).get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    for (const href of ['/swagger/', '/openapi.json', '/healthz', '/readyz', '/device']) expect(res.text).toContain(`href="${href}"`);
    // This app was built without the panel: no link to it.
    expect(res.text).not.toContain('href="/admin"');
  });
});
