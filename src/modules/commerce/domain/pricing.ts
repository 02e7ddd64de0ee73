// Price quotes: list price → discount → coupon → total, all integers in minor units.
//
// Order and rules
// 1. The discount (partner/promotion) applies to the list price.
//    percent: round half up of list × value% (money.percentOf); fixed: `value` minor units of its
//    own currency, which must be the price's currency. Never more than the list price.
// 2. The coupon applies to what is left after the discount (its minimum amount is compared with
//    that amount too). percent: round half up of that amount × value%; fixed: likewise capped.
// 3. total = list − discount − coupon, never below zero.
// Validity windows are [validFrom, validUntil): from inclusive, until exclusive; null = open.
// The discount's plan list empty/absent = every plan; a non-empty list needs a matching plan code
// (so it never applies to single-item purchases). remainingUses null/absent = no cap; ≤ 0 =
// exhausted. The database must still take the use atomically (UPDATE … WHERE used_count < max_uses).
// A fixed rule's currency must be the price's currency; a percent rule works in any currency
// (a percent coupon's minimum is in its own currency if it has one, else in the price's).
// Per-member coupon use (issued/used/revoked) is the database's business, not checked here.
import { msg, type FieldMessages } from '../../shared/errors.js';
import type { CommerceCode } from '../commerce.messages.js';
import { CommerceError } from './errors.js';
import { assertMoney, isMinorAmount, percentOf, type Money } from './money.js';

export type AdjustmentType = 'percent' | 'fixed';

/** Field names follow the `discounts` table so an entity can be passed as is (plus remainingUses). */
export interface DiscountRule {
  id?: number | null;
  type: AdjustmentType;
  /** percent: 0 < value ≤ 100 (≤ 2 decimals); fixed: positive integer minor units of `currency`. */
  value: number;
  /** Required for fixed; ignored for percent. */
  currency?: string | null;
  validFrom?: Date | null;
  validUntil?: Date | null;
  /** Plan codes it applies to; empty or absent = every plan. */
  planCodes?: readonly string[] | null;
  /** Uses left under the total cap; null/absent = uncapped. See `remainingUses()`. */
  remainingUses?: number | null;
  /** false → not applicable (admin switched it off). Absent = active. */
  active?: boolean | null;
}

/** Field names follow the `coupons` table. */
export interface CouponRule {
  id?: number | null;
  code?: string | null;
  type: AdjustmentType;
  value: number;
  currency?: string | null;
  /** Minimum amount (after the discount, same currency) for the coupon to apply; 0/absent = none. */
  minAmount?: number | null;
  validFrom?: Date | null;
  validUntil?: Date | null;
}

export interface QuoteInput {
  listPrice: Money;
  discount?: DiscountRule | null;
  coupon?: CouponRule | null;
  /** The plan being bought; null/absent for a single-item purchase. */
  planCode?: string | null;
  now: Date;
}

/** Matches the payments columns amount_list, amount_discount, amount_coupon, amount_total, currency. */
export interface Quote {
  list: number;
  discount: number;
  coupon: number;
  total: number;
  currency: string;
}

export type DiscountRejection = 'inactive' | 'not_started' | 'expired' | 'plan_not_eligible' | 'exhausted' | 'currency_mismatch';
export type CouponRejection = 'not_started' | 'expired' | 'below_minimum' | 'currency_mismatch';

/** Rejections that depend on shared state (someone else used the last one, admin switched it off) → 409; the rest → 400. */
const CONFLICT_REJECTIONS: ReadonlySet<string> = new Set(['exhausted', 'inactive']);

export class DiscountNotApplicableError extends CommerceError<`discount_${DiscountRejection}`> {
  constructor(
    public readonly reason: DiscountRejection,
    details: Record<string, unknown> = {},
  ) {
    super(CONFLICT_REJECTIONS.has(reason) ? 'conflict' : 'invalid', `discount_${reason}`, { field: 'discount', reason, ...details });
  }
}

export class CouponNotApplicableError extends CommerceError<`coupon_${CouponRejection}`> {
  constructor(
    public readonly reason: CouponRejection,
    details: Record<string, unknown> = {},
  ) {
    super(CONFLICT_REJECTIONS.has(reason) ? 'conflict' : 'invalid', `coupon_${reason}`, { field: 'coupon', reason, ...details });
  }
}

/** A stored rule that can never be valid (bad value/currency): data to fix, reported per field. */
export class InvalidPricingRuleError extends CommerceError<'invalid_pricing_rule'> {
  constructor(
    public readonly rule: 'discount' | 'coupon',
    fields: FieldMessages,
  ) {
    super('invalid', 'invalid_pricing_rule', { rule }, { fields });
  }
}

/** maxUses null = uncapped; else max(0, maxUses − usedCount). */
export function remainingUses(rule: { maxUses: number | null; usedCount: number }): number | null {
  return rule.maxUses === null ? null : Math.max(0, rule.maxUses - rule.usedCount);
}

function validateAdjustment(rule: { type: unknown; value: unknown; currency?: unknown; validFrom?: unknown; validUntil?: unknown }): FieldMessages {
  const fields: FieldMessages = {};
  const add = (f: string, code: CommerceCode) => (fields[f] ??= []).push(msg(code));
  if (rule.type === 'percent') {
    const v = rule.value;
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 100) add('value', 'commercePercentRange');
    else if (Math.abs(v * 100 - Math.round(v * 100)) > 1e-6) add('value', 'commercePercentDecimals');
  } else if (rule.type === 'fixed') {
    if (!isMinorAmount(rule.value) || rule.value === 0) add('value', 'commerceFixedAmount');
    if (typeof rule.currency !== 'string' || !rule.currency) add('currency', 'commerceFixedCurrency');
  } else {
    add('type', 'commerceAdjustmentType');
  }
  const from = rule.validFrom;
  const until = rule.validUntil;
  if (from instanceof Date && until instanceof Date && until.getTime() <= from.getTime()) add('validUntil', 'commerceUntilAfterFrom');
  return fields;
}

