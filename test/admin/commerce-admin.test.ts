// The finance panel over the AdminJS HTTP API (live MariaDB and Redis): payments are read-only
// with "Refund…" and "Cancel" actions calling the refunds/payments services (refusals are error
// notices and change nothing), refunds are approved/rejected, plans/discounts/coupons are
// validated definitions and coupons are issued in bulk — finance and admin only.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Coupon, CouponIssue, Payment, Plan, Refund } from '../../src/modules/commerce/commerce.entities.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, CARD, memberAccount, type Account } from '../support/commerce-instruments.js';
import { panelAgent, panelLogins } from '../support/panel.js';
import { createStaff } from '../support/users.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const as = panelLogins(() => ctx);
const api = '/admin/api/resources';
/** AdminJS answers a forbidden action with an error notice (and no data). */
const refused = (res: request.Response) => {
  expect(res.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
  expect(res.body.records ?? []).toEqual([]);
};
const post = (path: string, a: Account, body: object) => request(ctx.app).post(path).set(auth(a.token)).set('Idempotency-Key', randomUUID()).send(body);

async function paidPayment(): Promise<{ id: number; member: Account }> {
  const member = await memberAccount(ctx.rt, ctx.app);
  const m = (await request(ctx.app).post('/payments/methods/').set(auth(member.token)).send(CARD).expect(201)).body.id;
  const req = await post('/payments/request/', member, { plan: 'monthly', method_id: m }).expect(201);
  await post('/payments/approve/', member, { payment_id: req.body.payment_id }).expect(200);
  await post('/payments/execute/', member, { payment_id: req.body.payment_id }).expect(200);
  return { id: req.body.payment_id, member };
}

describe('payments', () => {
  it('finance lists and filters payments, refunds part of one (audited), and a refund over the rest is refused', async () => {
    const finance = await as('finance');
    const { id, member } = await paidPayment();
    const list = await finance.get(`${api}/payments/actions/list`).query({ 'filters.userId': member.id, 'filters.status': 'paid' });
    expect(list.status).toBe(200);
    expect(list.body.records.map((r: { id: string }) => Number(r.id))).toEqual([id]);
    expect(list.body.records[0].recordActions.map((a: { name: string }) => a.name).sort()).toEqual(['cancelPayment', 'refund', 'show']);
    // no raw edits of money
    refused(await finance.post(`${api}/payments/records/${id}/edit`).send({ amountTotal: 1 }));

    const refund = await finance.post(`${api}/payments/records/${id}/refund`).send({ amount: '2500', reason: 'partial credit for an outage', override: 'true' });
    expect(refund.status).toBe(200);
    expect(refund.body.notice).toEqual({ message: expect.stringMatching(/^환불했습니다: 2500 KRW/), type: 'success' });
    const p = await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id });
    expect([p.status, p.refundedAmount]).toEqual(['partially_refunded', 2500]);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'refunds', action: 'refund.override' })).toBeGreaterThanOrEqual(1);

    // Refusals are notices in the staff member's panel language: Korean by default …
    const tooMuch = await finance.post(`${api}/payments/records/${id}/refund`).send({ amount: '9000', reason: 'too much', override: 'true' });
    expect(tooMuch.body.notice).toEqual({ message: `이 결제에서 더 환불할 수 있는 금액은 최대 ${p.amountTotal - 2500}입니다.`, type: 'error' });
    const noReason = await finance.post(`${api}/payments/records/${id}/refund`).send({ amount: '100', reason: '', override: 'true' });
    expect(noReason.body.notice).toEqual({ message: '사유를 입력하세요.', type: 'error' });
    // … English for one who chose it (the same catalogue, by code).
    const staff = await createStaff(ctx.rt, 'finance');
    const english = panelAgent(ctx.app);
    expect((await english.post('/admin/login').type('form').send({ email: staff.email, password: staff.password })).status).toBe(302);
    expect((await english.post('/admin/api/pages/language').send({ language: 'en' })).body).toEqual({ language: 'en' });
    expect((await english.post(`${api}/payments/records/${id}/refund`).send({ amount: '9000', reason: 'too much', override: 'true' })).body.notice).toEqual({
      message: `At most ${p.amountTotal - 2500} is left to refund on this payment.`,
      type: 'error',
    });
    expect((await english.post(`${api}/payments/records/${id}/refund`).send({ amount: '100', reason: '', override: 'true' })).body.notice).toEqual({ message: 'Write a reason.', type: 'error' });
    expect((await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id })).refundedAmount).toBe(2500);
    expect(await ctx.rt.ds.getRepository(Refund).countBy({ paymentId: id })).toBe(1);
  });

  it('catalog staff cannot list payments nor run their actions', async () => {
    const catalog = await as('catalog');
    const { id } = await paidPayment();
    refused(await catalog.get(`${api}/payments/actions/list`));
    refused(await catalog.post(`${api}/payments/records/${id}/refund`).send({ amount: '100', reason: 'x' }));
    expect((await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id })).refundedAmount).toBe(0);
  });
});

