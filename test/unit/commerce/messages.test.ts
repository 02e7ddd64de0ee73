// The commerce message catalogue (src/modules/commerce/messages.ts): every code thrown in
// src/modules/commerce has an entry, every English text a thrower writes finds its Korean text,
// and toHttpError answers Korean by default and the thrown English on `en`, keeping code, status
// and the other keys.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HttpError, ValidationError } from '../../../src/http/errors.js';
import { CommerceError } from '../../../src/modules/commerce/domain/errors.js';
import { MoneyError, assertCurrency } from '../../../src/modules/commerce/domain/money.js';
import { IllegalTransitionError, ReasonRequiredError, assertTransition } from '../../../src/modules/commerce/domain/payment-state.js';
import { CouponNotApplicableError, DiscountNotApplicableError, validateCouponRule, validateDiscountRule } from '../../../src/modules/commerce/domain/pricing.js';
import { RefundNotAllowedError, checkRefund } from '../../../src/modules/commerce/domain/refund-policy.js';
import {
  GatewayAuthError,
  GatewayInvalidResponseError,
  GatewayNotFoundError,
  GatewayRejectedError,
  GatewayTimeoutError,
  GatewayUnavailableError,
  PaymentMethodValidationError,
  tokenizeMethod,
  type RawMethodInput,
} from '../../../src/modules/commerce/gateways/gateway.js';
import { WebhookSignatureError } from '../../../src/modules/commerce/gateways/webhook.js';
import { toHttpError } from '../../../src/modules/commerce/http.js';
import { COMMERCE_MESSAGES, FIELD_MESSAGES, commerceText, hasCommerceText, hasFieldText, localizeFields } from '../../../src/modules/commerce/messages.js';
import { PlanNotFoundError } from '../../../src/modules/commerce/plans.service.js';
import { PaymentDeclinedError, PaymentNotFoundError } from '../../../src/modules/commerce/payments.service.js';

const ROOT = join(process.cwd(), 'src/modules/commerce');
function sources(dir = ROOT): Array<{ path: string; text: string }> {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('messages.ts') ? [{ path: p, text: readFileSync(p, 'utf8') }] : [];
  });
}
const SRC = sources();
const ALL = SRC.map((f) => f.text).join('\n');
const all = (re: RegExp, text = ALL) => [...text.matchAll(re)];
/** The literals of a string-literal union type: `type X = 'a' | 'b';` */
const union = (name: string) => {
  const m = new RegExp(`type ${name} =([^;]+);`).exec(ALL);
  if (!m) throw new Error(`no type ${name}`);
  return all(/'([a-z_]+)'/g, m[1]).map((x) => x[1]);
};
const GATEWAY_KINDS = new Set(['auth', 'timeout', 'unavailable', 'not_found', 'rejected', 'invalid_response']);

