// Toss webhooks end to end, against the local Toss stub and live MariaDB (PAYMENT_GATEWAY=toss):
// a payment made through our API, then changed at Toss outside our calls (a dashboard cancel, a
// partial cancel, a virtual account that expires or is paid) → the signed webhook → our books follow
// Toss as re-read from it. Signature over the raw bytes (401 otherwise, nothing processed), dedup by
// event id (a repeat and 20 parallel deliveries → one effect), unknown payments → 200 ignored.
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { GatewayEvent, Payment, PaymentMethod, Refund, Subscription } from '../../src/modules/commerce/commerce.entities.js';
import { tossOrderId } from '../../src/modules/commerce/gateways/toss.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, CARD, memberAccount, staffAccount, type Account } from '../support/commerce-instruments.js';
import { signedWebhook, startTossStub, type TossStub } from '../support/toss-stub.js';

const SECRET = `whsec_${randomBytes(16).toString('hex')}`;
let stub: TossStub;
let ctx: TestContext & { app: Express };
let finance: Account;

const post = (path: string, a: Account, body: object) => request(ctx.app).post(path).set(auth(a.token)).set('Idempotency-Key', randomUUID()).send(body);

/** Delivers a webhook body as Toss (through the signing relay) would: exact bytes, JSON content type. */
function deliver(body: string, signature: string | null = signedWebhook(body, SECRET).signature, path = '/payments/webhooks/toss/') {
  const r = request(ctx.app).post(path).set('Content-Type', 'application/json');
  if (signature !== null) r.set('X-Webhook-Signature', signature);
  return r.send(body);
}

/** A payment through our API with Toss: request → checkout widget (stub) → approve (confirm) → execute. */
async function tossPayment(a: Account, opts: { execute?: boolean; approve?: boolean; waitForDeposit?: boolean } = {}): Promise<{ id: number; paymentKey: string; total: number }> {
  const methodId = (await request(ctx.app).post('/payments/methods/').set(auth(a.token)).send(CARD).expect(201)).body.id;
  const paymentKey = (await ctx.rt.ds.getRepository(PaymentMethod).findOneByOrFail({ id: methodId })).gatewayToken;
  const req = await post('/payments/request/', a, { plan: 'monthly', method_id: methodId }).expect(201);
  const id: number = req.body.payment_id;
  const total: number = req.body.amount.total;
  stub.checkout({ orderId: tossOrderId(id), amount: total, paymentKey, waitForDeposit: opts.waitForDeposit });
  if (opts.approve === false) return { id, paymentKey, total };
  await post('/payments/approve/', a, { payment_id: id }).expect(opts.waitForDeposit ? 202 : 200);
  if (opts.execute !== false && !opts.waitForDeposit) await post('/payments/execute/', a, { payment_id: id }).expect(200);
  return { id, paymentKey, total };
}

const payment = (id: number) => ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id });
const refundsOf = (paymentId: number) => ctx.rt.ds.getRepository(Refund).find({ where: { paymentId }, order: { id: 'ASC' } });
const audits = (action: string, recordId?: number) => ctx.rt.ds.getRepository(AuditEntry).find({ where: { action, ...(recordId !== undefined ? { recordId: String(recordId) } : {}) }, order: { id: 'ASC' } });
const eventCount = () => ctx.rt.ds.getRepository(GatewayEvent).count();

beforeAll(async () => {
  stub = await startTossStub();
  ctx = await createTestApp({ env: { PAYMENT_GATEWAY: 'toss', TOSS_SECRET_KEY: stub.secretKey, TOSS_API_BASE: stub.baseUrl, TOSS_WEBHOOK_SECRET: SECRET } });
  finance = await staffAccount(ctx.rt, ctx.app, 'finance');
});
afterAll(async () => {
  await ctx?.close();
  await stub?.close();
});

