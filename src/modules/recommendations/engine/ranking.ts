// The ranking model behind every list (my page, movie detail, auto display): EASE (Steck 2019,
// "Embarrassingly Shallow Autoencoders"), an item-item linear model in closed form, trained on
// implicit feedback — who rated, watched (weighted by completion) or picked what.
//
//   B = I − P · diag(1 / diag(P)),   P = (XᵀX + λI)⁻¹,   score(u, j) = Σ_i x_ui B_ij
//
// X is the weighted member × item event matrix. The Gram matrix is dense in the number of items, so
// the model keeps the `maxItems` most interacted-with items (n³/2 multiply-adds for the inverse; the
// long tail rarely makes a top 10). Items outside that set are ranked after it by popularity, and so is
// everything for a member without usable history. A member's list is computed from their *current*
// events, so a member who rated since training (or joined since) needs no retrain and no fold-in.
//
// Everything is typed arrays: events stream in through InteractionsBuilder (no object per event).
import { runAsync, runSync, type Steps } from './progress.js';
import type { ScoredItem } from './types.js';

// ---- implicit events --------------------------------------------------------------------------

export interface Interactions {
  readonly nUsers: number;
  readonly nItems: number;
  /** Distinct (user, item) pairs after merging. */
  readonly nEvents: number;
  readonly userIds: Float64Array;
  readonly itemIds: Float64Array;
  /** CSR by user: items ascending, the merged weight of each pair. */
  readonly userPtr: Int32Array;
  readonly userItems: Int32Array;
  readonly userWeights: Float32Array;
}

/**
 * Accumulates (user, item, weight) events in typed arrays. A pair seen more than once keeps its
 * largest weight (a rating and a finished viewing of the same movie are one strong signal).
 */
export class InteractionsBuilder {
  private readonly userIndex = new Map<number, number>();
  private readonly itemIndex = new Map<number, number>();
  private readonly userIdList: number[] = [];
  private readonly itemIdList: number[] = [];
  private users = new Int32Array(1 << 16);
  private items = new Int32Array(1 << 16);
  private weights = new Float32Array(1 << 16);
  private length = 0;

  constructor(capacityHint = 0) {
    if (capacityHint > this.users.length) this.grow(capacityHint);
  }

  get size(): number {
    return this.length;
  }

  private grow(cap: number): void {
    const u = new Int32Array(cap);
    u.set(this.users.subarray(0, this.length));
    const i = new Int32Array(cap);
    i.set(this.items.subarray(0, this.length));
    const w = new Float32Array(cap);
    w.set(this.weights.subarray(0, this.length));
    this.users = u;
    this.items = i;
    this.weights = w;
  }

  add(userId: number, itemId: number, weight = 1): void {
    if (!(weight > 0) || !Number.isFinite(weight)) return;
    let u = this.userIndex.get(userId);
    if (u === undefined) {
      u = this.userIdList.length;
      this.userIndex.set(userId, u);
      this.userIdList.push(userId);
    }
    let i = this.itemIndex.get(itemId);
    if (i === undefined) {
      i = this.itemIdList.length;
      this.itemIndex.set(itemId, i);
      this.itemIdList.push(itemId);
    }
    if (this.length === this.users.length) this.grow(Math.ceil(this.length * 1.5));
    this.users[this.length] = u;
    this.items[this.length] = i;
    this.weights[this.length] = weight;
    this.length++;
  }

  build(): Interactions {
    const n = this.length;
    const nUsers = this.userIdList.length;
    const nItems = this.itemIdList.length;
    // Counting sort by user, then sort each user's (small) row by item and merge duplicates.
    const ptr = new Int32Array(nUsers + 1);
    for (let k = 0; k < n; k++) ptr[this.users[k]! + 1]++;
    for (let u = 0; u < nUsers; u++) ptr[u + 1] += ptr[u]!;
    const fill = ptr.slice(0, nUsers);
    const items = new Int32Array(n);
    const weights = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const pos = fill[this.users[k]!]++;
      items[pos] = this.items[k]!;
      weights[pos] = this.weights[k]!;
    }
    // Release the coordinate buffers before the (smaller) merged copy is made.
    this.users = new Int32Array(0);
    this.items = new Int32Array(0);
    this.weights = new Float32Array(0);
    const outPtr = new Int32Array(nUsers + 1);
    let out = 0;
    let order = new Int32Array(64);
    for (let u = 0; u < nUsers; u++) {
      const from = ptr[u]!;
      const len = ptr[u + 1]! - from;
      if (order.length < len) order = new Int32Array(len * 2);
      const view = order.subarray(0, len);
      for (let x = 0; x < len; x++) view[x] = from + x;
      view.sort((a, b) => items[a]! - items[b]!);
      // Merge in place is safe: `out` never passes the read position (from + x ≥ out).
      const tmpItems: number[] = [];
      const tmpWeights: number[] = [];
      for (let x = 0; x < len; x++) {
        const k = view[x]!;
        const it = items[k]!;
        const w = weights[k]!;
        const last = tmpItems.length - 1;
        if (last >= 0 && tmpItems[last] === it) {
          if (w > tmpWeights[last]!) tmpWeights[last] = w;
        } else {
          tmpItems.push(it);
          tmpWeights.push(w);
        }
      }
      for (let x = 0; x < tmpItems.length; x++) {
        items[out] = tmpItems[x]!;
        weights[out] = tmpWeights[x]!;
        out++;
      }
      outPtr[u + 1] = out;
    }
    return {
      nUsers,
      nItems,
      nEvents: out,
      userIds: Float64Array.from(this.userIdList),
      itemIds: Float64Array.from(this.itemIdList),
      userPtr: outPtr,
      userItems: items.slice(0, out),
      userWeights: weights.slice(0, out),
    };
  }
}

