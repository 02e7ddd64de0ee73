// Statistics snapshots against live MariaDB: payments, refunds and subscriptions made through the
// real API (sandbox gateway), watch events and sign-ups, moved onto one UTC day; the day's
// snapshot rows, their idempotency, late data, day boundaries, and `GET themes` (roles, ranges,
// numbers equal to the snapshot tables).
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { Refund, SubscriptionEvent } from '../../src/modules/commerce/commerce.entities.js';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { Cinema, Showtime } from '../../src/modules/cinemas/cinema.entities.js';
import { addDays } from '../../src/modules/cinemas/local-time.js';
import { WatchEvent } from '../../src/modules/members/watch.entity.js';
import { DailySignupStat } from '../../src/modules/statistics/daily-signup-stat.entity.js';
import { DailyContentViewStat, DailyRevenueStat, DailySubscriptionStat, StatDay } from '../../src/modules/statistics/statistics.entities.js';
import { User } from '../../src/modules/users/user.entity.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import type { BullJobBus } from '../../jobs/bus.js';
import { QUEUES } from '../../jobs/queues.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, capturedPaymentAt, memberAccount, staffAccount, type Account } from '../support/commerce-instruments.js';

let ctx: TestContext & { app: Express };
let finance: Account;
let admin: Account;
let catalogStaff: Account;

const DAY = '2026-06-15';
const at = (time: string, day = DAY) => new Date(`${day}T${time}Z`);
const post = (path: string, a: Account, body: object) => request(ctx.app).post(path).set(auth(a.token)).set('Idempotency-Key', randomUUID()).send(body);

const pay = (a: Account, what: { plan: string } | { item: number }, when: Date, method?: object) => capturedPaymentAt(ctx.rt, ctx.app, a, what, when, method);

async function content(title: string): Promise<number> {
  const c = await ctx.rt.ds.getRepository(Content).save({ movieId: null, title, storageKey: `k/${randomUUID()}`, originalName: null, sizeBytes: '10', sha256: 'a'.repeat(64), mimeType: 'video/mp4', status: 'ready', statusReason: null, validFrom: null, validUntil: null, metadata: null, uploadedBy: null });
  return c.id;
}
async function watch(userId: number, contentId: number, seconds: number, when: Date): Promise<void> {
  await ctx.rt.ds.getRepository(WatchEvent).insert({ userId, contentId, movieId: null, positionSeconds: seconds, watchedSeconds: seconds, createdAt: when });
}

const rowsOf = async () => ({
  revenue: (await ctx.rt.ds.getRepository(DailyRevenueStat).find({ where: { day: DAY }, order: { methodType: 'ASC', product: 'ASC' } })).map((r) => ({ ...r })),
  subscriptions: (await ctx.rt.ds.getRepository(DailySubscriptionStat).find({ where: { day: DAY }, order: { planCode: 'ASC' } })).map((r) => ({ ...r })),
  views: (await ctx.rt.ds.getRepository(DailyContentViewStat).find({ where: { day: DAY }, order: { contentId: 'ASC' } })).map((r) => ({ ...r })),
  signups: (await ctx.rt.ds.getRepository(DailySignupStat).findOneBy({ day: DAY }))?.signups,
});

let movieId: number;
let contentA: number;
let contentB: number;
let monthly: Account;
let yearly: Account;
let buyer: Account;
let veteran: Account;

