// The Toss Payments adapter against a local stub of the documented API, and the webhook helpers.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { money } from '../../../src/modules/commerce/domain/money.js';
import {
  GatewayAuthError,
  GatewayNotFoundError,
  GatewayRejectedError,
  GatewayTimeoutError,
  GatewayUnavailableError,
  MemoryWebhookEventStore,
  TossGateway,
  WebhookSignatureError,
  createPaymentGateway,
  fromTossAmount,
  paymentIdOfTossOrder,
  processTossWebhook,
  signWebhookBody,
  toTossAmount,
  tossAuthorizationHeader,
  tossOrderId,
  tossPaymentView,
  tossWebhookEventId,
  verifyTossWebhook,
  verifyTossSignedWebhook,
  verifyWebhookSignature,
} from '../../../src/modules/commerce/gateways/index.js';
import { startTossStub, type TossStub } from '../../support/toss-stub.js';

const KRW = (n: number) => money(n, 'KRW');
let stub: TossStub;
let toss: TossGateway;
let nextId = 100;

beforeAll(async () => {
  stub = await startTossStub({ secretKey: 'test_sk_marquee_stub' });
  toss = new TossGateway({ secretKey: stub.secretKey, baseUrl: stub.baseUrl, timeoutMs: 2000 });
});
afterAll(() => stub.close());
afterEach(() => {
  stub.delayMs = 0;
});

/** A checkout as the widget would create it, then our confirm. */
async function paid(amount: number): Promise<{ paymentId: number; paymentKey: string }> {
  const paymentId = nextId++;
  const paymentKey = stub.checkout({ orderId: tossOrderId(paymentId), amount });
  const r = await toss.authorize({ paymentId, amount: KRW(amount), methodToken: paymentKey, idempotencyKey: `auth-${paymentId}` });
  expect(r).toEqual({ status: 'approved', gatewayRef: paymentKey });
  return { paymentId, paymentKey };
}

async function caught<T extends Error>(p: Promise<unknown>): Promise<T> {
  try {
    await p;
  } catch (e) {
    return e as T;
  }
  throw new Error('expected an error');
}

describe('helpers', () => {
  it('builds the Basic header from the secret key and a colon (the documented example)', () => {
    expect(tossAuthorizationHeader('test_sk_zXLkKEypNArWmo50nX3lmeaxYG5R')).toBe('Basic dGVzdF9za196WExrS0V5cE5BcldtbzUwblgzbG1lYXhZRzVSOg==');
  });

  it('makes order ids of 6–64 allowed characters', () => {
    expect(tossOrderId(1)).toBe('MQ00000001');
    expect(tossOrderId(123456789)).toBe('MQ123456789');
    expect(() => tossOrderId('a b')).toThrow(TypeError);
  });

  it('converts amounts to and from major units exactly', () => {
    expect(toTossAmount(KRW(15000))).toBe(15000);
    expect(toTossAmount(money(1234, 'USD'))).toBe(12.34);
    expect(fromTossAmount(12.34, 'USD')).toEqual({ amount: 1234, currency: 'USD' });
    expect(fromTossAmount(544.68, 'USD').amount).toBe(54468);
    expect(fromTossAmount(0.29, 'USD').amount).toBe(29);
    expect(() => fromTossAmount(1.5, 'KRW')).toThrow(expect.objectContaining({ code: 'gateway_invalid_response' }));
  });

  it('is chosen by configuration', () => {
    expect(createPaymentGateway({ type: 'toss', secretKey: 'k', baseUrl: stub.baseUrl })).toBeInstanceOf(TossGateway);
    expect(() => new TossGateway({ secretKey: '' })).toThrow(TypeError);
  });
});