// ---- the model --------------------------------------------------------------------------------

export type RankingKind = 'ease' | 'popularity';

export interface RankingParts {
  kind: RankingKind;
  /** Every item seen in training (external ids) and its popularity (members with an event). */
  itemIds: Float64Array;
  popularity: Float32Array;
  /** EASE: positions in itemIds of the modelled items, and their n × n weights (row i: what i votes for). */
  easeItems: Int32Array;
  weights: Float32Array;
  lambda: number;
  events: number;
  users: number;
}

/** One of a member's current events. */
export type Interaction = { itemId: number; weight: number };

export interface RankOptions {
  /** Never returned (rated, watched …). Items of the history are excluded too. */
  exclude?: ReadonlySet<number>;
  /** Only items for which this returns true are candidates (e.g. titles in the catalogue now). */
  filter?: (itemId: number) => boolean;
}

const POPULARITY_TIE_BREAK = 1e-6;
const OUTSIDE = -1e6;

export class RankingModel {
  readonly kind: RankingKind;
  private readonly parts: RankingParts;
  private readonly itemIndex = new Map<number, number>();
  /** Position in the EASE set of itemIds[i], or −1. */
  private readonly easePos: Int32Array;
  private readonly popNorm: Float32Array;

  constructor(parts: RankingParts) {
    this.parts = parts;
    this.kind = parts.kind;
    const nItems = parts.itemIds.length;
    parts.itemIds.forEach((id, i) => this.itemIndex.set(id, i));
    this.easePos = new Int32Array(nItems).fill(-1);
    parts.easeItems.forEach((i, p) => (this.easePos[i] = p));
    let max = 1;
    for (let i = 0; i < nItems; i++) if (parts.popularity[i]! > max) max = parts.popularity[i]!;
    this.popNorm = new Float32Array(nItems);
    for (let i = 0; i < nItems; i++) this.popNorm[i] = parts.popularity[i]! / max;
  }

  get internals(): Readonly<RankingParts> {
    return this.parts;
  }

  get info(): { kind: RankingKind; items: number; modelled: number; events: number; users: number; lambda: number } {
    const p = this.parts;
    return { kind: p.kind, items: p.itemIds.length, modelled: p.easeItems.length, events: p.events, users: p.users, lambda: p.lambda };
  }

  hasItem(itemId: number): boolean {
    return this.itemIndex.has(itemId);
  }

  /** A score per known item (aligned with internals.itemIds) for a member's history; higher is better. */
  scores(history: readonly Interaction[]): Float64Array {
    const { itemIds, easeItems, weights } = this.parts;
    const nItems = itemIds.length;
    const n = easeItems.length;
    const ease = new Float64Array(n);
    let used = 0;
    for (const h of history) {
      const i = this.itemIndex.get(h.itemId);
      if (i === undefined) continue;
      const p = this.easePos[i]!;
      if (p < 0 || !(h.weight > 0)) continue;
      used++;
      const w = h.weight;
      const row = p * n;
      for (let j = 0; j < n; j++) ease[j] += w * weights[row + j]!;
    }
    const out = new Float64Array(nItems);
    for (let i = 0; i < nItems; i++) out[i] = OUTSIDE + this.popNorm[i]!;
    for (let p = 0; p < n; p++) {
      const i = easeItems[p]!;
      out[i] = (used ? ease[p]! : 0) + POPULARITY_TIE_BREAK * this.popNorm[i]!;
    }
    return out;
  }

  /** The n best items for a member's current history, best first (ties: more popular, then lower id). */
  recommend(history: readonly Interaction[], n: number, options: RankOptions = {}): ScoredItem[] {
    const count = Math.max(0, Math.floor(n));
    if (count === 0) return [];
    const s = this.scores(history);
    const seen = new Set(history.map((h) => h.itemId));
    const ids = this.parts.itemIds;
    const top = new TopK(count);
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (seen.has(id) || options.exclude?.has(id)) continue;
      if (options.filter && !options.filter(id)) continue;
      top.offer(id, s[i]!);
    }
    return top.sorted();
  }
}

