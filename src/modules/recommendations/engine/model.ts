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