describe('TossGateway against the stub', () => {
  it('confirms with Basic auth, {paymentKey, orderId, amount} and an Idempotency-Key; capture verifies DONE', async () => {
    const before = stub.requests.length;
    const { paymentId, paymentKey } = await paid(15000);
    const req = stub.requests[before];
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/v1/payments/confirm');
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from('test_sk_marquee_stub:').toString('base64')}`);
    expect(req.headers['idempotency-key']).toBe(`auth-${paymentId}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.body).toEqual({ paymentKey, orderId: tossOrderId(paymentId), amount: 15000 });
    expect(stub.payment(paymentKey)).toMatchObject({ status: 'DONE', totalAmount: 15000, balanceAmount: 15000 });

    expect(await toss.capture({ gatewayRef: paymentKey, amount: KRW(15000), idempotencyKey: 'unused' })).toEqual({ gatewayRef: paymentKey, captured: KRW(15000) });
    expect(stub.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v1/payments/${paymentKey}` });
    expect((await caught<GatewayRejectedError>(toss.capture({ gatewayRef: paymentKey, amount: KRW(14000), idempotencyKey: 'x' }))).code).toBe('amount_mismatch');
    expect(toss.capturesOnAuthorize).toBe(true);
  });

  it('an amount that does not match the order is refused by Toss', async () => {
    const paymentId = nextId++;
    const paymentKey = stub.checkout({ orderId: tossOrderId(paymentId), amount: 15000 });
    const e = await caught<GatewayRejectedError>(toss.authorize({ paymentId, amount: KRW(1500), methodToken: paymentKey, idempotencyKey: `a-${paymentId}` }));
    expect(e).toBeInstanceOf(GatewayRejectedError);
    expect(e).toMatchObject({ code: 'gateway_rejected', gatewayCode: 'INVALID_REQUEST', upstreamStatus: 400, httpStatus: 422 });
    expect(stub.payment(paymentKey)?.status).toBe('IN_PROGRESS');
  });

  it('a refusing card company is a decline, not an exception', async () => {
    const paymentId = nextId++;
    const paymentKey = stub.checkout({ orderId: tossOrderId(paymentId), amount: 9900, reject: { status: 403, code: 'REJECT_CARD_COMPANY', message: '결제 승인이 거절되었습니다.' } });
    expect(await toss.authorize({ paymentId, amount: KRW(9900), methodToken: paymentKey, idempotencyKey: `a-${paymentId}` })).toEqual({
      status: 'declined',
      reason: 'card_declined',
      gatewayCode: 'REJECT_CARD_COMPANY',
      message: '결제 승인이 거절되었습니다.',
      gatewayRef: paymentKey,
    });
  });

  it('a confirm already done (first answer lost) is looked up and approved', async () => {
    const { paymentId, paymentKey } = await paid(7000);
    const r = await toss.authorize({ paymentId, amount: KRW(7000), methodToken: paymentKey, idempotencyKey: `retry-with-new-key-${paymentId}` });
    expect(r).toEqual({ status: 'approved', gatewayRef: paymentKey });
    expect(stub.requests.at(-1)).toMatchObject({ method: 'GET', path: `/v1/payments/${paymentKey}` });
  });

  it('partial cancel: {cancelReason, cancelAmount} with an Idempotency-Key, lowering balanceAmount', async () => {
    const { paymentKey } = await paid(15000);
    const r = await toss.refund({ gatewayRef: paymentKey, amount: KRW(5000), reason: '부분 환불 (prorated)', idempotencyKey: 'refund-1' });
    const p = stub.payment(paymentKey)!;
    expect(p).toMatchObject({ status: 'PARTIAL_CANCELED', totalAmount: 15000, balanceAmount: 10000 });
    expect(r).toEqual({ gatewayRef: paymentKey, refundRef: p.cancels![0].transactionKey, refunded: KRW(5000), balance: KRW(10000) });
    expect(stub.requests.at(-1)).toMatchObject({ method: 'POST', path: `/v1/payments/${paymentKey}/cancel`, body: { cancelReason: '부분 환불 (prorated)', cancelAmount: 5000 } });
    expect(stub.requests.at(-1)!.headers['idempotency-key']).toBe('refund-1');

    // the rest: CANCELED, balance 0
    const rest = await toss.refund({ gatewayRef: paymentKey, amount: KRW(10000), reason: 'rest', idempotencyKey: 'refund-2' });
    expect(rest.balance).toEqual(KRW(0));
    expect(stub.payment(paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(rest.refundRef).not.toBe(r.refundRef);
  });

  it('cancelling more than the balance → NOT_CANCELABLE_AMOUNT as refund_exceeds_balance (409), nothing changes', async () => {
    const { paymentKey } = await paid(15000);
    await toss.refund({ gatewayRef: paymentKey, amount: KRW(10000), reason: 'first', idempotencyKey: 'over-1' });
    const e = await caught<GatewayRejectedError>(toss.refund({ gatewayRef: paymentKey, amount: KRW(5001), reason: 'too much', idempotencyKey: 'over-2' }));
    expect(e).toBeInstanceOf(GatewayRejectedError);
    expect(e).toMatchObject({ code: 'refund_exceeds_balance', gatewayCode: 'NOT_CANCELABLE_AMOUNT', upstreamStatus: 403, httpStatus: 409 });
    expect(stub.payment(paymentKey)).toMatchObject({ status: 'PARTIAL_CANCELED', balanceAmount: 5000 });
  });

  it('a repeated Idempotency-Key replays the first answer: refunded once', async () => {
    const { paymentKey } = await paid(15000);
    const replaysBefore = stub.replays;
    const first = await toss.refund({ gatewayRef: paymentKey, amount: KRW(3000), reason: 'retry me', idempotencyKey: 'same-key' });
    const second = await toss.refund({ gatewayRef: paymentKey, amount: KRW(3000), reason: 'retry me', idempotencyKey: 'same-key' });
    expect(second).toEqual(first);
    expect(stub.replays).toBe(replaysBefore + 1);
    const p = await toss.getPayment(paymentKey);
    expect(p.balanceAmount).toBe(12000);
    expect(p.cancels).toHaveLength(1);
  });

  it('void cancels in full; a second void is already_cancelled', async () => {
    const { paymentKey } = await paid(9900);
    expect(await toss.void({ gatewayRef: paymentKey, idempotencyKey: 'void-1', reason: 'member cancelled' })).toEqual({ gatewayRef: paymentKey, status: 'voided' });
    expect(stub.requests.at(-1)!.body).toEqual({ cancelReason: 'member cancelled' });
    expect(stub.payment(paymentKey)).toMatchObject({ status: 'CANCELED', balanceAmount: 0 });
    expect(await caught(toss.void({ gatewayRef: paymentKey, idempotencyKey: 'void-2' }))).toMatchObject({ code: 'already_cancelled', gatewayCode: 'ALREADY_CANCELED_PAYMENT' });
  });

  it('a wrong secret key → GatewayAuthError (UNAUTHORIZED_KEY)', async () => {
    const { paymentKey } = await paid(1000);
    const bad = new TossGateway({ secretKey: 'test_sk_wrong', baseUrl: stub.baseUrl });
    const e = await caught<GatewayAuthError>(bad.getPayment(paymentKey));
    expect(e).toBeInstanceOf(GatewayAuthError);
    expect(e).toMatchObject({ code: 'gateway_auth_failed', gatewayCode: 'UNAUTHORIZED_KEY', upstreamStatus: 401, httpStatus: 502, retryable: false });
    expect(e.message).not.toContain('test_sk_wrong');
    await expect(bad.refund({ gatewayRef: paymentKey, amount: KRW(100), reason: 'x', idempotencyKey: 'bad-1' })).rejects.toBeInstanceOf(GatewayAuthError);
    expect(stub.payment(paymentKey)?.balanceAmount).toBe(1000);
  });

  it('an unknown payment → GatewayNotFoundError', async () => {
    await expect(toss.getPayment('tgen_does_not_exist')).rejects.toBeInstanceOf(GatewayNotFoundError);
    await expect(toss.refund({ gatewayRef: 'tgen_nope', amount: KRW(1), reason: 'x', idempotencyKey: 'nf' })).rejects.toMatchObject({ gatewayCode: 'NOT_FOUND_PAYMENT' });
  });

  it('times out with AbortController: GatewayTimeoutError, outcome unknown for a POST', async () => {
    const { paymentKey } = await paid(15000);
    const quick = new TossGateway({ secretKey: stub.secretKey, baseUrl: stub.baseUrl, timeoutMs: 100 });
    stub.delayMs = 600;
    const t0 = Date.now();
    const e = await caught<GatewayTimeoutError>(quick.refund({ gatewayRef: paymentKey, amount: KRW(1000), reason: 'slow', idempotencyKey: 'slow-1' }));
    expect(Date.now() - t0).toBeLessThan(500);
    expect(e).toBeInstanceOf(GatewayTimeoutError);
    expect(e).toMatchObject({ code: 'gateway_timeout', httpStatus: 504, retryable: true, outcomeUnknown: true });
    expect((await caught<GatewayTimeoutError>(quick.getPayment(paymentKey))).outcomeUnknown).toBe(false);
    // the stub did process it (only the answer was late); the retry with the same key replays it
    stub.delayMs = 0;
    const retry = await toss.refund({ gatewayRef: paymentKey, amount: KRW(1000), reason: 'slow', idempotencyKey: 'slow-1' });
    expect(retry.balance).toEqual(KRW(14000));
    expect((await toss.getPayment(paymentKey)).cancels).toHaveLength(1);
  });

  it('a closed port → GatewayUnavailableError (retryable)', async () => {
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as AddressInfo;
    await new Promise((r) => srv.close(r));
    const down = new TossGateway({ secretKey: 'k', baseUrl: `http://127.0.0.1:${port}` });
    const e = await caught<GatewayUnavailableError>(down.getPayment('x'));
    expect(e).toBeInstanceOf(GatewayUnavailableError);
    expect(e).toMatchObject({ code: 'gateway_unavailable', retryable: true, httpStatus: 503, outcomeUnknown: false });
    // a refused connection never reached Toss, so even a POST's outcome is known
    expect(await caught(down.refund({ gatewayRef: 'x', amount: KRW(1), reason: 'r', idempotencyKey: 'k' }))).toMatchObject({ outcomeUnknown: false });
  });
});