/** Bounded selection of the k best (score desc, id asc) with typed storage. */
export class TopK {
  private readonly ids: Float64Array;
  private readonly vals: Float64Array;
  private size = 0;
  constructor(private readonly k: number) {
    this.ids = new Float64Array(k);
    this.vals = new Float64Array(k);
  }
  private worse(a: number, b: number): boolean {
    return this.vals[a]! < this.vals[b]! || (this.vals[a] === this.vals[b] && this.ids[a]! > this.ids[b]!);
  }
  private swap(a: number, b: number): void {
    const i = this.ids[a]!;
    const v = this.vals[a]!;
    this.ids[a] = this.ids[b]!;
    this.vals[a] = this.vals[b]!;
    this.ids[b] = i;
    this.vals[b] = v;
  }
  offer(id: number, score: number): void {
    if (this.size < this.k) {
      let c = this.size++;
      this.ids[c] = id;
      this.vals[c] = score;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (!this.worse(c, p)) break;
        this.swap(c, p);
        c = p;
      }
      return;
    }
    const root = this.vals[0]!;
    if (score < root || (score === root && id > this.ids[0]!)) return;
    this.ids[0] = id;
    this.vals[0] = score;
    let c = 0;
    for (;;) {
      let child = 2 * c + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.worse(child + 1, child)) child++;
      if (!this.worse(child, c)) break;
      this.swap(c, child);
      c = child;
    }
  }
  sorted(): ScoredItem[] {
    const out: ScoredItem[] = [];
    for (let x = 0; x < this.size; x++) out.push({ itemId: this.ids[x]!, score: this.vals[x]! });
    out.sort((a, b) => b.score - a.score || a.itemId - b.itemId);
    return out;
  }
}

// ---- training ---------------------------------------------------------------------------------

export interface RankingOptions {
  /** 'ease' (default) or 'popularity' (most members first; the baseline every list must beat). */
  kind?: RankingKind;
  /** Ridge penalty λ on the diagonal of the Gram matrix. Default 200 (chosen on ml-latest-small, see docs/benchmarks-recommendations.md). */
  lambda?: number;
  /** Keep at most this many items (most interacted-with first) in the item-item model. Default 1500. */
  maxItems?: number;
  /** Items with fewer members than this stay out of the item-item model. Default 3. */
  minSupport?: number;
}

export const RANKING_DEFAULTS = { lambda: 200, maxItems: 1500, minSupport: 3 } as const;

function validate(o: RankingOptions): void {
  if (o.kind !== undefined && o.kind !== 'ease' && o.kind !== 'popularity') throw new RangeError(`unknown ranking model ${String(o.kind)}`);
  if (o.lambda !== undefined && !(Number.isFinite(o.lambda) && o.lambda > 0)) throw new RangeError('lambda must be a finite number > 0');
  if (o.maxItems !== undefined && !(Number.isInteger(o.maxItems) && o.maxItems >= 0)) throw new RangeError('maxItems must be an integer ≥ 0');
  if (o.minSupport !== undefined && !(Number.isFinite(o.minSupport) && o.minSupport >= 0)) throw new RangeError('minSupport must be ≥ 0');
}

