// Refunds, concurrency where money moves, and renewals — against live MariaDB:
//   50 parallel approve and 50 parallel execute calls on one payment → exactly one capture;
//   20 parallel refunds whose sum exceeds the paid amount → the accepted ones sum to ≤ paid;
//   the refund policy (full, prorated → finance review, none after the period);
//   renewals: success, three failures → suspended, a re-run never charges twice.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { Payment, Refund, Subscription } from '../../src/modules/commerce/commerce.entities.js';
import type { SandboxGateway } from '../../src/modules/commerce/gateways/sandbox.js';
import { WatchEvent } from '../../src/modules/members/watch.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, CARD, memberAccount, staffAccount, type Account } from '../support/commerce-instruments.js';

let ctx: TestContext & { app: Express };
let finance: Account;
const DAY = 24 * 3600 * 1000;

const post = (path: string, a: Account, body: object) => request(ctx.app).post(path).set(auth(a.token)).set('Idempotency-Key', randomUUID()).send(body);

async function method(a: Account, card: string = CARD.card_number): Promise<number> {
  return (await request(ctx.app).post('/payments/methods/').set(auth(a.token)).send({ ...CARD, card_number: card }).expect(201)).body.id;
}
async function paid(a: Account, plan = 'monthly'): Promise<number> {
  const req = await post('/payments/request/', a, { plan, method_id: await method(a) }).expect(201);
  await post('/payments/approve/', a, { payment_id: req.body.payment_id }).expect(200);
  await post('/payments/execute/', a, { payment_id: req.body.payment_id }).expect(200);
  return req.body.payment_id;
}
/** Moves a payment (and its subscription) `days` into the past. */
async function age(paymentId: number, days: number): Promise<void> {
  const repo = ctx.rt.ds.getRepository(Payment);
  const p = await repo.findOneByOrFail({ id: paymentId });
  const shift = (d: Date | null) => (d ? new Date(d.getTime() - days * DAY) : null);
  await repo.update({ id: paymentId }, { paidAt: shift(p.paidAt), periodStart: shift(p.periodStart), periodEnd: shift(p.periodEnd), createdAt: shift(p.createdAt)! });
  if (p.subscriptionId) {
    const subs = ctx.rt.ds.getRepository(Subscription);
    const s = await subs.findOneByOrFail({ id: p.subscriptionId });
    await subs.update({ id: s.id }, { currentPeriodStart: shift(s.currentPeriodStart), currentPeriodEnd: shift(s.currentPeriodEnd), nextAttemptAt: shift(s.nextAttemptAt) });
  }
}

beforeAll(async () => {
  ctx = await createTestApp();
  finance = await staffAccount(ctx.rt, ctx.app, 'finance');
});
afterAll(async () => {
  await ctx?.close();
});

describe('concurrency (real MariaDB)', () => {
  it('50 parallel approve then 50 parallel execute calls on one payment capture exactly once', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const req = await post('/payments/request/', a, { plan: 'monthly', method_id: await method(a) }).expect(201);
    const id = req.body.payment_id;
    const approves = await Promise.all(Array.from({ length: 50 }, () => post('/payments/approve/', a, { payment_id: id })));
    expect(approves.filter((r) => r.status === 200)).toHaveLength(1);
    expect(approves.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const executes = await Promise.all(Array.from({ length: 50 }, () => post('/payments/execute/', a, { payment_id: id })));
    expect(executes.filter((r) => r.status === 200)).toHaveLength(1);
    expect(executes.every((r) => r.status === 200 || r.status === 409)).toBe(true);
    const p = await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id });
    expect(p.status).toBe('paid');
    expect((await (ctx.rt.services.paymentGateway as SandboxGateway).inspect(p.gatewayRef!))?.captureCount).toBe(1);
    // the subscription got one period, not fifty
    const sub = await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id });
    expect(sub.currentPeriodEnd!.getTime() - sub.currentPeriodStart!.getTime()).toBeLessThanOrEqual(31 * DAY);
  });

  it('20 parallel refunds over the paid amount: the accepted ones never sum past it', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const id = await paid(a);
    const results = await Promise.all(Array.from({ length: 20 }, () => post('/refunds/', finance, { payment_id: id, amount: 1000, reason: 'goodwill', override: true })));
    const accepted = results.filter((r) => r.status === 201);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(accepted).toHaveLength(9); // 9 × 1000 ≤ 9900 < 10 × 1000
    const p = await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id });
    const completed = await ctx.rt.ds.getRepository(Refund).findBy({ paymentId: id, status: 'completed' });
    const sum = completed.reduce((s, r) => s + r.amount, 0);
    expect(sum).toBe(9000);
    expect(p.refundedAmount).toBe(sum);
    expect(p.status).toBe('partially_refunded');
    expect((await (ctx.rt.services.paymentGateway as SandboxGateway).inspect(p.gatewayRef!))?.refunded).toBe(9000);
  });
});