beforeAll(async () => {
  // The day boundaries here are UTC days (the zone's own boundaries: statistics-zone.test.ts).
  ctx = await createTestApp({ env: { SERVICE_TIME_ZONE: 'UTC' } });
  [finance, admin, catalogStaff] = [await staffAccount(ctx.rt, ctx.app, 'finance'), await staffAccount(ctx.rt, ctx.app, 'admin'), await staffAccount(ctx.rt, ctx.app, 'catalog')];
  movieId = (await ctx.rt.services.catalog.createMovie({ name: '통계 영화', watchGrade: '12세 관람가' }, null)).movie.id;

  // The day's business: a monthly subscriber (card), a yearly one (card), an item bought with PayPal.
  [monthly, yearly, buyer, veteran] = [await memberAccount(ctx.rt, ctx.app), await memberAccount(ctx.rt, ctx.app), await memberAccount(ctx.rt, ctx.app), await memberAccount(ctx.rt, ctx.app)];
  const m = await pay(monthly, { plan: 'monthly' }, at('10:00:00'));
  await pay(yearly, { plan: 'yearly' }, at('12:30:00'));
  await pay(buyer, { item: movieId }, at('23:59:59'), { type: 'paypal', email: 'buyer@example.com' });
  // Subscribed 20 days earlier: active on the day, not new on it.
  await pay(veteran, { plan: 'monthly' }, new Date(at('09:00:00').getTime() - 20 * 86_400_000));
  // Outside the day on both sides: not counted.
  await pay(await memberAccount(ctx.rt, ctx.app), { item: movieId }, at('23:59:59', '2026-06-14'));
  await pay(await memberAccount(ctx.rt, ctx.app), { item: movieId }, at('00:00:00', '2026-06-16'));

  // Finance refunds 1,000 of the monthly payment on the day; a refund still waiting is not money out.
  await post('/refunds/', finance, { payment_id: m.id, amount: 1000, reason: 'goodwill', override: true }).expect(201);
  await ctx.rt.ds.getRepository(Refund).update({ paymentId: m.id, status: 'completed' }, { completedAt: at('15:00:00') });
  // The monthly subscriber cancels (at period end) on the day.
  await request(ctx.app).delete(`/payments/users/${monthly.id}/subscription/`).set(auth(monthly.token)).expect(200);
  await ctx.rt.ds.getRepository(SubscriptionEvent).update({ userId: monthly.id, kind: 'cancel_requested' }, { at: at('16:00:00') });

  // Views: content A by two members (one twice), content B by one; one event the day after.
  contentA = await content('통계 콘텐츠 A');
  contentB = await content('통계 콘텐츠 B');
  await watch(monthly.id, contentA, 600, at('20:00:00'));
  await watch(monthly.id, contentA, 300, at('20:10:00'));
  await watch(yearly.id, contentA, 1200, at('21:00:00'));
  await watch(yearly.id, contentB, 100, at('00:00:00'));
  await watch(buyer.id, contentB, 50, at('00:00:00', '2026-06-16'));

  // Sign-ups: three members moved onto the day.
  await ctx.rt.ds.getRepository(User).update({ id: monthly.id }, { createdAt: at('08:00:00') });
  await ctx.rt.ds.getRepository(User).update({ id: yearly.id }, { createdAt: at('08:00:00') });
  await ctx.rt.ds.getRepository(User).update({ id: buyer.id }, { createdAt: at('23:59:59') });
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

describe('daily snapshot', () => {
  it('aggregates the day: revenue by method and product, subscriptions by plan, views per content, sign-ups', async () => {
    const snap = await ctx.rt.services.statistics.computeDay(DAY);
    expect(snap).toMatchObject({ day: DAY, signups: 3, revenue: 3, subscriptions: 2, contents: 2 });
    const rows = await rowsOf();
    expect(rows.revenue).toEqual([
      { day: DAY, currency: 'KRW', methodType: 'card', product: 'monthly', payments: 1, gross: 9900, refunds: 1, refunded: 1000, net: 8900 },
      { day: DAY, currency: 'KRW', methodType: 'card', product: 'yearly', payments: 1, gross: 99000, refunds: 0, refunded: 0, net: 99000 },
      { day: DAY, currency: 'KRW', methodType: 'paypal', product: 'item', payments: 1, gross: 3000, refunds: 0, refunded: 0, net: 3000 },
    ]);
    expect(rows.subscriptions).toEqual([
      // monthly: one new today, one cancellation request, two active at the day's end (the veteran too)
      { day: DAY, planCode: 'monthly', newCount: 1, cancelRequests: 1, endedCount: 0, activeAtEnd: 2 },
      { day: DAY, planCode: 'yearly', newCount: 1, cancelRequests: 0, endedCount: 0, activeAtEnd: 1 },
    ]);
    expect(rows.views).toEqual([
      { day: DAY, contentId: contentA, movieId: null, views: 2, watchSeconds: 2100 },
      { day: DAY, contentId: contentB, movieId: null, views: 1, watchSeconds: 100 },
    ]);
    expect(rows.signups).toBe(3);
    expect(await ctx.rt.ds.getRepository(StatDay).findOneByOrFail({ day: DAY })).toMatchObject({ day: DAY, requestedBy: null });
  });

  it('re-running the day gives the same rows; late data is picked up by a recompute', async () => {
    await ctx.rt.services.statistics.computeDay(DAY);
    const first = await rowsOf();
    await ctx.rt.services.statistics.computeDay(DAY);
    expect(await rowsOf()).toEqual(first);

    await watch(buyer.id, contentB, 40, at('18:00:00'));
    const done = await ctx.rt.services.statistics.computeRange(DAY, DAY, { requestedBy: admin.id });
    expect(done).toHaveLength(1);
    const late = await rowsOf();
    expect(late.views.find((v) => v.contentId === contentB)).toMatchObject({ views: 2, watchSeconds: 140 });
    expect(late.revenue).toEqual(first.revenue);
    expect(await ctx.rt.ds.getRepository(StatDay).findOneByOrFail({ day: DAY })).toMatchObject({ requestedBy: admin.id });
  });

  it('counts a refund on the day the gateway completed it, and an ended subscription on its day', async () => {
    const next = '2026-06-16';
    await ctx.rt.services.statistics.computeDay(next);
    const rows = await ctx.rt.ds.getRepository(DailyRevenueStat).findBy({ day: next });
    // only the item paid at 00:00:00 of the 16th
    expect(rows).toEqual([expect.objectContaining({ methodType: 'card', product: 'item', payments: 1, gross: 3000, refunded: 0 })]);
    const subs = await ctx.rt.ds.getRepository(DailySubscriptionStat).findBy({ day: next });
    expect(subs.find((s) => s.planCode === 'monthly')).toMatchObject({ newCount: 0, activeAtEnd: 2 });

    // The monthly subscriber cancelled at period end: the renewals job ends it, dated at its period end.
    const sub = (await ctx.rt.services.subscriptions.findForUser(monthly.id))!;
    expect(await ctx.rt.services.subscriptions.expireCancelled(new Date(sub.currentPeriodEnd!.getTime() + 3600_000))).toBe(1);
    const event = await ctx.rt.ds.getRepository(SubscriptionEvent).findOneByOrFail({ userId: monthly.id, kind: 'cancelled' });
    expect(event.at.getTime()).toBe(sub.currentPeriodEnd!.getTime());
    const endDay = event.at.toISOString().slice(0, 10);
    await ctx.rt.services.statistics.computeDay(endDay);
    expect(await ctx.rt.ds.getRepository(DailySubscriptionStat).findOneByOrFail({ day: endDay, planCode: 'monthly' })).toMatchObject({ endedCount: 1 });
  });

  it('refuses a day that is not a day', async () => {
    await expect(ctx.rt.services.statistics.computeDay('2026-02-30')).rejects.toThrow(/not a day/);
    await expect(ctx.rt.services.statistics.computeRange('2026-06-16', '2026-06-15')).rejects.toThrow(/before its start/);
  });
});

describe('recompute requests', () => {
  it('queues one job per range, audits it, and refuses bad or future ranges', async () => {
    const actor = { id: admin.id, email: admin.email };
    const r = await ctx.rt.services.statistics.requestRecompute(actor, { from: '2026-06-14', to: DAY });
    expect(r).toMatchObject({ from: '2026-06-14', to: DAY, days: 2 });
    const again = await ctx.rt.services.statistics.requestRecompute(actor, { from: '2026-06-14', to: DAY });
    expect(again.jobId).toBe(r.jobId); // deduplicated while it waits
    await ctx.rt.relay.flush(); // the outbox relay moves the intent to BullMQ
    const jobs = await (ctx.rt.jobs as BullJobBus).queue(QUEUES.statistics).getJobs(['waiting', 'delayed', 'active', 'completed']);
    expect(jobs.filter((j) => j.name === 'statistics.recompute')).toHaveLength(1);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'statistics.recompute', actorId: admin.id })).toBe(2);

    await expect(ctx.rt.services.statistics.requestRecompute(actor, { from: DAY })).rejects.toMatchObject({ field: 'to' });
    await expect(ctx.rt.services.statistics.requestRecompute(actor, { from: 'x', to: DAY })).rejects.toMatchObject({ field: 'from' });
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await expect(ctx.rt.services.statistics.requestRecompute(actor, { from: DAY, to: tomorrow })).rejects.toMatchObject({ field: 'to' });
  });
});

