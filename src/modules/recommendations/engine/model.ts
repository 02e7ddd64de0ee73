// The trained model: prediction, top-n recommendation, similar items and (de)serialisation.
// All state is typed arrays indexed by dense user/item numbers; external ids are mapped on entry.
import type { BaselineParams } from './baseline.js';
import { findSorted, type NeighbourTable } from './knn.js';
import type { MfParams } from './mf.js';
import { clampScore, type ScoredItem } from './types.js';

export type Algorithm = 'baseline' | 'mf' | 'svdpp' | 'knn' | 'hybrid';

/** What the item-KNN part of a model keeps: the similarity table and the training ratings by user. */
export interface NeighbourhoodParams {
  table: NeighbourTable;
  /** k: neighbours used per prediction. */
  neighbours: number;
  /** Added to Σ s_ij in the denominator: pulls the correction towards 0 when the neighbours are weak. */
  denominatorShrinkage: number;
  userPtr: Int32Array;
  userItems: Int32Array;
  userScores: Float32Array;
}

export interface ModelParts {
  algorithm: Algorithm;
  /** Number of training ratings. */
  ratings: number;
  userIds: Float64Array;
  itemIds: Float64Array;
  /** Always present: the fallback for unknown users and items. */
  baseline: BaselineParams;
  factors?: MfParams;
  neighbourhood?: NeighbourhoodParams;
  /** hybrid: weight of (baseline + KNN) against (SVD++ + KNN on its residuals). */
  blendWeight?: number;
  /** The penalties training used, for folding a member in (absent: the training defaults). */
  foldIn?: FoldInParams;
}

/** Ridge penalties of a fold-in: per rating, as in training (the total penalty grows with the member's ratings). */
export interface FoldInParams {
  /** Baseline: b_u = Σ (r − μ − b_i) / (baselineUserReg + n). */
  baselineUserReg: number;
  /** Factor model: λ on p_u and λ_b on b_u, per rating. */
  factorReg: number;
  factorBiasReg: number;
}

const DEFAULT_FOLD_IN: FoldInParams = { baselineUserReg: 15, factorReg: 0.05, factorBiasReg: 0.02 };

/** One of a member's current ratings, by external item id. */
export type UserRating = { itemId: number; score: number };

/** A member's parameters fitted from their own ratings with every item parameter fixed. */
interface FoldedUser {
  /** Baseline user bias. */
  baseBias: number;
  /** Factor model: user bias and vector (implicit term included); null without factors or known items. */
  factorBias: number;
  factors: Float64Array | null;
  /** The member's residuals by dense item (item-KNN part); null without a neighbourhood. */
  dense: DenseResiduals | null;
}

export interface RecommendOptions {
  /** Only items for which this returns true are candidates (e.g. titles currently in the catalogue). */
  filter?: (itemId: number) => boolean;
}

export interface ModelInfo {
  algorithm: Algorithm;
  users: number;
  items: number;
  ratings: number;
  globalMean: number;
  factors: number;
}

export class RecommenderModel {
  readonly algorithm: Algorithm;
  private readonly parts: ModelParts;
  private readonly userIndex = new Map<number, number>();
  private readonly itemIndex = new Map<number, number>();
  /** Training residuals r − b(u,j) and r − f(u,j), aligned with neighbourhood.userItems. */
  private readonly residualsBase?: Float32Array;
  private readonly residualsFactors?: Float32Array;
  /** Scratch for recommend(): residual of the current user by item, valid where stamp === current. */
  private scratchStamp?: Int32Array;
  private scratchBase?: Float32Array;
  private scratchFactors?: Float32Array;
  private stampCounter = 0;
  private inRecommend = false;