function* rankingSteps(data: Interactions, options: RankingOptions): Steps<RankingModel> {
  validate(options);
  const kind = options.kind ?? 'ease';
  const lambda = options.lambda ?? RANKING_DEFAULTS.lambda;
  const maxItems = options.maxItems ?? RANKING_DEFAULTS.maxItems;
  const minSupport = options.minSupport ?? RANKING_DEFAULTS.minSupport;
  const { nItems, nUsers, userPtr, userItems, userWeights } = data;
  const popularity = new Float32Array(nItems);
  for (let k = 0; k < data.nEvents; k++) popularity[userItems[k]!]++;
  const base = { itemIds: data.itemIds, popularity, lambda, events: data.nEvents, users: nUsers };
  if (kind === 'popularity' || maxItems === 0) return new RankingModel({ kind, ...base, easeItems: new Int32Array(0), weights: new Float32Array(0) });

  // The modelled items: most popular first, ids ascending among equals (deterministic).
  const order = Array.from({ length: nItems }, (_, i) => i).filter((i) => popularity[i]! >= minSupport && popularity[i]! > 0);
  order.sort((a, b) => popularity[b]! - popularity[a]! || data.itemIds[a]! - data.itemIds[b]!);
  const easeItems = Int32Array.from(order.slice(0, maxItems));
  const n = easeItems.length;
  const pos = new Int32Array(nItems).fill(-1);
  easeItems.forEach((i, p) => (pos[i] = p));
  yield 0.02;

  // Gram matrix G = XᵀX (lower triangle, row-major), accumulated member by member.
  const G = new Float64Array(n * n);
  const rowP = new Int32Array(n);
  const rowW = new Float64Array(n);
  const tmpP = new Int32Array(n);
  const tmpW = new Float64Array(n);
  const byPos = new Int32Array(n);
  for (let u = 0; u < nUsers; u++) {
    let m = 0;
    for (let x = userPtr[u]!; x < userPtr[u + 1]!; x++) {
      const p = pos[userItems[x]!]!;
      if (p < 0) continue;
      tmpP[m] = p;
      tmpW[m] = userWeights[x]!;
      byPos[m] = m;
      m++;
    }
    // The member's modelled items by position, so each pair lands at (row a, column b ≤ a) and a row
    // is walked left to right.
    const idx = byPos.subarray(0, m).sort((x, y) => tmpP[x]! - tmpP[y]!);
    for (let a = 0; a < m; a++) {
      rowP[a] = tmpP[idx[a]!]!;
      rowW[a] = tmpW[idx[a]!]!;
    }
    for (let a = 0; a < m; a++) {
      const wa = rowW[a]!;
      const off = rowP[a]! * n;
      for (let b = 0; b <= a; b++) G[off + rowP[b]!] += wa * rowW[b]!;
    }
    if ((u & 1023) === 1023) yield 0.02 + (0.18 * u) / nUsers;
  }
  for (let p = 0; p < n; p++) G[p * n + p] += lambda;
  yield 0.2;

  // P = G⁻¹ by Cholesky (G = LLᵀ, L overwrites G), M = L⁻¹, P = MᵀM.
  yield* choleskyInPlace(G, n, 0.2, 0.45);
  const M = yield* invertLower(G, n, 0.45, 0.7);
  // G (now L) is no longer needed: reuse its storage for P.
  const P = G;
  P.fill(0);
  for (let k = 0; k < n; k++) {
    const mk = k * n;
    for (let i = 0; i <= k; i++) {
      const v = M[mk + i]!;
      if (v === 0) continue;
      const pi = i * n;
      for (let j = 0; j <= i; j++) P[pi + j] += v * M[mk + j]!;
    }
    if ((k & 63) === 63) yield 0.7 + (0.25 * k) / n;
  }
  // B_ij = −P_ij / P_jj (i ≠ j), B_ii = 0; P is symmetric (lower triangle stored).
  const weights = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const pij = j <= i ? P[i * n + j]! : P[j * n + i]!;
      weights[i * n + j] = -pij / P[j * n + j]!;
    }
  }
  return new RankingModel({ kind, ...base, easeItems, weights });
}

/** In-place Cholesky of a symmetric positive definite matrix (lower triangle, row-major). */
function* choleskyInPlace(A: Float64Array, n: number, from: number, to: number): Steps<void> {
  for (let r = 0; r < n; r++) {
    const rr = r * n;
    for (let c = 0; c <= r; c++) {
      const cc = c * n;
      let s = A[rr + c]!;
      for (let t = 0; t < c; t++) s -= A[rr + t]! * A[cc + t]!;
      if (r === c) {
        if (!(s > 0)) throw new RangeError('Gram matrix is not positive definite (raise lambda)');
        A[rr + r] = Math.sqrt(s);
      } else A[rr + c] = s / A[cc + c]!;
    }
    if ((r & 63) === 63) yield from + ((to - from) * (r / n) ** 3);
  }
}

/** M = L⁻¹ of a lower-triangular L (row-major, upper part ignored), row by row with contiguous access. */
function* invertLower(L: Float64Array, n: number, from: number, to: number): Steps<Float64Array> {
  const M = new Float64Array(n * n);
  const acc = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const rr = r * n;
    acc.fill(0, 0, r);
    for (let t = 0; t < r; t++) {
      const l = L[rr + t]!;
      if (l === 0) continue;
      const mt = t * n;
      for (let c = 0; c <= t; c++) acc[c] += l * M[mt + c]!;
    }
    const d = L[rr + r]!;
    for (let c = 0; c < r; c++) M[rr + c] = -acc[c]! / d;
    M[rr + r] = 1 / d;
    if ((r & 63) === 63) yield from + ((to - from) * (r / n) ** 3);
  }
  return M;
}

export function trainRanking(data: Interactions, options: RankingOptions = {}, onProgress?: (f: number) => void): RankingModel {
  return runSync(rankingSteps(data, options), onProgress);
}

/** Same model; yields to the event loop between blocks of rows. */
export function trainRankingAsync(data: Interactions, options: RankingOptions = {}, onProgress?: (f: number) => void | Promise<void>): Promise<RankingModel> {
  return runAsync(rankingSteps(data, options), onProgress);
}
