// The commerce catalogue (src/modules/commerce/commerce.messages.ts): every code thrown in
// src/modules/commerce (and by the panel's commerce actions) has an entry with a Korean and an
// English text for each of its forms; the throw sites carry codes and values, no text; and the
// edge (src/http/errors.ts toHttpError) answers Korean by default and English on `en`, keeping
// code, status and the other keys.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { HttpError, toHttpError, translateFields, ValidationError } from '../../../src/http/errors.js';
import { commerceMessages, formsOf } from '../../../src/modules/commerce/commerce.messages.js';
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
import { mapTossError } from '../../../src/modules/commerce/gateways/toss.js';
import { WebhookSignatureError } from '../../../src/modules/commerce/gateways/webhook.js';
import { PlanNotFoundError } from '../../../src/modules/commerce/plans.service.js';
import { PaymentDeclinedError, PaymentNotFoundError } from '../../../src/modules/commerce/payments.service.js';
import { translate } from '../../../src/modules/shared/catalogue.js';
import { msg } from '../../../src/modules/shared/errors.js';

const ROOT = join(process.cwd(), 'src/modules/commerce');
function sources(dir = ROOT): Array<{ path: string; text: string }> {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return p.endsWith('.ts') && !p.endsWith('.messages.ts') ? [{ path: p, text: readFileSync(p, 'utf8') }] : [];
  });
}
/** The module's sources and the panel's commerce actions (they throw commerce codes too). */
const SRC = [...sources(), { path: 'admin/resources/commerce.ts', text: readFileSync(join(process.cwd(), 'admin/resources/commerce.ts'), 'utf8') }];
const ALL = SRC.map((f) => f.text).join('\n');
const all = (re: RegExp, text = ALL) => [...text.matchAll(re)];
/** The literals of a string-literal union type: `type X = 'a' | 'b';` */
const union = (name: string, text = ALL) => {
  const m = new RegExp(`type ${name} =([^;]+);`).exec(text);
  if (!m) throw new Error(`no type ${name}`);
  return all(/'([a-z_]+)'/g, m[1]).map((x) => x[1]);
};
const KINDS = "'(?:invalid|unauthorized|bad_signature|payment_required|forbidden|not_found|conflict|gone|unprocessable|upstream|unavailable|timeout)'";

