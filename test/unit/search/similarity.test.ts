// Typo tolerance of similar_result.
import { BigramNumbers, bestWindowDice, dice, keystrokesMeet, keystrokeSet, similarity, similarityScorer, SIMILAR_THRESHOLD, wholeSimilarity } from '../../../src/modules/search/text/similarity.js';
import { composeSyllable, decomposeSyllable, FINALS, INITIALS, MEDIALS } from '../../../src/modules/search/text/hangul.js';
import { typoSimilarity } from '../../../src/modules/search/text/typos.js';
import { normalise } from '../../../src/modules/search/text/normalise.js';

const sim = (q: string, t: string) => similarity(normalise(q), normalise(t));

describe('dice', () => {
  it('is 2|A∩B| / (|A|+|B|) over sets', () => {
    expect(dice(['ab', 'bc'], ['ab', 'bc'])).toBe(1);
    expect(dice(['ab', 'bc'], ['ab', 'cd'])).toBe(0.5);
    expect(dice(['ab', 'ab'], ['ab'])).toBe(1);
    expect(dice([], [])).toBe(0);
    expect(dice(['ab'], [])).toBe(0);
  });
});

describe('bestWindowDice', () => {
  it('compares the query with the best stretch of the title', () => {
    expect(bestWindowDice([...'abc'], [...'xxabcxx'])).toBe(1);
    expect(bestWindowDice([...'abc'], [...'ab'])).toBeCloseTo((2 * 1) / (2 + 1));
    expect(bestWindowDice([...'a'], [...'abc'])).toBe(0);
    expect(bestWindowDice([...'abab'], [...'ab'])).toBeCloseTo((2 * 1) / (3 + 1));
  });
});

describe('similarity', () => {
  it('is 1 when the query occurs in the title, 0 for empty input', () => {
    expect(sim('함께', '신과함께')).toBe(1);
    expect(sim('', '신과함께')).toBe(0);
    expect(sim('신과함께', '')).toBe(0);
  });

  it('tolerates typos: a wrong vowel, a missing or doubled letter, a near title', () => {
    expect(sim('신가함께', '신과함께-죄와 벌')).toBeGreaterThanOrEqual(SIMILAR_THRESHOLD);
    expect(sim('사람', '사랑의 블랙홀')).toBeGreaterThanOrEqual(SIMILAR_THRESHOLD);
    expect(sim('hary poter', 'Harry Potter and the Philosopher’s Stone')).toBeGreaterThanOrEqual(SIMILAR_THRESHOLD);
    expect(sim('신과 함께', '바람과 함께 사라지다')).toBeGreaterThanOrEqual(SIMILAR_THRESHOLD); // the seed's example
  });

  it('does not call unrelated titles similar, even when their letters occur scattered', () => {
    expect(sim('사랑', '전쟁과 평화')).toBeLessThan(SIMILAR_THRESHOLD);
    expect(sim('바다', '바람과 함께 사라지다')).toBeLessThan(SIMILAR_THRESHOLD);
    expect(sim('matrix', '해리 포터')).toBe(0);
  });

  it('ranks the closer title higher', () => {
    expect(sim('신가함께', '신과함께')).toBeGreaterThan(sim('신가함께', '바람과 함께 사라지다'));
  });
});

describe('wholeSimilarity', () => {
  it('prefers the title closest in length among equally similar ones', () => {
    const q = normalise('신가함께');
    expect(wholeSimilarity(q, normalise('신과 함께'))).toBeGreaterThan(wholeSimilarity(q, normalise('그리고 신과함께')));
    expect(wholeSimilarity('', 'x')).toBe(0);
  });
});

describe('similarityScorer', () => {
  it('gives the same numbers as similarity and wholeSimilarity', () => {
    for (const q of ['신가함께', 'harypoter', '사람', '']) {
      const s = similarityScorer(q);
      for (const t of ['신과함께죄와벌', 'harrypotterandthechamberofsecrets', '사랑의블랙홀', '', 'x']) {
        expect(s.similarity(t)).toBeCloseTo(similarity(q, t), 12);
        expect(s.closeness(t)).toBeCloseTo(wholeSimilarity(q, t), 12);
      }
    }
  });
});

