// Hangul arithmetic of the movie search: syllable (de)composition, 초성, keystrokes, jamo forms.
import { choseong, composeSyllable, decomposeSyllable, initialOf, isConsonantJamo, isInitialConsonant, isSyllable, toCompatibilityJamo, toJamo } from '../../../src/modules/search/text/hangul.js';

describe('syllables', () => {
  it('decomposes a syllable into initial, medial and final', () => {
    expect(decomposeSyllable('가')).toEqual({ initial: 'ㄱ', medial: 'ㅏ', final: '' });
    expect(decomposeSyllable('힣')).toEqual({ initial: 'ㅎ', medial: 'ㅣ', final: 'ㅎ' });
    expect(decomposeSyllable('께')).toEqual({ initial: 'ㄲ', medial: 'ㅔ', final: '' });
    expect(decomposeSyllable('닭')).toEqual({ initial: 'ㄷ', medial: 'ㅏ', final: 'ㄺ' });
    expect(decomposeSyllable('과')).toEqual({ initial: 'ㄱ', medial: 'ㅘ', final: '' });
    expect(decomposeSyllable('a')).toBeNull();
    expect(decomposeSyllable('ㄱ')).toBeNull();
  });

  it('composes back every one of the 11,172 syllables', () => {
    for (let c = 0xac00; c <= 0xd7a3; c++) {
      const ch = String.fromCodePoint(c);
      expect(composeSyllable(decomposeSyllable(ch)!)).toBe(ch);
    }
    expect(() => composeSyllable({ initial: 'ㄳ', medial: 'ㅏ', final: '' })).toThrow(RangeError);
  });

  it('classifies characters', () => {
    expect(isSyllable('신')).toBe(true);
    expect(isSyllable('ㅅ')).toBe(false);
    expect(isSyllable('A')).toBe(false);
    expect(isInitialConsonant('ㄲ')).toBe(true);
    expect(isInitialConsonant('ㄳ')).toBe(false); // a final-only cluster
    expect(isInitialConsonant('ㅏ')).toBe(false);
    expect(isConsonantJamo('ㄳ')).toBe(true);
    expect(isConsonantJamo('ㅏ')).toBe(false);
  });
});

describe('초성 and keystrokes', () => {
  it('choseong keeps double consonants and leaves other characters alone', () => {
    expect(choseong('신과함께')).toBe('ㅅㄱㅎㄲ');
    expect(choseong('쌍빠')).toBe('ㅆㅃ');
    expect(choseong('007스카이폴')).toBe('007ㅅㅋㅇㅍ');
    expect(initialOf('x')).toBe('x');
  });

  it('toJamo splits compound vowels and final clusters into what is typed', () => {
    expect(toJamo('과')).toBe('ㄱㅗㅏ');
    expect(toJamo('닭')).toBe('ㄷㅏㄹㄱ');
    expect(toJamo('의자')).toBe('ㅇㅡㅣㅈㅏ');
    expect(toJamo('ㄳ')).toBe('ㄱㅅ');
    expect(toJamo('ab')).toBe('ab');
  });

  it('maps conjoining jamo (initial, medial, final) to compatibility letters', () => {
    expect(toCompatibilityJamo('\u1100')).toBe('ㄱ');
    expect(toCompatibilityJamo('\u1101')).toBe('ㄲ');
    expect(toCompatibilityJamo('\u1112')).toBe('ㅎ');
    expect(toCompatibilityJamo('\u1161')).toBe('ㅏ');
    expect(toCompatibilityJamo('\u1175')).toBe('ㅣ');
    expect(toCompatibilityJamo('\u11a8')).toBe('ㄱ');
    expect(toCompatibilityJamo('\u11aa')).toBe('ㄳ');
    expect(toCompatibilityJamo('\u11c2')).toBe('ㅎ');
    expect(toCompatibilityJamo('가')).toBe('가');
  });
});
