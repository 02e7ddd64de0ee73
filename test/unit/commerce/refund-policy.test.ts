// The refund policy: full within 7 days unwatched, prorated subscriptions, none after the period,
// items only within 7 days unwatched, overrides capped at the remaining amount, sum(refunds) ≤ paid.
import { IllegalTransitionError, ReasonRequiredError } from '../../../src/modules/commerce/domain/payment-state.js';
import {
  REFUND_POLICY_MARKDOWN,
  RefundAmountError,
  RefundNotAllowedError,
  checkRefund,
  refundableAmount,
  type RefundContext,
} from '../../../src/modules/commerce/domain/refund-policy.js';

const DAY = 86_400_000;
const start = new Date('2025-03-01T00:00:00Z');
const end30 = new Date('2025-03-31T00:00:00Z');
const at = (days: number, extraMs = 0) => new Date(start.getTime() + days * DAY + extraMs);

const sub = (over: Partial<RefundContext> = {}): RefundContext => ({
  paid: 9900,
  alreadyRefunded: 0,
  paidAt: start,
  periodStart: start,
  periodEnd: end30,
  watched: false,
  kind: 'subscription',
  now: at(3),
  ...over,
});
const item = (over: Partial<RefundContext> = {}): RefundContext => ({ paid: 3500, alreadyRefunded: 0, paidAt: start, watched: false, kind: 'item', now: at(3), ...over });

describe('refundableAmount', () => {
  it('day 3, not watched: everything', () => {
    expect(refundableAmount(sub())).toEqual({ max: 9900, rule: 'full_7d_unwatched', remaining: 9900, cap: 9900 });
    expect(refundableAmount(item())).toEqual({ max: 3500, rule: 'full_7d_unwatched', remaining: 3500, cap: 3500 });
  });

  it('day 3, watched: a subscription is prorated (27 of 30 days), an item gets nothing', () => {
    expect(refundableAmount(sub({ watched: true }))).toEqual({ max: 8910, rule: 'prorated', remaining: 9900, cap: 8910 });
    expect(refundableAmount(item({ watched: true }))).toEqual({ max: 0, rule: 'item_watched', remaining: 3500, cap: 0 });
  });

  it('the 7-day window includes exactly 7 × 24 h and nothing after', () => {
    expect(refundableAmount(sub({ now: at(7) })).rule).toBe('full_7d_unwatched');
    expect(refundableAmount(sub({ now: at(7, 1000) }))).toEqual({ max: Math.floor((9900 * (23 * 86400 - 1)) / (30 * 86400)), rule: 'prorated', remaining: 9900, cap: Math.floor((9900 * (23 * 86400 - 1)) / (30 * 86400)) });
    expect(refundableAmount(item({ now: at(7) })).rule).toBe('full_7d_unwatched');
    expect(refundableAmount(item({ now: at(7, 1) }))).toEqual({ max: 0, rule: 'item_window_passed', remaining: 3500, cap: 0 });
  });

  it('day 20: prorated to an exact integer (floor)', () => {
    expect(refundableAmount(sub({ now: at(20) })).max).toBe(3300); // 9900 × 10/30
    const march = sub({ paid: 10900, periodEnd: new Date('2025-04-01T00:00:00Z'), now: at(20) });
    expect(refundableAmount(march)).toEqual({ max: 3867, rule: 'prorated', remaining: 10900, cap: 3867 }); // 10900 × 11/31 = 3867.74
  });

  it('after the period: nothing', () => {
    expect(refundableAmount(sub({ now: end30 }))).toEqual({ max: 0, rule: 'period_ended', remaining: 9900, cap: 0 });
    expect(refundableAmount(sub({ now: at(45), watched: true })).rule).toBe('period_ended');
  });

  it('earlier refunds count against the rule', () => {
    expect(refundableAmount(sub({ alreadyRefunded: 1000 })).max).toBe(8900);
    expect(refundableAmount(sub({ now: at(20), alreadyRefunded: 1000 }))).toEqual({ max: 2300, rule: 'prorated', remaining: 8900, cap: 3300 });
    expect(refundableAmount(sub({ now: at(20), alreadyRefunded: 5000 })).max).toBe(0); // prorated value already exceeded
    expect(refundableAmount(sub({ alreadyRefunded: 9900 }))).toEqual({ max: 0, rule: 'fully_refunded', remaining: 0, cap: 9900 });
  });

  it('rejects broken contexts', () => {
    expect(() => refundableAmount(sub({ alreadyRefunded: 10000 }))).toThrow(expect.objectContaining({ code: 'refund_invariant' }));
    expect(() => refundableAmount(sub({ periodEnd: null }))).toThrow(TypeError);
    expect(() => refundableAmount(sub({ periodEnd: start }))).toThrow(TypeError);
    expect(() => refundableAmount(sub({ paid: 99.5 }))).toThrow(expect.objectContaining({ code: 'invalid_amount' }));
  });
});

