// Payments lifecycle against live MariaDB/Redis: request (pricing with discount and coupon),
// approve with every sandbox test card, execute (subscription activated), status, cancel (void
// and after capture), finance's manual correction, idempotency, ownership and validation.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { CouponIssue, Discount, IdempotencyRecord, Payment, Refund, Subscription } from '../../src/modules/commerce/commerce.entities.js';
import { WatchEvent } from '../../src/modules/members/watch.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, CARD, memberAccount, staffAccount, type Account } from '../support/commerce-instruments.js';
import { IDEMPOTENCY_LEASE_MS, requestHash } from '../../src/modules/commerce/idempotency.js';

let ctx: TestContext & { app: Express };
let finance: Account;
let catalog: Account;

const key = () => ({ 'Idempotency-Key': randomUUID() });
/** English answers (Korean is the default). */
const EN = { 'Accept-Language': 'en' };
const post = (path: string, a: Account, body: object, headers: Record<string, string> = key()) => request(ctx.app).post(path).set(auth(a.token)).set(headers).send(body);

async function method(a: Account, card: string = CARD.card_number): Promise<number> {
  const res = await request(ctx.app).post('/payments/methods/').set(auth(a.token)).send({ ...CARD, card_number: card }).expect(201);
  return res.body.id;
}

async function paid(a: Account, body: object = { plan: 'monthly' }): Promise<number> {
  const methodId = await method(a);
  const req = await post('/payments/request/', a, { ...body, method_id: methodId }).expect(201);
  await post('/payments/approve/', a, { payment_id: req.body.payment_id }).expect(200);
  await post('/payments/execute/', a, { payment_id: req.body.payment_id }).expect(200);
  return req.body.payment_id;
}

beforeAll(async () => {
  ctx = await createTestApp();
  finance = await staffAccount(ctx.rt, ctx.app, 'finance');
  catalog = await staffAccount(ctx.rt, ctx.app, 'catalog');
});
afterAll(async () => {
  await ctx?.close();
});