describe('refunds review', () => {
  it('finance approves a requested refund; rejecting needs a reason', async () => {
    const finance = await as('finance');
    const { id, member } = await paidPayment();
    await ctx.rt.ds.getRepository(Payment).update({ id }, { paidAt: new Date(Date.now() - 10 * 86400_000), periodStart: new Date(Date.now() - 10 * 86400_000) });
    const req = await post('/refunds/', member, { payment_id: id, reason: 'moving' }).expect(201);
    expect(req.body.status).toBe('requested');
    const refund = await ctx.rt.ds.getRepository(Refund).findOneByOrFail({ code: req.body.refund_code });
    const noReason = await finance.post(`${api}/refunds/records/${refund.id}/reject`).send({ reason: ' ' });
    expect(noReason.body.notice.type).toBe('error');
    const ok = await finance.post(`${api}/refunds/records/${refund.id}/approve`).send({});
    expect(ok.body.notice.type).toBe('success');
    expect((await ctx.rt.ds.getRepository(Refund).findOneByOrFail({ id: refund.id })).status).toBe('completed');
    refused(await finance.post(`${api}/refunds/records/${refund.id}/approve`).send({})); // no longer pending
  });
});

describe('definitions', () => {
  it('plans and coupons are validated; a coupon is issued in bulk to usernames and ids, within its limit', async () => {
    const admin = await as('admin');
    const badPlan = await admin.post(`${api}/plans/actions/new`).send({ code: 'Weekly!', name: '', interval: 'week', price: '-1', currency: 'XXX', deviceLimit: '0', active: 'true' });
    expect(Object.keys(badPlan.body.record.errors).sort()).toEqual(['code', 'currency', 'deviceLimit', 'interval', 'name', 'price']);
    expect(await ctx.rt.ds.getRepository(Plan).countBy({ code: 'Weekly!' })).toBe(0);
    const plan = await admin.post(`${api}/plans/actions/new`).send({ code: 'family', name: 'Family', interval: 'month', price: '14900', currency: 'KRW', deviceLimit: '4', active: 'true' });
    expect(plan.body.record.errors).toEqual({});
    expect(await ctx.rt.ds.getRepository(Plan).countBy({ code: 'family' })).toBe(1);

    const code = `BULK${Date.now()}`;
    const coupon = await admin.post(`${api}/coupons/actions/new`).send({ code, name: '환영 쿠폰', type: 'fixed', value: '1000', currency: 'KRW', minAmount: '0', totalLimit: '2', perUserLimit: '1', issuedCount: '999' });
    expect(coupon.body.record.errors).toEqual({});
    const c = await ctx.rt.ds.getRepository(Coupon).findOneByOrFail({ code });
    expect(c.issuedCount).toBe(0); // counters are not editable from the form
    const a = await memberAccount(ctx.rt, ctx.app);
    const b = await memberAccount(ctx.rt, ctx.app);
    const d = await memberAccount(ctx.rt, ctx.app);
    const unknown = await admin.post(`${api}/coupons/records/${c.id}/issueToUsers`).send({ users: `${a.username}, nobody-here` });
    expect(unknown.body.notice.type).toBe('error');
    expect(await ctx.rt.ds.getRepository(CouponIssue).countBy({ couponId: c.id })).toBe(0);
    const issued = await admin.post(`${api}/coupons/records/${c.id}/issueToUsers`).send({ users: `${a.username}\n${b.id}` });
    expect(issued.body.notice).toEqual({ message: '쿠폰 2장을 발급했습니다.', type: 'success' });
    const over = await admin.post(`${api}/coupons/records/${c.id}/issueToUsers`).send({ users: String(d.id) });
    expect(over.body.notice.type).toBe('error');
    expect(await ctx.rt.ds.getRepository(CouponIssue).countBy({ couponId: c.id })).toBe(2);
    const catalog = await as('catalog');
    refused(await catalog.get(`${api}/coupons/actions/list`));
  });
});
