// Money: an integer amount in the currency's minor unit plus an ISO 4217 code. Never a float.
//
// Rounding rules (the only two used anywhere in commerce):
// - Percentages (`percentOf`, `applyPercentOff`): the percentage *portion* is rounded half up on
//   minor units — 84.5 → 85, 84.49 → 84 — computed exactly with integers (BigInt), never with
//   floating point. The amount left after taking the portion off is never below zero.
// - Proration (`prorate`, `prorateByPeriod`): amount × remaining ÷ total seconds, rounded down
//   (floor), so a prorated refund never exceeds the exact value.
import { CommerceError, type CommerceErrorOptions } from './errors.js';

export interface Money {
  /** Integer in the currency's minor unit (KRW: won, USD: cents). Never negative. */
  readonly amount: number;
  /** ISO 4217 code, upper case, one of SUPPORTED_CURRENCIES. */
  readonly currency: string;
}

/** Decimal places of each supported currency (ISO 4217 minor units). */
export const CURRENCY_MINOR_UNITS = Object.freeze({ KRW: 0, USD: 2, EUR: 2, JPY: 0 } as const);
export type CurrencyCode = keyof typeof CURRENCY_MINOR_UNITS;
export const SUPPORTED_CURRENCIES = Object.freeze(Object.keys(CURRENCY_MINOR_UNITS) as CurrencyCode[]);

export type MoneyErrorCode = 'invalid_amount' | 'unsupported_currency' | 'currency_mismatch' | 'negative_result' | 'invalid_percentage' | 'invalid_period';

/** 400: an amount, currency, percentage or period the money rules refuse (`reason` = its code). */
export class MoneyError<R extends MoneyErrorCode = MoneyErrorCode> extends CommerceError<R> {
  constructor(
    public readonly reason: R,
    details: Record<string, unknown> = {},
    opts: CommerceErrorOptions<R> = {},
  ) {
    super('invalid', reason, details, opts);
  }
}

export function isSupportedCurrency(currency: unknown): currency is CurrencyCode {
  return typeof currency === 'string' && Object.prototype.hasOwnProperty.call(CURRENCY_MINOR_UNITS, currency);
}

export function assertCurrency(currency: unknown): asserts currency is CurrencyCode {
  if (!isSupportedCurrency(currency)) {
    throw new MoneyError('unsupported_currency', { currency: typeof currency === 'string' ? currency : null }, { vars: { given: String(JSON.stringify(currency)), supported: SUPPORTED_CURRENCIES.join(', ') } });
  }
}

/** Decimal places of `currency` (KRW 0, USD 2, EUR 2, JPY 0); throws for an unsupported code. */
export function minorUnitsOf(currency: string): number {
  assertCurrency(currency);
  return CURRENCY_MINOR_UNITS[currency];
}

export function isMinorAmount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
}

/** Throws unless `n` is a non-negative safe integer (an amount in minor units). */
export function assertMinorAmount(n: unknown, field = 'amount'): asserts n is number {
  if (!isMinorAmount(n)) {
    throw new MoneyError('invalid_amount', { field }, { vars: { got: String(n) } });
  }
}

/** A validated, frozen Money. */
export function money(amount: number, currency: string): Money {
  assertMinorAmount(amount);
  assertCurrency(currency);
  return Object.freeze({ amount, currency });
}

export function zero(currency: string): Money {
  return money(0, currency);
}

export function assertMoney(m: unknown, field = 'amount'): asserts m is Money {
  if (typeof m !== 'object' || m === null) throw new MoneyError('invalid_amount', { field }, { form: 'object' });
  const { amount, currency } = m as Money;
  assertMinorAmount(amount, field);
  assertCurrency(currency);
}

export function assertSameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) {
    throw new MoneyError('currency_mismatch', { expected: a.currency, actual: b.currency });
  }
}

export function addMoney(a: Money, b: Money): Money {
  assertMoney(a);
  assertMoney(b);
  assertSameCurrency(a, b);
  return money(a.amount + b.amount, a.currency);
}

/** a − b; throws `negative_result` when b > a (use `subtractClamped` when zero is the floor). */
export function subtractMoney(a: Money, b: Money): Money {
  assertMoney(a);
  assertMoney(b);
  assertSameCurrency(a, b);
  if (b.amount > a.amount) throw new MoneyError('negative_result', {}, { vars: { subtrahend: b.amount, minuend: a.amount, currency: a.currency } });
  return money(a.amount - b.amount, a.currency);
}

/** max(0, amount − off), both integer minor units. */
export function subtractClamped(amount: number, off: number): number {
  assertMinorAmount(amount);
  assertMinorAmount(off, 'off');
  return off >= amount ? 0 : amount - off;
}

