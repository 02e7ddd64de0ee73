// Plans and subscriptions (seed 000 §3: PUT|GET payments/users/{user_id}/subscription) against live
// MariaDB/Redis, and the renewal bookkeeping of SubscriptionsPort with explicit `now`.
import request from 'supertest';
import type { Express } from 'express';
import { Payment, Subscription } from '../../src/modules/commerce/commerce.entities.js';
import { addInterval } from '../../src/modules/commerce/plans.service.js';
import { MAX_RENEWAL_ATTEMPTS } from '../../src/modules/commerce/subscriptions.service.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, CARD, memberAccount, staffAccount, type Account } from '../support/commerce-instruments.js';

let ctx: TestContext & { app: Express };
let finance: Account;
let catalog: Account;
const DAY = 24 * 60 * 60 * 1000;
const subs = () => ctx.rt.services.subscriptions;
const subOf = (userId: number) => ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId });

/** A captured payment as the payments side hands it over (not stored: the port only reads it). */
function payment(userId: number, planId: number | null, over: Partial<Payment> = {}): Payment {
  return Object.assign(new Payment(), { id: Math.floor(Math.random() * 1e6), userId, kind: 'subscription', planId, subscriptionId: null, methodId: 1, status: 'paid', periodStart: null, periodEnd: null, ...over });
}
const captured = (p: Payment, now: Date) => ctx.rt.ds.transaction((m) => subs().onPaymentCaptured(m, p, now));

async function subscribed(plan = 'monthly', withMethod = true): Promise<Account> {
  const a = await memberAccount(ctx.rt, ctx.app);
  if (withMethod) await request(ctx.app).post('/payments/methods/').set(auth(a.token)).send(CARD).expect(201);
  await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).send({ plan }).expect(201);
  return a;
}

beforeAll(async () => {
  ctx = await createTestApp();
  finance = await staffAccount(ctx.rt, ctx.app, 'finance');
  catalog = await staffAccount(ctx.rt, ctx.app, 'catalog');
});
afterAll(async () => {
  await ctx.close();
});

describe('plans', () => {
  it('seeds monthly and yearly (KRW) and lists them publicly', async () => {
    const res = await request(ctx.app).get('/payments/plans/');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: expect.any(Number), code: 'monthly', name: 'Monthly', interval: 'month', price: 9900, currency: 'KRW', device_limit: 2 },
      { id: expect.any(Number), code: 'yearly', name: 'Yearly', interval: 'year', price: 99000, currency: 'KRW', device_limit: 4 },
    ]);
    const plans = ctx.rt.services.plans;
    expect((await plans.resolve('yearly')).price).toBe(99000);
    expect((await plans.resolve(String(res.body[0].id))).code).toBe('monthly');
    expect((await plans.resolve(res.body[1].id)).code).toBe('yearly');
    await expect(plans.resolve('weekly')).rejects.toMatchObject({ httpStatus: 404 });
    await expect(plans.resolve('')).rejects.toMatchObject({ httpStatus: 404 });
  });

  it('adds calendar months and years in UTC, clamped to the month end', () => {
    expect(addInterval(new Date('2030-01-31T10:00:00Z'), 'month').toISOString()).toBe('2030-02-28T10:00:00.000Z');
    expect(addInterval(new Date('2032-01-31T00:00:00Z'), 'month').toISOString()).toBe('2032-02-29T00:00:00.000Z');
    expect(addInterval(new Date('2030-12-15T23:59:59.500Z'), 'month').toISOString()).toBe('2031-01-15T23:59:59.500Z');
    expect(addInterval(new Date('2032-02-29T12:00:00Z'), 'year').toISOString()).toBe('2033-02-28T12:00:00.000Z');
  });
});