describe('reconciliation', () => {
  it('a full cancel from the Toss dashboard refunds our payment (rule gateway) and ends the subscription', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const { id, paymentKey, total } = await tossPayment(a);
    expect((await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id })).status).toBe('active');

    const cancelled = stub.dashboardCancel(paymentKey, { cancelReason: '고객 요청 (대시보드)' });
    expect(cancelled.status).toBe('CANCELED');
    const getsBefore = stub.requests.filter((r) => r.method === 'GET').length;
    const res = await deliver(stub.webhookBody(paymentKey)).expect(200);
    expect(res.body).toMatchObject({ outcome: 'processed', payment_id: id, status: 'refunded', change: 'refunded' });
    expect(stub.requests.filter((r) => r.method === 'GET').length).toBe(getsBefore + 1); // re-read from Toss

    const p = await payment(id);
    expect(p).toMatchObject({ status: 'refunded', refundedAmount: total });
    const rows = await refundsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ amount: total, status: 'completed', rule: 'gateway', reason: '고객 요청 (대시보드)', gatewayRef: cancelled.cancels![0].transactionKey, requestedBy: null });
    expect(Math.abs(rows[0].completedAt!.getTime() - new Date(cancelled.cancels![0].canceledAt).getTime())).toBeLessThan(1000);
    expect((await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id })).status).toBe('expired');

    const [audit] = await audits('payment.webhook', id);
    expect(audit).toMatchObject({ actorId: null });
    expect(JSON.parse(audit.diff!).event_id[1]).toBe(res.body.event_id);
    const [refundAudit] = await audits('refund.gateway', rows[0].id);
    expect(refundAudit.actorId).toBeNull();

    // the member sees it through the API
    const status = await request(ctx.app).get(`/payments/${id}/status/`).set(auth(a.token)).expect(200);
    expect(status.body).toMatchObject({ status: 'refunded', refunded: total, refundable: 0 });
    expect(status.body.refunds).toEqual([expect.objectContaining({ rule: 'gateway', amount: total })]);
  });

  it('a partial cancel → partially_refunded with exactly that amount; a later cancel of the rest → refunded', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const { id, paymentKey, total } = await tossPayment(a);
    stub.dashboardCancel(paymentKey, { cancelReason: '부분 취소', cancelAmount: 3000 });
    expect((await deliver(stub.webhookBody(paymentKey)).expect(200)).body).toMatchObject({ outcome: 'processed', status: 'partially_refunded', change: 'refunded' });
    expect(await payment(id)).toMatchObject({ status: 'partially_refunded', refundedAmount: 3000 });
    expect((await refundsOf(id)).map((r) => [r.amount, r.rule])).toEqual([[3000, 'gateway']]);
    expect((await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id })).status).toBe('active');

    stub.dashboardCancel(paymentKey, { cancelReason: '나머지 취소' });
    await deliver(stub.webhookBody(paymentKey)).expect(200);
    expect(await payment(id)).toMatchObject({ status: 'refunded', refundedAmount: total });
    expect((await refundsOf(id)).map((r) => [r.amount, r.reason])).toEqual([
      [3000, '부분 취소'],
      [total - 3000, '나머지 취소'],
    ]);
    expect((await ctx.rt.ds.getRepository(Subscription).findOneByOrFail({ userId: a.id })).status).toBe('expired');
  });

  it('the webhook of a refund made through our API changes nothing (in sync)', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const { id, paymentKey } = await tossPayment(a);
    await post('/refunds/', finance, { payment_id: id, amount: 2000, reason: 'goodwill', override: true }).expect(201);
    const res = await deliver(stub.webhookBody(paymentKey)).expect(200);
    expect(res.body).toMatchObject({ outcome: 'processed', change: 'in_sync', status: 'partially_refunded' });
    expect((await refundsOf(id)).map((r) => r.rule)).toEqual(['override']);
    expect((await payment(id)).refundedAmount).toBe(2000);
  });

  it('a virtual account that expires → our requested payment fails; one paid into is not advanced by the webhook', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const waiting = await tossPayment(a, { waitForDeposit: true });
    expect(await payment(waiting.id)).toMatchObject({ status: 'requested', gatewayRef: waiting.paymentKey });
    stub.expire(waiting.paymentKey);
    expect((await deliver(stub.webhookBody(waiting.paymentKey)).expect(200)).body).toMatchObject({ outcome: 'processed', change: 'failed', status: 'failed' });
    expect((await payment(waiting.id)).failureReason).toBe('EXPIRED at the gateway');

    const b = await memberAccount(ctx.rt, ctx.app);
    const paidIn = await tossPayment(b, { waitForDeposit: true });
    stub.deposit(paidIn.paymentKey);
    expect((await deliver(stub.webhookBody(paidIn.paymentKey)).expect(200)).body).toMatchObject({ outcome: 'processed', change: 'mismatch', status: 'requested' });
    expect(await audits('payment.webhook_mismatch', paidIn.id)).toHaveLength(1);
    // the member's own approve completes it through the normal path
    await post('/payments/approve/', b, { payment_id: paidIn.id }).expect(200);
  });

  it('DONE on a payment we have as approved is never captured from a webhook: a mismatch for finance', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const { id, paymentKey } = await tossPayment(a, { execute: false });
    const res = await deliver(stub.webhookBody(paymentKey)).expect(200);
    expect(res.body).toMatchObject({ outcome: 'processed', change: 'mismatch', status: 'approved' });
    expect(res.body.note).toMatch(/never captures/);
    const [mismatch] = await audits('payment.webhook_mismatch', id);
    expect(mismatch.actorId).toBeNull();
    expect(mismatch.reason).toMatch(/not executed/);
    expect((await payment(id)).status).toBe('approved');
    await post('/payments/execute/', a, { payment_id: id }).expect(200);
    expect((await payment(id)).status).toBe('paid');
  });
});