/** Field errors (codes) of a discount definition ({} when valid): for the admin create/edit forms. */
export function validateDiscountRule(rule: DiscountRule): FieldMessages {
  const fields = validateAdjustment(rule);
  if (rule.remainingUses !== undefined && rule.remainingUses !== null && !Number.isSafeInteger(rule.remainingUses)) {
    (fields.remainingUses ??= []).push(msg('commerceRemainingUses'));
  }
  return fields;
}

/** Field errors (codes) of a coupon definition ({} when valid). */
export function validateCouponRule(rule: CouponRule): FieldMessages {
  const fields = validateAdjustment(rule);
  if (rule.minAmount !== undefined && rule.minAmount !== null && !isMinorAmount(rule.minAmount)) {
    (fields.minAmount ??= []).push(msg('commerceMinAmount'));
  }
  return fields;
}

function windowState(from: Date | null | undefined, until: Date | null | undefined, now: Date): 'not_started' | 'expired' | 'ok' {
  const t = now.getTime();
  if (from && t < from.getTime()) return 'not_started';
  if (until && t >= until.getTime()) return 'expired';
  return 'ok';
}

/** The amount an adjustment takes off `base` (never more than `base`). */
function adjustmentAmount(rule: { type: AdjustmentType; value: number }, base: number): number {
  const off = rule.type === 'percent' ? percentOf(base, rule.value) : rule.value;
  return Math.min(off, base);
}

/** Throws DiscountNotApplicableError unless `discount` applies to this purchase at `now`. */
export function assertDiscountApplicable(discount: DiscountRule, input: { listPrice: Money; planCode?: string | null; now: Date }): void {
  const fields = validateDiscountRule(discount);
  if (Object.keys(fields).length) throw new InvalidPricingRuleError('discount', fields);
  if (discount.active === false) throw new DiscountNotApplicableError('inactive');
  const w = windowState(discount.validFrom, discount.validUntil, input.now);
  if (w !== 'ok') {
    throw new DiscountNotApplicableError(w, w === 'expired' ? { validUntil: discount.validUntil?.toISOString() } : { validFrom: discount.validFrom?.toISOString() });
  }
  const plans = discount.planCodes ?? [];
  if (plans.length > 0 && (!input.planCode || !plans.includes(input.planCode))) {
    throw new DiscountNotApplicableError('plan_not_eligible', { planCode: input.planCode ?? null });
  }
  if (discount.remainingUses !== undefined && discount.remainingUses !== null && discount.remainingUses <= 0) {
    throw new DiscountNotApplicableError('exhausted');
  }
  if (discount.type === 'fixed' && discount.currency !== input.listPrice.currency) {
    throw new DiscountNotApplicableError('currency_mismatch', { currency: discount.currency, expected: input.listPrice.currency });
  }
}

/** Throws CouponNotApplicableError unless `coupon` applies to `base` (the amount after the discount) at `now`. */
export function assertCouponApplicable(coupon: CouponRule, input: { base: Money; now: Date }): void {
  const fields = validateCouponRule(coupon);
  if (Object.keys(fields).length) throw new InvalidPricingRuleError('coupon', fields);
  const w = windowState(coupon.validFrom, coupon.validUntil, input.now);
  if (w !== 'ok') {
    throw new CouponNotApplicableError(w, w === 'expired' ? { validUntil: coupon.validUntil?.toISOString() } : { validFrom: coupon.validFrom?.toISOString() });
  }
  // Amounts (a fixed value, a minimum) are in the coupon's currency; a fixed coupon always has one
  // (validated above). A percent coupon without a currency has its minimum read in the price's currency.
  const min = coupon.minAmount ?? 0;
  if ((coupon.type === 'fixed' || min > 0) && coupon.currency && coupon.currency !== input.base.currency) {
    throw new CouponNotApplicableError('currency_mismatch', { currency: coupon.currency, expected: input.base.currency });
  }
  if (min > 0 && input.base.amount < min) throw new CouponNotApplicableError('below_minimum', { minAmount: min, amount: input.base.amount });
}

/**
 * The price of one purchase. Throws DiscountNotApplicableError / CouponNotApplicableError
 * (400, or 409 for exhausted/inactive), InvalidPricingRuleError for a misconfigured rule and
 * MoneyError for an invalid list price.
 */
export function quote(input: QuoteInput): Quote {
  assertMoney(input.listPrice, 'listPrice');
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime())) throw new CommerceError('invalid', 'invalid_time');
  const { currency } = input.listPrice;
  const list = input.listPrice.amount;

  let discount = 0;
  if (input.discount) {
    assertDiscountApplicable(input.discount, input);
    discount = adjustmentAmount(input.discount, list);
  }
  const afterDiscount = list - discount;

  let coupon = 0;
  if (input.coupon) {
    assertCouponApplicable(input.coupon, { base: { amount: afterDiscount, currency }, now: input.now });
    coupon = adjustmentAmount(input.coupon, afterDiscount);
  }
  const total = afterDiscount - coupon;
  return { list, discount, coupon, total, currency };
}
