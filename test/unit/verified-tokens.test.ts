// The verified-token memo of the API's authenticator (src/http/auth.ts): an entry stands until its
// token's exp, the oldest entry goes beyond the bound, and 0 keeps nothing.
import { VerifiedTokens } from '../../src/http/auth.js';

const payload = (exp: number | undefined) => ({ user_id: 1, exp });

it('answers a kept payload until its exp, then forgets it', () => {
  const v = new VerifiedTokens(10);
  v.set('JWT a', payload(100));
  expect(v.get('JWT a', 99.9)).toEqual(payload(100));
  expect(v.get('JWT a', 100)).toBeUndefined();
  expect(v.size).toBe(0);
  // once gone, an earlier clock does not bring it back
  expect(v.get('JWT a', 50)).toBeUndefined();
});

it('keeps nothing without a numeric exp, and only the exact header', () => {
  const v = new VerifiedTokens(10);
  v.set('JWT b', payload(undefined));
  expect(v.get('JWT b', 0)).toBeUndefined();
  v.set('JWT c', payload(100));
  expect(v.get('JWT c ', 0)).toBeUndefined();
  expect(v.get('Bearer c', 0)).toBeUndefined();
});

it('drops the oldest entry beyond its bound; 0 keeps nothing', () => {
  const v = new VerifiedTokens(2);
  v.set('1', payload(100));
  v.set('2', payload(100));
  v.set('3', payload(100));
  expect(v.size).toBe(2);
  expect(v.get('1', 0)).toBeUndefined();
  expect(v.get('2', 0)).toBeDefined();
  expect(v.get('3', 0)).toBeDefined();
  const off = new VerifiedTokens(0);
  off.set('1', payload(100));
  expect(off.get('1', 0)).toBeUndefined();
});