export function equalsMoney(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amount === b.amount;
}

/** −1, 0 or 1; throws on a currency mismatch. */
export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  assertSameCurrency(a, b);
  return a.amount === b.amount ? 0 : a.amount < b.amount ? -1 : 1;
}

/** A percentage as an integer number of basis points (12.5 → 1250). At most 2 decimals, 0–100. */
export function percentToBasisPoints(percent: number): number {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    throw new MoneyError('invalid_percentage', {}, { vars: { got: String(percent) } });
  }
  const bp = Math.round(percent * 100);
  if (Math.abs(percent * 100 - bp) > 1e-6) {
    throw new MoneyError('invalid_percentage', {}, { form: 'decimals', vars: { got: String(percent) } });
  }
  return bp;
}

/**
 * `percent`% of `amount`, rounded half up on minor units (exact integer arithmetic).
 * percentOf(845, 10) = 85 (84.5 rounds up), percentOf(1999, 12.5) = 250 (249.875).
 */
export function percentOf(amount: number, percent: number): number {
  assertMinorAmount(amount);
  const bp = BigInt(percentToBasisPoints(percent));
  const portion = (BigInt(amount) * bp + 5000n) / 10000n; // half up: floor(x + 0.5) for x ≥ 0
  return Number(portion);
}

/** amount − percentOf(amount, percent), never below zero. */
export function applyPercentOff(amount: number, percent: number): number {
  return subtractClamped(amount, percentOf(amount, percent));
}

/**
 * floor(amount × remaining ÷ total). `remainingSeconds` is clamped to [0, total];
 * `totalSeconds` must be a positive integer.
 */
export function prorate(amount: number, remainingSeconds: number, totalSeconds: number): number {
  assertMinorAmount(amount);
  if (!Number.isSafeInteger(totalSeconds) || totalSeconds <= 0) {
    throw new MoneyError('invalid_period', {}, { vars: { got: String(totalSeconds) } });
  }
  if (!Number.isSafeInteger(remainingSeconds)) {
    throw new MoneyError('invalid_period', {}, { form: 'remaining', vars: { got: String(remainingSeconds) } });
  }
  const remaining = Math.min(Math.max(remainingSeconds, 0), totalSeconds);
  return Number((BigInt(amount) * BigInt(remaining)) / BigInt(totalSeconds));
}

/** Whole seconds between two instants (b − a), rounded down. */
export function secondsBetween(a: Date, b: Date): number {
  return Math.floor((b.getTime() - a.getTime()) / 1000);
}

/**
 * The part of `amount` for the rest of the period [periodStart, periodEnd) after `now`, in whole
 * seconds: floor(amount × (periodEnd − now) ÷ (periodEnd − periodStart)). Before the period → all
 * of it; after it → 0.
 */
export function prorateByPeriod(amount: number, periodStart: Date, periodEnd: Date, now: Date): number {
  const total = secondsBetween(periodStart, periodEnd);
  if (!(total > 0)) throw new MoneyError('invalid_period', {}, { form: 'order' });
  return prorate(amount, secondsBetween(now, periodEnd), total);
}

/** "12.34" for 1234 USD, "9900" for 9900 KRW. Exact (string arithmetic, no floats). */
export function toDecimalString(m: Money): string {
  assertMoney(m);
  const d = CURRENCY_MINOR_UNITS[m.currency as CurrencyCode];
  if (d === 0) return String(m.amount);
  const s = String(m.amount).padStart(d + 1, '0');
  return `${s.slice(0, -d)}.${s.slice(-d)}`;
}

/**
 * Parses a major-unit decimal string ("12.34", "12.3", "12", "9900") into Money, exactly.
 * More decimals than the currency has, signs, exponents or separators are rejected.
 */
export function fromDecimalString(value: string, currency: string): Money {
  assertCurrency(currency);
  const d = CURRENCY_MINOR_UNITS[currency];
  const m = /^(\d+)(?:\.(\d+))?$/.exec(typeof value === 'string' ? value.trim() : '');
  if (!m || (m[2] !== undefined && m[2].length > d)) {
    throw new MoneyError('invalid_amount', {}, { form: 'decimal', vars: { value: String(JSON.stringify(value)), currency, decimals: d } });
  }
  const amount = Number(m[1] + (m[2] ?? '').padEnd(d, '0'));
  return money(amount, currency);
}

/** Display only (admin panel, receipts): "₩9,900", "$12.34". */
export function formatMoney(m: Money, locale = 'en-US'): string {
  assertMoney(m);
  const d = CURRENCY_MINOR_UNITS[m.currency as CurrencyCode];
  return new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency, minimumFractionDigits: d, maximumFractionDigits: d }).format(
    Number(toDecimalString(m)),
  );
}