describe('GET /themes', () => {
  const themes = (a: Account | null, query: string) => {
    const r = request(ctx.app).get(`/themes/${query}`);
    return a ? r.set(auth(a.token)) : r;
  };

  it('gives finance revenue, subscriptions, pending refunds and sign-ups, equal to the snapshot tables', async () => {
    await ctx.rt.services.statistics.computeRange('2026-06-14', '2026-06-16');
    const res = await themes(finance, '?from=2026-06-14&to=2026-06-16').expect(200);
    expect(res.body.sections).toEqual(['signups', 'revenue', 'subscriptions', 'refunds']);
    expect(res.body).not.toHaveProperty('contents');
    expect(res.body).not.toHaveProperty('catalog');
    expect(res.body).toMatchObject({ from: '2026-06-14', to: '2026-06-16', days: 3, computed_days: 3 });

    const table = await ctx.rt.ds.getRepository(DailyRevenueStat).find();
    const sum = (day: string, k: 'gross' | 'refunded' | 'net') => table.filter((r) => r.day === day).reduce((s, r) => s + r[k], 0);
    const [krw] = res.body.revenue;
    expect(krw.currency).toBe('KRW');
    expect(krw.days).toEqual(['2026-06-14', '2026-06-15', '2026-06-16'].map((day) => ({ day, gross: sum(day, 'gross'), refunded: sum(day, 'refunded'), net: sum(day, 'net') })));
    expect(krw.days[1]).toEqual({ day: DAY, gross: 111900, refunded: 1000, net: 110900 });
    expect(krw.totals).toEqual({ payments: 5, gross: 117900, refunds: 1, refunded: 1000, net: 116900 });
    expect(krw.by_method).toEqual([
      { method_type: 'card', payments: 4, gross: 114900, refunds: 1, refunded: 1000, net: 113900 },
      { method_type: 'paypal', payments: 1, gross: 3000, refunds: 0, refunded: 0, net: 3000 },
    ]);
    expect(krw.by_product.map((p: { product: string; gross: number }) => [p.product, p.gross])).toEqual([['item', 9000], ['monthly', 9900], ['yearly', 99000]]);
    expect(res.body.subscriptions.by_plan).toEqual([
      { plan: 'monthly', new: 1, cancel_requests: 1, ended: 0, active: 2 },
      { plan: 'yearly', new: 1, cancel_requests: 0, ended: 0, active: 1 },
    ]);
    expect(res.body.signups.days.map((d: { signups: number }) => d.signups)).toEqual([expect.any(Number), 3, expect.any(Number)]);
    expect(res.body.refunds).toEqual({ pending: [] });
  });

  it('gives admins every block, with views and the top contents by title', async () => {
    // Catalog figures are live: one cinema with a showtime today and one past the 3-day booking window.
    const today = ctx.rt.services.cinemas.bookingWindow().from;
    const c = await ctx.rt.ds.getRepository(Cinema).save({ region: '서울', area: '중구', name: '통계 극장', address: '서울 중구', x: 126.99, y: 37.56, type: '기타' });
    const slot = { cinemaId: c.id, movieId, startTime: '18:30:00', endTime: '20:00:00', info: '1관', totalSeats: 50, seats: 10, url: null };
    await ctx.rt.ds.getRepository(Showtime).save([{ ...slot, date: today }, { ...slot, date: addDays(today, 3) }]);
    const res = await themes(admin, `?from=${DAY}&to=${DAY}`).expect(200);
    expect(res.body.sections).toEqual(['signups', 'revenue', 'subscriptions', 'refunds', 'contents', 'catalog']);
    expect(res.body.contents.top.slice(0, 2)).toEqual([
      { content_id: contentA, movie_id: null, title: '통계 콘텐츠 A', views: 2, watch_seconds: 2100 },
      { content_id: contentB, movie_id: null, title: '통계 콘텐츠 B', views: 2, watch_seconds: 140 },
    ]);
    expect(res.body.contents.totals).toEqual({ views: 4, watch_seconds: 2240 });
    expect(res.body.catalog).toEqual({
      movies: await ctx.rt.ds.getRepository(Movie).count(),
      genres: expect.any(Number),
      people: expect.any(Number),
      manufacturers: expect.any(Number),
      contents: { ready: await ctx.rt.ds.getRepository(Content).countBy({ status: 'ready' }) },
      cinemas: 1,
      showtimes_bookable: 1,
    });
  });

  it('leaves days without a snapshot as null, not 0', async () => {
    const res = await themes(finance, '?from=2026-06-10&to=2026-06-15').expect(200);
    expect(res.body.computed_days).toBe(2);
    expect(res.body.revenue[0].days.map((d: { gross: number | null }) => d.gross)).toEqual([null, null, null, null, expect.any(Number), 111900]);
  });

  it('defaults to the last 30 complete days', async () => {
    const res = await themes(finance, '').expect(200);
    expect(res.body.days).toBe(30);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(res.body.to).toBe(yesterday);
  });

  it('refuses bad ranges with the field named, and other roles', async () => {
    expect((await themes(finance, '?from=2026-13-01').expect(400)).body).toEqual({ from: [expect.any(String)] });
    expect((await themes(finance, '?from=2026-06-15&to=2026-06-14').expect(400)).body).toEqual({ to: [expect.any(String)] });
    expect((await themes(finance, '?from=2025-01-01&to=2026-06-14').expect(400)).body).toEqual({ to: [expect.stringMatching(/366/)] });
    expect((await themes(finance, "?from=2026-06-01'%20OR%201=1--").expect(400)).body).toHaveProperty('from');
    await themes(null, '').expect(401);
    await themes(catalogStaff, '').expect(403);
    await themes(monthly, '').expect(403);
  });
});
