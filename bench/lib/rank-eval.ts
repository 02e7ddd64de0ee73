// The offline protocol of bench:recs (and test/data): a seeded 80/20 split of a ratings file, every
// model trained on the 80 %, rating error on the 20 %, and top-10 lists judged against each member's
// held-out ratings ≥ 4.0. Candidates are the training items the member has not rated in training.
import { Random } from '../../src/modules/recommendations/engine/random.js';
import { evaluate, trainModel, type Algorithm, type Rating, type RecommenderModel } from '../../src/modules/recommendations/engine/index.js';
import { InteractionsBuilder, trainRanking, type RankingModel, type RankingOptions } from '../../src/modules/recommendations/engine/ranking.js';
import { RATING_WEIGHTING, ratingWeight, type RatingWeighting } from '../../src/modules/recommendations/engine/signals.js';
import type { RatingsArrays } from './ratings-file.js';

export const SPLIT = { testFraction: 0.2, seed: 42 } as const;
export const RELEVANT_AT = 4.0;
export const K = 10;

export type ModelSpec =
  | { name: string; kind: 'rating'; algorithm: Algorithm; served?: boolean }
  | { name: string; kind: 'ranking' | 'baseline'; ranking: RankingOptions; weighting?: RatingWeighting; served?: boolean };

export interface ModelResult {
  name: string;
  kind: 'rating' | 'ranking' | 'baseline';
  rmse: number | null;
  mae: number | null;
  p_at_10: number;
  r_at_10: number;
  ndcg_at_10: number;
  coverage: number;
  train_s: number;
  peak_rss_mib: number;
  served?: boolean;
}

/** Same split as the earlier bench (each rating, in file order, goes to test with probability 0.2). */
export function splitMask(length: number, fraction: number = SPLIT.testFraction, seed: number = SPLIT.seed): Uint8Array {
  const rng = new Random(seed);
  const isTest = new Uint8Array(length);
  for (let k = 0; k < length; k++) isTest[k] = rng.next() < fraction ? 1 : 0;
  return isTest;
}

function* trainRatings(d: RatingsArrays, isTest: Uint8Array): Generator<Rating> {
  for (let k = 0; k < d.length; k++) if (!isTest[k]) yield { userId: d.users[k]!, itemId: d.items[k]!, score: d.scores[k]! };
}

export interface EvalSet {
  /** user → training items (ascending) */
  trainByUser: Map<number, Int32Array>;
  trainScoresByUser: Map<number, Float32Array>;
  relevant: Map<number, Set<number>>;
  trainItems: Set<number>;
}

export function evalSet(d: RatingsArrays, isTest: Uint8Array): EvalSet {
  const counts = new Map<number, number>();
  for (let k = 0; k < d.length; k++) if (!isTest[k]) counts.set(d.users[k]!, (counts.get(d.users[k]!) ?? 0) + 1);
  const trainByUser = new Map<number, Int32Array>();
  const trainScoresByUser = new Map<number, Float32Array>();
  const fill = new Map<number, number>();
  for (const [u, c] of counts) {
    trainByUser.set(u, new Int32Array(c));
    trainScoresByUser.set(u, new Float32Array(c));
    fill.set(u, 0);
  }
  const relevant = new Map<number, Set<number>>();
  const trainItems = new Set<number>();
  for (let k = 0; k < d.length; k++) {
    const u = d.users[k]!;
    if (isTest[k]) {
      if (d.scores[k]! >= RELEVANT_AT) (relevant.get(u) ?? relevant.set(u, new Set()).get(u)!).add(d.items[k]!);
    } else {
      const f = fill.get(u)!;
      trainByUser.get(u)![f] = d.items[k]!;
      trainScoresByUser.get(u)![f] = d.scores[k]!;
      fill.set(u, f + 1);
      trainItems.add(d.items[k]!);
    }
  }
  return { trainByUser, trainScoresByUser, relevant, trainItems };
}

/** P@10, R@10 (hits / relevant), NDCG@10 (binary gains) averaged over members with a relevant held-out item; catalogue coverage. */
export function rankingMetrics(set: EvalSet, topFor: (userId: number, rated: ReadonlySet<number>) => number[]): { p: number; r: number; ndcg: number; coverage: number; users: number } {
  let p = 0;
  let r = 0;
  let ndcg = 0;
  let users = 0;
  const shown = new Set<number>();
  for (const [u, rel] of set.relevant) {
    const rated = new Set(set.trainByUser.get(u) ?? []);
    const top = topFor(u, rated).slice(0, K);
    let hits = 0;
    let dcg = 0;
    top.forEach((id, k) => {
      shown.add(id);
      if (rel.has(id)) {
        hits++;
        dcg += 1 / Math.log2(k + 2);
      }
    });
    let idcg = 0;
    for (let k = 0; k < Math.min(K, rel.size); k++) idcg += 1 / Math.log2(k + 2);
    p += hits / K;
    r += hits / rel.size;
    ndcg += dcg / idcg;
    users++;
  }
  return { p: p / users, r: r / users, ndcg: ndcg / users, coverage: shown.size / set.trainItems.size, users };
}