describe('webhooks', () => {
  const secret = 'whsec_marquee_test';
  const body = JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: '2025-06-15T12:00:00.000000', data: { paymentKey: 'pk_1', orderId: 'MQ00000001', status: 'DONE', lastTransactionKey: 'TX1' } });

  it('verifies HMAC-SHA256 over the raw body (hex, sha256=hex, base64), in constant time', () => {
    const sig = signWebhookBody(body, secret);
    expect(sig).toBe(createHmac('sha256', secret).update(body).digest('hex'));
    expect(verifyWebhookSignature(body, sig, secret)).toBe(true);
    expect(verifyWebhookSignature(Buffer.from(body), sig.toUpperCase(), secret)).toBe(true);
    expect(verifyWebhookSignature(body, `sha256=${sig}`, secret)).toBe(true);
    expect(verifyWebhookSignature(body, createHmac('sha256', secret).update(body).digest('base64'), secret)).toBe(true);
    expect(verifyWebhookSignature(`${body} `, sig, secret)).toBe(false);
    expect(verifyWebhookSignature(body, sig, 'other-secret')).toBe(false);
    expect(verifyWebhookSignature(body, sig.slice(0, 63), secret)).toBe(false);
    expect(verifyWebhookSignature(body, undefined, secret)).toBe(false);
    expect(verifyWebhookSignature(body, '', secret)).toBe(false);
    expect(() => verifyWebhookSignature(body, sig, '')).toThrow(TypeError);
  });

  it('processes an event once, acknowledges duplicates, and lets a failed one be retried', async () => {
    const store = new MemoryWebhookEventStore();
    const seen: string[] = [];
    const signature = signWebhookBody(body, secret);
    const handle = async (e: { data?: Record<string, unknown> }) => {
      seen.push(String(e.data?.status));
    };
    expect(await processTossWebhook({ rawBody: body, signature, secret, store, handle })).toEqual({ outcome: 'processed', eventId: 'PAYMENT_STATUS_CHANGED:pk_1:DONE:TX1' });
    expect(await processTossWebhook({ rawBody: body, signature, secret, store, handle })).toEqual({ outcome: 'duplicate', eventId: 'PAYMENT_STATUS_CHANGED:pk_1:DONE:TX1' });
    expect(seen).toEqual(['DONE']);

    const other = body.replace('TX1', 'TX2');
    const failing = async () => {
      throw new Error('db down');
    };
    await expect(processTossWebhook({ rawBody: other, signature: signWebhookBody(other, secret), secret, store, handle: failing })).rejects.toThrow('db down');
    expect(store.has('toss', 'PAYMENT_STATUS_CHANGED:pk_1:DONE:TX2')).toBe(false);
    expect((await processTossWebhook({ rawBody: other, signature: signWebhookBody(other, secret), secret, store, handle })).outcome).toBe('processed');
  });

  it('rejects a bad signature before parsing or handling anything', async () => {
    const store = new MemoryWebhookEventStore();
    let called = false;
    const e = await caught<WebhookSignatureError>(
      processTossWebhook({ rawBody: body, signature: signWebhookBody(body, 'wrong'), secret, store, handle: async () => void (called = true) }),
    );
    expect(e).toBeInstanceOf(WebhookSignatureError);
    expect(e.httpStatus).toBe(401);
    expect(called).toBe(false);
    const junk = 'not json';
    await expect(processTossWebhook({ rawBody: junk, signature: signWebhookBody(junk, secret), secret, store, handle: async () => {} })).rejects.toMatchObject({ code: 'invalid_webhook_payload' });
  });

  it('derives the event id from the transmission header, an eventId, or the payment fields', () => {
    const e = JSON.parse(body);
    expect(tossWebhookEventId(e, { 'tosspayments-webhook-transmission-id': 'wh_123' })).toBe('wh_123');
    expect(tossWebhookEventId({ ...e, eventId: 'evt_9' })).toBe('evt_9');
    expect(tossWebhookEventId(e)).toBe('PAYMENT_STATUS_CHANGED:pk_1:DONE:TX1');
    expect(() => tossWebhookEventId({ eventType: 'X' })).toThrow(expect.objectContaining({ code: 'invalid_webhook_payload' }));
  });

  it("verifies Toss's own v1 signature (payload:transmission-time, base64, any of several)", () => {
    const time = '2024-09-05T12:19:21+09:00';
    const good = createHmac('sha256', 'sec').update(`${body}:${time}`).digest('base64');
    expect(verifyTossSignedWebhook({ rawBody: body, signatureHeader: `v1:AAAA,${good}`, transmissionTime: time, securityKey: 'sec' })).toBe(true);
    expect(verifyTossSignedWebhook({ rawBody: body, signatureHeader: `v1:${good}`, transmissionTime: '2024-09-05T12:19:22+09:00', securityKey: 'sec' })).toBe(false);
    expect(verifyTossSignedWebhook({ rawBody: body, signatureHeader: good, transmissionTime: time, securityKey: 'sec' })).toBe(false);
  });
});