describe('deduplication', () => {
  it('the same webhook twice → one effect, the second answers duplicate', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const { id, paymentKey } = await tossPayment(a);
    stub.dashboardCancel(paymentKey, { cancelReason: 'dup', cancelAmount: 1000 });
    const body = stub.webhookBody(paymentKey);
    const first = await deliver(body).expect(200);
    const second = await deliver(body).expect(200);
    expect(first.body.outcome).toBe('processed');
    expect(second.body).toEqual({ outcome: 'duplicate', event_id: first.body.event_id });
    expect((await refundsOf(id)).map((r) => r.amount)).toEqual([1000]);
    expect(await audits('payment.webhook', id)).toHaveLength(1);
  });

  it('20 parallel deliveries of one event → exactly one processed, one refund row', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const { id, paymentKey } = await tossPayment(a);
    stub.dashboardCancel(paymentKey, { cancelReason: 'parallel', cancelAmount: 1500 });
    const body = stub.webhookBody(paymentKey);
    const results = await Promise.all(Array.from({ length: 20 }, () => deliver(body)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(results.filter((r) => r.body.outcome === 'processed')).toHaveLength(1);
    expect(results.filter((r) => r.body.outcome === 'duplicate')).toHaveLength(19);
    expect((await refundsOf(id)).map((r) => r.amount)).toEqual([1500]);
    expect(await payment(id)).toMatchObject({ status: 'partially_refunded', refundedAmount: 1500 });
  });

  it('10 parallel events with different ids about the same cancel → still one refund (row lock + matching by reference)', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const { id, paymentKey } = await tossPayment(a);
    stub.dashboardCancel(paymentKey, { cancelReason: 'retransmitted', cancelAmount: 2500 });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => deliver(stub.webhookBody(paymentKey, { eventId: `evt_${id}_${i}` }))));
    expect(results.every((r) => r.status === 200 && r.body.outcome === 'processed')).toBe(true);
    expect(results.filter((r) => r.body.change === 'refunded')).toHaveLength(1);
    expect(results.filter((r) => r.body.change === 'in_sync')).toHaveLength(9);
    expect((await refundsOf(id)).map((r) => r.amount)).toEqual([2500]);
    expect((await payment(id)).refundedAmount).toBe(2500);
  });
});

