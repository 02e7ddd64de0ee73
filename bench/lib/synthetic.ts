// Synthetic ratings with known latent structure, for scale tests: score = μ + b_u + b_i + p_u·q_i + ε,
// rounded to half stars and clamped to 0.5–5. Item popularity is Zipf-like and user activity is
// log-normal, as in real catalogues. Everything is seeded.
import { Random } from '../../src/modules/recommendations/engine/random.js';
import type { Rating } from '../../src/modules/recommendations/engine/index.js';

export interface SyntheticSpec {
  users: number;
  items: number;
  ratings: number;
  rank?: number;
  noise?: number;
  seed?: number;
}

export interface SyntheticRatings {
  users: Int32Array;
  items: Int32Array;
  scores: Float32Array;
  /** The noiseless expected score μ + b_u + b_i + p_u·q_i (unrounded, unclamped). */
  expected: Float32Array;
  length: number;
}

export function generateSynthetic(spec: SyntheticSpec): SyntheticRatings {
  const { users: nUsers, items: nItems, ratings: total } = spec;
  const rank = spec.rank ?? 8;
  const noise = spec.noise ?? 0.5;
  const rng = new Random(spec.seed ?? 7);
  if (total > nUsers * nItems * 0.5) throw new RangeError('too dense for the sampler');

  // Latent model. Factor scale s so that p·q has a standard deviation of about 0.6.
  const s = Math.pow(0.36 / rank, 0.25);
  const P = new Float32Array(nUsers * rank).map(() => rng.normal() * s);
  const Q = new Float32Array(nItems * rank).map(() => rng.normal() * s);
  const bu = new Float32Array(nUsers).map(() => rng.normal() * 0.35);
  const bi = new Float32Array(nItems).map(() => rng.normal() * 0.45);
  const mu = 3.5;

  // Popularity: weight of the item of popularity rank r is (r + 50)^-0.8; ranks are a random permutation.
  const cumulative = new Float64Array(nItems);
  const popularityOrder = rng.shuffle(Int32Array.from({ length: nItems }, (_, k) => k));
  let acc = 0;
  for (let r = 0; r < nItems; r++) {
    acc += Math.pow(r + 50, -0.8);
    cumulative[r] = acc;
  }

  // Activity: log-normal counts, at least 10, at most 30 % of the catalogue, summing to `total`.
  const maxPerUser = Math.floor(nItems * 0.3);
  const raw = new Float64Array(nUsers).map(() => Math.exp(rng.normal() * 0.8));
  const rawSum = raw.reduce((a, b) => a + b, 0);
  const counts = new Int32Array(nUsers);
  let sum = 0;
  for (let u = 0; u < nUsers; u++) {
    counts[u] = Math.min(maxPerUser, Math.max(10, Math.round((raw[u]! / rawSum) * total)));
    sum += counts[u]!;
  }
  while (sum !== total) {
    const u = rng.int(nUsers);
    if (sum < total && counts[u]! < maxPerUser) {
      counts[u]++;
      sum++;
    } else if (sum > total && counts[u]! > 10) {
      counts[u]--;
      sum--;
    }
  }

  const out: SyntheticRatings = {
    users: new Int32Array(total),
    items: new Int32Array(total),
    scores: new Float32Array(total),
    expected: new Float32Array(total),
    length: total,
  };
  const taken = new Int32Array(nItems).fill(-1);
  let n = 0;
  for (let u = 0; u < nUsers; u++) {
    for (let c = 0; c < counts[u]!; ) {
      const x = rng.next() * acc;
      let lo = 0;
      let hi = nItems - 1;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cumulative[mid]! < x) lo = mid + 1;
        else hi = mid;
      }
      const i = popularityOrder[lo]!;
      if (taken[i] === u) continue;
      taken[i] = u;
      let dot = 0;
      for (let f = 0; f < rank; f++) dot += P[u * rank + f]! * Q[i * rank + f]!;
      const expected = mu + bu[u]! + bi[i]! + dot;
      const score = Math.min(5, Math.max(0.5, Math.round((expected + rng.normal() * noise) * 2) / 2));
      out.users[n] = u;
      out.items[n] = i;
      out.scores[n] = score;
      out.expected[n] = expected;
      n++;
      c++;
    }
  }
  return out;
}

/** Ratings [from, to) as Rating objects, lazily (no million-object array). External ids are 1-based. */
export function* syntheticRatings(data: SyntheticRatings, from = 0, to = data.length, skip?: (k: number) => boolean): Generator<Rating> {
  for (let k = from; k < to; k++) {
    if (skip?.(k)) continue;
    yield { userId: data.users[k]! + 1, itemId: data.items[k]! + 1, score: data.scores[k]! };
  }
}
