// The main paths of the commerce instruments on the embedded SQLite database (no Redis): plans
// seeded, methods, subscription with renewal bookkeeping, discounts, coupon limits and use.
import request from 'supertest';
import type { Express } from 'express';
import { Coupon, CouponIssue, Discount, Payment } from '../../src/modules/commerce/commerce.entities.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, CARD, memberAccount, staffAccount, type Account } from '../support/commerce-instruments.js';

let ctx: TestContext & { app: Express };
let finance: Account;
let alice: Account;
let bob: Account;

beforeAll(async () => {
  ctx = await createTestApp({ dialect: 'sqlite', redis: false });
  finance = await staffAccount(ctx.rt, ctx.app, 'finance');
  alice = await memberAccount(ctx.rt, ctx.app);
  bob = await memberAccount(ctx.rt, ctx.app);
});
afterAll(async () => {
  await ctx.close();
});

it('seeds the plans and runs methods and a subscription through its lifecycle', async () => {
  expect((await request(ctx.app).get('/payments/plans/')).body.map((p: { code: string }) => p.code)).toEqual(['monthly', 'yearly']);
  const card = await request(ctx.app).post('/payments/methods/').set(auth(alice.token)).send(CARD);
  expect(card.status).toBe(201);
  expect(card.body).toMatchObject({ masked: '****4242', is_default: true });
  const pp = (await request(ctx.app).post('/payments/methods/').set(auth(alice.token)).send({ type: 'paypal', email: 'alice@example.com' })).body;
  expect(pp.is_default).toBe(false);
  expect((await request(ctx.app).post('/payments/methods/').set(auth(alice.token)).send({ ...CARD, card_number: '1234567812345678' })).status).toBe(400);
  expect((await request(ctx.app).put(`/payments/methods/${card.body.id}/`).set(auth(bob.token)).send({ is_default: true })).status).toBe(404);
  await request(ctx.app).delete(`/payments/methods/${card.body.id}/`).set(auth(alice.token)).expect(204);
  expect((await request(ctx.app).get('/payments/methods/').set(auth(alice.token))).body).toEqual([expect.objectContaining({ id: pp.id, is_default: true })]);

  const sub = await request(ctx.app).put(`/payments/users/${alice.id}/subscription/`).set(auth(alice.token)).send({ plan: 'monthly' });
  expect(sub.status).toBe(201);
  expect(sub.body).toMatchObject({ status: 'pending', method: { id: pp.id } });
  expect((await request(ctx.app).get(`/payments/users/${alice.id}/subscription/`).set(auth(bob.token))).status).toBe(404);
  const subs = ctx.rt.services.subscriptions;
  const monthly = await ctx.rt.services.plans.resolve('monthly');
  const pay = Object.assign(new Payment(), { id: 1, userId: alice.id, planId: monthly.id, subscriptionId: null, methodId: pp.id });
  const active = await ctx.rt.ds.transaction((m) => subs.onPaymentCaptured(m, pay, new Date('2030-01-31T00:00:00Z')));
  expect(active.currentPeriodEnd!.toISOString()).toBe('2030-02-28T00:00:00.000Z');
  await request(ctx.app).put(`/payments/users/${alice.id}/subscription/`).set(auth(alice.token)).send({ plan: 'yearly' }).expect(200);
  expect((await subs.dueForRenewal(new Date('2030-02-28T00:00:00Z'), 10)).map((s) => s.id)).toEqual([active.id]);
  expect((await subs.dueForRenewal(new Date('2030-02-27T00:00:00Z'), 10)).map((s) => s.id)).toEqual([]);
  let now = new Date('2030-02-28T00:00:00Z');
  for (let i = 0; i < 3; i++) {
    await ctx.rt.ds.transaction((m) => subs.onRenewalFailed(m, active.id, 'declined', now));
    now = new Date(now.getTime() + 86400_000);
  }
  expect((await subs.findForUser(alice.id))!.status).toBe('suspended');
  const back = await ctx.rt.ds.transaction((m) => subs.onPaymentCaptured(m, pay, new Date('2030-03-05T00:00:00Z')));
  expect(back).toMatchObject({ status: 'active', renewalAttempts: 0 });
  await request(ctx.app).delete(`/payments/users/${alice.id}/subscription/`).set(auth(alice.token)).expect(200);
  expect(await subs.expireCancelled(new Date('2031-12-31T00:00:00Z'))).toBe(1);
  expect((await subs.findForUser(alice.id))!.status).toBe('cancelled');
});

