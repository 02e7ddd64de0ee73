// The normal form shared by the index and the queries.
import { bigrams, indexGrams, queryGrams } from '../../../src/modules/search/text/ngrams.js';
import { charLength, normalise, normaliseFully } from '../../../src/modules/search/text/normalise.js';
import { seeded } from '../../support/random.js';

describe('normalise', () => {
  it('drops spaces, punctuation and symbols and lower-cases', () => {
    expect(normalise('신과함께-죄와 벌')).toBe('신과함께죄와벌');
    expect(normalise('신과 함께')).toBe('신과함께');
    expect(normalise('  Harry Potter and the Philosopher’s Stone!  ')).toBe('harrypotterandthephilosophersstone');
    expect(normalise('#살아있다')).toBe('살아있다');
    expect(normalise('-- !! --')).toBe('');
  });

  it('folds compatibility forms and accents', () => {
    expect(normalise('ＡＢＣ１２３')).toBe('abc123');
    expect(normalise('Amélie')).toBe('amelie');
    expect(normalise('Ⅱ')).toBe('ii');
    expect(normalise('İstanbul')).toBe('istanbul');
  });

  it('recomposes decomposed Hangul and unifies lone jamo', () => {
    expect(normalise('신과 함께'.normalize('NFD'))).toBe('신과함께');
    expect(normalise('\u1109\u1100\u1112\u1101')).toBe('ㅅㄱㅎㄲ'); // conjoining initials
    expect(normalise('ㅅㄱㅎㄲ')).toBe('ㅅㄱㅎㄲ'); // compatibility letters
    expect(normalise('ㄳ')).toBe('ㄱㅅ'); // a final cluster is two typed consonants
    expect(normalise('신ㄱ')).toBe('신ㄱ');
  });

  it('takes its shortcut for ASCII and syllable text only where the general path gives the same', () => {
    const rnd = seeded(13);
    // ASCII (every code), syllables at both ends of their block, and neighbours that are not plain.
    const alphabet = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), '가', '힣', '신', '과', 'ㄱ', 'ᄀ', '\u1161', 'Ａ', 'é', '①', '\u0301', '\uabff', '\ud7a4', '😀'];
    let plain = 0;
    for (let k = 0; k < 3000; k++) {
      const s = Array.from({ length: Math.floor(rnd() * 12) }, () => alphabet[Math.floor(rnd() * (rnd() < 0.7 ? 132 : alphabet.length))]!).join('');
      if (/^[\u0000-\u007f\uac00-\ud7a3]*$/.test(s)) plain++;
      expect(normalise(s)).toBe(normaliseFully(s));
    }
    expect(plain).toBeGreaterThan(500);
  });

  it('counts characters, not UTF-16 units', () => {
    expect(charLength('신과')).toBe(2);
    expect(charLength('😀a')).toBe(2);
  });
});

describe('n-grams', () => {
  it('bigrams are distinct and in order; padding marks the start and the end', () => {
    expect(bigrams('신과함께')).toEqual(['신과', '과함', '함께']);
    expect(bigrams('aaaa')).toEqual(['aa']);
    expect(bigrams('a')).toEqual([]);
    expect(bigrams('신과', true)).toEqual(['^신', '신과', '과$']);
  });

  it('every character of an indexed title starts a gram; a query looks up its inner bigrams', () => {
    const grams = indexGrams('신과함께');
    expect(grams).toEqual(['^신', '신과', '과함', '함께', '께$']);
    for (const ch of '신과함께') expect(grams.some((g) => g.startsWith(ch))).toBe(true);
    expect(indexGrams('')).toEqual([]);
    expect(queryGrams('과함께')).toEqual(['과함', '함께']);
    expect(queryGrams('과')).toEqual([]);
    expect(bigrams('😀😁')).toEqual(['😀😁']);
  });

  it('Latin runs are indexed as trigrams too, and looked up by them', () => {
    expect(indexGrams('ab1')).toEqual(['^a', '^ab', 'ab', 'ab1', 'b1', 'b1$', '1$']);
    expect(indexGrams('x신')).toEqual(['^x', 'x신', '신$']);
    expect(queryGrams('harry')).toEqual(['har', 'arr', 'rry']);
    expect(queryGrams('ab')).toEqual(['ab']);
    expect(queryGrams('ab신과')).toEqual(['ab', 'b신', '신과']);
    expect(queryGrams('신abc')).toEqual(['신a', 'abc']);
  });

  it('a title that contains the query has every gram the query looks up', () => {
    const titles = ['harrypotterandthechamberofsecrets', '007스카이폴', '신과함께죄와벌', 'ab신과함께xyz', 'x'];
    for (const t of titles) {
      const have = new Set(indexGrams(t));
      const chars = [...t];
      for (let i = 0; i < chars.length; i++) {
        for (let j = i + 2; j <= chars.length; j++) {
          for (const g of queryGrams(chars.slice(i, j).join(''))) expect(have.has(g)).toBe(true);
        }
      }
    }
  });
});