describe('POST payments/request', () => {
  it('prices a plan and answers the breakdown; validates; needs the header', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const m = await method(a);
    const res = await post('/payments/request/', a, { plan: 'monthly', method_id: m });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ payment_id: expect.any(Number), status: 'requested', amount: { list: 9900, discount: 0, coupon: 0, total: 9900, currency: 'KRW' } });

    expect((await post('/payments/request/', a, { method_id: m }, { ...key(), ...EN })).body).toEqual({ plan: ['Give either plan or item.'] });
    expect((await post('/payments/request/', a, { method_id: m })).body).toEqual({ plan: ['요금제(plan)와 영화(item) 중 하나만 지정해 주세요.'] });
    expect((await post('/payments/request/', a, { plan: 'monthly', item: 1, method_id: m })).status).toBe(400);
    const weekly = await post('/payments/request/', a, { plan: 'weekly', method_id: m });
    expect(weekly.status).toBe(404);
    expect(weekly.body).toEqual({ detail: "이용할 수 있는 'weekly' 요금제가 없습니다." });
    expect((await post('/payments/request/', a, { item: 999999, method_id: m }, { ...key(), ...EN })).body).toEqual({ item: ['No movie with this id.'] });
    expect((await post('/payments/request/', a, { item: 999999, method_id: m })).body).toEqual({ item: ['해당 ID의 영화가 없습니다.'] });
    const noKey = await request(ctx.app).post('/payments/request/').set(auth(a.token)).send({ plan: 'monthly', method_id: m });
    expect(noKey.status).toBe(400);
    expect(noKey.body).toEqual({ message: expect.stringMatching(/^결제·환불 요청에는 Idempotency-Key 헤더가 필요합니다\./) });
    const noKeyEn = await request(ctx.app).post('/payments/request/').set(auth(a.token)).set(EN).send({ plan: 'monthly', method_id: m });
    expect(noKeyEn.body.message).toMatch(/^This request moves money: send an Idempotency-Key header/);
    // another member's method → 404, nothing written
    const b = await memberAccount(ctx.rt, ctx.app);
    const before = await ctx.rt.ds.getRepository(Payment).countBy({ userId: b.id });
    expect((await post('/payments/request/', b, { plan: 'monthly', method_id: m })).status).toBe(404);
    expect(await ctx.rt.ds.getRepository(Payment).countBy({ userId: b.id })).toBe(before);
    // auth
    expect((await request(ctx.app).post('/payments/request/').set(key()).send({ plan: 'monthly', method_id: m })).status).toBe(401);
    expect((await post('/payments/request/', catalog, { plan: 'monthly', method_id: m })).status).toBe(403);
  });

  it('applies a discount then a coupon, uses the coupon once and gives it back on cancel', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const m = await method(a);
    const d = await request(ctx.app).post('/discounts/').set(auth(finance.token)).send({ name: '파트너 10%', kind: 'partner', type: 'percent', value: 10, plan_codes: ['monthly'] });
    expect(d.status).toBe(201);
    const c = await request(ctx.app).post('/coupons/').set(auth(finance.token)).send({ code: `C${Date.now()}`, name: '1000원', type: 'fixed', value: 1000, currency: 'KRW' });
    expect(c.status).toBe(201);
    await request(ctx.app).post(`/coupons/${c.body.id}/issues/`).set(auth(finance.token)).send({ users: [a.id] }).expect(201);

    const res = await post('/payments/request/', a, { plan: 'monthly', method_id: m, discount_id: d.body.id, coupon_id: c.body.id }).expect(201);
    expect(res.body.amount).toEqual({ list: 9900, discount: 990, coupon: 1000, total: 7910, currency: 'KRW' });
    expect((await ctx.rt.ds.getRepository(CouponIssue).findOneByOrFail({ userId: a.id, couponId: c.body.id })).status).toBe('used');
    expect((await ctx.rt.ds.getRepository(Discount).findOneByOrFail({ id: d.body.id })).usedCount).toBe(1);
    // the coupon cannot be used twice
    expect((await post('/payments/request/', a, { plan: 'monthly', method_id: m, coupon_id: c.body.id })).status).toBe(409);

    const cancelled = await post(`/payments/${res.body.payment_id}/cancel/`, a, { reason: 'changed my mind' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect((await ctx.rt.ds.getRepository(CouponIssue).findOneByOrFail({ userId: a.id, couponId: c.body.id })).status).toBe('issued');
    expect((await ctx.rt.ds.getRepository(Discount).findOneByOrFail({ id: d.body.id })).usedCount).toBe(0);
    // a cancelled payment cannot be approved: 409 with its status
    const late = await post('/payments/approve/', a, { payment_id: res.body.payment_id });
    expect(late.status).toBe(409);
    expect(late.body).toEqual({ message: "이미 취소된 결제는 '승인' 상태로 바꿀 수 없습니다.", code: 'illegal_transition', status: 'cancelled', attempted: 'approved', allowed: ['approved', 'cancelled', 'failed'] });
    const lateEn = await post('/payments/approve/', a, { payment_id: res.body.payment_id }, { ...key(), ...EN });
    expect(lateEn.body).toEqual({ ...late.body, message: 'A payment in status "cancelled" cannot become "approved".' });
  });
});