describe('authentication and input', () => {
  it('a bad or missing signature → 401 and nothing processed', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const { id, paymentKey } = await tossPayment(a);
    stub.dashboardCancel(paymentKey, { cancelReason: 'forged?' });
    const body = stub.webhookBody(paymentKey);
    const events = await eventCount();
    const wrong = await deliver(body, signedWebhook(body, 'another-secret-of-16+').signature).expect(401);
    expect(wrong.body).toMatchObject({ code: 'invalid_signature' });
    await deliver(body, null).expect(401);
    await deliver(body, 'sha256=').expect(401);
    expect(await eventCount()).toBe(events);
    expect(await payment(id)).toMatchObject({ status: 'paid', refundedAmount: 0 });
    expect(await refundsOf(id)).toHaveLength(0);
    // the genuine delivery still works afterwards
    expect((await deliver(body).expect(200)).body.outcome).toBe('processed');
  });

  it('a body changed after signing → 401 (the signature is over the exact bytes)', async () => {
    const a = await memberAccount(ctx.rt, ctx.app);
    const { id, paymentKey } = await tossPayment(a);
    const body = stub.webhookBody(paymentKey);
    const { signature } = signedWebhook(body, SECRET);
    const tampered = body.replace('"status":"DONE"', '"status":"CANCELED"');
    expect(tampered).not.toBe(body);
    await deliver(tampered, signature).expect(401);
    await deliver(`${body} `, signature).expect(401); // one byte of whitespace
    await deliver(JSON.stringify(JSON.parse(body), null, 1), signature).expect(401); // same JSON, other bytes
    expect((await payment(id)).status).toBe('paid');
  });

  it('a signed body that is not an event → 400', async () => {
    const junk = signedWebhook('not json', SECRET);
    expect((await deliver(junk.body, junk.signature).expect(400)).body).toMatchObject({ code: 'invalid_webhook_payload' });
    const noType = signedWebhook(JSON.stringify({ data: { paymentKey: 'x', status: 'DONE' } }), SECRET);
    await deliver(noType.body, noType.signature).expect(400);
  });

  it('an unknown paymentKey → 200 ignored (Toss stops retrying), audited', async () => {
    const paymentKey = `tgen_unknown_${randomBytes(4).toString('hex')}`;
    const body = JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: new Date().toISOString(), data: { paymentKey, orderId: 'MQ99999999', status: 'CANCELED', lastTransactionKey: 'TX1', totalAmount: 9900 } });
    const res = await deliver(body).expect(200);
    expect(res.body).toMatchObject({ outcome: 'ignored' });
    const ignored = (await audits('payment.webhook_ignored')).filter((e) => e.diff?.includes(paymentKey));
    expect(ignored).toHaveLength(1);
    expect(ignored[0].actorId).toBeNull();
    expect((await deliver(body).expect(200)).body.outcome).toBe('duplicate');
  });

  it('is documented in the OpenAPI document, without the trailing slash too', async () => {
    const doc = await request(ctx.app).get('/openapi.json').expect(200);
    expect(doc.body.paths['/payments/webhooks/toss/']?.post).toBeDefined();
    expect(doc.body.paths['/payments/webhooks/toss/'].post.security).toBeUndefined();
    await deliver('{}', null, '/payments/webhooks/toss').expect(401);
  });
});

describe('not configured', () => {
  it('a server on the sandbox gateway answers 404', async () => {
    const sandbox = await createTestApp({ dialect: 'sqlite', redis: false });
    try {
      const body = '{"eventType":"PAYMENT_STATUS_CHANGED"}';
      const res = await request(sandbox.app).post('/payments/webhooks/toss/').set('Content-Type', 'application/json').set('X-Webhook-Signature', signedWebhook(body, SECRET).signature).send(body).expect(404);
      expect(res.body.detail).toBeDefined();
    } finally {
      await sandbox.close();
    }
  });
});
