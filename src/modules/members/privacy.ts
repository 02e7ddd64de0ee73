// How members' personal data is shown to staff (seed 000 §8, §10): masked by default.

/** "홍길동" → "홍*동", "남궁민수" → "남**수", "홍길" → "홍*", "A" → "*"; spaces are kept. */
export function maskName(name: string | null | undefined): string | null {
  if (name == null) return null;
  const chars = Array.from(name.trim());
  if (!chars.length) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return chars.map((c, i) => (i === 0 || i === chars.length - 1 || c === ' ' ? c : '*')).join('');
}

/**
 * The local part keeps its first character, the domain stays (support can tell a member which
 * address the account uses without reading it out): "gildong@example.com" → "g******@example.com".
 */
export function maskEmail(email: string | null | undefined): string | null {
  if (email == null) return null;
  const at = email.lastIndexOf('@');
  const local = at >= 0 ? email.slice(0, at) : email;
  const domain = at >= 0 ? email.slice(at) : '';
  const chars = Array.from(local);
  if (!chars.length) return email;
  return `${chars.length === 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1)}${domain}`;
}

/**
 * Korean numbers keep their area/carrier prefix and the last four digits: "010-1234-5678" and
 * "01012345678" → "010-****-5678", "02-123-4567" → "02-***-4567". Anything else shows only its
 * last four digits.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone == null) return null;
  const digits = phone.replace(/\D/g, '');
  if (!digits) return '';
  const stars = (n: number) => '*'.repeat(n);
  let m = /^(01[016789])(\d{3,4})(\d{4})$/.exec(digits) ?? /^(02)(\d{3,4})(\d{4})$/.exec(digits) ?? /^(0[3-9]\d)(\d{3,4})(\d{4})$/.exec(digits);
  if (m) return `${m[1]}-${stars(m[2]!.length)}-${m[3]}`;
  m = /^(\d*)(\d{4})$/.exec(digits);
  return m ? `${stars(m[1]!.length)}${m[2]}` : stars(digits.length);
}

/** Full years between a birth date (YYYY-MM-DD) and `today` (UTC), or null. */
export function ageOn(birthDate: string | null | undefined, today: Date = new Date()): number | null {
  const m = birthDate ? /^(\d{4})-(\d{2})-(\d{2})/.exec(birthDate) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  let age = today.getUTCFullYear() - y;
  const beforeBirthday = today.getUTCMonth() + 1 < mo || (today.getUTCMonth() + 1 === mo && today.getUTCDate() < d);
  if (beforeBirthday) age--;
  return age >= 0 ? age : null;
}