describe('POST refunds: the policy', () => {
  it('full refund within 7 days when nothing was watched; the amount defaults to the remainder', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const id = await paid(a);
    const part = await post('/refunds/', a, { payment_id: id, amount: 900, reason: '일부 환불' });
    expect(part.status).toBe(201);
    expect(part.body).toEqual(expect.objectContaining({ amount: 900, status: 'completed', rule: 'full_7d_unwatched' }));
    const rest = await post('/refunds/', a, { payment_id: id });
    expect(rest.body).toEqual(expect.objectContaining({ amount: 9000, status: 'completed' }));
    expect((await request(ctx.app).get(`/payments/${id}/status/`).set(auth(a.token))).body).toEqual(expect.objectContaining({ status: 'refunded', refunded: 9900, refundable: 0 }));
    const none = await post('/refunds/', a, { payment_id: id, amount: 1 });
    expect(none.status).toBe(409);
    expect(none.body).toEqual(expect.objectContaining({ message: '이미 환불된 결제는 환불할 수 없습니다.', code: 'illegal_transition', status: 'refunded' }));
  });

  it('after watching (or after 7 days) a subscription is prorated and waits for finance; reject gives the amount back', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const id = await paid(a);
    await ctx.rt.ds.getRepository(WatchEvent).insert({ userId: a.id, contentId: 1, movieId: null, positionSeconds: 60, watchedSeconds: 60, createdAt: new Date() });
    await age(id, 10);
    const tooMuch = await post('/refunds/', a, { payment_id: id, amount: 9900 });
    expect(tooMuch.status).toBe(400);
    const req = await post('/refunds/', a, { payment_id: id, reason: 'moving abroad' });
    expect(req.status).toBe(201);
    expect(req.body.status).toBe('requested');
    expect(req.body.rule).toBe('prorated');
    expect(req.body.amount).toBeGreaterThan(0);
    expect(req.body.amount).toBeLessThan(9900);
    const refund = await ctx.rt.ds.getRepository(Refund).findOneByOrFail({ code: req.body.refund_code });
    // a member cannot decide; finance rejects with a reason → the reservation is released
    await expect(ctx.rt.services.refunds.reject({ id: a.id, role: 'user', email: a.email, username: a.username } as never, refund.id, 'no')).rejects.toThrow(/finance/);
    await ctx.rt.services.refunds.reject({ id: finance.id, role: 'finance', email: finance.email, username: finance.username } as never, refund.id, 'outside policy');
    expect((await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id })).refundedAmount).toBe(0);
    expect((await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id })).status).toBe('paid');
    // asked again and approved → the gateway refunds it
    const again = await post('/refunds/', a, { payment_id: id, reason: 'please' });
    const r2 = await ctx.rt.ds.getRepository(Refund).findOneByOrFail({ code: again.body.refund_code });
    const approved = await ctx.rt.services.refunds.approve({ id: finance.id, role: 'finance', email: finance.email, username: finance.username } as never, r2.id);
    expect(approved.status).toBe('completed');
    expect(approved.gatewayRef).toEqual(expect.any(String));
    await expect(ctx.rt.services.refunds.approve({ id: finance.id, role: 'finance', email: finance.email, username: finance.username } as never, r2.id)).rejects.toThrow(/completed/);
  });

  it('nothing after the period ended; finance may override with a reason; validation, ownership, auth', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const id = await paid(a);
    await age(id, 40);
    expect((await post('/refunds/', a, { payment_id: id })).status).toBe(409);
    expect((await post('/refunds/', a, { payment_id: id, amount: 100, override: true, reason: 'me' })).status).toBe(403);
    expect((await post('/refunds/', finance, { payment_id: id, amount: 100, override: true })).status).toBe(400);
    const ok = await post('/refunds/', finance, { payment_id: id, amount: 100, override: true, reason: 'service outage credit' });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual(expect.objectContaining({ rule: 'override', status: 'completed', amount: 100 }));
    expect((await post('/refunds/', a, { payment_id: id, amount: -5 })).status).toBe(400);
    expect((await post('/refunds/', a, { payment_id: 'x' })).status).toBe(400);
    const b = await memberAccount(ctx.rt, ctx.app);
    expect((await post('/refunds/', b, { payment_id: id })).status).toBe(404);
    expect((await request(ctx.app).post('/refunds/').set('Idempotency-Key', randomUUID()).send({ payment_id: id })).status).toBe(401);
  });
});

