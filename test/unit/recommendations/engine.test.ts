// Behaviour of the recommendation engine on small generated data sets whose structure is known.
import {
  MAX_SCORE,
  MIN_SCORE,
  deserializeModel,
  evaluate,
  serializeModel,
  trainModel,
  trainModelAsync,
  type Algorithm,
  type Rating,
  type RecommenderModel,
  type TrainOptions,
} from '../../../src/modules/recommendations/engine/index.js';

/** Tiny seeded generator local to the tests (independent of the engine's PRNG). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

const half = (x: number) => Math.min(5, Math.max(0.5, Math.round(x * 2) / 2));

/**
 * Two tastes: users 1..20 love items 101..120 and dislike 201..220; users 21..40 the reverse. Each user
 * rates a random ~55 % of the 40 items, so plenty of items stay unrated for recommendation.
 */
function twoGroups(seed = 1): { ratings: Rating[]; groupOf: (userId: number) => 'A' | 'B'; itemsOf: (g: 'A' | 'B') => number[] } {
  const rnd = lcg(seed);
  const itemsA = Array.from({ length: 20 }, (_, k) => 101 + k);
  const itemsB = Array.from({ length: 20 }, (_, k) => 201 + k);
  const groupOf = (userId: number) => (userId <= 20 ? 'A' : 'B');
  const ratings: Rating[] = [];
  for (let userId = 1; userId <= 40; userId++) {
    const loved = groupOf(userId) === 'A' ? itemsA : itemsB;
    const hated = groupOf(userId) === 'A' ? itemsB : itemsA;
    for (const itemId of loved) if (rnd() < 0.55) ratings.push({ userId, itemId, score: half(4.5 + (rnd() - 0.5)) });
    for (const itemId of hated) if (rnd() < 0.55) ratings.push({ userId, itemId, score: half(1.5 + (rnd() - 0.5)) });
  }
  return { ratings, groupOf, itemsOf: (g) => (g === 'A' ? itemsA : itemsB) };
}

/** Low-rank data with noise: score = 3.4 + b_u + b_i + p_u·q_i + ε. */
function latent(users: number, items: number, density: number, seed: number): Rating[] {
  const rnd = lcg(seed);
  const gauss = () => {
    let s = 0;
    for (let k = 0; k < 6; k++) s += rnd();
    return (s - 3) * Math.SQRT2;
  };
  const rank = 3;
  const P = Array.from({ length: users }, () => Array.from({ length: rank }, () => gauss() * 0.6));
  const Q = Array.from({ length: items }, () => Array.from({ length: rank }, () => gauss() * 0.6));
  const bu = Array.from({ length: users }, () => gauss() * 0.3);
  const bi = Array.from({ length: items }, () => gauss() * 0.4);
  const out: Rating[] = [];
  for (let u = 0; u < users; u++) {
    for (let i = 0; i < items; i++) {
      if (rnd() >= density) continue;
      let dot = 0;
      for (let f = 0; f < rank; f++) dot += P[u]![f]! * Q[i]![f]!;
      out.push({ userId: 1000 + u, itemId: 5000 + i, score: half(3.4 + bu[u]! + bi[i]! + dot + gauss() * 0.3) });
    }
  }
  return out;
}

function ratedBy(ratings: Rating[], userId: number): Set<number> {
  return new Set(ratings.filter((r) => r.userId === userId).map((r) => r.itemId));
}

const PERSONALISED: Algorithm[] = ['hybrid', 'svdpp', 'mf', 'knn'];

