// Quotes: discount first, then coupon, exact integers, half-up percentages, typed rejections.
import { translateFields } from '../../../src/http/errors.js';
import { MoneyError, money } from '../../../src/modules/commerce/domain/money.js';
import {
  CouponNotApplicableError,
  DiscountNotApplicableError,
  InvalidPricingRuleError,
  quote,
  remainingUses,
  validateCouponRule,
  validateDiscountRule,
  type CouponRule,
  type DiscountRule,
} from '../../../src/modules/commerce/domain/pricing.js';

const now = new Date('2025-06-15T12:00:00Z');
const jan = new Date('2025-01-01T00:00:00Z');
const dec = new Date('2025-12-31T00:00:00Z');

function rejection(fn: () => unknown): DiscountNotApplicableError | CouponNotApplicableError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DiscountNotApplicableError || e instanceof CouponNotApplicableError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('quote', () => {
  it('KRW: 15% partner discount, then a 10% coupon on what is left (841.5 → 842)', () => {
    const discount: DiscountRule = { type: 'percent', value: 15, validFrom: jan, validUntil: dec, planCodes: ['basic-monthly', 'basic-yearly'], remainingUses: 10 };
    const coupon: CouponRule = { type: 'percent', value: 10, minAmount: 5000, currency: 'KRW' };
    expect(quote({ listPrice: money(9900, 'KRW'), discount, coupon, planCode: 'basic-monthly', now })).toEqual({
      list: 9900,
      discount: 1485,
      coupon: 842,
      total: 7573,
      currency: 'KRW',
    });
  });

  it('USD: 12.5% discount (249.875 → 250) and a $5 coupon with a $10 minimum', () => {
    const q = quote({
      listPrice: money(1999, 'USD'),
      discount: { type: 'percent', value: 12.5 },
      coupon: { type: 'fixed', value: 500, currency: 'USD', minAmount: 1000 },
      planCode: 'premium-monthly',
      now,
    });
    expect(q).toEqual({ list: 1999, discount: 250, coupon: 500, total: 1249, currency: 'USD' });
  });

  it('rounds the half cent up ($8.45 × 10% = 84.5¢ → 85¢)', () => {
    expect(quote({ listPrice: money(845, 'USD'), coupon: { type: 'percent', value: 10 }, now })).toEqual({ list: 845, discount: 0, coupon: 85, total: 760, currency: 'USD' });
    expect(quote({ listPrice: money(844, 'USD'), coupon: { type: 'percent', value: 10 }, now }).coupon).toBe(84); // 84.4 → 84
  });

  it('KRW fixed discount and no coupon; no rules at all', () => {
    expect(quote({ listPrice: money(14900, 'KRW'), discount: { type: 'fixed', value: 3000, currency: 'KRW' }, planCode: 'x', now })).toEqual({
      list: 14900,
      discount: 3000,
      coupon: 0,
      total: 11900,
      currency: 'KRW',
    });
    expect(quote({ listPrice: money(14900, 'KRW'), now })).toEqual({ list: 14900, discount: 0, coupon: 0, total: 14900, currency: 'KRW' });
  });

  it('never goes below zero: fixed amounts are capped at what is left', () => {
    const q = quote({
      listPrice: money(3000, 'KRW'),
      discount: { type: 'fixed', value: 5000, currency: 'KRW' },
      coupon: { type: 'fixed', value: 1000, currency: 'KRW' },
      now,
    });
    expect(q).toEqual({ list: 3000, discount: 3000, coupon: 0, total: 0, currency: 'KRW' });
    const q2 = quote({ listPrice: money(3000, 'KRW'), discount: { type: 'percent', value: 50 }, coupon: { type: 'fixed', value: 2000, currency: 'KRW' }, now });
    expect(q2).toEqual({ list: 3000, discount: 1500, coupon: 1500, total: 0, currency: 'KRW' });
    expect(quote({ listPrice: money(999, 'USD'), discount: { type: 'percent', value: 100 }, now }).total).toBe(0);
  });

  it('keeps list = discount + coupon + total with integers ≥ 0 over many combinations', () => {
    let seed = 42; // mulberry32: deterministic, well spread
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return (((t ^ (t >>> 14)) >>> 0) % n);
    };
    const seen = { percent: 0, fixed: 0, halfUp: 0 };
    for (let i = 0; i < 2000; i++) {
      const currency = i % 2 ? 'USD' : 'KRW';
      const list = rnd(100_000);
      const discount: DiscountRule = rnd(2) ? { type: 'percent', value: 1 + rnd(9901) / 100 } : { type: 'fixed', value: 1 + rnd(50_000), currency };
      const coupon: CouponRule = rnd(2) ? { type: 'percent', value: 1 + rnd(100) } : { type: 'fixed', value: 1 + rnd(50_000), currency };
      seen[discount.type]++;
      seen[coupon.type]++;
      const q = quote({ listPrice: money(list, currency), discount, coupon, now });
      if (discount.type === 'percent') {
        // the exact rational portion, rounded half up, compared in integers
        const bp = Math.round(discount.value * 100);
        const exact2 = 2 * list * bp; // 2 × list × bp / 10000 = twice the exact portion
        expect(q.discount).toBe(Math.floor((exact2 + 10000) / 20000));
        if ((list * bp) % 10000 === 5000) seen.halfUp++;
      }
      for (const v of [q.list, q.discount, q.coupon, q.total]) {
        expect(Number.isSafeInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
      }
      expect(q.discount + q.coupon + q.total).toBe(list);
    }
    expect(seen.percent).toBeGreaterThan(1500);
    expect(seen.fixed).toBeGreaterThan(1500);
  });

  it('rejects a list price that is not integer minor units', () => {
    expect(() => quote({ listPrice: { amount: 99.5, currency: 'USD' }, now })).toThrow(MoneyError);
    expect(() => quote({ listPrice: { amount: 100, currency: 'GBP' }, now })).toThrow(MoneyError);
  });
});