describe('approve and execute with the sandbox test cards', () => {
  it('4242… is approved, captured, and starts the monthly subscription', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const id = await paid(a);
    const status = await request(ctx.app).get(`/payments/${id}/status/`).set(auth(a.token)).expect(200);
    expect(status.body).toEqual(expect.objectContaining({ payment_id: id, status: 'paid', refunded: 0, refundable: 9900, refunds: [] }));
    const sub = await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id });
    expect(sub.status).toBe('active');
    const p = await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id });
    expect(p.periodStart?.getTime()).toBe(sub.currentPeriodStart?.getTime());
    expect(p.periodEnd?.getTime()).toBe(sub.currentPeriodEnd?.getTime());
    // execute again → 409 with the status; approve again → 409
    expect((await post('/payments/execute/', a, { payment_id: id })).body).toEqual(expect.objectContaining({ status: 'paid' }));
    expect((await post('/payments/approve/', a, { payment_id: id })).status).toBe(409);
    // someone else's payment → 404; finance sees it
    const b = await memberAccount(ctx.rt, ctx.app);
    expect((await request(ctx.app).get(`/payments/${id}/status/`).set(auth(b.token))).status).toBe(404);
    expect((await request(ctx.app).get(`/payments/${id}/status/`).set(auth(finance.token))).status).toBe(200);
    const missing = await request(ctx.app).get(`/payments/999999/status/`).set(auth(a.token));
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ detail: '결제를 찾을 수 없습니다.' });
    expect((await request(ctx.app).get(`/payments/999999/status/`).set(auth(a.token)).set('Accept-Language', 'en-US,en;q=0.9')).body).toEqual({ detail: 'Payment not found.' });
  });

  it.each([
    ['4000000000000002', 'card_declined', '카드사에서 결제를 거절했습니다.', 'The card was declined.'],
    ['4000000000009995', 'insufficient_funds', '잔액 또는 한도가 부족하여 결제가 거절되었습니다.', 'The card has insufficient funds.'],
  ])('%s is declined (%s): 402 and the payment failed', async (card, reason, ko, en) => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const m = await method(a, card);
    const req = await post('/payments/request/', a, { item: (await movie()).id, method_id: m }).expect(201);
    expect(req.body.amount.total).toBe(3000);
    const res = await post('/payments/approve/', a, { payment_id: req.body.payment_id });
    expect(res.status).toBe(402);
    expect(res.body).toEqual({ message: ko, code: 'payment_declined', reason, payment_id: req.body.payment_id, status: 'failed' });
    // the English text of the same decline (another payment: a failed one stays failed)
    const req2 = await post('/payments/request/', a, { item: (await movie()).id, method_id: m }).expect(201);
    expect((await post('/payments/approve/', a, { payment_id: req2.body.payment_id }, { ...key(), ...EN })).body.message).toBe(en);
    expect((await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id: req.body.payment_id })).status).toBe('failed');
    expect((await post('/payments/execute/', a, { payment_id: req.body.payment_id })).status).toBe(409);
  });

  it('4000002500003155 needs a second approval step', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const m = await method(a, '4000002500003155');
    const req = await post('/payments/request/', a, { plan: 'yearly', method_id: m }).expect(201);
    const first = await post('/payments/approve/', a, { payment_id: req.body.payment_id });
    expect(first.status).toBe(202);
    expect(first.body).toEqual(expect.objectContaining({ status: 'requested', next_action: expect.objectContaining({ type: 'confirm' }) }));
    expect((await post('/payments/execute/', a, { payment_id: req.body.payment_id })).status).toBe(409);
    const second = await post('/payments/approve/', a, { payment_id: req.body.payment_id });
    expect(second.status).toBe(200);
    expect(second.body.status).toBe('approved');
    expect((await post('/payments/execute/', a, { payment_id: req.body.payment_id })).body.status).toBe('paid');
  });
});

let movieSeq = 0;
async function movie(): Promise<Movie> {
  const repo = ctx.rt.ds.getRepository(Movie);
  return repo.save(repo.create({ name: `결제영화${++movieSeq}`, watchGrade: '12세 관람가' }));
}