describe('renewals job', () => {
  it('charges a due subscription once, and a re-run of the same attempt charges nothing', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const first = await paid(a);
    await age(first, 31);
    const before = await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id });
    const out = await ctx.rt.services.payments.runRenewals(ctx.rt.services.idempotency);
    expect(out.charged).toBeGreaterThanOrEqual(1);
    const sub = await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id });
    expect(sub.status).toBe('active');
    expect(sub.currentPeriodStart!.getTime()).toBe(before.currentPeriodEnd!.getTime());
    const payments = await ctx.rt.ds.getRepository(Payment).find({ where: { userId: a.id }, order: { id: 'ASC' } });
    expect(payments.map((p) => p.status)).toEqual(['paid', 'paid']);
    // the same attempt again (as if the job ran twice): replayed, no new payment
    await ctx.rt.ds.getRepository(Subscription).update({ id: sub.id }, { currentPeriodEnd: before.currentPeriodEnd, currentPeriodStart: before.currentPeriodStart, nextAttemptAt: new Date(Date.now() - 1000) });
    const again = await ctx.rt.services.payments.runRenewals(ctx.rt.services.idempotency);
    expect(again.skipped).toBeGreaterThanOrEqual(1);
    expect(await ctx.rt.ds.getRepository(Payment).countBy({ userId: a.id })).toBe(2);
  });

  it('a declined card fails three attempts over three days, then the subscription is suspended', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const first = await paid(a);
    // the only method left is a declined card
    const bad = await method(a, '4000000000000002');
    await request(ctx.app).put(`/payments/methods/${bad}/`).set(auth(a.token)).send({ is_default: true }).expect(200);
    const sub0 = await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id });
    await ctx.rt.ds.getRepository(Subscription).update({ id: sub0.id }, { methodId: bad });
    await age(first, 31);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await ctx.rt.services.payments.runRenewals(ctx.rt.services.idempotency);
      const sub = await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id });
      if (attempt < 3) {
        expect(sub).toEqual(expect.objectContaining({ status: 'active', renewalAttempts: attempt }));
        expect(sub.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
        await ctx.rt.ds.getRepository(Subscription).update({ id: sub.id }, { nextAttemptAt: new Date(Date.now() - 1000) }); // a day later
      } else {
        expect(sub.status).toBe('suspended');
      }
    }
    const renewals = await ctx.rt.ds.getRepository(Payment).find({ where: { userId: a.id }, order: { id: 'ASC' } });
    expect(renewals.map((p) => p.status)).toEqual(['paid', 'failed', 'failed', 'failed']);
  });
});