describe('discount rejections', () => {
  const base = { listPrice: money(9900, 'KRW'), planCode: 'basic-monthly' };

  it('expired: validUntil is exclusive (400)', () => {
    const e = rejection(() => quote({ ...base, discount: { type: 'percent', value: 10, validUntil: now }, now }));
    expect(e).toBeInstanceOf(DiscountNotApplicableError);
    expect(e.reason).toBe('expired');
    expect(e.code).toBe('discount_expired');
    expect(e.httpStatus).toBe(400);
    expect(quote({ ...base, discount: { type: 'percent', value: 10, validUntil: new Date(now.getTime() + 1) }, now }).discount).toBe(990);
  });

  it('not started: validFrom is inclusive', () => {
    expect(rejection(() => quote({ ...base, discount: { type: 'percent', value: 10, validFrom: new Date(now.getTime() + 1) }, now })).reason).toBe('not_started');
    expect(quote({ ...base, discount: { type: 'percent', value: 10, validFrom: now }, now }).discount).toBe(990);
  });

  it('plan not eligible (and never for an item purchase when plans are listed)', () => {
    const discount: DiscountRule = { type: 'percent', value: 10, planCodes: ['premium-yearly'] };
    expect(rejection(() => quote({ ...base, discount, now })).reason).toBe('plan_not_eligible');
    expect(rejection(() => quote({ listPrice: base.listPrice, discount, planCode: null, now })).reason).toBe('plan_not_eligible');
    expect(quote({ ...base, discount: { ...discount, planCodes: [] }, now }).discount).toBe(990);
  });

  it('capped: no uses left → 409; the last one still applies', () => {
    const e = rejection(() => quote({ ...base, discount: { type: 'percent', value: 10, remainingUses: 0 }, now }));
    expect(e.reason).toBe('exhausted');
    expect(e.httpStatus).toBe(409);
    expect(quote({ ...base, discount: { type: 'percent', value: 10, remainingUses: 1 }, now }).discount).toBe(990);
    expect(quote({ ...base, discount: { type: 'percent', value: 10, remainingUses: null }, now }).discount).toBe(990);
    expect(remainingUses({ maxUses: 100, usedCount: 100 })).toBe(0);
    expect(remainingUses({ maxUses: 100, usedCount: 120 })).toBe(0);
    expect(remainingUses({ maxUses: 100, usedCount: 7 })).toBe(93);
    expect(remainingUses({ maxUses: null, usedCount: 7 })).toBeNull();
  });

  it('inactive → 409; fixed amount in another currency → 400', () => {
    expect(rejection(() => quote({ ...base, discount: { type: 'percent', value: 10, active: false }, now })).httpStatus).toBe(409);
    const e = rejection(() => quote({ ...base, discount: { type: 'fixed', value: 500, currency: 'USD' }, now }));
    expect(e.reason).toBe('currency_mismatch');
    expect(e.httpStatus).toBe(400);
    // a percentage works in any currency
    expect(quote({ listPrice: money(1000, 'USD'), discount: { type: 'percent', value: 10, currency: 'KRW' }, now }).discount).toBe(100);
  });

  it('misconfigured rules are reported per field', () => {
    expect(() => quote({ ...base, discount: { type: 'percent', value: 0 }, now })).toThrow(InvalidPricingRuleError);
    expect(() => quote({ ...base, discount: { type: 'percent', value: 150 }, now })).toThrow(InvalidPricingRuleError);
    expect(translateFields(validateDiscountRule({ type: 'fixed', value: 10.5 }), 'en')).toEqual({
      value: ['A fixed amount must be a positive integer in minor units.'],
      currency: ['A fixed amount needs a currency.'],
    });
    expect(validateDiscountRule({ type: 'percent', value: 10, validFrom: dec, validUntil: jan })).toHaveProperty('validUntil');
    expect(validateDiscountRule({ type: 'percent', value: 12.5 })).toEqual({});
    expect(validateCouponRule({ type: 'percent', value: 10, minAmount: -1 })).toHaveProperty('minAmount');
  });
});

