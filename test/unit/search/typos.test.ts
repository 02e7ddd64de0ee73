import { queryVariants, titleVariants, typoDistance, typoSimilarity, VARIANT_MAX_CHARS } from '../../../src/modules/search/text/index.js';

const meet = (q: string, title: string) => queryVariants(q).some((v) => titleVariants(title).includes(v));

describe('deletion neighbourhoods', () => {
  it('meet for one replaced, missing, extra or swapped syllable, and not for two', () => {
    expect(meet('기가충', '기생충')).toBe(true); // replaced
    expect(meet('침큐자', '침입자')).toBe(true);
    expect(meet('신계', '신세계')).toBe(true); // missing
    expect(meet('신세세계', '신세계')).toBe(true); // extra
    expect(meet('신계세', '신세계')).toBe(true); // swapped
    expect(meet('기가추', '기생충')).toBe(false); // two wrong
    expect(meet('완전다른', '기생충')).toBe(false);
  });

  it('index only short titles with a Hangul syllable, and look up only what could meet them', () => {
    expect(titleVariants('기생충').sort()).toEqual(['기생', '기생충', '기충', '생충']);
    expect(titleVariants('parasite')).toEqual([]);
    expect(titleVariants('기')).toEqual([]);
    expect(titleVariants('가'.repeat(VARIANT_MAX_CHARS + 1))).toEqual([]);
    expect(queryVariants('가'.repeat(VARIANT_MAX_CHARS + 1))).toEqual(['가'.repeat(VARIANT_MAX_CHARS)]);
    expect(queryVariants('가'.repeat(VARIANT_MAX_CHARS + 2))).toEqual([]);
    expect(queryVariants('matrx')).toEqual([]);
  });
});

describe('typo distance and similarity', () => {
  it('costs a near syllable (one jamo off) half, anything else one', () => {
    expect(typoDistance('신가함께', '신과함께')).toBe(0.5); // ㅏ for ㅘ
    expect(typoDistance('기가충', '기생충')).toBe(1); // vowel and final
    expect(typoDistance('신계', '신세계')).toBe(1);
    expect(typoDistance('신계세', '신세계')).toBe(1); // a swap
    expect(typoDistance('기가추', '기생충', 1)).toBeGreaterThan(1);
    expect(typoDistance('abcdef', 'a', 1)).toBeGreaterThan(1);
  });

  it('scores a title one typo away from a Korean query, nothing else', () => {
    expect(typoSimilarity('침큐자', '침입자')).toBeCloseTo(1 - 1 / 6);
    expect(typoSimilarity('신가함께', '신과함께')).toBeCloseTo(1 - 0.5 / 8);
    expect(typoSimilarity('기상', '기생')).toBeCloseTo(1 - 0.5 / 4); // near syllable in a two-syllable title
    expect(typoSimilarity('기억', '기생')).toBe(0); // a whole syllable of two: too far
    expect(typoSimilarity('기생충', '기생충')).toBe(0); // literal matches are not typos
    expect(typoSimilarity('matrx', 'matrix')).toBe(0); // Latin: the keystroke similarity decides
    expect(typoSimilarity('기가추', '기생충')).toBe(0);
  });
});