  constructor(parts: ModelParts) {
    this.parts = parts;
    this.algorithm = parts.algorithm;
    parts.userIds.forEach((id, u) => this.userIndex.set(id, u));
    parts.itemIds.forEach((id, i) => this.itemIndex.set(id, i));
    const nb = parts.neighbourhood;
    if (nb) {
      const n = nb.userItems.length;
      this.residualsBase = new Float32Array(n);
      if (parts.factors) this.residualsFactors = new Float32Array(n);
      for (let u = 0; u < parts.userIds.length; u++) {
        for (let x = nb.userPtr[u]!; x < nb.userPtr[u + 1]!; x++) {
          const j = nb.userItems[x]!;
          this.residualsBase[x] = nb.userScores[x]! - this.rawBaseline(u, j);
          if (this.residualsFactors) this.residualsFactors[x] = nb.userScores[x]! - this.rawFactors(u, j);
        }
      }
    }
  }

  get info(): ModelInfo {
    return {
      algorithm: this.algorithm,
      users: this.parts.userIds.length,
      items: this.parts.itemIds.length,
      ratings: this.parts.ratings,
      globalMean: this.parts.baseline.globalMean,
      factors: this.parts.factors?.factors ?? 0,
    };
  }

  /** The model's internals (typed arrays), for serialisation. Treat as read-only. */
  get internals(): Readonly<ModelParts> {
    return this.parts;
  }

  hasUser(userId: number): boolean {
    return this.userIndex.has(userId);
  }

  hasItem(itemId: number): boolean {
    return this.itemIndex.has(itemId);
  }

  /** Predicted rating in [0.5, 5]. Unknown users or items get the bias-only baseline. */
  predict(userId: number, itemId: number): number {
    const u = this.userIndex.get(userId) ?? -1;
    const i = this.itemIndex.get(itemId) ?? -1;
    return clampScore(this.rawPredict(u, i, null));
  }

  /** μ + b_u + b_i of the bias-only baseline (missing terms dropped for unknown ids), clamped. */
  predictBaseline(userId: number, itemId: number): number {
    return clampScore(this.rawBaseline(this.userIndex.get(userId) ?? -1, this.itemIndex.get(itemId) ?? -1));
  }

  /**
   * Top-n items by predicted rating, excluding `ratedItemIds` (pass every item the user has rated or
   * watched). Items are ranked on the unclamped prediction, `score` is the clamped predicted rating;
   * exact ties are broken by ascending item id so the output is deterministic. An unknown user gets
   * the items with the highest baseline (regularised mean rating).
   */
  recommend(userId: number, ratedItemIds: ReadonlySet<number>, n: number, options: RecommendOptions = {}): ScoredItem[] {
    const count = Math.max(0, Math.floor(n));
    if (count === 0) return [];
    const u = this.userIndex.get(userId) ?? -1;
    const itemIds = this.parts.itemIds;
    const nItems = itemIds.length;
    // A filter that calls recommend() on this model again must not clobber our scratch buffers.
    const reentrant = this.inRecommend;
    this.inRecommend = true;
    try {
      const dense = u >= 0 ? this.loadUserResiduals(u, reentrant) : null;
      const top = new TopN(count);
      for (let i = 0; i < nItems; i++) {
        const id = itemIds[i]!;
        if (ratedItemIds.has(id)) continue;
        if (options.filter && !options.filter(id)) continue;
        // Rank on the unclamped prediction: many strong candidates clamp to 5 and would otherwise tie.
        top.offer(id, this.rawPredict(u, i, dense));
      }
      return top.sorted().map((r) => ({ itemId: r.itemId, score: clampScore(r.score) }));
    } finally {
      this.inRecommend = reentrant;
    }
  }