describe('idempotency', () => {
  it('replays the first answer, refuses another body with the same key (422), and keeps nothing for bad bodies', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const m = await method(a);
    const headers = key();
    const first = await post('/payments/request/', a, { plan: 'monthly', method_id: m }, headers).expect(201);
    const again = await post('/payments/request/', a, { method_id: m, plan: 'monthly' }, headers);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(await ctx.rt.ds.getRepository(Payment).countBy({ userId: a.id })).toBe(1);
    const other = await post('/payments/request/', a, { plan: 'yearly', method_id: m }, headers);
    expect(other.status).toBe(422);
    expect(other.body).toEqual({ message: '이 Idempotency-Key는 이미 다른 요청에 사용되었습니다. 새 요청에는 새 키를 사용해 주세요.', code: 'idempotency_key_reused' });
    expect((await post('/payments/request/', a, { plan: 'yearly', method_id: m }, { ...headers, ...EN })).body).toEqual({
      message: 'This Idempotency-Key was already used with a different request; use a new key for a new request.',
      code: 'idempotency_key_reused',
    });
    // the same key on another endpoint is another request too
    expect((await post('/payments/approve/', a, { payment_id: first.body.payment_id }, headers)).status).toBe(422);
    // a client error is replayed as well (not run twice)
    const k2 = key();
    const declined = await post('/payments/request/', a, { plan: 'nope', method_id: m }, k2);
    expect(declined.status).toBe(404);
    expect((await post('/payments/request/', a, { plan: 'nope', method_id: m }, k2)).headers['idempotency-replayed']).toBe('true');
    // keys of two members do not collide
    const b = await memberAccount(ctx.rt, ctx.app);
    expect((await post('/payments/request/', b, { plan: 'monthly', method_id: await method(b) }, headers)).status).toBe(201);
    const rec = await ctx.rt.ds.getRepository(IdempotencyRecord).findOneByOrFail({ userId: a.id, key: headers['Idempotency-Key'] });
    expect(rec.expiresAt.getTime() - rec.createdAt.getTime()).toBeGreaterThanOrEqual(24 * 3600 * 1000 - 2000);
    expect((await post('/payments/request/', a, { plan: 'monthly', method_id: m }, { 'Idempotency-Key': 'short' })).status).toBe(400);
  });

  it('a key left without a reply by a process that died is taken over after the lease; a fresh one is still 409', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const m = await method(a);
    const body = { plan: 'monthly', method_id: m };
    const records = ctx.rt.ds.getRepository(IdempotencyRecord);
    // what a process killed mid-request leaves: the key row, no reply
    const headers = key();
    const left = { userId: a.id, key: headers['Idempotency-Key'], endpoint: 'payments/request', requestHash: requestHash('payments/request', body), responseStatus: null, responseBody: null, expiresAt: new Date(Date.now() + 3600_000) };
    await records.insert(left);
    expect((await post('/payments/request/', a, body, headers)).status).toBe(409);
    await records.update({ userId: a.id, key: left.key }, { createdAt: new Date(Date.now() - IDEMPOTENCY_LEASE_MS - 1000) });
    const retried = await post('/payments/request/', a, body, headers);
    expect(retried.status).toBe(201);
    expect(await ctx.rt.ds.getRepository(Payment).countBy({ userId: a.id })).toBe(1);
    const replay = await post('/payments/request/', a, body, headers);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.body).toEqual(retried.body);
  });

  it('a concurrent duplicate is refused while the first runs, and the job deletes expired keys', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const m = await method(a);
    const headers = key();
    const results = await Promise.all(Array.from({ length: 8 }, () => post('/payments/request/', a, { plan: 'monthly', method_id: m }, headers)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(await ctx.rt.ds.getRepository(Payment).countBy({ userId: a.id })).toBe(1);
    await ctx.rt.ds.getRepository(IdempotencyRecord).update({ userId: a.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect(await ctx.rt.services.idempotency.cleanup()).toBeGreaterThanOrEqual(1);
    expect(await ctx.rt.ds.getRepository(IdempotencyRecord).countBy({ userId: a.id })).toBe(0);
  });
});

describe('PUT payments (finance correction) and cancel after capture', () => {
  it('finance corrects along the state machine with a reason, audited; members and catalog are refused', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const m = await method(a);
    const req = await post('/payments/request/', a, { plan: 'monthly', method_id: m }).expect(201);
    const id = req.body.payment_id;
    expect((await request(ctx.app).put('/payments/').set(auth(a.token)).send({ payment_id: id, status: 'failed', reason: 'x' })).status).toBe(403);
    expect((await request(ctx.app).put('/payments/').set(auth(catalog.token)).send({ payment_id: id, status: 'failed', reason: 'x' })).status).toBe(403);
    expect((await request(ctx.app).put('/payments/').set(auth(finance.token)).send({ payment_id: id, status: 'failed' })).status).toBe(400);
    expect((await request(ctx.app).put('/payments/').set(auth(finance.token)).send({ payment_id: id, status: 'paid', reason: 'bank said so' })).status).toBe(409);
    const ok = await request(ctx.app).put('/payments/').set(auth(finance.token)).send({ payment_id: id, status: 'failed', reason: 'gateway outage, customer informed' });
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('failed');
    const entry = await ctx.rt.ds.getRepository(AuditEntry).findOneByOrFail({ resource: 'payments', recordId: String(id), action: 'payment.correct' });
    expect(entry.reason).toBe('gateway outage, customer informed');
    const again = await request(ctx.app).put('/payments/').set(auth(finance.token)).send({ payment_id: id, status: 'cancelled', reason: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.status).toBe('failed');
    expect((await request(ctx.app).put('/payments/').set(auth(finance.token)).send({ payment_id: 999999, status: 'failed', reason: 'x' })).status).toBe(404);
  });

  it('cancelling a captured payment refunds it in full (within 7 days, nothing watched) and ends the subscription', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const id = await paid(a);
    const res = await post(`/payments/${id}/cancel/`, a, {});
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('refunded');
    expect(res.body.refund).toEqual(expect.objectContaining({ amount: 9900, status: 'completed', rule: 'full_7d_unwatched' }));
    expect((await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id })).status).toBe('expired');
    const code = res.body.refund.refund_code;
    expect((await request(ctx.app).get(`/refunds/${code}/`).set(auth(a.token))).body).toEqual(expect.objectContaining({ refund_code: code, amount: 9900 }));
    const b = await memberAccount(ctx.rt, ctx.app);
    expect((await request(ctx.app).get(`/refunds/${code}/`).set(auth(b.token))).status).toBe(404);
    expect((await request(ctx.app).get(`/refunds/nope/`).set(auth(b.token))).status).toBe(400);
  });
});