describe('similarityScorer against the definitions (random titles)', () => {
  // Deterministic PRNG: the same cases every run.
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const alphabet = [...'신과함께죄와벌사랑의블랙홀닭앉괘ㄱㅅㅘㄳabcdeharypot0123', '😀', '\ud800'];
  const word = (n: number) => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]!).join('');
  it('similarity, similarityAtLeast (of the text and of its numbered bigrams) and closeness give the reference numbers', () => {
    const numbers = new BigramNumbers();
    for (let k = 0; k < 300; k++) {
      const q = word(Math.floor(rnd() * 8));
      const titles = Array.from({ length: 10 }, () => (rnd() < 0.3 ? q.slice(0, Math.floor(rnd() * q.length)) + word(3) : word(Math.floor(rnd() * 20))));
      // The titles are numbered before the scorer is made (as the terms held in memory are).
      const encoded = titles.map((t) => numbers.encode(t)!);
      // As the term records hold them: the codes of each title at an offset in one array.
      const joined = `\u0007\u0007${encoded.join('')}`;
      const codes = Uint16Array.from({ length: joined.length }, (_, i) => joined.charCodeAt(i));
      const at = encoded.map((_, j) => 2 + encoded.slice(0, j).reduce((n, e) => n + e.length, 0));
      const s = similarityScorer(q, numbers);
      titles.forEach((t, j) => {
        const want = similarity(q, t);
        expect(s.similarity(t)).toBe(want);
        expect(s.closeness(t)).toBeCloseTo(wholeSimilarity(q, t), 12);
        for (const atLeast of [s.similarityAtLeast(t, SIMILAR_THRESHOLD), s.similarityAtLeastNumbered(codes, at[j]!, encoded[j]!.length, SIMILAR_THRESHOLD)]) {
          if (want >= SIMILAR_THRESHOLD) expect(atLeast).toBe(want);
          else expect(atLeast).toBeLessThan(SIMILAR_THRESHOLD);
        }
        expect(s.similarityAtLeastNumbered(codes, at[j]!, encoded[j]!.length, 0)).toBe(want);
      });
    }
  });

  it('a released scorer gives the numbering’s table back clean: the next scorers score as from a new table', () => {
    const numbers = new BigramNumbers();
    const titles = ['신과함께', '신과 함께 죄와 벌', '기생충', '괴물', '사랑의 블랙홀', 'harry potter'];
    const encoded = titles.map((t) => numbers.encode(t)!);
    const joined = encoded.join('');
    const codes = Uint16Array.from({ length: joined.length }, (_, i) => joined.charCodeAt(i));
    const at = encoded.map((_, j) => encoded.slice(0, j).reduce((n, e) => n + e.length, 0));
    const scores = (q: string) => {
      const s = similarityScorer(q, numbers);
      const out = titles.map((_, j) => s.similarityAtLeastNumbered(codes, at[j]!, encoded[j]!.length, 0));
      s.release();
      return out;
    };
    for (const q of ['신과함께', '기생충', '신가함께', 'hary poter', '블랙홀 사랑', '신과함께']) expect(scores(q)).toEqual(titles.map((t) => similarity(q, t)));
    // Unreleased, a scorer keeps its own table; the next one borrows another.
    const kept = similarityScorer('기생충', numbers);
    expect(scores('괴물')).toEqual(titles.map((t) => similarity('괴물', t)));
    expect(kept.similarityAtLeastNumbered(codes, at[2]!, encoded[2]!.length, 0)).toBe(1);
  });

  it('BigramNumbers: one code unit per keystroke bigram, repeats kept; a full numbering encodes nothing new', () => {
    const numbers = new BigramNumbers();
    // 가나 → ㄱㅏㄴㅏ: bigrams ㄱㅏ ㅏㄴ ㄴㅏ; 가가 → ㄱㅏ ㅏㄱ ㄱㅏ
    expect(numbers.encode('가나')).toBe('\u0000\u0001\u0002');
    expect(numbers.encode('가가')).toBe('\u0000\u0003\u0000');
    expect(numbers.encode('a')).toBe('');
    expect(numbers.size).toBe(4);
    for (let c = 0; numbers.size < 0xffff; c++) numbers.encode(String.fromCodePoint(0x4e00 + (c >> 8), 0x4e00 + (c & 0xff)));
    expect(numbers.encode('가나')).toBe('\u0000\u0001\u0002');
    expect(numbers.encode('zq')).toBeNull();
  });
});

describe('keystroke sets (the ranking skips a title sharing no keystroke with the query)', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const syllable = () => composeSyllable({ initial: pick([...INITIALS]), medial: pick([...MEDIALS]), final: rnd() < 0.5 ? '' : pick([...FINALS]) });
  const other = () => pick([...'abcxyz0129ㄱㅅㅘ😀']);
  const word = (n: number) => Array.from({ length: n }, () => (rnd() < 0.8 ? syllable() : other())).join('');
  /** One near or random syllable replaced, one character dropped or added. */
  const typo = (q: string) => {
    const cs = [...q];
    const at = Math.floor(rnd() * cs.length);
    const r = rnd();
    if (r < 0.4 && cs[at] && decomposeSyllable(cs[at]!)) {
      const s = decomposeSyllable(cs[at]!)!;
      cs[at] = composeSyllable(rnd() < 0.5 ? { ...s, medial: pick([...MEDIALS]) } : { ...s, initial: pick([...INITIALS]) });
    } else if (r < 0.6) cs.splice(at, 1);
    else if (r < 0.8) cs.splice(at, 0, syllable());
    else cs[at] = syllable();
    return cs.join('');
  };

  it('strings whose keystroke sets do not meet score 0 by both measures', () => {
    let apart = 0;
    let scored = 0;
    for (let k = 0; k < 3000; k++) {
      const q = word(1 + Math.floor(rnd() * 6));
      const t = rnd() < 0.5 ? typo(q) : word(1 + Math.floor(rnd() * 6));
      if (!t) continue;
      const meet = keystrokesMeet(keystrokeSet(q), keystrokeSet(t));
      const score = Math.max(similarity(q, t), typoSimilarity(q, t));
      if (!meet) {
        apart++;
        expect([q, t, score]).toEqual([q, t, 0]);
      } else if (score > 0) scored++;
    }
    // Both kinds occur (the check is not vacuous).
    expect(apart).toBeGreaterThan(100);
    expect(scored).toBeGreaterThan(500);
  });

  it('a Korean query and a Latin title do not meet; a near syllable does', () => {
    expect(keystrokesMeet(keystrokeSet('용서'), keystrokeSet('movie123'))).toBe(false);
    expect(keystrokesMeet(keystrokeSet('가'), keystrokeSet('각'))).toBe(true);
    expect(keystrokesMeet(keystrokeSet('신가함께'), keystrokeSet('신과함께'))).toBe(true);
    expect(keystrokesMeet(keystrokeSet('hary'), keystrokeSet('harry potter'))).toBe(true);
  });
});
