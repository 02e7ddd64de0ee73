import { watchedSeconds } from '../../../src/modules/members/members.service.js';
import { ageOn, maskEmail, maskName, maskPhone } from '../../../src/modules/members/privacy.js';

describe('masking', () => {
  it('masks names but their first and last letters', () => {
    expect(maskName('홍길동')).toBe('홍*동');
    expect(maskName('남궁민수')).toBe('남**수');
    expect(maskName('홍길')).toBe('홍*');
    expect(maskName('김')).toBe('*');
    expect(maskName('John Smith')).toBe('J*** ****h');
    expect(maskName(null)).toBeNull();
  });

  it('masks phones to the prefix and the last four digits', () => {
    expect(maskPhone('010-1234-5678')).toBe('010-****-5678');
    expect(maskPhone('01012345678')).toBe('010-****-5678');
    expect(maskPhone('011-123-5678')).toBe('011-***-5678');
    expect(maskPhone('02-123-4567')).toBe('02-***-4567');
    expect(maskPhone('031 1234 5678')).toBe('031-****-5678');
    expect(maskPhone('+44 20 7946 0958')).toBe('********0958');
    expect(maskPhone('123')).toBe('***');
    expect(maskPhone(null)).toBeNull();
  });

  it('masks e-mails to the first letter of the local part and the domain', () => {
    expect(maskEmail('gildong@example.com')).toBe('g******@example.com');
    expect(maskEmail('a@example.com')).toBe('*@example.com');
    expect(maskEmail('no-at-sign')).toBe('n*********');
    expect(maskEmail(null)).toBeNull();
  });

  it('gives the age in full years, never the birth date', () => {
    const today = new Date('2025-06-15T12:00:00Z');
    expect(ageOn('1990-06-15', today)).toBe(35);
    expect(ageOn('1990-06-16', today)).toBe(34);
    expect(ageOn('2010-01-01', today)).toBe(15);
    expect(ageOn(null, today)).toBeNull();
    expect(ageOn('2030-01-01', today)).toBeNull();
  });
});

describe('watchedSeconds', () => {
  const t0 = new Date('2025-01-01T00:00:00Z');
  const at = (s: number) => new Date(t0.getTime() + s * 1000);

  it('counts the forward distance, capped by the wall-clock time since the previous report', () => {
    expect(watchedSeconds(null, 600, at(0))).toBe(0);
    expect(watchedSeconds({ position: 100, at: t0 }, 130, at(30))).toBe(30);
    expect(watchedSeconds({ position: 100, at: t0 }, 5000, at(30))).toBe(30); // a seek or a lying client
    expect(watchedSeconds({ position: 100, at: t0 }, 50, at(30))).toBe(0); // backwards
    expect(watchedSeconds({ position: 100, at: t0 }, 110, at(3600))).toBe(10); // a pause
  });
});