describe('checkRefund', () => {
  it('a member gets the policy maximum by default, or any smaller amount', () => {
    expect(checkRefund({}, { ...sub(), status: 'paid' })).toEqual({
      amount: 9900,
      rule: 'full_7d_unwatched',
      reason: null,
      policy: { max: 9900, rule: 'full_7d_unwatched', remaining: 9900, cap: 9900 },
      refundedAfter: 9900,
      remainingAfter: 0,
      nextStatus: 'refunded',
    });
    const d = checkRefund({ amount: 1000, reason: '  changed my mind ' }, { ...sub({ now: at(20) }), status: 'paid' });
    expect(d).toMatchObject({ amount: 1000, rule: 'prorated', reason: 'changed my mind', refundedAfter: 1000, remainingAfter: 8900, nextStatus: 'partially_refunded' });
  });

  it('a second partial refund keeps partially_refunded until the total is reached', () => {
    const ctx = { ...sub(), alreadyRefunded: 4000, status: 'partially_refunded' as const };
    expect(checkRefund({ amount: 1000 }, ctx).nextStatus).toBe('partially_refunded');
    expect(checkRefund({ amount: 5900 }, ctx).nextStatus).toBe('refunded');
  });

  it('more than the policy allows → 400 with the maximum', () => {
    let e: RefundAmountError | undefined;
    try {
      checkRefund({ amount: 3301 }, { ...sub({ now: at(20) }), status: 'paid' });
    } catch (err) {
      e = err as RefundAmountError;
    }
    expect(e).toBeInstanceOf(RefundAmountError);
    expect(e!.problem).toBe('exceeds_allowed');
    expect(e!.httpStatus).toBe(400);
    expect(e!.details).toMatchObject({ max: 3300, rule: 'prorated', field: 'amount' });
    expect(checkRefund({ amount: 3300 }, { ...sub({ now: at(20) }), status: 'paid' }).amount).toBe(3300);
  });

  it('nothing allowed → 409 refund_not_allowed with the rule', () => {
    const e = (() => {
      try {
        checkRefund({}, { ...item({ watched: true }), status: 'paid' });
      } catch (err) {
        return err as RefundNotAllowedError;
      }
    })();
    expect(e).toBeInstanceOf(RefundNotAllowedError);
    expect(e!.httpStatus).toBe(409);
    expect(e!.details).toEqual({ rule: 'item_watched', max: 0 });
    expect(() => checkRefund({}, { ...sub({ now: at(31) }), status: 'paid' })).toThrow(RefundNotAllowedError);
  });

  it('bad amounts → 400', () => {
    for (const amount of [0, -5, 10.5, Number.NaN]) {
      expect(() => checkRefund({ amount }, { ...sub(), status: 'paid' })).toThrow(expect.objectContaining({ code: 'refund_amount_invalid', httpStatus: 400 }));
    }
  });

  it('only paid or partially refunded payments → otherwise 409 with the current status', () => {
    for (const status of ['requested', 'approved', 'refunded', 'cancelled', 'failed'] as const) {
      let e: IllegalTransitionError | undefined;
      try {
        checkRefund({}, { ...sub(), status });
      } catch (err) {
        e = err as IllegalTransitionError;
      }
      expect(e).toBeInstanceOf(IllegalTransitionError);
      expect(e!.current).toBe(status);
      expect(e!.httpStatus).toBe(409);
    }
  });

  describe('finance/admin override', () => {
    it('allows any amount up to the remaining one, even after the period, with a reason', () => {
      const d = checkRefund({ override: true, amount: 5000, reason: 'Service outage on 3 March' }, { ...sub({ now: at(45) }), status: 'paid' });
      expect(d).toMatchObject({ amount: 5000, rule: 'override', reason: 'Service outage on 3 March', nextStatus: 'partially_refunded' });
      expect(d.policy).toEqual({ max: 0, rule: 'period_ended', remaining: 9900, cap: 0 });
      const last = checkRefund({ override: true, amount: 5900, reason: 'goodwill' }, { ...sub({ now: at(45), alreadyRefunded: 4000 }), status: 'partially_refunded' });
      expect(last).toMatchObject({ amount: 5900, refundedAfter: 9900, remainingAfter: 0, nextStatus: 'refunded' });
    });

    it('is capped at the remaining amount: sum(refunds) ≤ paid (409)', () => {
      let e: RefundAmountError | undefined;
      try {
        checkRefund({ override: true, amount: 6000, reason: 'goodwill' }, { ...sub({ alreadyRefunded: 4000 }), status: 'partially_refunded' });
      } catch (err) {
        e = err as RefundAmountError;
      }
      expect(e).toBeInstanceOf(RefundAmountError);
      expect(e!.problem).toBe('exceeds_remaining');
      expect(e!.httpStatus).toBe(409);
      expect(e!.details).toMatchObject({ max: 5900 });
      expect(() => checkRefund({ override: true, amount: 1, reason: 'x' }, { ...sub({ alreadyRefunded: 9900 }), status: 'refunded' })).toThrow(IllegalTransitionError);
    });

    it('needs a reason and an explicit amount', () => {
      expect(() => checkRefund({ override: true, amount: 100 }, { ...sub(), status: 'paid' })).toThrow(ReasonRequiredError);
      expect(() => checkRefund({ override: true, amount: 100, reason: '  ' }, { ...sub(), status: 'paid' })).toThrow(ReasonRequiredError);
      expect(() => checkRefund({ override: true, reason: 'goodwill' }, { ...sub(), status: 'paid' })).toThrow(expect.objectContaining({ code: 'refund_amount_required' }));
    });
  });
});

it('exports the policy as markdown for docs/payments.md', () => {
  for (const rule of ['full_7d_unwatched', 'prorated', 'period_ended', 'item_watched', 'item_window_passed', 'override']) {
    expect(REFUND_POLICY_MARKDOWN).toContain(`\`${rule}\``);
  }
  expect(REFUND_POLICY_MARKDOWN).toContain('7 days');
});

describe('docs/payments.md', () => {
  it('carries the refund policy text exactly as the code implements it', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../../docs/payments.md', import.meta.url), 'utf8');
    expect(doc).toContain(REFUND_POLICY_MARKDOWN.trim());
  });

  it('is where the README sends a reader for the refund policy', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    expect(readme).toMatch(/\]\(docs\/payments\.md\)/);
  });
});
