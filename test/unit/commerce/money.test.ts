// Money: integer minor units, the currency table, half-up percentages, floor proration, exact decimal I/O.
import {
  CURRENCY_MINOR_UNITS,
  MoneyError,
  addMoney,
  applyPercentOff,
  formatMoney,
  fromDecimalString,
  minorUnitsOf,
  money,
  percentOf,
  prorate,
  prorateByPeriod,
  subtractClamped,
  subtractMoney,
  toDecimalString,
} from '../../../src/modules/commerce/domain/money.js';

const DAY = 86_400;

describe('currencies and amounts', () => {
  it('knows the minor units of KRW, USD, EUR and JPY', () => {
    expect(CURRENCY_MINOR_UNITS).toEqual({ KRW: 0, USD: 2, EUR: 2, JPY: 0 });
    expect(minorUnitsOf('USD')).toBe(2);
    expect(minorUnitsOf('KRW')).toBe(0);
    expect(() => minorUnitsOf('GBP')).toThrow(MoneyError);
    expect(() => minorUnitsOf('usd')).toThrow(MoneyError);
  });

  it('accepts only non-negative safe integers', () => {
    expect(money(9900, 'KRW')).toEqual({ amount: 9900, currency: 'KRW' });
    expect(money(0, 'USD').amount).toBe(0);
    for (const bad of [10.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
      expect(() => money(bad, 'USD')).toThrow(MoneyError);
    }
    try {
      money(0.1, 'USD');
    } catch (e) {
      expect((e as MoneyError).code).toBe('invalid_amount');
      expect((e as MoneyError).httpStatus).toBe(400);
    }
  });

  it('adds and subtracts in one currency only, never below zero', () => {
    expect(addMoney(money(100, 'USD'), money(250, 'USD'))).toEqual({ amount: 350, currency: 'USD' });
    expect(subtractMoney(money(100, 'USD'), money(100, 'USD')).amount).toBe(0);
    expect(() => subtractMoney(money(100, 'USD'), money(101, 'USD'))).toThrow(expect.objectContaining({ code: 'negative_result' }));
    expect(() => addMoney(money(100, 'USD'), money(100, 'KRW'))).toThrow(expect.objectContaining({ code: 'currency_mismatch' }));
    expect(subtractClamped(100, 250)).toBe(0);
    expect(subtractClamped(100, 30)).toBe(70);
  });
});

describe('percentages: round half up on minor units', () => {
  it.each([
    [845, 10, 85], // 84.5 → 85 (banker's rounding would give 84)
    [25, 10, 3], // 2.5 → 3
    [1, 50, 1], // 0.5 → 1
    [1, 49, 0], // 0.49 → 0
    [1999, 12.5, 250], // 249.875 → 250
    [9900, 15, 1485], // exact
    [10000, 33.33, 3333],
    [8415, 10, 842], // 841.5 → 842
    [123, 100, 123],
    [123, 0, 0],
  ])('%i × %d%% = %i', (amount, pct, expected) => {
    expect(percentOf(amount, pct)).toBe(expected);
  });

  it('is exact for large amounts (no float drift)', () => {
    expect(percentOf(9_007_199_254_740_991, 50)).toBe(4_503_599_627_370_496);
    expect(percentOf(999_999_999_999, 12.34)).toBe(123_400_000_000);
  });

  it('never leaves less than zero and rejects bad percentages', () => {
    expect(applyPercentOff(100, 100)).toBe(0);
    expect(applyPercentOff(845, 10)).toBe(760);
    for (const bad of [-1, 100.01, 12.345, Number.NaN]) expect(() => percentOf(100, bad)).toThrow(MoneyError);
  });
});

describe('proration: floor(amount × remaining ÷ total seconds)', () => {
  it('rounds down', () => {
    expect(prorate(10900, 11 * DAY, 31 * DAY)).toBe(3867); // 3867.74…
    expect(prorate(9900, 10 * DAY, 30 * DAY)).toBe(3300);
    expect(prorate(1, 1, 3)).toBe(0);
  });

  it('clamps the remaining time to [0, total]', () => {
    expect(prorate(9900, -5, 30 * DAY)).toBe(0);
    expect(prorate(9900, 40 * DAY, 30 * DAY)).toBe(9900);
    expect(() => prorate(9900, 1, 0)).toThrow(MoneyError);
    expect(() => prorate(9900, 1.5, 10)).toThrow(MoneyError);
  });

  it('prorates by period in whole seconds', () => {
    const start = new Date('2025-03-01T00:00:00Z');
    const end = new Date('2025-04-01T00:00:00Z');
    expect(prorateByPeriod(10900, start, end, new Date('2025-03-21T00:00:00Z'))).toBe(3867);
    expect(prorateByPeriod(10900, start, end, new Date('2025-02-01T00:00:00Z'))).toBe(10900);
    expect(prorateByPeriod(10900, start, end, end)).toBe(0);
    expect(() => prorateByPeriod(10900, end, start, start)).toThrow(MoneyError);
  });
});

describe('decimal strings', () => {
  it('formats exactly', () => {
    expect(toDecimalString(money(1234, 'USD'))).toBe('12.34');
    expect(toDecimalString(money(5, 'USD'))).toBe('0.05');
    expect(toDecimalString(money(0, 'EUR'))).toBe('0.00');
    expect(toDecimalString(money(9900, 'KRW'))).toBe('9900');
  });

  it('parses exactly and strictly', () => {
    expect(fromDecimalString('12.34', 'USD')).toEqual({ amount: 1234, currency: 'USD' });
    expect(fromDecimalString('12.3', 'USD').amount).toBe(1230);
    expect(fromDecimalString('0.29', 'USD').amount).toBe(29); // 0.29 * 100 = 28.999… in floats
    expect(fromDecimalString('9900', 'KRW').amount).toBe(9900);
    for (const [v, c] of [['12.345', 'USD'], ['1.5', 'KRW'], ['-1', 'USD'], ['1e3', 'USD'], ['1,000', 'KRW'], ['', 'USD']]) {
      expect(() => fromDecimalString(v, c)).toThrow(MoneyError);
    }
  });

  it('formats for display', () => {
    expect(formatMoney(money(1234, 'USD'))).toBe('$12.34');
    expect(formatMoney(money(9900, 'KRW'))).toBe('₩9,900');
  });
});