describe('PUT payments/users/{user_id}/subscription/', () => {
  it('creates a pending subscription for a plan code (201) and shows it with the default method masked', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    await request(ctx.app).post('/payments/methods/').set(auth(a.token)).send(CARD).expect(201);
    const res = await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).send({ plan: 'monthly' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      user_id: a.id,
      status: 'pending',
      plan: { code: 'monthly', price: 9900, currency: 'KRW' },
      next_plan: null,
      current_period_start: null,
      current_period_end: null,
      cancel_at_period_end: false,
      method: { masked: '****4242', is_default: true },
    });
    const got = await request(ctx.app).get(`/payments/users/${a.id}/subscription`).set(auth(a.token));
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    // while pending the plan changes at once (by id too)
    const yearlyId = (await ctx.rt.services.plans.resolve('yearly')).id;
    const changed = await request(ctx.app).put(`/payments/users/${a.id}/subscription`).set(auth(a.token)).send({ plan: String(yearlyId) });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'pending', plan: { code: 'yearly' }, next_plan: null });
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'subscriptions', recordId: String(res.body.id) })).toBe(2);
  });

  it('validates and changes nothing: unknown plan, someone else’s method, empty body, plan with cancel', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const other = await memberAccount(ctx.rt, ctx.app);
    const theirs = (await request(ctx.app).post('/payments/methods/').set(auth(other.token)).send(CARD)).body;
    const put = (body: object, lang = 'ko') => request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).set('Accept-Language', lang).send(body);
    const unknown = await put({ plan: 'weekly' }, 'en');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ detail: 'No active plan "weekly".' });
    expect((await put({ plan: 'weekly' })).body).toEqual({ detail: "이용할 수 있는 'weekly' 요금제가 없습니다." });
    expect((await put({ plan: 'monthly', method_id: theirs.id })).status).toBe(404);
    expect((await put({})).status).toBe(400);
    expect((await put({ plan: 'monthly', cancel: true }, 'en')).body).toEqual({ cancel: ['Choose a plan or cancel, not both.'] });
    expect((await put({ plan: 'monthly', cancel: true })).body).toEqual({ cancel: ['요금제 변경과 해지는 함께 요청할 수 없습니다. 하나만 선택해 주세요.'] });
    expect((await put({ plan: '' })).status).toBe(400);
    expect((await put({ cancel: true })).status).toBe(404); // nothing to cancel
    expect(await ctx.rt.ds.getRepository(Subscription).countBy({ userId: a.id })).toBe(0);
    // with the member's own method it is taken
    const mine = (await request(ctx.app).post('/payments/methods/').set(auth(a.token)).send({ type: 'paypal', email: 'a@example.com' })).body;
    const ok = await put({ plan: 'monthly', method_id: String(mine.id) });
    expect(ok.status).toBe(201);
    expect(ok.body.method).toMatchObject({ id: mine.id, masked: 'a***@example.com' });
  });

  it('keeps members to their own subscription (404), lets finance/admin see and change any, refuses catalog staff (403)', async () => {
    const a = await subscribed();
    const b = await memberAccount(ctx.rt, ctx.app);
    expect((await request(ctx.app).get(`/payments/users/${a.id}/subscription/`).set(auth(b.token))).status).toBe(404);
    expect((await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(b.token)).send({ plan: 'yearly' })).status).toBe(404);
    expect((await request(ctx.app).delete(`/payments/users/${a.id}/subscription/`).set(auth(b.token))).status).toBe(404);
    expect((await subOf(a.id)).status).toBe('pending');
    expect((await request(ctx.app).get(`/payments/users/${b.id}/subscription/`).set(auth(b.token))).status).toBe(404); // has none
    expect((await request(ctx.app).get(`/payments/users/${a.id}/subscription/`)).status).toBe(401);
    expect((await request(ctx.app).get(`/payments/users/${a.id}/subscription/`).set(auth(catalog.token))).status).toBe(403);
    expect((await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(catalog.token)).send({ plan: 'yearly' })).status).toBe(403);
    const seen = await request(ctx.app).get(`/payments/users/${a.id}/subscription/`).set(auth(finance.token));
    expect(seen.status).toBe(200);
    expect(seen.body.user_id).toBe(a.id);
    const byFinance = await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(finance.token)).send({ plan: 'yearly' });
    expect(byFinance.status).toBe(200);
    expect(byFinance.body.plan.code).toBe('yearly');
    const audit = await ctx.rt.ds.getRepository(AuditEntry).findOne({ where: { resource: 'subscriptions', recordId: String(seen.body.id) }, order: { id: 'DESC' } });
    expect(audit!.actorId).toBe(finance.id);
  });
});

