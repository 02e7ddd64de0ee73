// The sandbox gateway: the test cards, PayPal and bank transfer, idempotency (no second capture or refund).
import { money } from '../../../src/modules/commerce/domain/money.js';
import { GatewayNotFoundError, GatewayRejectedError, createPaymentGateway, SandboxGateway, SANDBOX_CARDS, type PaymentGateway } from '../../../src/modules/commerce/gateways/index.js';

const now = new Date('2025-06-15T12:00:00Z');
const KRW = (n: number) => money(n, 'KRW');

function card(gw: SandboxGateway, number: string): string {
  return gw.tokenizeMethod({ type: 'card', number, expMonth: 12, expYear: 2030, cvc: '123' }, { now }).token;
}

async function rejected(p: Promise<unknown>): Promise<GatewayRejectedError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(GatewayRejectedError);
    return e as GatewayRejectedError;
  }
  throw new Error('expected a rejection');
}

describe('SandboxGateway', () => {
  let gw: SandboxGateway;
  beforeEach(() => {
    gw = new SandboxGateway();
  });

  it('is the default gateway and authorises then captures separately', () => {
    expect(createPaymentGateway()).toBeInstanceOf(SandboxGateway);
    expect(gw.name).toBe('sandbox');
    expect(gw.capturesOnAuthorize).toBe(false);
  });

  it('4242…: approved, captured once; the same key replays, a new key cannot capture twice', async () => {
    const token = card(gw, SANDBOX_CARDS.success);
    expect(token).toMatch(/^tok_sbx_ok_[0-9a-f]{24}$/);
    expect(token).not.toContain('4242');
    const auth = await gw.authorize({ paymentId: 1, amount: KRW(9900), methodToken: token, idempotencyKey: 'p1-auth' });
    expect(auth).toEqual({ status: 'approved', gatewayRef: expect.stringMatching(/^sbx_pay_/) });
    expect(await gw.inspect(auth.gatewayRef)).toMatchObject({ status: 'approved', captured: 0 });

    const cap = await gw.capture({ gatewayRef: auth.gatewayRef, amount: KRW(9900), idempotencyKey: 'p1-capture' });
    expect(cap).toEqual({ gatewayRef: auth.gatewayRef, captured: { amount: 9900, currency: 'KRW' } });
    expect(await gw.capture({ gatewayRef: auth.gatewayRef, amount: KRW(9900), idempotencyKey: 'p1-capture' })).toEqual(cap);
    expect(await gw.inspect(auth.gatewayRef)).toMatchObject({ status: 'captured', captured: 9900, captureCount: 1 });
    expect((await rejected(gw.capture({ gatewayRef: auth.gatewayRef, amount: KRW(9900), idempotencyKey: 'p1-capture-2' }))).code).toBe('already_captured');
    expect((await gw.inspect(auth.gatewayRef))?.captureCount).toBe(1);
  });

  it('the same authorize key gives the same result; reusing it for another request is refused', async () => {
    const token = card(gw, SANDBOX_CARDS.success);
    const a = await gw.authorize({ paymentId: 2, amount: KRW(5000), methodToken: token, idempotencyKey: 'p2-auth' });
    const b = await gw.authorize({ paymentId: 2, amount: KRW(5000), methodToken: token, idempotencyKey: 'p2-auth' });
    expect(b).toEqual(a);
    const e = await rejected(gw.authorize({ paymentId: 2, amount: KRW(6000), methodToken: token, idempotencyKey: 'p2-auth' }));
    expect(e.code).toBe('idempotency_key_reused');
    expect(e.httpStatus).toBe(422);
    expect((await rejected(gw.capture({ gatewayRef: a.gatewayRef, amount: KRW(5000), idempotencyKey: 'p2-auth' }))).code).toBe('idempotency_key_reused');
  });

  it('4000…0002 is declined (card_declined) and cannot be captured', async () => {
    const r = await gw.authorize({ paymentId: 3, amount: KRW(9900), methodToken: card(gw, SANDBOX_CARDS.declined), idempotencyKey: 'p3' });
    expect(r).toMatchObject({ status: 'declined', reason: 'card_declined' });
    expect(r.gatewayRef).toBeTruthy();
    await rejected(gw.capture({ gatewayRef: r.gatewayRef, amount: KRW(9900), idempotencyKey: 'p3-c' }));
  });

  it('4000…9995 is declined for insufficient funds', async () => {
    const r = await gw.authorize({ paymentId: 4, amount: money(1999, 'USD'), methodToken: card(gw, SANDBOX_CARDS.insufficientFunds), idempotencyKey: 'p4' });
    expect(r).toMatchObject({ status: 'declined', reason: 'insufficient_funds' });
  });

  it('4000 0025 0000 3155 needs a second step, then confirmAction approves it', async () => {
    const r = await gw.authorize({ paymentId: 5, amount: KRW(9900), methodToken: card(gw, SANDBOX_CARDS.requiresAction), idempotencyKey: 'p5' });
    expect(r).toMatchObject({ status: 'requires_action', action: { type: 'confirm' } });
    expect((await rejected(gw.capture({ gatewayRef: r.gatewayRef, amount: KRW(9900), idempotencyKey: 'p5-c0' }))).code).toBe('requires_action');
    const ok = await gw.confirmAction({ gatewayRef: r.gatewayRef, idempotencyKey: 'p5-confirm' });
    expect(ok).toEqual({ status: 'approved', gatewayRef: r.gatewayRef });
    expect(await gw.confirmAction({ gatewayRef: r.gatewayRef, idempotencyKey: 'p5-confirm' })).toEqual(ok);
    expect((await rejected(gw.confirmAction({ gatewayRef: r.gatewayRef, idempotencyKey: 'p5-confirm-2' }))).code).toBe('no_action_required');
    expect((await gw.capture({ gatewayRef: r.gatewayRef, amount: KRW(9900), idempotencyKey: 'p5-c' })).captured.amount).toBe(9900);
  });

  it('PayPal and bank transfer succeed', async () => {
    const pp = gw.tokenizeMethod({ type: 'paypal', email: 'jane@example.com' });
    const bank = gw.tokenizeMethod({ type: 'bank_transfer', bankName: 'KB', accountNumber: '110123451234' });
    expect(pp.masked).toBe('j***@example.com');
    expect(bank.masked).toBe('****1234');
    for (const [i, t] of [pp.token, bank.token].entries()) {
      const r = await gw.authorize({ paymentId: 10 + i, amount: money(1500, 'USD'), methodToken: t, idempotencyKey: `m${i}` });
      expect(r.status).toBe('approved');
    }
  });

  it('an unknown token is declined as an invalid method; amounts must be positive integers', async () => {
    expect(await gw.authorize({ paymentId: 6, amount: KRW(100), methodToken: 'tok_abc', idempotencyKey: 'p6' })).toMatchObject({ status: 'declined', reason: 'invalid_method' });
    await expect(gw.authorize({ paymentId: 6, amount: { amount: 99.5, currency: 'USD' }, methodToken: 'x', idempotencyKey: 'p6b' })).rejects.toMatchObject({ code: 'invalid_amount' });
    await expect(gw.authorize({ paymentId: 6, amount: KRW(0), methodToken: 'x', idempotencyKey: 'p6c' })).rejects.toMatchObject({ code: 'invalid_amount' });
    await expect(gw.capture({ gatewayRef: 'sbx_pay_nope', amount: KRW(1), idempotencyKey: 'p6d' })).rejects.toBeInstanceOf(GatewayNotFoundError);
  });

  it('refunds up to the captured amount, once per key', async () => {
    const a = await gw.authorize({ paymentId: 7, amount: KRW(9900), methodToken: card(gw, SANDBOX_CARDS.success), idempotencyKey: 'p7' });
    await expect(gw.refund({ gatewayRef: a.gatewayRef, amount: KRW(100), reason: 'x', idempotencyKey: 'r0' })).rejects.toMatchObject({ code: 'not_refundable' });
    await gw.capture({ gatewayRef: a.gatewayRef, amount: KRW(9900), idempotencyKey: 'p7-c' });
    const r1 = await gw.refund({ gatewayRef: a.gatewayRef, amount: KRW(3300), reason: 'prorated', idempotencyKey: 'r1' });
    expect(r1).toEqual({ gatewayRef: a.gatewayRef, refundRef: expect.stringMatching(/^sbx_rf_/), refunded: { amount: 3300, currency: 'KRW' }, balance: { amount: 6600, currency: 'KRW' } });
    expect(await gw.refund({ gatewayRef: a.gatewayRef, amount: KRW(3300), reason: 'prorated', idempotencyKey: 'r1' })).toEqual(r1);
    expect(await gw.inspect(a.gatewayRef)).toMatchObject({ refunded: 3300, refundCount: 1 });
    const over = await rejected(gw.refund({ gatewayRef: a.gatewayRef, amount: KRW(6601), reason: 'x', idempotencyKey: 'r2' }));
    expect(over.code).toBe('refund_exceeds_balance');
    expect(over.httpStatus).toBe(409);
    expect((await gw.refund({ gatewayRef: a.gatewayRef, amount: KRW(6600), reason: 'rest', idempotencyKey: 'r3' })).balance.amount).toBe(0);
  });

  it('lookup answers from memory: authorised → captured → partially refunded → refunded (refund refs as refund returned them)', async () => {
    const a = await gw.authorize({ paymentId: 12, amount: KRW(9900), methodToken: card(gw, SANDBOX_CARDS.success), idempotencyKey: 'p12' });
    expect(await gw.lookup(a.gatewayRef)).toEqual({ gatewayRef: a.gatewayRef, paymentId: 12, status: 'authorized', gatewayStatus: 'approved', total: KRW(9900), refunds: [] });
    await gw.capture({ gatewayRef: a.gatewayRef, amount: KRW(9900), idempotencyKey: 'p12-c' });
    expect((await gw.lookup(a.gatewayRef)).status).toBe('captured');
    const r1 = await gw.refund({ gatewayRef: a.gatewayRef, amount: KRW(900), reason: 'part', idempotencyKey: 'p12-r1' });
    await gw.refund({ gatewayRef: a.gatewayRef, amount: KRW(900), reason: 'part', idempotencyKey: 'p12-r1' }); // a replay is no second refund
    const partial = await gw.lookup(a.gatewayRef);
    expect(partial.status).toBe('partially_refunded');
    expect(partial.refunds).toEqual([{ ref: r1.refundRef, amount: KRW(900), reason: 'part', at: expect.any(Date) }]);
    await gw.refund({ gatewayRef: a.gatewayRef, amount: KRW(9000), reason: 'rest', idempotencyKey: 'p12-r2' });
    expect((await gw.lookup(a.gatewayRef)).status).toBe('refunded');
    const d = await gw.authorize({ paymentId: 13, amount: KRW(100), methodToken: card(gw, SANDBOX_CARDS.declined), idempotencyKey: 'p13' });
    expect((await gw.lookup(d.gatewayRef)).status).toBe('failed');
    await expect(gw.lookup('sbx_pay_nope')).rejects.toBeInstanceOf(GatewayNotFoundError);
    expect((gw as PaymentGateway).webhooks).toBeUndefined();
  });

  it('voids an approved authorisation, not a captured one', async () => {
    const token = card(gw, SANDBOX_CARDS.success);
    const a = await gw.authorize({ paymentId: 8, amount: KRW(9900), methodToken: token, idempotencyKey: 'p8' });
    expect(await gw.void({ gatewayRef: a.gatewayRef, idempotencyKey: 'p8-v' })).toEqual({ gatewayRef: a.gatewayRef, status: 'voided' });
    expect(await gw.void({ gatewayRef: a.gatewayRef, idempotencyKey: 'p8-v' })).toEqual({ gatewayRef: a.gatewayRef, status: 'voided' });
    expect((await rejected(gw.capture({ gatewayRef: a.gatewayRef, amount: KRW(9900), idempotencyKey: 'p8-c' }))).code).toBe('not_capturable');
    const b = await gw.authorize({ paymentId: 9, amount: KRW(9900), methodToken: token, idempotencyKey: 'p9' });
    await gw.capture({ gatewayRef: b.gatewayRef, amount: KRW(9900), idempotencyKey: 'p9-c' });
    expect((await rejected(gw.void({ gatewayRef: b.gatewayRef, idempotencyKey: 'p9-v' }))).code).toBe('already_captured');
  });

  it('captures no more than was authorised, in the same currency', async () => {
    const a = await gw.authorize({ paymentId: 11, amount: money(1000, 'USD'), methodToken: card(gw, SANDBOX_CARDS.success), idempotencyKey: 'p11' });
    expect((await rejected(gw.capture({ gatewayRef: a.gatewayRef, amount: money(1001, 'USD'), idempotencyKey: 'p11-c1' }))).code).toBe('amount_exceeds_authorized');
    expect((await rejected(gw.capture({ gatewayRef: a.gatewayRef, amount: money(1000, 'EUR'), idempotencyKey: 'p11-c2' }))).code).toBe('amount_exceeds_authorized');
  });
});
