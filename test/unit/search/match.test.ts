// Literal matching with 초성, mixed input and syllables still being typed.
import { hasConsonants, isPlainQuery, literalPrefix, matchTier, partialSyllable, partialSyllableRange, plainTierRank, TIER_RANK, tierMatcher } from '../../../src/modules/search/text/match.js';
import { seeded } from '../../support/random.js';
import { normalise } from '../../../src/modules/search/text/normalise.js';

const tier = (q: string, title: string, partialLast = false) => matchTier(normalise(q), normalise(title), { partialLast });

describe('matchTier', () => {
  it('exact, prefix, contains, or nothing — case and space insensitive', () => {
    expect(tier('신과함께', '신과 함께')).toBe('exact');
    expect(tier('신과 함께', '신과함께-죄와 벌')).toBe('prefix');
    expect(tier('죄와벌', '신과함께-죄와 벌')).toBe('contains');
    expect(tier('HARRY potter', 'Harry Potter and the Chamber of Secrets')).toBe('prefix');
    expect(tier('chamber', 'Harry Potter and the Chamber of Secrets')).toBe('contains');
    expect(tier('신과함께2', '신과함께')).toBeNull();
    expect(tier('', '신과함께')).toBeNull();
    expect(TIER_RANK.exact).toBeLessThan(TIER_RANK.prefix);
    expect(TIER_RANK.prefix).toBeLessThan(TIER_RANK.contains);
  });

  it('초성: consonants match the syllables they start, double consonants exactly', () => {
    expect(tier('ㅅㄱㅎㄲ', '신과함께-죄와 벌')).toBe('prefix');
    expect(tier('ㅅㄱㅎㄲ', '신과함께')).toBe('exact');
    expect(tier('ㅎㄲ', '신과함께')).toBe('contains');
    expect(tier('ㅅㄱㅎㄱ', '신과함께')).toBeNull(); // ㄱ is not ㄲ
    expect(tier('ㅆ', '싸움')).toBe('prefix');
    expect(tier('ㅅ', '싸움')).toBeNull();
    // Typed as conjoining jamo (some IMEs / decomposed input).
    expect(tier('\u1109\u1100\u1112\u1101', '신과함께')).toBe('exact');
  });

  it('mixed syllables and consonants', () => {
    expect(tier('신ㄱ', '신과함께')).toBe('prefix');
    expect(tier('ㅅ과', '신과함께')).toBe('prefix');
    expect(tier('신과ㅎㄲ', '신과함께')).toBe('exact');
    expect(tier('신ㄴ', '신과함께')).toBeNull();
  });

  it('a last syllable still being typed matches only with partialLast (autocomplete)', () => {
    expect(tier('신과하', '신과함께', true)).toBe('prefix'); // final not typed yet
    expect(tier('신과하', '신과함께', false)).toBeNull();
    expect(tier('신고', '신과함께', true)).toBe('prefix'); // ㅗ of ㅘ
    expect(tier('신괗', '신과함께', true)).toBe('prefix'); // ㅎ held as a final
    expect(tier('달', '닭강정', true)).toBe('prefix'); // first half of the cluster ㄺ
    expect(tier('안', '아주', true)).toBeNull();
    expect(tier('하', '함', true)).toBe('prefix'); // unfinished: never "exact"
    expect(tier('해리포', '해리 포터와 마법사의 돌', true)).toBe('prefix');
  });

  it('partialSyllable: title characters consumed', () => {
    expect(partialSyllable('하', [...'함께'], 0)).toBe(1);
    expect(partialSyllable('괗', [...'과함'], 0)).toBe(2);
    expect(partialSyllable('앉', [...'안주'], 0)).toBe(2); // ㄵ = ㄴ + the next ㅈ
    expect(partialSyllable('괗', [...'과'], 0)).toBe(0);
    expect(partialSyllable('a', [...'a'], 0)).toBe(0);
  });
});