describe('recommendation engine on two taste groups', () => {
  const data = twoGroups();
  const models = new Map<Algorithm, RecommenderModel>();
  const model = (a: Algorithm) => {
    let m = models.get(a);
    if (!m) models.set(a, (m = trainModel(data.ratings, { algorithm: a, seed: 3 })));
    return m;
  };

  it.each(PERSONALISED)('%s recommends only items from the user’s own group', (algorithm) => {
    const m = model(algorithm);
    for (const userId of [1, 7, 20, 21, 33, 40]) {
      const rated = ratedBy(data.ratings, userId);
      const own = data.itemsOf(data.groupOf(userId));
      const unratedOwn = own.filter((i) => !rated.has(i)).length;
      const n = Math.min(5, unratedOwn);
      expect(n).toBeGreaterThan(0);
      const recs = m.recommend(userId, rated, n);
      expect(recs).toHaveLength(n);
      for (const r of recs) {
        expect(own).toContain(r.itemId);
        expect(rated.has(r.itemId)).toBe(false);
      }
      // sorted by score, best first
      for (let k = 1; k < recs.length; k++) expect(recs[k - 1]!.score).toBeGreaterThanOrEqual(recs[k]!.score);
    }
  });

  it.each(PERSONALISED)('%s predicts every unrated liked item above every unrated disliked item', (algorithm) => {
    const m = model(algorithm);
    for (let userId = 1; userId <= 40; userId++) {
      const rated = ratedBy(data.ratings, userId);
      const g = data.groupOf(userId);
      const liked = data.itemsOf(g).filter((i) => !rated.has(i)).map((i) => m.predict(userId, i));
      const disliked = data.itemsOf(g === 'A' ? 'B' : 'A').filter((i) => !rated.has(i)).map((i) => m.predict(userId, i));
      expect(Math.min(...liked)).toBeGreaterThan(Math.max(...disliked));
      expect(Math.min(...liked)).toBeGreaterThan(3);
      expect(Math.max(...disliked)).toBeLessThan(3);
    }
  });

  it('finds similar items within the same group', () => {
    for (const algorithm of ['hybrid', 'mf'] as const) {
      const neighbours = model(algorithm).itemNeighbours(105, 5);
      expect(neighbours.length).toBeGreaterThan(0);
      for (const n of neighbours) {
        expect(n.itemId).toBeGreaterThanOrEqual(101);
        expect(n.itemId).toBeLessThanOrEqual(120);
        expect(n.itemId).not.toBe(105);
      }
    }
    expect(model('hybrid').itemNeighbours(999_999, 5)).toEqual([]);
  });

  it('excludes rated items, honours the filter and n', () => {
    const m = model('hybrid');
    const all = m.recommend(1, new Set(), 1000);
    expect(all).toHaveLength(40); // every known item when nothing is excluded
    const excluded = new Set([101, 102, 103]);
    const recs = m.recommend(1, excluded, 1000);
    expect(recs).toHaveLength(37);
    expect(recs.some((r) => excluded.has(r.itemId))).toBe(false);
    const odd = m.recommend(1, new Set(), 1000, { filter: (id) => id % 2 === 1 });
    expect(odd).toHaveLength(20);
    expect(odd.every((r) => r.itemId % 2 === 1)).toBe(true);
    expect(m.recommend(1, new Set(), 0)).toEqual([]);
  });

  it('gives the same answer when a filter re-enters recommend() on the same model', () => {
    const m = model('hybrid');
    const rated = ratedBy(data.ratings, 2);
    const plain = m.recommend(2, rated, 6);
    const nested = m.recommend(2, rated, 6, {
      filter: () => m.recommend(30, ratedBy(data.ratings, 30), 1).length === 1,
    });
    expect(nested).toEqual(plain);
  });
});