describe('lookup and the webhook intake (verifyTossWebhook)', () => {
  const secret = 'whsec_marquee_unit_test';
  const body = JSON.stringify({ eventType: 'PAYMENT_STATUS_CHANGED', createdAt: '2025-06-15T12:00:00.000000', data: { paymentKey: 'pk_1', orderId: 'MQ00000042', status: 'DONE', lastTransactionKey: 'TX1' } });
  const sign = (b: string) => ({ 'x-webhook-signature': signWebhookBody(b, secret) });

  it('re-reads a payment as the gateway-neutral view (status, our id from the orderId, cancels)', async () => {
    const { paymentId, paymentKey } = await paid(9900);
    expect(await toss.lookup(paymentKey)).toEqual({ gatewayRef: paymentKey, paymentId, status: 'captured', gatewayStatus: 'DONE', total: KRW(9900), refunds: [] });
    stub.dashboardCancel(paymentKey, { cancelReason: '부분', cancelAmount: 1000 });
    const partial = await toss.lookup(paymentKey);
    expect(partial).toMatchObject({ status: 'partially_refunded', gatewayStatus: 'PARTIAL_CANCELED' });
    expect(partial.refunds).toEqual([{ ref: stub.payment(paymentKey)!.cancels![0].transactionKey, amount: KRW(1000), reason: '부분', at: expect.any(Date) }]);
    stub.dashboardCancel(paymentKey, { cancelReason: '전체' });
    expect(await toss.lookup(paymentKey)).toMatchObject({ status: 'refunded', gatewayStatus: 'CANCELED', refunds: [expect.objectContaining({ amount: KRW(1000) }), expect.objectContaining({ amount: KRW(8900), reason: '전체' })] });
    await expect(toss.lookup('pk_nobody')).rejects.toBeInstanceOf(GatewayNotFoundError);
  });

  it('maps every Toss status; an orderId that is not ours gives no payment id', () => {
    const base = { paymentKey: 'pk', orderId: 'other-order', currency: 'KRW', totalAmount: 100, balanceAmount: 100 };
    const status = (s: string) => tossPaymentView({ ...base, status: s } as never).status;
    expect(['READY', 'IN_PROGRESS', 'WAITING_FOR_DEPOSIT', 'DONE', 'ABORTED', 'EXPIRED'].map(status)).toEqual(['pending', 'pending', 'pending', 'captured', 'failed', 'expired']);
    expect(status('CANCELED')).toBe('voided'); // cancelled without any money taken
    expect(tossPaymentView({ ...base, status: 'DONE' } as never).paymentId).toBeNull();
    expect(paymentIdOfTossOrder(tossOrderId(42))).toBe(42);
    expect(() => status('SOMETHING_NEW')).toThrow(expect.objectContaining({ code: 'gateway_invalid_response' }));
  });

  it('verifies the relay signature over the raw bytes, then parses; the event id comes from the signed body only', () => {
    expect(verifyTossWebhook(Buffer.from(body), sign(body), secret)).toEqual({ eventId: 'PAYMENT_STATUS_CHANGED:pk_1:DONE:TX1', eventType: 'PAYMENT_STATUS_CHANGED', gatewayRef: 'pk_1' });
    // an unsigned transmission-id header cannot change the dedup id
    expect(verifyTossWebhook(Buffer.from(body), { ...sign(body), 'tosspayments-webhook-transmission-id': 'wh_new' }, secret).eventId).toBe('PAYMENT_STATUS_CHANGED:pk_1:DONE:TX1');
    expect(() => verifyTossWebhook(Buffer.from(body), {}, secret)).toThrow(WebhookSignatureError);
    expect(() => verifyTossWebhook(Buffer.from(`${body}\n`), sign(body), secret)).toThrow(WebhookSignatureError);
    for (const bad of ['[]', 'null', '{"eventId": 5}', JSON.stringify({ eventId: 'e'.repeat(101), eventType: 'X' }), JSON.stringify({ eventId: 'evt_1' })]) {
      expect(() => verifyTossWebhook(Buffer.from(bad), sign(bad), secret)).toThrow(expect.objectContaining({ code: 'invalid_webhook_payload', httpStatus: 400 }));
    }
  });

  it('without TOSS_WEBHOOK_SECRET the adapter says webhooks are not configured (503)', () => {
    const bare = new TossGateway({ secretKey: 'test_sk_x', baseUrl: stub.baseUrl });
    expect(bare.webhooks.configured).toBe(false);
    expect(() => bare.webhooks.verify(Buffer.from(body), sign(body))).toThrow(expect.objectContaining({ code: 'webhooks_not_configured', httpStatus: 503 }));
    const configured = new TossGateway({ secretKey: 'test_sk_x', baseUrl: stub.baseUrl, webhookSecret: secret });
    expect(configured.webhooks.configured).toBe(true);
    expect(configured.webhooks.verify(Buffer.from(body), sign(body)).gatewayRef).toBe('pk_1');
  });
});
