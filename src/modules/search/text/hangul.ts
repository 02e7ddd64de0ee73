// Hangul arithmetic (Unicode 15, §3.12): a precomposed syllable is
//   0xAC00 + (initial × 21 + medial) × 28 + final
// with 19 initials, 21 medials and 28 finals (0 = none). Everything here works on compatibility
// jamo (U+3131–U+3163), the letters a Korean keyboard types when a consonant stands alone.

const S_BASE = 0xac00;
const S_LAST = 0xd7a3;
const M_COUNT = 21;
const F_COUNT = 28;
const LV_COUNT = M_COUNT * F_COUNT; // 588

/** The 19 initial consonants, in syllable order. ㄲ ㄸ ㅃ ㅆ ㅉ are initials of their own. */
export const INITIALS = 'ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ';
/** The 21 medial vowels, in syllable order (contiguous U+314F–U+3163). */
export const MEDIALS = 'ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ';
/** The 27 final consonants (index + 1 is the final's number in a syllable). */
export const FINALS = 'ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ';

/** Compound vowels → the two vowels typed for them. */
export const VOWEL_PARTS: Readonly<Record<string, string>> = { ㅘ: 'ㅗㅏ', ㅙ: 'ㅗㅐ', ㅚ: 'ㅗㅣ', ㅝ: 'ㅜㅓ', ㅞ: 'ㅜㅔ', ㅟ: 'ㅜㅣ', ㅢ: 'ㅡㅣ' };
/** Consonant clusters that exist only as finals → the two consonants typed for them. */
export const CLUSTER_PARTS: Readonly<Record<string, string>> = {
  ㄳ: 'ㄱㅅ',
  ㄵ: 'ㄴㅈ',
  ㄶ: 'ㄴㅎ',
  ㄺ: 'ㄹㄱ',
  ㄻ: 'ㄹㅁ',
  ㄼ: 'ㄹㅂ',
  ㄽ: 'ㄹㅅ',
  ㄾ: 'ㄹㅌ',
  ㄿ: 'ㄹㅍ',
  ㅀ: 'ㄹㅎ',
  ㅄ: 'ㅂㅅ',
};

export interface Syllable {
  initial: string;
  medial: string;
  /** '' when the syllable has no final consonant. */
  final: string;
}

export function isSyllable(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return ch.length === 1 && c >= S_BASE && c <= S_LAST;
}

/** A consonant that can start a syllable (ㄱ…ㅎ including ㄲ ㄸ ㅃ ㅆ ㅉ; not the clusters ㄳ ㄵ …). */
export function isInitialConsonant(ch: string): boolean {
  return ch.length === 1 && INITIALS.includes(ch);
}

/** Any compatibility consonant letter, clusters included (U+3131–U+314E). */
export function isConsonantJamo(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return ch.length === 1 && c >= 0x3131 && c <= 0x314e;
}

export function decomposeSyllable(ch: string): Syllable | null {
  if (!isSyllable(ch)) return null;
  const i = ch.codePointAt(0)! - S_BASE;
  const f = i % F_COUNT;
  return { initial: INITIALS[Math.floor(i / LV_COUNT)]!, medial: MEDIALS[Math.floor((i % LV_COUNT) / F_COUNT)]!, final: f ? FINALS[f - 1]! : '' };
}

export function composeSyllable(s: Syllable): string {
  const l = INITIALS.indexOf(s.initial);
  const v = MEDIALS.indexOf(s.medial);
  const f = s.final ? FINALS.indexOf(s.final) + 1 : 0;
  if (l < 0 || v < 0 || f < 0 || s.initial === '' || s.medial === '') throw new RangeError(`not a syllable: ${JSON.stringify(s)}`);
  return String.fromCodePoint(S_BASE + l * LV_COUNT + v * F_COUNT + f);
}

/** The initial consonant of a syllable; any other character unchanged. */
export function initialOf(ch: string): string {
  return decomposeSyllable(ch)?.initial ?? ch;
}

/** 초성 string: every syllable replaced by its initial consonant ("신과함께" → "ㅅㄱㅎㄲ"). */
export function choseong(s: string): string {
  let out = '';
  for (const ch of s) out += initialOf(ch);
  return out;
}

/**
 * The keystrokes of a string: syllables spelled out as jamo, compound vowels and final clusters
 * split into the letters typed for them ("과" → "ㄱㅗㅏ", "닭" → "ㄷㅏㄹㄱ"); other characters unchanged.
 */
export function toJamo(s: string): string {
  let out = '';
  for (const ch of s) {
    const syl = decomposeSyllable(ch);
    if (!syl) {
      out += VOWEL_PARTS[ch] ?? CLUSTER_PARTS[ch] ?? ch;
      continue;
    }
    out += syl.initial + (VOWEL_PARTS[syl.medial] ?? syl.medial) + (CLUSTER_PARTS[syl.final] ?? syl.final);
  }
  return out;
}

// ---- conjoining jamo (U+1100 block) → compatibility jamo ---------------------------------------------

const CONJOINING_INITIALS = INITIALS; // U+1100–U+1112, same order
const CONJOINING_FINALS = FINALS; // U+11A8–U+11C2, same order

/**
 * NFKC/NFKD turn compatibility jamo into conjoining jamo (ㄱ U+3131 → ᄀ U+1100) and leave lone
 * conjoining jamo as they are; this maps them back so that a typed ㄱ, a decomposed ᄀ and a final ᆨ
 * all become the one letter ㄱ.
 */
export function toCompatibilityJamo(ch: string): string {
  const c = ch.codePointAt(0) ?? 0;
  if (c >= 0x1100 && c <= 0x1112) return CONJOINING_INITIALS[c - 0x1100]!;
  if (c >= 0x1161 && c <= 0x1175) return MEDIALS[c - 0x1161]!;
  if (c >= 0x11a8 && c <= 0x11c2) return CONJOINING_FINALS[c - 0x11a8]!;
  return ch;
}