describe('cancel after capture is a full refund or nothing', () => {
  it('refuses a member who has watched since paying (the policy would only prorate): 409, nothing changes', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const id = await paid(a);
    await ctx.rt.ds.getRepository(WatchEvent).insert({ userId: a.id, contentId: 1, movieId: null, positionSeconds: 60, watchedSeconds: 60, createdAt: new Date(Date.now() + 1000) });
    const res = await post(`/payments/${id}/cancel/`, a, { reason: 'changed my mind' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual(expect.objectContaining({ code: 'cancel_needs_full_refund', status: 'paid', rule: 'prorated', refundable: expect.any(Number) }));
    expect(res.body.message).toBe(
      `결제가 완료된 뒤의 취소는 전액 환불이며, 환불 정책상 결제 후 7일 이내이고 시청하지 않은 경우에만 가능합니다(적용 규칙: 남은 이용 기간 비례 환불). 대신 환불을 요청해 주세요. 환불 가능 금액은 ${res.body.refundable}입니다.`,
    );
    expect(res.body.refundable).toBeGreaterThan(0);
    expect(res.body.refundable).toBeLessThan(9900);
    const p = await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id });
    expect(p).toEqual(expect.objectContaining({ status: 'paid', refundedAmount: 0 }));
    expect(await ctx.rt.ds.getRepository(Refund).countBy({ paymentId: id })).toBe(0);
    expect((await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id })).status).toBe('active');
    // finance may still cancel it for the member: a full refund (override, audited)
    const byFinance = await post(`/payments/${id}/cancel/`, finance, { reason: 'customer complaint' });
    expect(byFinance.status).toBe(200);
    expect(byFinance.body.status).toBe('refunded');
    expect(byFinance.body.refund).toEqual(expect.objectContaining({ amount: 9900, rule: 'override' }));
  });
});

describe('customers/{member_id}/paymentinformation', () => {
  it('finance sees masked methods and payment history; DELETE removes stored methods; members are refused', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    await paid(a);
    expect((await request(ctx.app).get(`/customers/${a.id}/paymentinformation/`).set(auth(a.token))).status).toBe(403);
    const res = await request(ctx.app).get(`/customers/${a.id}/paymentinformation/`).set(auth(finance.token)).expect(200);
    expect(res.body.methods).toEqual([expect.objectContaining({ masked: expect.stringContaining('4242'), deleted: false })]);
    expect(JSON.stringify(res.body)).not.toContain('4242424242424242');
    expect(res.body.payments).toEqual(expect.objectContaining({ count: 1, results: [expect.objectContaining({ status: 'paid' })] }));
    expect((await request(ctx.app).delete(`/customers/${a.id}/paymentinformation/`).set(auth(finance.token))).body).toEqual({ removed: 1 });
    expect((await request(ctx.app).get('/payments/methods/').set(auth(a.token))).body).toEqual([]);
  });
});

describe('embedded mode (SQLite, no Redis)', () => {
  it('request → approve → execute → refund works the same', async () => {
    const lite = await createTestApp({ dialect: 'sqlite', redis: false });
    try {
      const a = await memberAccount(lite.rt, lite.app);
      const send = (path: string, body: object) => request(lite.app).post(path).set(auth(a.token)).set(key()).send(body);
      const m = (await request(lite.app).post('/payments/methods/').set(auth(a.token)).send(CARD).expect(201)).body.id;
      const req = await send('/payments/request/', { plan: 'yearly', method_id: m }).expect(201);
      expect(req.body.amount.total).toBe(99000);
      await send('/payments/approve/', { payment_id: req.body.payment_id }).expect(200);
      expect((await send('/payments/execute/', { payment_id: req.body.payment_id }).expect(200)).body.status).toBe('paid');
      const refund = await send('/refunds/', { payment_id: req.body.payment_id, amount: 9000 });
      expect(refund.status).toBe(201);
      expect((await lite.rt.ds.getRepository(Payment).findOneByOrFail({ id: req.body.payment_id })).status).toBe('partially_refunded');
    } finally {
      await lite.close();
    }
  });
});