describe('literalPrefix and hasConsonants', () => {
  it('stops at the first lone consonant and, when typing, before the last syllable', () => {
    expect(literalPrefix('신과함께')).toBe('신과함께');
    expect(literalPrefix('신과함께', { partialLast: true })).toBe('신과함');
    expect(literalPrefix('신ㄱ')).toBe('신');
    expect(literalPrefix('ㅅㄱ')).toBe('');
    expect(literalPrefix('harry', { partialLast: true })).toBe('harry');
    expect(hasConsonants('신ㄱ')).toBe(true);
    expect(hasConsonants('신과')).toBe(false);
  });
});

describe('tierMatcher and partialSyllableRange', () => {
  it('the prepared matcher agrees with matchTier, fast path or not', () => {
    const titles = ['신과함께', '신과함께죄와벌', '그리고신과함께', '바람과함께', 'harrypotter'];
    for (const q of ['신과함께', '함께', 'ㅅㄱ', '신과하', 'harry', 'potter', 'x']) {
      for (const partialLast of [false, true]) {
        const m = tierMatcher(q, { partialLast });
        for (const t of titles) expect(m(t)).toBe(matchTier(q, t, { partialLast }));
      }
    }
  });

  it('covers every syllable an unfinished one can become, as one code point range', () => {
    const inRange = (typed: string, ch: string) => {
      const [lo, hi] = partialSyllableRange(typed);
      return ch >= lo && ch < hi;
    };
    expect(partialSyllableRange('사')).toEqual(['사', '새']);
    for (const ch of ['사', '삭', '삶', '샇']) expect(inRange('사', ch)).toBe(true);
    for (const ch of ['새', '서', '자']) expect(inRange('사', ch)).toBe(false);
    // 고 can become 과 괘 괴 (compound vowels starting with ㅗ), not 교.
    for (const ch of ['고', '곰', '과', '괜', '괴', '굏']) expect(inRange('고', ch)).toBe(true);
    expect(inRange('고', '교')).toBe(false);
    // With a final typed: the same initial and vowel, any final (괗 → 과 + ㅎ…, 달 → 닭).
    for (const ch of ['과', '괗', '괄']) expect(inRange('괗', ch)).toBe(true);
    expect(inRange('달', '닭')).toBe(true);
    // Every title syllable partialSyllable accepts is in the range.
    for (const typed of ['하', '고', '괗', '달', '앉', '으']) {
      for (let c = 0xac00; c <= 0xd7a3; c++) {
        const ch = String.fromCodePoint(c);
        if (partialSyllable(typed, [ch, '자', '함'], 0) > 0) expect(inRange(typed, ch)).toBe(true);
      }
    }
    expect(() => partialSyllableRange('a')).toThrow(RangeError);
  });
});

describe('plainTierRank', () => {
  const units = (s: string) => Uint16Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
  it('a plain query on code units ranks as tierMatcher on strings (titles at offsets in one array, astral characters included)', () => {
    const rnd = seeded(11);
    const alphabet = [...'신과함께사랑ab1', '😀', '😁'];
    const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]!).join('');
    let matched = 0;
    for (let k = 0; k < 400; k++) {
      const q = word(Math.floor(rnd() * 4));
      const titles = Array.from({ length: 8 }, () => (rnd() < 0.4 ? word(Math.floor(rnd() * 2)) + q + word(Math.floor(rnd() * 3)) : word(Math.floor(rnd() * 6))));
      const text = units(`xx${titles.join('')}`);
      const want = tierMatcher(q);
      let at = 2;
      for (const t of titles) {
        const tier = want(t);
        expect(plainTierRank(units(q), text, at, t.length)).toBe(tier ? TIER_RANK[tier] : -1);
        if (tier) matched++;
        at += t.length;
      }
    }
    expect(matched).toBeGreaterThan(500);
  });

  it('isPlainQuery: no lone consonant and nothing being typed', () => {
    expect(isPlainQuery('신과함께')).toBe(true);
    expect(isPlainQuery('harry')).toBe(true);
    expect(isPlainQuery('신과ㅎ')).toBe(false);
    expect(isPlainQuery('신과', { partialLast: true })).toBe(false);
  });
});