it('runs discounts and coupons: create, list, cap, issue limits, lock/consume/release, revoke', async () => {
  const d = (await request(ctx.app).post('/discounts/').set(auth(finance.token)).send({ name: 'p', kind: 'promotion', type: 'percent', value: 10, plans: ['monthly'], max_uses: 1, valid_until: '2099-01-01T00:00:00Z' })).body;
  expect((await request(ctx.app).get('/discounts/')).body.results.map((x: { id: number }) => x.id)).toContain(d.id);
  const offers = ctx.rt.services.offers;
  const now = new Date();
  expect((await offers.checkDiscount(d.id, { planCode: 'monthly', listPrice: 9900, currency: 'KRW', now })).id).toBe(d.id);
  await ctx.rt.ds.transaction((m) => offers.consume(m, { paymentId: 1, couponIssueId: null, discountId: d.id, now }));
  await expect(ctx.rt.ds.transaction((m) => offers.consume(m, { paymentId: 2, couponIssueId: null, discountId: d.id, now }))).rejects.toMatchObject({ httpStatus: 409 });
  await ctx.rt.ds.transaction((m) => offers.release(m, { paymentId: 1, couponIssueId: null, discountId: d.id }));
  expect((await ctx.rt.ds.getRepository(Discount).findOneByOrFail({ id: d.id })).usedCount).toBe(0);

  const c = (await request(ctx.app).post('/coupons/').set(auth(finance.token)).send({ code: 'SQLITE-1', name: 'c', type: 'fixed', value: 1000, currency: 'KRW', total_limit: 2 })).body;
  const racing = await Promise.all([alice.id, bob.id, finance.id, alice.id].map((id) => request(ctx.app).post(`/coupons/${c.id}/issues/`).set(auth(finance.token)).send({ user_id: id })));
  expect(racing.filter((r) => r.status === 201)).toHaveLength(2);
  expect(await ctx.rt.ds.getRepository(CouponIssue).countBy({ couponId: c.id })).toBe(2);
  expect((await ctx.rt.ds.getRepository(Coupon).findOneByOrFail({ id: c.id })).issuedCount).toBe(2);
  const holders = (await ctx.rt.ds.getRepository(CouponIssue).findBy({ couponId: c.id })).map((i) => i.userId);
  const holder = holders[0] === alice.id || holders[1] === alice.id ? alice : bob;
  expect((await request(ctx.app).get(`/users/${holder.id}/coupons/count/`).set(auth(holder.token))).body).toEqual({ count: 1, usable: 1 });
  const issue = await ctx.rt.ds.transaction(async (m) => {
    const { issue } = await offers.lockCouponForUse(m, holder.id, c.id, { base: 9900, currency: 'KRW', now });
    await offers.consume(m, { paymentId: 9, couponIssueId: issue.id, discountId: null, now });
    return issue;
  });
  expect((await request(ctx.app).delete(`/users/${holder.id}/coupons/${c.id}/`).set(auth(holder.token))).status).toBe(409);
  await ctx.rt.ds.transaction((m) => offers.release(m, { paymentId: 9, couponIssueId: issue.id, discountId: null }));
  expect((await request(ctx.app).delete(`/users/${holder.id}/coupons/${c.id}/`).set(auth(holder.token))).status).toBe(204);
  expect((await ctx.rt.ds.getRepository(Coupon).findOneByOrFail({ id: c.id })).issuedCount).toBe(1);
  expect((await request(ctx.app).get(`/users/${holder.id}/coupons/`).set(auth(holder.token))).body.count).toBe(0);
});