  /**
   * Top-n for a member described by their current ratings, without retraining ("fold-in"): with
   * every item parameter fixed, the member's own parameters are fitted from `ratings` the way
   * training fits them — the baseline user bias in closed form (ridge), the factor model's user
   * bias and vector by regularised least squares over only these ratings (SVD++: on top of the
   * implicit term |N(u)|^-½ Σ y_j of the rated items), and the item-KNN part reads the residuals of
   * these ratings directly. Works for members the model never saw and for members who rated since
   * it was trained. Rated items are excluded, as are `excludeItemIds`; ratings of items the model
   * does not know are ignored (they cannot move item parameters that do not exist).
   */
  recommendFromRatings(ratings: readonly UserRating[], n: number, options: RecommendOptions & { excludeItemIds?: ReadonlySet<number> } = {}): ScoredItem[] {
    const count = Math.max(0, Math.floor(n));
    if (count === 0) return [];
    const folded = this.foldIn(ratings);
    const rated = new Set(ratings.map((r) => r.itemId));
    const itemIds = this.parts.itemIds;
    const top = new TopN(count);
    for (let i = 0; i < itemIds.length; i++) {
      const id = itemIds[i]!;
      if (rated.has(id) || options.excludeItemIds?.has(id)) continue;
      if (options.filter && !options.filter(id)) continue;
      top.offer(id, this.rawPredictFolded(folded, i));
    }
    return top.sorted().map((r) => ({ itemId: r.itemId, score: clampScore(r.score) }));
  }

  /** Predicted rating in [0.5, 5] of `itemId` for a member described by their ratings (see recommendFromRatings). */
  predictFromRatings(ratings: readonly UserRating[], itemId: number): number {
    const i = this.itemIndex.get(itemId) ?? -1;
    const folded = this.foldIn(ratings);
    if (i < 0) return clampScore(this.parts.baseline.globalMean + folded.baseBias);
    return clampScore(this.rawPredictFolded(folded, i));
  }

  /** The baseline user bias a member's ratings give (μ + b_u + b_i is the fallback prediction). */
  foldInBaselineBias(ratings: readonly UserRating[]): number {
    return this.foldIn(ratings).baseBias;
  }

  /**
   * Items most similar to `itemId` ("more like this"). Uses the item-KNN similarity table when the
   * model has one (shrunk Pearson correlation of residuals), otherwise the cosine of the item factors.
   * Empty for unknown items and for the bias-only baseline.
   */
  itemNeighbours(itemId: number, k: number): ScoredItem[] {
    const i = this.itemIndex.get(itemId);
    const count = Math.max(0, Math.floor(k));
    if (i === undefined || count === 0) return [];
    const itemIds = this.parts.itemIds;
    const nb = this.parts.neighbourhood;
    if (nb) {
      const out: ScoredItem[] = [];
      const end = Math.min(nb.table.ptr[i + 1]!, nb.table.ptr[i]! + count);
      for (let t = nb.table.ptr[i]!; t < end; t++) out.push({ itemId: itemIds[nb.table.index[t]!]!, score: nb.table.similarity[t]! });
      return out;
    }
    const f = this.parts.factors;
    if (!f) return [];
    const K = f.factors;
    const Q = f.itemFactors;
    const qi = i * K;
    let ni = 0;
    for (let d = 0; d < K; d++) ni += Q[qi + d]! * Q[qi + d]!;
    const top = new TopN(count);
    for (let j = 0; j < itemIds.length; j++) {
      if (j === i) continue;
      let dot = 0;
      let nj = 0;
      const qj = j * K;
      for (let d = 0; d < K; d++) {
        dot += Q[qi + d]! * Q[qj + d]!;
        nj += Q[qj + d]! * Q[qj + d]!;
      }
      const den = Math.sqrt(ni * nj);
      if (den > 0) top.offer(itemIds[j]!, dot / den);
    }
    return top.sorted();
  }

  // ---- internals -------------------------------------------------------------------------------