describe('PUT racing with itself', () => {
  it('six first PUTs at once make one subscription (one 201, the rest update it)', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const results = await Promise.all(Array.from({ length: 6 }, () => request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).send({ plan: 'monthly' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
    expect(await ctx.rt.ds.getRepository(Subscription).countBy({ userId: a.id })).toBe(1);
  });
});

describe('the subscription lifecycle through SubscriptionsPort', () => {
  it('activates on the first capture, schedules a plan change for the next period and applies it at renewal', async () => {
    const a = await subscribed('monthly');
    const monthly = await ctx.rt.services.plans.resolve('monthly');
    const yearly = await ctx.rt.services.plans.resolve('yearly');
    const t0 = new Date('2030-01-31T10:00:00Z');
    const s1 = await captured(payment(a.id, monthly.id), t0);
    expect(s1).toMatchObject({ status: 'active', planId: monthly.id, renewalAttempts: 0 });
    expect(s1.currentPeriodStart!.toISOString()).toBe('2030-01-31T10:00:00.000Z');
    expect(s1.currentPeriodEnd!.toISOString()).toBe('2030-02-28T10:00:00.000Z');

    const change = await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).send({ plan: 'yearly' });
    expect(change.status).toBe(200);
    expect(change.body).toMatchObject({ status: 'active', plan: { code: 'monthly' }, next_plan: { code: 'yearly' }, current_period_end: '2030-02-28T10:00:00.000Z' });
    // choosing the current plan again drops the scheduled change; choosing yearly again re-schedules it
    expect((await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).send({ plan: 'monthly' })).body.next_plan).toBeNull();
    await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).send({ plan: 'yearly' }).expect(200);

    // due at the period end, not before
    expect((await subs().dueForRenewal(new Date('2030-02-28T09:59:59Z'), 1000)).map((s) => s.userId)).not.toContain(a.id);
    expect((await subs().dueForRenewal(new Date('2030-02-28T10:00:00Z'), 1000)).map((s) => s.userId)).toContain(a.id);

    const renewal = await captured(payment(a.id, yearly.id, { subscriptionId: s1.id }), new Date('2030-02-28T10:05:00Z'));
    expect(renewal).toMatchObject({ status: 'active', planId: yearly.id, nextPlanId: null });
    expect(renewal.currentPeriodStart!.toISOString()).toBe('2030-02-28T10:00:00.000Z'); // anchored to the old end
    expect(renewal.currentPeriodEnd!.toISOString()).toBe('2031-02-28T10:00:00.000Z');
    expect((await subs().dueForRenewal(new Date('2030-03-01T00:00:00Z'), 1000)).map((s) => s.userId)).not.toContain(a.id);
  });

  it('cancels at the period end, resumes before it, expires after it, and can start again', async () => {
    const a = await subscribed('monthly');
    const monthly = await ctx.rt.services.plans.resolve('monthly');
    await captured(payment(a.id, monthly.id), new Date('2030-05-10T00:00:00Z'));
    const cancel = await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).send({ cancel: true });
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'active', cancel_at_period_end: true });
    expect((await subs().dueForRenewal(new Date('2030-07-01T00:00:00Z'), 1000)).map((s) => s.userId)).not.toContain(a.id);
    const resume = await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).send({ cancel: false });
    expect(resume.body).toMatchObject({ status: 'active', cancel_at_period_end: false });
    const del = await request(ctx.app).delete(`/payments/users/${a.id}/subscription/`).set(auth(a.token));
    expect(del.status).toBe(200);
    expect(del.body.cancel_at_period_end).toBe(true);

    expect(await subs().expireCancelled(new Date('2030-06-09T23:59:59Z'))).toBe(0);
    expect((await subOf(a.id)).status).toBe('active');
    expect(await subs().expireCancelled(new Date('2030-06-10T00:00:00Z'))).toBeGreaterThanOrEqual(1);
    expect((await subOf(a.id)).status).toBe('cancelled');
    expect((await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).send({ cancel: true })).status).toBe(409);
    expect((await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).send({ cancel: false })).status).toBe(409);
    const again = await request(ctx.app).put(`/payments/users/${a.id}/subscription/`).set(auth(a.token)).send({ plan: 'yearly' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'pending', plan: { code: 'yearly' }, current_period_end: null });
    // a pending one is cancelled at once
    expect((await request(ctx.app).delete(`/payments/users/${a.id}/subscription/`).set(auth(a.token))).body.status).toBe('cancelled');
  });

  it('retries a failed renewal one day later and suspends after three failed attempts; a capture reactivates it', async () => {
    const a = await subscribed('monthly');
    const monthly = await ctx.rt.services.plans.resolve('monthly');
    const s = await captured(payment(a.id, monthly.id), new Date('2030-03-01T00:00:00Z'));
    const end = s.currentPeriodEnd!; // 2030-04-01
    expect(MAX_RENEWAL_ATTEMPTS).toBe(3);
    let now = end;
    for (let attempt = 1; attempt <= 2; attempt++) {
      expect((await subs().dueForRenewal(now, 1000)).map((x) => x.id)).toContain(s.id);
      const after = await ctx.rt.ds.transaction((m) => subs().onRenewalFailed(m, s.id, 'card_declined', now));
      expect(after).toMatchObject({ status: 'active', renewalAttempts: attempt });
      expect(after.nextAttemptAt!.getTime()).toBe(now.getTime() + DAY);
      // not due again until a day has passed
      expect((await subs().dueForRenewal(new Date(now.getTime() + DAY - 1000), 1000)).map((x) => x.id)).not.toContain(s.id);
      now = new Date(now.getTime() + DAY);
    }
    const third = await ctx.rt.ds.transaction((m) => subs().onRenewalFailed(m, s.id, 'insufficient_funds', now));
    expect(third).toMatchObject({ status: 'suspended', renewalAttempts: 3, nextAttemptAt: null });
    expect((await subs().dueForRenewal(new Date('2031-01-01T00:00:00Z'), 1000)).map((x) => x.id)).not.toContain(s.id);
    const audits = await ctx.rt.ds.getRepository(AuditEntry).find({ where: { resource: 'subscriptions', recordId: String(s.id), action: 'subscription.renewal_failed' } });
    expect(audits.map((x) => x.reason).sort()).toEqual(['card_declined', 'card_declined', 'insufficient_funds']);
    const view = await request(ctx.app).get(`/payments/users/${a.id}/subscription/`).set(auth(a.token));
    expect(view.body).toMatchObject({ status: 'suspended', renewal_attempts: 3 });

    const back = await captured(payment(a.id, monthly.id, { subscriptionId: s.id }), new Date('2030-04-10T12:00:00Z'));
    expect(back).toMatchObject({ status: 'active', renewalAttempts: 0 });
    expect(back.currentPeriodStart!.toISOString()).toBe('2030-04-10T12:00:00.000Z');
    expect(back.currentPeriodEnd!.toISOString()).toBe('2030-05-10T12:00:00.000Z');
  });

  it('ends the period now when the current period’s payment is reversed (an older one changes nothing)', async () => {
    const a = await subscribed('monthly');
    const monthly = await ctx.rt.services.plans.resolve('monthly');
    const s = await captured(payment(a.id, monthly.id), new Date('2030-08-01T00:00:00Z'));
    const old = payment(a.id, monthly.id, { periodStart: new Date('2030-07-01T00:00:00Z'), periodEnd: new Date('2030-08-01T00:00:00Z') });
    await ctx.rt.ds.transaction((m) => subs().onPaymentReversed(m, old, new Date('2030-08-05T00:00:00Z')));
    expect((await subOf(a.id)).status).toBe('active');
    const current = payment(a.id, monthly.id, { subscriptionId: s.id, periodStart: s.currentPeriodStart, periodEnd: s.currentPeriodEnd });
    await ctx.rt.ds.transaction((m) => subs().onPaymentReversed(m, current, new Date('2030-08-05T00:00:00Z')));
    const after = await subOf(a.id);
    expect(after.status).toBe('expired');
    expect(after.currentPeriodEnd!.toISOString()).toBe('2030-08-05T00:00:00.000Z');
    expect(after.nextAttemptAt).toBeNull();
    expect((await subs().findForUser(a.id))!.id).toBe(s.id);
  });
});