/** Every error code thrown in src/modules/commerce, found in the sources. */
function thrownCodes(): Set<string> {
  const codes = new Set<string>();
  for (const m of all(/new (?:CommerceError|MoneyError|GatewayRejectedError)\(\s*(['`])([a-z_]+)\1/g)) codes.add(m[2]);
  for (const m of all(/super\(\s*'([a-z_]+)'(?:\s*,\s*'([a-z_]+)')?/g)) {
    if (!GATEWAY_KINDS.has(m[1])) codes.add(m[1]);
    else if (m[2]) codes.add(m[2]);
  }
  for (const m of all(/new GatewayRejectedError\([^,]*\? '([a-z_]+)' : [`']([a-z_]+)[`']/g)) codes.add(m[1]).add(m[2]);
  for (const m of all(/\bnotFound\('([a-z]+)'\)/g)) codes.add(`${m[1]}_not_found`);
  for (const m of all(/\{ code: '([a-z_]+)', status: \d+ \}/g)) codes.add(m[1]); // Toss rejections
  for (const m of all(/code: '([a-z_]+)' \}/g)) codes.add(m[1]); // idempotency's HttpError bodies
  for (const c of union('MoneyErrorCode')) codes.add(c);
  for (const r of union('DiscountRejection')) codes.add(`discount_${r}`);
  for (const r of union('CouponRejection')) codes.add(`coupon_${r}`);
  for (const p of union('RefundAmountProblem')) codes.add(`refund_amount_${p}`);
  return codes;
}

/** A source literal as the thrower's text would read: `${…}` becomes a sample value. */
const sample = (literal: string) => literal.replace(/\$\{JSON\.stringify\([^}]*\}/g, '"X"').replace(/\$\{[^}]*\}/g, 'X');

describe('the catalogue covers the module', () => {
  const codes = thrownCodes();

  it('has an entry for every code thrown in src/modules/commerce', () => {
    expect(codes.size).toBeGreaterThan(70);
    const missing = [...codes].filter((c) => !COMMERCE_MESSAGES[c]).sort();
    expect(missing).toEqual([]);
  });

  it('finds a variant for every English message written next to its code', () => {
    const pairs: Array<[string, string]> = [];
    for (const m of all(/new (?:CommerceError|MoneyError|GatewayRejectedError)\(\s*'([a-z_]+)',\s*(['`])((?:\\.|(?!\2)[^\\])*?)\2\s*[,)]/g)) pairs.push([m[1], m[3]]);
    for (const m of all(/super\(\s*'([a-z_]+)',\s*(['`])((?:\\.|(?!\2)[^\\])*?)\2\s*[,)]/g)) if (!GATEWAY_KINDS.has(m[1])) pairs.push([m[1], m[3]]);
    for (const m of all(/new IllegalTransitionError\([^;]*?, (`[^`]*`)\);/g)) pairs.push(['illegal_transition', m[1].slice(1, -1)]);
    for (const m of all(/message = `(A payment in status[^`]*)`/g)) pairs.push(['illegal_transition', m[1]]);
    for (const m of all(/new RefundAmountError\('([a-z_]+)', (['`])(.*?)\2/g)) pairs.push([`refund_amount_${m[1]}`, m[3]]);
    for (const m of all(/(?:assertReason\([^,]+|ReasonRequiredError\(message) = '([^']*)'|assertReason\([^,()]+, '([^']*)'\)/g)) if (m[1] ?? m[2]) pairs.push(['reason_required', m[1] ?? m[2]]);
    for (const [block, prefix] of [['DISCOUNT_MESSAGES', 'discount_'], ['COUPON_MESSAGES', 'coupon_']] as const) {
      const body = new RegExp(`const ${block}[^{]*\\{([^}]*)\\}`).exec(ALL)![1];
      for (const m of all(/(\w+): '([^']*)'/g, body)) pairs.push([`${prefix}${m[1]}`, m[2]]);
    }
    expect(pairs.length).toBeGreaterThan(70);
    const unmatched = pairs.filter(([code, text]) => !hasCommerceText(code, sample(text))).map(([code, text]) => `${code}: ${text}`);
    expect(unmatched).toEqual([]);
  });

  it('has a Korean text for every field message written in the sources', () => {
    const texts = new Set<string>();
    const patterns = [/fieldError\('\w+', '([^']*)'\)/g, /\b\w+: \['([^']*)'\]/g, /\b\w+: \[`([^`]*)`\]/g, /push\((['`])(.*?)\1\)/g, /\badd\('\w+', '([^']*)'\)/g, /\badd\('\w+', [^'`]*'[^']*' \? '([^']*)' : '([^']*)'\)/g];
    for (const re of patterns) for (const m of all(re)) for (const g of m.slice(1)) if (g && / .*[.)]$/.test(g)) texts.add(sample(g)); // sentences, not names
    expect(texts.size).toBeGreaterThan(25);
    const anywhere = (t: string) => hasFieldText(t) || Object.keys(COMMERCE_MESSAGES).some((code) => hasFieldText(t, code));
    expect([...texts].filter((t) => !anywhere(t))).toEqual([]);
  });

  it('writes Korean: no catalogue text is left in English', () => {
    const hangul = /[가-힣]/;
    for (const [code, variants] of Object.entries(COMMERCE_MESSAGES)) {
      for (const v of variants) {
        const ko = typeof v.ko === 'function' ? v.ko({ status: 'paid', attempted: 'approved', rule: 'prorated', reason: 'other' }) : v.ko;
        expect([code, hangul.test(ko)]).toEqual([code, true]);
      }
    }
    for (const v of FIELD_MESSAGES) expect(hangul.test(typeof v.ko === 'function' ? v.ko({}) : v.ko)).toBe(true);
  });
});

const body = (err: unknown, lang: 'ko' | 'en' = 'ko') => {
  const http = toHttpError(err, lang) as HttpError;
  expect(http).toBeInstanceOf(HttpError);
  return { status: http.status, body: http.body as Record<string, unknown> };
};

describe('toHttpError speaks the request language', () => {
  it('404 detail: Korean by default, the thrown English on en', () => {
    expect(body(new PaymentNotFoundError())).toEqual({ status: 404, body: { detail: '결제를 찾을 수 없습니다.' } });
    expect(body(new PaymentNotFoundError(), 'en')).toEqual({ status: 404, body: { detail: 'Payment not found.' } });
    expect(body(new PlanNotFoundError('weekly')).body).toEqual({ detail: "이용할 수 있는 'weekly' 요금제가 없습니다." });
  });

  it('409 illegal transition keeps code, status and the other keys', () => {
    const err = new IllegalTransitionError('cancelled', 'approved', []);
    expect(body(err)).toEqual({ status: 409, body: { message: "이미 취소된 결제는 '승인' 상태로 바꿀 수 없습니다.", code: 'illegal_transition', status: 'cancelled', attempted: 'approved', allowed: [] } });
    expect(body(err, 'en').body).toEqual({ message: 'A payment in status "cancelled" cannot become "approved".', code: 'illegal_transition', status: 'cancelled', attempted: 'approved', allowed: [] });
    let refundErr: unknown;
    try {
      checkRefund({}, { status: 'requested', paid: 100, alreadyRefunded: 0, paidAt: new Date(), now: new Date(), watched: false, kind: 'item', periodStart: null, periodEnd: null });
    } catch (e) {
      refundErr = e;
    }
    expect(body(refundErr).body.message).toBe('승인 전인 결제는 환불할 수 없습니다.');
    let unknownState: unknown;
    try {
      assertTransition('paid', 'bogus' as never);
    } catch (e) {
      unknownState = e;
    }
    expect(body(unknownState).body.message).toBe('알 수 없는 결제 상태입니다: bogus');
  });

  it('402 declines by reason; refund policy refusals by rule', () => {
    expect(body(new PaymentDeclinedError('insufficient_funds', 'The card has insufficient funds.', 7))).toEqual({
      status: 402,
      body: { message: '잔액 또는 한도가 부족하여 결제가 거절되었습니다.', code: 'payment_declined', reason: 'insufficient_funds', payment_id: 7, status: 'failed' },
    });
    expect(body(new PaymentDeclinedError('insufficient_funds', 'The card has insufficient funds.', 7), 'en').body.message).toBe('The card has insufficient funds.');
    expect(body(new RefundNotAllowedError({ max: 0, rule: 'item_watched', remaining: 100, cap: 0 })).body).toEqual({ message: '이미 시청한 영화는 환불할 수 없습니다.', code: 'refund_not_allowed', rule: 'item_watched', max: 0 });
  });

  it('pricing, money, reasons and gateway errors', () => {
    expect(body(new DiscountNotApplicableError('exhausted')).body.message).toBe('사용 가능 횟수가 모두 소진된 할인입니다.');
    expect(body(new CouponNotApplicableError('below_minimum', { minAmount: 5000, amount: 100 })).body.message).toBe('결제 금액이 이 쿠폰의 최소 결제 금액(5000)보다 적습니다.');
    expect(body(new ReasonRequiredError('A refund override needs a reason.')).body).toEqual({ message: '정책 예외 환불에는 사유를 입력해 주세요.', code: 'reason_required', field: 'reason' });
    let money: unknown;
    try {
      assertCurrency('XYZ');
    } catch (e) {
      money = e;
    }
    expect(money).toBeInstanceOf(MoneyError);
    expect(body(money).body.message).toBe('지원하지 않는 통화입니다: XYZ.');
    const info = { gateway: 'toss', gatewayCode: 'X' };
    for (const err of [new GatewayAuthError(info), new GatewayTimeoutError(info), new GatewayUnavailableError(info), new GatewayNotFoundError(info), new GatewayInvalidResponseError('bad', info), new GatewayRejectedError('already_cancelled', '이미 취소된 결제 입니다.', info), new WebhookSignatureError()]) {
      const ko = body(err);
      const en = body(err, 'en');
      expect(ko.status).toBe(err.httpStatus);
      expect(ko.body.code).toBe(err.code);
      expect(ko.body.message).toMatch(/[가-힣]/);
      expect(en.body.message).toBe(err.message);
    }
  });

  it('field errors: every validator message is translated, field names unchanged', () => {
    const fieldsOf = (input: RawMethodInput) => {
      try {
        tokenizeMethod(input, { now: new Date('2030-06-01T00:00:00Z') });
      } catch (e) {
        return (e as PaymentMethodValidationError).fields;
      }
      throw new Error('valid');
    };
    const samples = [
      fieldsOf({ type: 'card', number: '12', expMonth: 13, expYear: 1999, cvc: 'x', holder: 'x'.repeat(101) }),
      fieldsOf({ type: 'card', number: '4242424242424241', expMonth: 1, expYear: 2030, cvc: '12' }),
      fieldsOf({ type: 'card', number: '378282246310005', expMonth: 1, expYear: 2030, cvc: '123' }),
      fieldsOf({ type: 'card', number: '4242424242424242', expMonth: 1, expYear: 2029, cvc: '123' }),
      fieldsOf({ type: 'paypal', email: 'nope' }),
      fieldsOf({ type: 'bank_transfer', bankName: '', accountNumber: '12' }),
      fieldsOf({ type: 'cash' } as never),
      validateDiscountRule({ type: 'percent', value: 150, validFrom: new Date(2), validUntil: new Date(1), remainingUses: 1.5 }),
      validateDiscountRule({ type: 'percent', value: 10.123 }),
      validateCouponRule({ type: 'fixed', value: 0, minAmount: -1 }),
      validateCouponRule({ type: 'bogus' as never, value: 1 }),
    ];
    let n = 0;
    for (const fields of samples) {
      const ko = localizeFields(fields, 'invalid_payment_method', 'ko');
      expect(Object.keys(ko)).toEqual(Object.keys(fields));
      for (const [field, messages] of Object.entries(fields)) {
        messages.forEach((m, i) => {
          n++;
          expect([field, m, /[가-힣]/.test(ko[field][i])]).toEqual([field, m, true]);
        });
      }
      expect(localizeFields(fields, 'invalid_payment_method', 'en')).toEqual(fields);
    }
    expect(n).toBeGreaterThan(15);
    expect(localizeFields({ card_number: ['A American Express card number has 15 digits.'] }, 'invalid_payment_method', 'ko')).toEqual({ card_number: ['American Express 카드 번호는 15자리입니다.'] });

    const err = new CommerceError('invalid_request', 'Give either plan or item.', 400, { fields: { plan: ['Give either plan or item.'] } });
    const http = toHttpError(err) as ValidationError;
    expect(http.status).toBe(400);
    expect(http.body).toEqual({ plan: ['요금제(plan)와 영화(item) 중 하나만 지정해 주세요.'] });
    expect((toHttpError(err, 'en') as ValidationError).body).toEqual({ plan: ['Give either plan or item.'] });
  });

  it('an unknown code or text falls back to the English message', () => {
    expect(body(new CommerceError('brand_new_code', 'Something new.', 409, { x: 1 }))).toEqual({ status: 409, body: { message: 'Something new.', code: 'brand_new_code', x: 1 } });
    expect(body(new CommerceError('payment_not_found', 'A text nobody catalogued.', 404)).body).toEqual({ detail: 'A text nobody catalogued.' });
    expect(localizeFields({ x: ['Uncatalogued.'] }, 'invalid_offer', 'ko')).toEqual({ x: ['Uncatalogued.'] });
    expect(toHttpError(new Error('plain'))).toBeInstanceOf(Error);
  });

  it('idempotency texts in both languages', () => {
    expect(commerceText('idempotency_key_reused', 'en', { header: 'Idempotency-Key' })).toBe('This Idempotency-Key was already used with a different request; use a new key for a new request.');
    expect(commerceText('idempotency_key_reused', 'ko', { header: 'Idempotency-Key' })).toBe('이 Idempotency-Key는 이미 다른 요청에 사용되었습니다. 새 요청에는 새 키를 사용해 주세요.');
    expect(commerceText('idempotency_key_missing', 'ko', { header: 'Idempotency-Key' })).toMatch(/^결제·환불 요청에는 Idempotency-Key 헤더가 필요합니다/);
  });
});