describe('coupon rejections', () => {
  it('below the minimum, compared with the amount after the discount', () => {
    const coupon: CouponRule = { type: 'fixed', value: 1000, currency: 'KRW', minAmount: 9000 };
    expect(quote({ listPrice: money(10000, 'KRW'), coupon, now }).total).toBe(9000);
    const e = rejection(() => quote({ listPrice: money(10000, 'KRW'), discount: { type: 'percent', value: 20 }, coupon, now }));
    expect(e).toBeInstanceOf(CouponNotApplicableError);
    expect(e.reason).toBe('below_minimum');
    expect(e.code).toBe('coupon_below_minimum');
    expect(e.details).toMatchObject({ minAmount: 9000, amount: 8000, field: 'coupon' });
  });

  it('expired, not yet valid, other currency', () => {
    expect(rejection(() => quote({ listPrice: money(1000, 'USD'), coupon: { type: 'percent', value: 5, validUntil: jan }, now })).reason).toBe('expired');
    expect(rejection(() => quote({ listPrice: money(1000, 'USD'), coupon: { type: 'percent', value: 5, validFrom: dec }, now })).reason).toBe('not_started');
    expect(rejection(() => quote({ listPrice: money(1000, 'USD'), coupon: { type: 'fixed', value: 100, currency: 'EUR' }, now })).reason).toBe('currency_mismatch');
    expect(rejection(() => quote({ listPrice: money(1000, 'USD'), coupon: { type: 'percent', value: 5, currency: 'KRW', minAmount: 10 }, now })).reason).toBe('currency_mismatch');
  });

  it('a valid discount with a bad coupon still fails the whole quote', () => {
    expect(() =>
      quote({ listPrice: money(9900, 'KRW'), discount: { type: 'percent', value: 10 }, coupon: { type: 'percent', value: 10, validUntil: jan }, now }),
    ).toThrow(CouponNotApplicableError);
  });
});
