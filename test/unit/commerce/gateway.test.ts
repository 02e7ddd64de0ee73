// Payment-method helpers: Luhn, brand by IIN ranges, expiry, tokenization without the number or CVC, masks.
import {
  PaymentMethodValidationError,
  detectCardBrand,
  isCardExpired,
  luhnCheck,
  maskAccountNumber,
  maskEmail,
  normalizeCardNumber,
  tokenizeMethod,
  type TokenizedCard,
} from '../../../src/modules/commerce/gateways/gateway.js';
import { translateFields } from '../../../src/http/errors.js';

const now = new Date('2025-06-15T12:00:00Z');

/** prefix + the Luhn check digit. */
function withCheckDigit(prefix: string): string {
  for (let d = 0; d <= 9; d++) if (luhnCheck(prefix + d)) return prefix + d;
  throw new Error('unreachable');
}

function fieldsOf(fn: () => unknown): Record<string, string[]> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PaymentMethodValidationError);
    expect((e as PaymentMethodValidationError).httpStatus).toBe(400);
    // The field errors are codes; as the API answers them in English:
    return translateFields((e as PaymentMethodValidationError).fields, 'en');
  }
  throw new Error('expected a validation error');
}

describe('Luhn', () => {
  it.each(['4242424242424242', '4000000000000002', '4000000000009995', '4000002500003155', '378282246310005', '6011111111111117', '79927398713'])(
    '%s passes',
    (n) => expect(luhnCheck(n)).toBe(true),
  );
  it.each(['4242424242424241', '79927398710', '1234567812345678', '', 'abcd', '4'])('%s fails', (n) => expect(luhnCheck(n)).toBe(false));

  it('normalises spaces and dashes only', () => {
    expect(normalizeCardNumber('4242 4242-4242 4242')).toBe('4242424242424242');
    expect(normalizeCardNumber('4242.4242')).toBe('');
  });
});