  private foldIn(ratings: readonly UserRating[]): FoldedUser {
    const reg = this.parts.foldIn ?? DEFAULT_FOLD_IN;
    // Latest rating of an item wins; items the model does not know are left out.
    const byItem = new Map<number, number>();
    for (const r of ratings) {
      const i = this.itemIndex.get(r.itemId);
      const score = Number(r.score);
      if (i !== undefined && Number.isFinite(score)) byItem.set(i, score);
    }
    const items = [...byItem.keys()];
    const scores = items.map((i) => byItem.get(i)!);
    const n = items.length;
    const b = this.parts.baseline;

    // Baseline: the closed-form ridge step fitBaseline() ends with, for this one member.
    let sum = 0;
    for (let x = 0; x < n; x++) sum += scores[x]! - b.globalMean - b.itemBias[items[x]!]!;
    const baseBias = n ? sum / (reg.baselineUserReg + n) : 0;

    // Factor model: minimise Σ (r − μ − b_u − b_i − q_i·(p_u + z))² + n(λ_b b_u² + λ |p_u|²) over (b_u, p_u),
    // z = |N(u)|^-½ Σ y_j fixed (SVD++). Normal equations of dimension k + 1, solved by Cholesky.
    let factorBias = 0;
    let factors: Float64Array | null = null;
    const f = this.parts.factors;
    if (f && n > 0) {
      const k = f.factors;
      const Q = f.itemFactors;
      const z = new Float64Array(k);
      if (f.implicitFactors) {
        const Y = f.implicitFactors;
        for (const j of items) for (let d = 0; d < k; d++) z[d] += Y[j * k + d]!;
        const norm = 1 / Math.sqrt(n);
        for (let d = 0; d < k; d++) z[d] *= norm;
      }
      const dim = k + 1;
      const A = new Float64Array(dim * dim);
      const rhs = new Float64Array(dim);
      const a = new Float64Array(dim);
      for (let x = 0; x < n; x++) {
        const qi = items[x]! * k;
        a[0] = 1;
        let qz = 0;
        for (let d = 0; d < k; d++) {
          a[d + 1] = Q[qi + d]!;
          qz += Q[qi + d]! * z[d]!;
        }
        const target = scores[x]! - f.globalMean - f.itemBias[items[x]!]! - qz;
        for (let r = 0; r < dim; r++) {
          rhs[r] += a[r]! * target;
          for (let c = 0; c <= r; c++) A[r * dim + c] += a[r]! * a[c]!;
        }
      }
      A[0] += Math.max(1e-9, reg.factorBiasReg * n);
      for (let d = 1; d < dim; d++) A[d * dim + d] += Math.max(1e-9, reg.factorReg * n);
      const sol = solveSpd(A, rhs, dim);
      factorBias = sol[0]!;
      factors = new Float64Array(k);
      for (let d = 0; d < k; d++) factors[d] = sol[d + 1]! + z[d]!;
    }

    // Item-KNN: the member's residuals against both predictors, by dense item.
    let dense: DenseResiduals | null = null;
    if (this.parts.neighbourhood) {
      const nItems = this.parts.itemIds.length;
      dense = { stamp: new Int32Array(nItems), current: 1, base: new Float32Array(nItems), factors: new Float32Array(this.residualsFactors ? nItems : 0) };
      const partial: FoldedUser = { baseBias, factorBias, factors, dense: null };
      for (let x = 0; x < n; x++) {
        const j = items[x]!;
        dense.stamp[j] = 1;
        dense.base[j] = scores[x]! - this.foldedBaseline(partial, j);
        if (this.residualsFactors) dense.factors[j] = scores[x]! - this.foldedFactors(partial, j);
      }
    }
    return { baseBias, factorBias, factors, dense };
  }

  private foldedBaseline(u: FoldedUser, i: number): number {
    const b = this.parts.baseline;
    return b.globalMean + u.baseBias + b.itemBias[i]!;
  }

  /** μ + b_u + b_i + p_u·q_i with the folded-in member; the baseline when there is no vector. */
  private foldedFactors(u: FoldedUser, i: number): number {
    const f = this.parts.factors;
    if (!f || !u.factors) return this.foldedBaseline(u, i);
    let p = f.globalMean + u.factorBias + f.itemBias[i]!;
    const k = f.factors;
    const qi = i * k;
    for (let d = 0; d < k; d++) p += u.factors[d]! * f.itemFactors[qi + d]!;
    return p;
  }