describe('determinism', () => {
  const { ratings } = twoGroups(5);
  const grid = (m: RecommenderModel) => {
    const out: number[] = [];
    for (let u = 1; u <= 40; u++) for (const i of [101, 110, 120, 201, 210, 220]) out.push(m.predict(u, i));
    return out;
  };

  it.each(['hybrid', 'svdpp', 'mf'] as const)('%s: same seed gives the same model, another seed a different one', (algorithm) => {
    const a = grid(trainModel(ratings, { algorithm, seed: 11 }));
    const b = grid(trainModel([...ratings], { algorithm, seed: 11 }));
    const c = grid(trainModel(ratings, { algorithm, seed: 12 }));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('trainModelAsync builds the same model as trainModel and awaits progress callbacks', async () => {
    const sync = trainModel(ratings, { seed: 4 });
    let pending = 0;
    let maxPending = 0;
    const fractions: number[] = [];
    async function* stream(): AsyncGenerator<Rating> {
      for (const r of ratings) yield r;
    }
    const asyncModel = await trainModelAsync(stream(), {
      seed: 4,
      onProgress: async (f) => {
        pending++;
        maxPending = Math.max(maxPending, pending);
        await new Promise((r) => setTimeout(r, 0));
        fractions.push(f);
        pending--;
      },
    });
    expect(grid(asyncModel)).toEqual(grid(sync));
    expect(maxPending).toBe(1); // each callback finished before training went on
    expect(fractions.at(-1)).toBe(1);
  });
});

describe('predictions', () => {
  it('are clamped to the rating scale', () => {
    // 60 users; items 1..10 are loved by all, items 11..20 hated by all except user 1, who gives
    // everything 5; user 2 gives everything 0.5. μ + b_u + b_i overshoots 5 for (1, good item) and
    // undershoots 0.5 for (2, bad item), so the clamp must act at both ends.
    const ratings: Rating[] = [];
    for (let userId = 1; userId <= 60; userId++) {
      for (let itemId = 1; itemId <= 20; itemId++) {
        const score = userId === 1 ? 5 : userId === 2 ? 0.5 : itemId <= 10 ? 5 : 0.5;
        ratings.push({ userId, itemId, score });
      }
    }
    for (const algorithm of ['baseline', 'mf', 'svdpp', 'knn', 'hybrid'] as const) {
      const m = trainModel(ratings, { algorithm, seed: 1 });
      const values: number[] = [];
      for (let u = 1; u <= 61; u++) for (let i = 1; i <= 21; i++) values.push(m.predict(u, i));
      expect(Math.max(...values)).toBeLessThanOrEqual(MAX_SCORE);
      expect(Math.min(...values)).toBeGreaterThanOrEqual(MIN_SCORE);
      if (algorithm === 'baseline' || algorithm === 'mf' || algorithm === 'knn') {
        // these fit the biases fully, so their raw predictions overshoot: the clamp must have acted
        expect(Math.max(...values)).toBe(MAX_SCORE);
        expect(Math.min(...values)).toBe(MIN_SCORE);
        expect(m.predict(1, 1)).toBe(MAX_SCORE);
        expect(m.predict(2, 15)).toBe(MIN_SCORE);
      }
      for (const r of m.recommend(1, new Set(), 10)) {
        expect(r.score).toBeLessThanOrEqual(MAX_SCORE);
        expect(r.score).toBeGreaterThanOrEqual(MIN_SCORE);
      }
    }
  });

  it('fall back to the bias baseline for unknown users and items', () => {
    const { ratings } = twoGroups(2);
    const mean = ratings.reduce((s, r) => s + r.score, 0) / ratings.length;
    const baseline = trainModel(ratings, { algorithm: 'baseline' });
    for (const algorithm of ['hybrid', 'svdpp', 'mf', 'knn'] as const) {
      const m = trainModel(ratings, { algorithm, seed: 9 });
      expect(m.hasUser(999)).toBe(false);
      expect(m.predict(999, 9999)).toBeCloseTo(mean, 5);
      for (const itemId of [101, 115, 205]) expect(m.predict(999, itemId)).toBeCloseTo(baseline.predict(999, itemId), 6);
      for (const userId of [3, 30]) expect(m.predict(userId, 9999)).toBeCloseTo(baseline.predict(userId, 9999), 6);
      // the baseline itself: the mean shifted by regularised biases
      expect(baseline.predict(999, 101)).not.toBeCloseTo(mean, 2);
      // an unknown user gets the best items by baseline
      const expected = [...new Set(ratings.map((r) => r.itemId))]
        .sort((a, b) => baseline.predict(999, b) - baseline.predict(999, a) || a - b)
        .slice(0, 5);
      expect(m.recommend(999, new Set(), 5).map((r) => r.itemId)).toEqual(expected);
    }
  });

  it('beat the global mean on held-out ratings of a low-rank data set', () => {
    const all = latent(150, 80, 0.3, 21);
    const rnd = lcg(99);
    const train: Rating[] = [];
    const test: Rating[] = [];
    for (const r of all) (rnd() < 0.2 ? test : train).push(r);
    const mean = train.reduce((s, r) => s + r.score, 0) / train.length;
    const meanRmse = Math.sqrt(test.reduce((s, r) => s + (r.score - mean) ** 2, 0) / test.length);
    const rmse = (o: TrainOptions) => evaluate(trainModel(train, { seed: 1, ...o }), test).rmse;
    const baseline = rmse({ algorithm: 'baseline' });
    const hybrid = rmse({ algorithm: 'hybrid' });
    expect(baseline).toBeLessThan(meanRmse);
    expect(hybrid).toBeLessThan(0.8 * meanRmse);
    expect(hybrid).toBeLessThan(baseline);
  });
});

describe('serialisation', () => {
  const { ratings } = twoGroups(3);

  it.each(['baseline', 'mf', 'svdpp', 'knn', 'hybrid'] as const)('%s survives a JSON round trip', (algorithm) => {
    const m = trainModel(ratings, { algorithm, seed: 2 });
    const restored = deserializeModel(JSON.parse(JSON.stringify(serializeModel(m))));
    expect(restored.algorithm).toBe(algorithm);
    for (let u = 1; u <= 41; u++) for (const i of [101, 120, 201, 220, 999]) expect(restored.predict(u, i)).toBe(m.predict(u, i));
    expect(restored.recommend(5, ratedBy(ratings, 5), 8)).toEqual(m.recommend(5, ratedBy(ratings, 5), 8));
    expect(restored.itemNeighbours(110, 4)).toEqual(m.itemNeighbours(110, 4));
  });

  it('rejects foreign or damaged data', () => {
    const good = serializeModel(trainModel(ratings, { seed: 2 }));
    expect(() => deserializeModel({ ...good, format: 'something-else' } as never)).toThrow();
    expect(() => deserializeModel({ ...good, version: 99 })).toThrow(/version/);
    expect(() => deserializeModel({ ...good, factors: undefined })).toThrow(/without factors/);
    const truncated = good.baseline.itemBias.slice(0, 16); // 12 bytes: 3 of the 40 item biases
    expect(() => deserializeModel({ ...good, baseline: { ...good.baseline, itemBias: truncated } })).toThrow(/corrupt/);
  });
});

describe('training contract', () => {
  const { ratings } = twoGroups(4);

  it('reports monotone progress in [0, 1] ending with 1', () => {
    for (const algorithm of ['baseline', 'mf', 'hybrid'] as const) {
      const seen: number[] = [];
      trainModel(ratings, { algorithm, onProgress: (f) => seen.push(f) });
      expect(seen.at(-1)).toBe(1);
      for (let k = 0; k < seen.length; k++) {
        expect(seen[k]).toBeGreaterThanOrEqual(0);
        expect(seen[k]).toBeLessThanOrEqual(1);
        if (k > 0) expect(seen[k]).toBeGreaterThanOrEqual(seen[k - 1]!);
      }
      if (algorithm !== 'baseline') expect(seen.length).toBeGreaterThan(10);
    }
  });

  it('accepts any iterable', () => {
    function* gen(): Generator<Rating> {
      yield* ratings;
    }
    const a = trainModel(gen(), { algorithm: 'mf', seed: 1 });
    const b = trainModel(ratings, { algorithm: 'mf', seed: 1 });
    expect(a.predict(3, 110)).toBe(b.predict(3, 110));
    expect(a.info).toMatchObject({ algorithm: 'mf', users: 40, items: 40, ratings: ratings.length });
  });

  it('rejects empty input and nonsense options', () => {
    expect(() => trainModel([])).toThrow(/zero ratings/);
    expect(() => trainModel(ratings, { factors: 0 })).toThrow(/factors/);
    expect(() => trainModel(ratings, { epochs: 2.5 })).toThrow(/epochs/);
    expect(() => trainModel(ratings, { blendWeight: 2 })).toThrow(/blendWeight/);
    expect(() => trainModel(ratings, { learningRate: -0.1 })).toThrow(/learningRate/);
    expect(() => trainModel(ratings, { decay: 0 })).toThrow(/decay/);
    expect(() => trainModel(ratings, { algorithm: 'magic' as Algorithm })).toThrow(/algorithm/);
    expect(() => trainModel([{ userId: 1, itemId: 1, score: Number.NaN }])).toThrow(/not a number/);
  });
});

describe('fold-in: a member folded in from their ratings, item parameters fixed, no retrain', () => {
  // Users 1..40 train the model; users 41..60 (same two tastes) are held out of training.
  const { ratings, groupOf, itemsOf } = (() => {
    const rnd = lcg(7);
    const itemsA = Array.from({ length: 20 }, (_, k) => 101 + k);
    const itemsB = Array.from({ length: 20 }, (_, k) => 201 + k);
    const group = (userId: number): 'A' | 'B' => (userId % 2 ? 'A' : 'B');
    const out: Rating[] = [];
    for (let userId = 1; userId <= 60; userId++) {
      const loved = group(userId) === 'A' ? itemsA : itemsB;
      const hated = group(userId) === 'A' ? itemsB : itemsA;
      for (const itemId of loved) if (rnd() < 0.55) out.push({ userId, itemId, score: half(4.5 + (rnd() - 0.5)) });
      for (const itemId of hated) if (rnd() < 0.55) out.push({ userId, itemId, score: half(1.5 + (rnd() - 0.5)) });
    }
    return { ratings: out, groupOf: group, itemsOf: (g: 'A' | 'B') => (g === 'A' ? itemsA : itemsB) };
  })();
  const train = ratings.filter((r) => r.userId <= 40);
  const newcomers = Array.from({ length: 20 }, (_, k) => 41 + k);
  const ratingsOf = (userId: number) => ratings.filter((r) => r.userId === userId).map((r) => ({ itemId: r.itemId, score: r.score }));

  it.each(['hybrid', 'svdpp', 'mf', 'knn', 'baseline'] as Algorithm[])('%s: an unseen member who rated one taste gets that taste’s unrated items', (algorithm) => {
    const m = trainModel(train, { algorithm, seed: 5 });
    for (const userId of newcomers) {
      expect(m.hasUser(userId)).toBe(false);
      const mine = ratingsOf(userId);
      const own = itemsOf(groupOf(userId));
      const rated = new Set(mine.map((r) => r.itemId));
      const n = Math.min(5, own.filter((i) => !rated.has(i)).length);
      const recs = m.recommendFromRatings(mine, n);
      expect(recs).toHaveLength(n);
      for (const r of recs) expect(rated.has(r.itemId)).toBe(false);
      if (algorithm === 'baseline') continue; // not personal beyond the user bias
      for (const r of recs) expect(own).toContain(r.itemId);
      // and the folded-in predictions separate the tastes
      const liked = own.filter((i) => !rated.has(i)).map((i) => m.predictFromRatings(mine, i));
      const disliked = itemsOf(groupOf(userId) === 'A' ? 'B' : 'A').filter((i) => !rated.has(i)).map((i) => m.predictFromRatings(mine, i));
      expect(Math.min(...liked)).toBeGreaterThan(Math.max(...disliked));
    }
  });

  it('without fold-in the same unseen members get the non-personal baseline order', () => {
    const m = trainModel(train, { algorithm: 'hybrid', seed: 5 });
    let mixed = 0;
    for (const userId of newcomers) {
      const own = new Set(itemsOf(groupOf(userId)));
      const plain = m.recommend(userId, new Set(ratingsOf(userId).map((r) => r.itemId)), 5);
      if (plain.some((r) => !own.has(r.itemId))) mixed++;
    }
    expect(mixed).toBeGreaterThan(0);
  });

  it('gives a trained member about what training gave them (same objective, items fixed)', () => {
    for (const algorithm of ['hybrid', 'svdpp', 'mf', 'knn', 'baseline'] as Algorithm[]) {
      const m = trainModel(train, { algorithm, seed: 5 });
      let diff = 0;
      let cnt = 0;
      for (const userId of [1, 2, 9, 20, 33]) {
        const mine = ratingsOf(userId);
        for (const itemId of [...itemsOf('A'), ...itemsOf('B')]) {
          diff += Math.abs(m.predictFromRatings(mine, itemId) - m.predict(userId, itemId));
          cnt++;
        }
        // the baseline part is exactly the closed-form step fitBaseline() ends with
        expect(m.foldInBaselineBias(mine)).toBeCloseTo(m.internals.baseline.userBias[[...m.internals.userIds].indexOf(userId)]!, 4);
      }
      expect(diff / cnt).toBeLessThan(0.1);
    }
  });

  it('beats the bias-only fallback on the held-out ratings of unseen members', () => {
    const m = trainModel(train, { algorithm: 'hybrid', seed: 5 });
    let folded = 0;
    let plain = 0;
    let cnt = 0;
    for (const userId of newcomers) {
      const mine = ratingsOf(userId);
      const known = mine.filter((_, k) => k % 4 !== 0);
      const held = mine.filter((_, k) => k % 4 === 0);
      for (const r of held) {
        folded += (m.predictFromRatings(known, r.itemId) - r.score) ** 2;
        plain += (m.predict(userId, r.itemId) - r.score) ** 2;
        cnt++;
      }
    }
    expect(Math.sqrt(folded / cnt)).toBeLessThan(0.5 * Math.sqrt(plain / cnt));
  });

  it('ignores unknown items, keeps the latest of a duplicate, and survives serialisation', () => {
    const m = trainModel(train, { algorithm: 'hybrid', seed: 5 });
    const mine = ratingsOf(41);
    const a = m.recommendFromRatings(mine, 8);
    expect(m.recommendFromRatings([...mine, { itemId: 987654, score: 5 }], 8)).toEqual(a);
    expect(m.recommendFromRatings([{ itemId: mine[0]!.itemId, score: 0.5 }, ...mine], 8)).toEqual(a);
    expect(m.recommendFromRatings(mine, 8, { excludeItemIds: new Set([a[0]!.itemId]) }).map((r) => r.itemId)).not.toContain(a[0]!.itemId);
    expect(m.recommendFromRatings([], 3)).toEqual(m.recommend(999, new Set(), 3));
    const back = deserializeModel(JSON.parse(JSON.stringify(serializeModel(m))));
    expect(back.recommendFromRatings(mine, 8)).toEqual(a);
  });
});