/** Every code thrown (or named as a field message) in `text`, found by how the sources write them. */
function thrownCodes(text = ALL): Set<string> {
  const codes = new Set<string>();
  const add = (c: string | undefined) => c && codes.add(c);
  // new CommerceError('conflict', 'code', …) and a subclass's super('conflict', 'code', …)
  for (const m of all(new RegExp(`(?:new \\w*Error|super)\\(\\s*(?:${KINDS}|\\w+ \\? ${KINDS} : ${KINDS}),\\s*'([a-z_]+)'`, 'g'), text)) add(m[1]);
  // gateway errors: super('auth', 'gateway_auth_failed', …) and new GatewayRejectedError('code' | cond ? 'a' : 'b', …)
  for (const m of all(/super\(\s*'[a-z_]+',\s*'([a-z_]+)'/g, text)) add(m[1]);
  for (const m of all(/new GatewayRejectedError\(\s*(?:[^,]*\? '([a-z_]+)' : '([a-z_]+)'|'([a-z_]+)')/g, text)) [m[1], m[2], m[3]].forEach(add);
  for (const m of all(/\{ code: '([a-z_]+)', kind: '[a-z_]+' \}/g, text)) add(m[1]); // Toss rejections
  // field messages and texts by code
  for (const m of all(/\b(?:msg\(|(?:add|fieldError)\(\s*'\w+',\s*)'([a-zA-Z_]+)'/g, text)) add(m[1]);
  for (const m of all(/\? '(commerce[A-Za-z]+)' : '(commerce[A-Za-z]+)'/g, text)) [m[1], m[2]].forEach(add);
  // codes made of a prefix and a typed word
  for (const m of all(/\bnotFound\('([a-z]+)'\)/g, text)) add(`${m[1]}_not_found`);
  if (text === ALL) {
    for (const c of union('MoneyErrorCode')) add(c);
    for (const r of union('DiscountRejection')) add(`discount_${r}`);
    for (const r of union('CouponRejection')) add(`coupon_${r}`);
    for (const p of union('RefundAmountProblem')) add(`refund_amount_${p}`);
  }
  return codes;
}

/** Values for every placeholder a text may use. */
const SAMPLE = {
  status: 'paid',
  attempted: 'approved',
  target: 'refunded',
  rule: 'prorated',
  reason: 'card_declined',
  gatewayCode: 'insufficient_funds',
  max: 3300,
  remaining: 2,
  requested: 5,
  refundable: 3300,
  days: 7,
  paid: 9900,
  refunded: 100,
  plan: 'weekly',
  code: 'SPRING',
  gateway: 'toss',
  header: 'Idempotency-Key',
  users: [5, 6],
  per_user_limit: 1,
  minAmount: 5000,
  currency: 'KRW',
  expected: 'KRW',
  actual: 'USD',
  n: 3,
  field: 'amount',
  value: '"x"',
};

describe('the catalogue covers the module', () => {
  const codes = thrownCodes();

  it('has an entry for every code thrown in src/modules/commerce and by the panel’s commerce actions', () => {
    expect(codes.size).toBeGreaterThan(100);
    const missing = [...codes].filter((c) => !Object.hasOwn(commerceMessages, c)).sort();
    expect(missing).toEqual([]);
  });

  it('the check above catches a code without an entry', () => {
    const found = thrownCodes("throw new CommerceError('conflict', 'brand_new_code', { status });\nfields: { x: [msg('commerceNoSuchText')] }");
    expect([...found].sort()).toEqual(['brand_new_code', 'commerceNoSuchText']);
    expect([...found].filter((c) => !Object.hasOwn(commerceMessages, c)).sort()).toEqual(['brand_new_code', 'commerceNoSuchText']);
  });

  it('every code and every form of it has a Korean and an English text', () => {
    const hangul = /[가-힣]/;
    const problems: string[] = [];
    for (const code of Object.keys(commerceMessages)) {
      for (const form of [undefined, ...formsOf(code)]) {
        const vars = { ...SAMPLE, form };
        const ko = translate('ko', code, vars);
        const en = translate('en', code, vars);
        if (!hangul.test(ko)) problems.push(`${code}/${form ?? '-'}: ko ${ko}`);
        if (!en.trim() || hangul.test(en) || /\{\w+\}/.test(en)) problems.push(`${code}/${form ?? '-'}: en ${en}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('throw sites carry codes and values, no text', () => {
    // A domain error written with a sentence (the old way: new CommerceError('code', 'Some text.', 409)).
    const sentences = SRC.flatMap((f) =>
      [...f.text.matchAll(/new (?!TypeError|Error\b|NotFoundError)\w*Error\(([^;]*?)\);/g)].filter((m) => /(['`])[A-Z][^'`]* [^'`]*\1/.test(m[1])).map((m) => `${f.path}: ${m[0].slice(0, 100)}`),
    );
    expect(sentences).toEqual([]);
    expect(/(['`])[A-Z][^'`]* [^'`]*\1/.test("new CommerceError('conflict_x', 'The refund is done.', 409)")).toBe(true);
  });
});

const body = (err: unknown, lang: 'ko' | 'en' = 'ko') => {
  const http = toHttpError(err, lang) as HttpError;
  expect(http).toBeInstanceOf(HttpError);
  return { status: http.status, body: http.body as Record<string, unknown> };
};

describe('the edge speaks the request language', () => {
  it('404 detail: Korean by default, English on en', () => {
    expect(body(new PaymentNotFoundError())).toEqual({ status: 404, body: { detail: '결제를 찾을 수 없습니다.' } });
    expect(body(new PaymentNotFoundError(), 'en')).toEqual({ status: 404, body: { detail: 'Payment not found.' } });
    expect(body(new PlanNotFoundError('weekly')).body).toEqual({ detail: "이용할 수 있는 'weekly' 요금제가 없습니다." });
    expect(body(new PlanNotFoundError('we"ek'), 'en').body).toEqual({ detail: 'No active plan "we\\"ek".' });
  });

  it('409 illegal transition keeps code, status and the other keys; each form has its text', () => {
    const err = new IllegalTransitionError('cancelled', 'approved', []);
    expect(body(err)).toEqual({ status: 409, body: { message: "이미 취소된 결제는 '승인' 상태로 바꿀 수 없습니다.", code: 'illegal_transition', status: 'cancelled', attempted: 'approved', allowed: [] } });
    expect(body(err, 'en').body).toEqual({ message: 'A payment in status "cancelled" cannot become "approved".', code: 'illegal_transition', status: 'cancelled', attempted: 'approved', allowed: [] });
    expect(err.message).toBe('A payment in status "cancelled" cannot become "approved".');
    expect(body(new IllegalTransitionError('cancelled', 'paid', [], 'now')).body.message).toBe("결제가 그사이 '취소' 상태가 되어 '결제 완료' 상태로 바꿀 수 없습니다.");
    expect(new IllegalTransitionError('paid', 'failed', [], 'manual').message).toBe('A manual correction cannot change a payment from "paid" to "failed".');
    let refundErr: unknown;
    try {
      checkRefund({}, { status: 'requested', paid: 100, alreadyRefunded: 0, paidAt: new Date(), now: new Date(), watched: false, kind: 'item', periodStart: null, periodEnd: null });
    } catch (e) {
      refundErr = e;
    }
    expect(body(refundErr).body.message).toBe('승인 전인 결제는 환불할 수 없습니다.');
    expect(body(refundErr, 'en').body.message).toBe('A payment in status "requested" cannot be refunded.');
    let unknownState: unknown;
    try {
      assertTransition('paid', 'bogus' as never);
    } catch (e) {
      unknownState = e;
    }
    expect(body(unknownState).body).toEqual({ message: '알 수 없는 결제 상태입니다: bogus', code: 'unknown_payment_state' });
    expect(body(unknownState, 'en').body.message).toBe('Unknown payment status "bogus".');
  });

  it('402 declines by reason (English: the gateway’s words); refund policy refusals by rule', () => {
    const declined = new PaymentDeclinedError('insufficient_funds', 7, { said: 'The card has insufficient funds.' });
    expect(body(declined)).toEqual({
      status: 402,
      body: { message: '잔액 또는 한도가 부족하여 결제가 거절되었습니다.', code: 'payment_declined', reason: 'insufficient_funds', payment_id: 7, status: 'failed' },
    });
    expect(body(declined, 'en').body.message).toBe('The card has insufficient funds.');
    expect(new PaymentDeclinedError('other', 7).message).toBe('The payment was declined (other).');
    expect(body(new RefundNotAllowedError({ max: 0, rule: 'item_watched', remaining: 100, cap: 0 })).body).toEqual({ message: '이미 시청한 영화는 환불할 수 없습니다.', code: 'refund_not_allowed', rule: 'item_watched', max: 0 });
  });

  it('pricing, money, reasons and gateway errors', () => {
    expect(body(new DiscountNotApplicableError('exhausted'))).toEqual({ status: 409, body: { message: '사용 가능 횟수가 모두 소진된 할인입니다.', code: 'discount_exhausted', field: 'discount', reason: 'exhausted' } });
    expect(body(new CouponNotApplicableError('below_minimum', { minAmount: 5000, amount: 100 })).body.message).toBe('결제 금액이 이 쿠폰의 최소 결제 금액(5000)보다 적습니다.');
    expect(body(new ReasonRequiredError('override')).body).toEqual({ message: '정책 예외 환불에는 사유를 입력해 주세요.', code: 'reason_required', field: 'reason' });
    expect(body(new ReasonRequiredError('override'), 'en').body.message).toBe('A refund override needs a reason.');
    let money: unknown;
    try {
      assertCurrency('XYZ');
    } catch (e) {
      money = e;
    }
    expect(money).toBeInstanceOf(MoneyError);
    expect(body(money)).toEqual({ status: 400, body: { message: '지원하지 않는 통화입니다: XYZ.', code: 'unsupported_currency', currency: 'XYZ' } });
    expect(body(money, 'en').body.message).toBe('Unsupported currency "XYZ" (supported: KRW, USD, EUR, JPY).');
    const info = { gateway: 'toss', gatewayCode: 'X' };
    const errors = [
      new GatewayAuthError(info),
      new GatewayTimeoutError(info),
      new GatewayUnavailableError(info),
      new GatewayNotFoundError(info),
      new GatewayInvalidResponseError(info, { form: 'no_payment' }),
      new GatewayRejectedError('already_cancelled', info, { vars: { said: '이미 취소된 결제 입니다.' } }),
      new WebhookSignatureError(),
    ];
    for (const err of errors) {
      const ko = body(err);
      const en = body(err, 'en');
      expect([ko.status, en.status]).toEqual([err.httpStatus, err.httpStatus]);
      expect(ko.body.code).toBe(err.code);
      expect(ko.body.message).toMatch(/[가-힣]/);
      expect(en.body.message).toBe(err.message);
    }
    expect(errors.map((e) => e.httpStatus)).toEqual([502, 504, 503, 502, 502, 409, 401]);
    // A webhook's 401 is no login challenge.
    expect((toHttpError(new WebhookSignatureError(), 'ko') as HttpError).headers).toEqual({});
  });

  it('what Toss said is the English answer; Korean answers by code', () => {
    const err = mapTossError(403, { code: 'NOT_CANCELABLE_AMOUNT', message: '취소 할 수 없는 금액 입니다.' }, 'POST');
    expect(body(err)).toEqual({ status: 409, body: { message: '환불 가능한 잔액을 넘었습니다.', code: 'refund_exceeds_balance', gateway: 'toss', gatewayCode: 'NOT_CANCELABLE_AMOUNT' } });
    expect(body(err, 'en').body.message).toBe('취소 할 수 없는 금액 입니다.');
    expect(mapTossError(418, {}, 'POST').message).toBe('Toss answered HTTP 418.');
  });

  it('field errors: every validator message is translated, field names unchanged', () => {
    const fieldsOf = (input: RawMethodInput) => {
      try {
        tokenizeMethod(input, { now: new Date('2030-06-01T00:00:00Z') });
      } catch (e) {
        return (e as PaymentMethodValidationError).fields!;
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
      const ko = translateFields(fields, 'ko');
      const en = translateFields(fields, 'en');
      expect(Object.keys(ko)).toEqual(Object.keys(fields));
      for (const [field, messages] of Object.entries(ko)) {
        messages.forEach((m, i) => {
          n++;
          expect([field, en[field][i], /[가-힣]/.test(m)]).toEqual([field, en[field][i], true]);
        });
      }
    }
    expect(n).toBeGreaterThan(15);
    const amex = translateFields({ card_number: [msg('commerceCardLength', { brand: 'American Express', lengths: '15' })] }, 'ko');
    expect(amex).toEqual({ card_number: ['American Express 카드 번호는 15자리입니다.'] });

    const err = new CommerceError('invalid', 'invalid_request', {}, { fields: { plan: [msg('commercePlanOrItem')] } });
    const http = toHttpError(err, 'ko') as ValidationError;
    expect(http).toBeInstanceOf(ValidationError);
    expect(http.body).toEqual({ plan: ['요금제(plan)와 영화(item) 중 하나만 지정해 주세요.'] });
    expect((toHttpError(err, 'en') as ValidationError).body).toEqual({ plan: ['Give either plan or item.'] });
  });

  it('idempotency texts in both languages, once', () => {
    const header = { header: 'Idempotency-Key' };
    expect(translate('en', 'idempotency_key_reused', header)).toBe('This Idempotency-Key was already used with a different request; use a new key for a new request.');
    expect(translate('ko', 'idempotency_key_reused', header)).toBe('이 Idempotency-Key는 이미 다른 요청에 사용되었습니다. 새 요청에는 새 키를 사용해 주세요.');
    expect(translate('ko', 'idempotency_key_missing', header)).toMatch(/^결제·환불 요청에는 Idempotency-Key 헤더가 필요합니다/);
    // The sandbox gateway's own key refusal is a form of the same code.
    expect(translate('en', 'idempotency_key_reused', { form: 'gateway' })).toBe('This idempotency key was already used for a different request.');
  });

  it('anything else passes through', () => {
    const plain = new Error('plain');
    expect(toHttpError(plain, 'ko')).toBe(plain);
  });
});