  private rawPredictFolded(u: FoldedUser, i: number): number {
    switch (this.algorithm) {
      case 'baseline':
        return this.foldedBaseline(u, i);
      case 'mf':
      case 'svdpp':
        return this.foldedFactors(u, i);
      case 'knn':
        return this.foldedBaseline(u, i) + (u.dense ? this.knnDelta(-1, i, u.dense, false) : 0);
      case 'hybrid': {
        const w = this.parts.blendWeight ?? 0.5;
        const a = this.foldedBaseline(u, i) + (u.dense ? this.knnDelta(-1, i, u.dense, false) : 0);
        const b = this.foldedFactors(u, i) + (u.dense ? this.knnDelta(-1, i, u.dense, true) : 0);
        return w * a + (1 - w) * b;
      }
    }
  }

  private rawBaseline(u: number, i: number): number {
    const b = this.parts.baseline;
    return b.globalMean + (u >= 0 ? b.userBias[u]! : 0) + (i >= 0 ? b.itemBias[i]! : 0);
  }

  private rawFactors(u: number, i: number): number {
    const f = this.parts.factors!;
    let p = f.globalMean + f.userBias[u]! + f.itemBias[i]!;
    const k = f.factors;
    const pu = u * k;
    const qi = i * k;
    for (let d = 0; d < k; d++) p += f.userFactors[pu + d]! * f.itemFactors[qi + d]!;
    return p;
  }

  /** Unclamped prediction for dense indices (−1 = unknown). `dense` is the current user's residuals by item. */
  private rawPredict(u: number, i: number, dense: DenseResiduals | null): number {
    if (u < 0 || i < 0) return this.rawBaseline(u, i);
    switch (this.algorithm) {
      case 'baseline':
        return this.rawBaseline(u, i);
      case 'mf':
      case 'svdpp':
        return this.rawFactors(u, i);
      case 'knn':
        return this.rawBaseline(u, i) + this.knnDelta(u, i, dense, false);
      case 'hybrid': {
        const w = this.parts.blendWeight ?? 0.5;
        const a = this.rawBaseline(u, i) + this.knnDelta(u, i, dense, false);
        const b = this.rawFactors(u, i) + this.knnDelta(u, i, dense, true);
        return w * a + (1 - w) * b;
      }
    }
  }

  /** Σ s_ij e_uj / (Σ s_ij + λ) over the k most similar items j to i that u rated; 0 if none. */
  private knnDelta(u: number, i: number, dense: DenseResiduals | null, ofFactors: boolean): number {
    const nb = this.parts.neighbourhood!;
    const { ptr, index, similarity } = nb.table;
    const res = ofFactors ? this.residualsFactors! : this.residualsBase!;
    const end = ptr[i + 1]!;
    let num = 0;
    let den = 0;
    let found = 0;
    if (dense) {
      const values = ofFactors ? dense.factors : dense.base;
      for (let t = ptr[i]!; t < end && found < nb.neighbours; t++) {
        const j = index[t]!;
        if (dense.stamp[j] !== dense.current) continue;
        const s = similarity[t]!;
        num += s * values[j]!;
        den += s;
        found++;
      }
    } else {
      const from = nb.userPtr[u]!;
      const to = nb.userPtr[u + 1]!;
      for (let t = ptr[i]!; t < end && found < nb.neighbours; t++) {
        const pos = findSorted(nb.userItems, from, to, index[t]!);
        if (pos < 0) continue;
        const s = similarity[t]!;
        num += s * res[pos]!;
        den += s;
        found++;
      }
    }
    return den > 0 ? num / (den + nb.denominatorShrinkage) : 0;
  }