describe('brand by IIN', () => {
  it.each([
    ['4242424242424242', 'visa'],
    ['4222222222222', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['5105105105105100', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['2720999999999996', 'mastercard'],
    ['378282246310005', 'amex'],
    ['341111111111111', 'amex'],
    ['6011111111111117', 'discover'],
    ['6445644564456445', 'discover'],
    ['6221260000000000', 'discover'],
    ['3566002020360505', 'jcb'],
    ['3530111333300000', 'jcb'],
    ['30569309025904', 'diners'],
    ['36227206271667', 'diners'],
    ['6200000000000005', 'unionpay'],
    ['2721000000000000', 'unknown'],
    ['9410000000000000', 'unknown'],
  ])('%s → %s', (n, brand) => expect(detectCardBrand(n)).toBe(brand));
});

describe('expiry', () => {
  it('a card is valid through the last instant of its month (UTC)', () => {
    expect(isCardExpired(6, 2025, now)).toBe(false);
    expect(isCardExpired(5, 2025, now)).toBe(true);
    expect(isCardExpired(6, 25, new Date('2025-06-30T23:59:59.999Z'))).toBe(false);
    expect(isCardExpired(6, 25, new Date('2025-07-01T00:00:00Z'))).toBe(true);
    expect(isCardExpired(12, 2025, new Date('2025-12-31T23:59:59Z'))).toBe(false);
    expect(isCardExpired(12, 2025, new Date('2026-01-01T00:00:00Z'))).toBe(true);
  });
});

describe('tokenizeMethod', () => {
  it('keeps brand, last 4 and expiry, never the number or the CVC', () => {
    const t = tokenizeMethod({ type: 'card', number: '4242 4242 4242 4242', expMonth: 12, expYear: 30, cvc: '123', holder: ' Kim Minji ' }, { now }) as TokenizedCard;
    expect(t).toEqual({
      type: 'card',
      token: expect.stringMatching(/^tok_[0-9a-f]{24}$/),
      brand: 'Visa',
      cardBrand: 'visa',
      last4: '4242',
      masked: '****4242',
      expMonth: 12,
      expYear: 2030,
      holder: 'Kim Minji',
    });
    const json = JSON.stringify(t);
    expect(json).not.toContain('4242424242424242');
    expect(json).not.toContain('424242424242');
    expect(json).not.toContain('123');
    const again = tokenizeMethod({ type: 'card', number: '4242424242424242', expMonth: 12, expYear: 2030, cvc: '123' }, { now });
    expect(again.token).not.toBe(t.token);
  });

  it('lets a gateway tag the token', () => {
    const t = tokenizeMethod({ type: 'card', number: '5555555555554444', expMonth: 1, expYear: 2027, cvc: '999' }, { now, prefix: 'tok_x', tag: (m) => (m.cardNumber?.startsWith('5') ? 'mc' : undefined) });
    expect(t.token).toMatch(/^tok_x_mc_[0-9a-f]{24}$/);
    expect(t.brand).toBe('Mastercard');
  });

  it('reports every invalid field without echoing the number', () => {
    const fields = fieldsOf(() => tokenizeMethod({ type: 'card', number: '4242424242424241', expMonth: 13, expYear: 2025, cvc: '12' }, { now }));
    expect(Object.keys(fields).sort()).toEqual(['cvc', 'exp_month', 'number']);
    expect(JSON.stringify(fields)).not.toContain('4242424242424241');
  });

  it('rejects expired cards, wrong lengths and wrong CVC lengths per brand', () => {
    expect(fieldsOf(() => tokenizeMethod({ type: 'card', number: '4242424242424242', expMonth: 5, expYear: 2025, cvc: '123' }, { now }))).toEqual({ exp_year: ['This card has expired.'] });
    expect(tokenizeMethod({ type: 'card', number: '4242424242424242', expMonth: 6, expYear: 2025, cvc: '123' }, { now }).expYear).toBe(2025);
    expect(fieldsOf(() => tokenizeMethod({ type: 'card', number: '378282246310005', expMonth: 1, expYear: 2030, cvc: '123' }, { now }))).toHaveProperty('cvc');
    expect(tokenizeMethod({ type: 'card', number: '378282246310005', expMonth: 1, expYear: 2030, cvc: '1234' }, { now }).brand).toBe('American Express');
    // a Luhn-valid 17-digit number in the Mastercard range is not a Mastercard number
    expect(fieldsOf(() => tokenizeMethod({ type: 'card', number: withCheckDigit('5555555555555555'), expMonth: 1, expYear: 2030, cvc: '123' }, { now }))).toHaveProperty('number');
    expect(fieldsOf(() => tokenizeMethod({ type: 'card', number: '4242-4242', expMonth: 1, expYear: 2030, cvc: '123' }, { now }))).toHaveProperty('number');
    // an unknown (domestic) brand is accepted when the Luhn check passes
    const domestic = tokenizeMethod({ type: 'card', number: withCheckDigit('941000000000000'), expMonth: 1, expYear: 2030, cvc: '123' }, { now });
    expect(domestic).toMatchObject({ brand: 'Card', cardBrand: 'unknown' });
  });

  it('PayPal: masked e-mail only', () => {
    expect(tokenizeMethod({ type: 'paypal', email: 'john.doe@Example.com' })).toEqual({
      type: 'paypal',
      token: expect.stringMatching(/^tok_/),
      brand: 'PayPal',
      masked: 'j***@example.com',
      expMonth: null,
      expYear: null,
      holder: null,
    });
    expect(fieldsOf(() => tokenizeMethod({ type: 'paypal', email: 'not-an-email' }))).toHaveProperty('email');
  });

  it('bank transfer: bank name and ****last4', () => {
    const t = tokenizeMethod({ type: 'bank_transfer', bankName: '국민은행', accountNumber: '110-123-451234', holder: '홍길동' });
    expect(t).toMatchObject({ type: 'bank_transfer', brand: '국민은행', masked: '****1234', holder: '홍길동' });
    expect(JSON.stringify(t)).not.toContain('110123451234');
    expect(Object.keys(fieldsOf(() => tokenizeMethod({ type: 'bank_transfer', bankName: '', accountNumber: '12' }))).sort()).toEqual(['account_number', 'bank_name']);
    expect(fieldsOf(() => tokenizeMethod({ type: 'bogus' } as never))).toHaveProperty('type');
  });
});

describe('masks', () => {
  it('masks e-mail addresses and account numbers', () => {
    expect(maskEmail('j@example.com')).toBe('j***@example.com');
    expect(maskEmail('jane@MAIL.Example.org')).toBe('j***@mail.example.org');
    expect(maskAccountNumber('1234')).toBe('****1234');
    expect(maskAccountNumber('110 123 459876')).toBe('****9876');
    expect(() => maskEmail('@example.com')).toThrow(PaymentMethodValidationError);
    expect(() => maskAccountNumber('12-3')).toThrow(PaymentMethodValidationError);
  });
});
