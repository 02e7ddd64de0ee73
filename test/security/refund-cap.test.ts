// Issue 12 §2: the refund policy's amount is a cap on everything requested or completed for a
// payment, enforced by the database. 30 parallel member requests for a prorated refund (each its
// own Idempotency-Key) reserve the policy amount once; approving every requested refund never
// pays more than the policy allows; only an explicit finance override (audited) goes past it.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Payment, Refund } from '../../src/modules/commerce/commerce.entities.js';
import { refundableAmount } from '../../src/modules/commerce/domain/refund-policy.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, capturedPaymentAt, memberAccount, staffAccount, type Account } from '../support/commerce-instruments.js';

const DAY = 24 * 3600 * 1000;
let ctx: TestContext & { app: Express };
let finance: Account;

const postRefund = (a: Account, body: object) => request(ctx.app).post('/refunds/').set(auth(a.token)).set('Idempotency-Key', randomUUID()).send(body);
const asActor = (a: Account) => ({ id: a.id, role: a.role, email: a.email, username: a.username }) as never;

beforeAll(async () => {
  ctx = await createTestApp();
  finance = await staffAccount(ctx.rt, ctx.app, 'finance');
});
afterAll(async () => {
  await ctx?.close();
});

describe('prorated refunds under 30 parallel requests', () => {
  it('reserve the policy amount once; approving them all pays at most the policy amount', async () => {
    const member = await memberAccount(ctx.rt, ctx.app);
    const payment = await capturedPaymentAt(ctx.rt, ctx.app, member, { plan: 'monthly' }, new Date(Date.now() - 20 * DAY));
    const policy = refundableAmount({ paid: payment.amountTotal, alreadyRefunded: 0, paidAt: payment.paidAt!, periodStart: payment.periodStart, periodEnd: payment.periodEnd, watched: false, kind: 'subscription', now: new Date() });
    expect(policy.rule).toBe('prorated');
    expect(policy.max).toBeGreaterThan(0);
    expect(policy.max).toBeLessThan(payment.amountTotal / 2);

    const results = await Promise.all(Array.from({ length: 30 }, () => postRefund(member, { payment_id: payment.id, reason: 'moving abroad' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const refused = results.find((r) => r.status === 409)!;
    expect(refused.body.message).toMatch(/환불/);

    // Finance approves every requested refund (in parallel too).
    const requested = await ctx.rt.ds.getRepository(Refund).findBy({ paymentId: payment.id, status: 'requested' });
    await Promise.allSettled(requested.map((r) => ctx.rt.services.refunds.approve(asActor(finance), r.id)));
    const completed = await ctx.rt.ds.getRepository(Refund).findBy({ paymentId: payment.id, status: 'completed' });
    const total = completed.reduce((s, r) => s + r.amount, 0);
    // The policy amount may shrink by a won between the two computations (seconds pass): allow it.
    expect(total).toBeLessThanOrEqual(policy.max);
    expect(total).toBeGreaterThanOrEqual(policy.max - 1);
    const p = await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id: payment.id });
    expect(p.refundedAmount).toBe(total);
    console.log(`refund cap: 30 parallel prorated requests → ${completed.length} refund(s), ${total} refunded; policy amount ${policy.max} of ${payment.amountTotal} paid`);

    // A further member request is refused: the cap counts what is completed.
    expect((await postRefund(member, { payment_id: payment.id })).status).toBe(409);

    // Only an explicit finance override goes past the policy, and it is audited with its reason.
    const override = await postRefund(finance, { payment_id: payment.id, amount: 1000, reason: 'goodwill after outage', override: true });
    expect(override.status).toBe(201);
    expect(override.body.rule).toBe('override');
    const audit = await ctx.rt.ds.getRepository(AuditEntry).findBy({ resource: 'refunds', action: 'refund.override' });
    expect(audit.some((a) => a.reason === 'goodwill after outage')).toBe(true);
    expect((await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id: payment.id })).refundedAmount).toBe(total + 1000);
  });

  it('a requested refund keeps its reservation against the cap: a second request waits for its decision', async () => {
    const member = await memberAccount(ctx.rt, ctx.app);
    const payment = await capturedPaymentAt(ctx.rt, ctx.app, member, { plan: 'monthly' }, new Date(Date.now() - 20 * DAY));
    const first = await postRefund(member, { payment_id: payment.id, amount: 1000 });
    expect(first.status).toBe(201);
    expect(first.body.status).toBe('requested');
    // what is left under the policy can still be asked for, not more
    const rest = await postRefund(member, { payment_id: payment.id });
    expect(rest.status).toBe(201);
    const both = first.body.amount + rest.body.amount;
    const again = await postRefund(member, { payment_id: payment.id, amount: 1 });
    expect(again.status).toBe(409);
    const p = await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id: payment.id });
    expect(p.refundedAmount).toBe(both);
    const policy = refundableAmount({ paid: payment.amountTotal, alreadyRefunded: 0, paidAt: payment.paidAt!, periodStart: payment.periodStart, periodEnd: payment.periodEnd, watched: false, kind: 'subscription', now: new Date() });
    expect(both).toBeLessThanOrEqual(policy.cap + 1);
  });
});