  private loadUserResiduals(u: number, fresh: boolean): DenseResiduals | null {
    const nb = this.parts.neighbourhood;
    if (!nb) return null;
    const nItems = this.parts.itemIds.length;
    if (fresh) {
      const stamp = new Int32Array(nItems);
      const base = new Float32Array(nItems);
      const factors = new Float32Array(this.residualsFactors ? nItems : 0);
      for (let x = nb.userPtr[u]!; x < nb.userPtr[u + 1]!; x++) {
        const j = nb.userItems[x]!;
        stamp[j] = 1;
        base[j] = this.residualsBase![x]!;
        if (this.residualsFactors) factors[j] = this.residualsFactors[x]!;
      }
      return { stamp, current: 1, base, factors };
    }
    if (!this.scratchStamp) {
      this.scratchStamp = new Int32Array(nItems);
      this.scratchBase = new Float32Array(nItems);
      this.scratchFactors = new Float32Array(this.residualsFactors ? nItems : 0);
    }
    this.stampCounter = (this.stampCounter + 1) | 0;
    if (this.stampCounter === 0) {
      this.scratchStamp.fill(0);
      this.stampCounter = 1;
    }
    const stamp = this.scratchStamp;
    const base = this.scratchBase!;
    const factors = this.scratchFactors!;
    for (let x = nb.userPtr[u]!; x < nb.userPtr[u + 1]!; x++) {
      const j = nb.userItems[x]!;
      stamp[j] = this.stampCounter;
      base[j] = this.residualsBase![x]!;
      if (this.residualsFactors) factors[j] = this.residualsFactors[x]!;
    }
    return { stamp, current: this.stampCounter, base, factors };
  }
}

/** Solves A x = b for a symmetric positive definite A (lower triangle filled, row-major) by Cholesky. */
function solveSpd(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c <= r; c++) {
      let s = A[r * n + c]!;
      for (let t = 0; t < c; t++) s -= L[r * n + t]! * L[c * n + t]!;
      L[r * n + c] = r === c ? Math.sqrt(Math.max(s, 1e-12)) : s / L[c * n + c]!;
    }
  }
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = b[r]!;
    for (let t = 0; t < r; t++) s -= L[r * n + t]! * y[t]!;
    y[r] = s / L[r * n + r]!;
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = y[r]!;
    for (let t = r + 1; t < n; t++) s -= L[t * n + r]! * x[t]!;
    x[r] = s / L[r * n + r]!;
  }
  return x;
}

interface DenseResiduals {
  stamp: Int32Array;
  current: number;
  base: Float32Array;
  factors: Float32Array;
}

/** Bounded min-heap keeping the n best (score desc, id asc). */
class TopN {
  private readonly ids: number[] = [];
  private readonly scores: number[] = [];
  constructor(private readonly n: number) {}

  /** true when (s1, id1) ranks below (s2, id2) */
  private static worse(s1: number, id1: number, s2: number, id2: number): boolean {
    return s1 < s2 || (s1 === s2 && id1 > id2);
  }

  offer(id: number, score: number): void {
    const { ids, scores } = this;
    if (ids.length < this.n) {
      let c = ids.length;
      ids.push(id);
      scores.push(score);
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!TopN.worse(score, id, scores[p]!, ids[p]!)) break;
        ids[c] = ids[p]!;
        scores[c] = scores[p]!;
        c = p;
      }
      ids[c] = id;
      scores[c] = score;
      return;
    }
    if (!TopN.worse(scores[0]!, ids[0]!, score, id)) return;
    let c = 0;
    const size = ids.length;
    for (;;) {
      let child = 2 * c + 1;
      if (child >= size) break;
      if (child + 1 < size && TopN.worse(scores[child + 1]!, ids[child + 1]!, scores[child]!, ids[child]!)) child++;
      if (!TopN.worse(scores[child]!, ids[child]!, score, id)) break;
      ids[c] = ids[child]!;
      scores[c] = scores[child]!;
      c = child;
    }
    ids[c] = id;
    scores[c] = score;
  }

  sorted(): ScoredItem[] {
    const out = this.ids.map((itemId, k) => ({ itemId, score: this.scores[k]! }));
    out.sort((a, b) => b.score - a.score || a.itemId - b.itemId);
    return out;
  }
}