export function buildInteractions(d: RatingsArrays, isTest: Uint8Array, weighting: RatingWeighting = RATING_WEIGHTING) {
  const b = new InteractionsBuilder();
  for (let k = 0; k < d.length; k++) if (!isTest[k]) b.add(d.users[k]!, d.items[k]!, ratingWeight(d.scores[k]!, weighting));
  return b.build();
}

export interface Trained {
  rating?: RecommenderModel;
  ranking?: RankingModel;
  seconds: number;
}

export function trainSpec(spec: ModelSpec, d: RatingsArrays, isTest: Uint8Array, onProgress?: () => void): Trained {
  const t0 = performance.now();
  if (spec.kind === 'rating') {
    const rating = trainModel(trainRatings(d, isTest), { algorithm: spec.algorithm, seed: 42, onProgress });
    return { rating, seconds: (performance.now() - t0) / 1000 };
  }
  const ranking = trainRanking(buildInteractions(d, isTest, spec.weighting), spec.ranking, onProgress);
  return { ranking, seconds: (performance.now() - t0) / 1000 };
}

export function evaluateSpec(spec: ModelSpec, trained: Trained, d: RatingsArrays, isTest: Uint8Array, set: EvalSet): Omit<ModelResult, 'train_s' | 'peak_rss_mib'> {
  let rmse: number | null = null;
  let mae: number | null = null;
  let topFor: (u: number, rated: ReadonlySet<number>) => number[];
  if (trained.rating) {
    const model = trained.rating;
    const test = (function* () {
      for (let k = 0; k < d.length; k++) if (isTest[k]) yield { userId: d.users[k]!, itemId: d.items[k]!, score: d.scores[k]! };
    })();
    const e = evaluate(model, test);
    rmse = e.rmse;
    mae = e.mae;
    topFor = (u, rated) => model.recommend(u, rated, K).map((s) => s.itemId);
  } else {
    const model = trained.ranking!;
    const weighting = spec.kind !== 'rating' ? spec.weighting ?? RATING_WEIGHTING : RATING_WEIGHTING;
    topFor = (u) => {
      const items = set.trainByUser.get(u) ?? new Int32Array(0);
      const scores = set.trainScoresByUser.get(u) ?? new Float32Array(0);
      const history = Array.from(items, (itemId, x) => ({ itemId, weight: ratingWeight(scores[x]!, weighting) }));
      return model.recommend(history, K).map((s) => s.itemId);
    };
  }
  const m = rankingMetrics(set, topFor);
  const out: Omit<ModelResult, 'train_s' | 'peak_rss_mib'> = { name: spec.name, kind: spec.kind, rmse, mae, p_at_10: m.p, r_at_10: m.r, ndcg_at_10: m.ndcg, coverage: m.coverage };
  if (spec.served) out.served = true;
  return out;
}

/**
 * Fold-in accuracy for new members: a seeded 10 % of the members are left out of training; each is
 * folded in from their first k ratings (file order) and judged on the rest. Hybrid fold-in
 * (predictFromRatings) against bias-only (μ + folded b_u + b_i). RMSE per k.
 */
export function foldInCurve(d: RatingsArrays, ks: number[], seed = 42): Array<{ k: number; hybrid: number; biasOnly: number; pairs: number }> {
  const rng = new Random(seed);
  const newcomers = new Set<number>();
  const allUsers = [...new Set(d.users)].sort((a, b) => a - b);
  for (const u of allUsers) if (rng.next() < 0.1) newcomers.add(u);
  const mask = new Uint8Array(d.length);
  const theirs = new Map<number, Array<{ itemId: number; score: number }>>();
  for (let k = 0; k < d.length; k++) {
    if (!newcomers.has(d.users[k]!)) continue;
    mask[k] = 1;
    (theirs.get(d.users[k]!) ?? theirs.set(d.users[k]!, []).get(d.users[k]!)!).push({ itemId: d.items[k]!, score: d.scores[k]! });
  }
  const model = trainModel(trainRatings(d, mask), { algorithm: 'hybrid', seed: 42 });
  const mu = model.internals.baseline.globalMean;
  return ks.map((k) => {
    let seH = 0;
    let seB = 0;
    let n = 0;
    for (const list of theirs.values()) {
      if (list.length <= k) continue;
      const given = list.slice(0, k);
      const bu = model.foldInBaselineBias(given);
      for (const r of list.slice(k)) {
        const h = model.predictFromRatings(given, r.itemId);
        const b = Math.min(5, Math.max(0.5, model.predictBaseline(-1, r.itemId) - mu + mu + bu));
        seH += (h - r.score) ** 2;
        seB += (b - r.score) ** 2;
        n++;
      }
    }
    return { k, hybrid: Math.sqrt(seH / n), biasOnly: Math.sqrt(seB / n), pairs: n };
  });
}
