// Item-based k-nearest-neighbours on baseline residuals (Koren's "KNNBaseline"):
//   r̂(u,i) = b(u,i) + Σ_{j∈N^k(i;u)} s_ij (r_uj − b(u,j)) / Σ_{j∈N^k(i;u)} s_ij
// where b is any baseline predictor and s_ij is the Pearson correlation of the residuals over the users
// who rated both items, shrunk towards 0 when that support is small: s_ij · (n_ij − 1) / (n_ij − 1 + λ).
// Only the top `candidates` positive neighbours of every item are kept (a sparse table), so memory is
// O(items × candidates) rather than O(items²).
import type { RatingMatrix } from './dataset.js';
import type { Steps } from './progress.js';

export interface KnnOptions {
  /** k: neighbours used for one prediction. Default 40. */
  neighbours?: number;
  /** Neighbours kept per item in the table. Default 100. */
  candidates?: number;
  /** λ in the support shrinkage. Default 100. */
  shrinkage?: number;
  /** Pairs co-rated by fewer users are ignored. Default 3. */
  minSupport?: number;
}

export interface NeighbourTable {
  /** neighbours of item i: index[ptr[i] .. ptr[i+1]), by decreasing similarity */
  ptr: Int32Array;
  index: Int32Array;
  similarity: Float32Array;
}

const KNN_DEFAULTS: Required<KnnOptions> = { neighbours: 40, candidates: 100, shrinkage: 100, minSupport: 3 };

export function resolveKnnOptions(o: KnnOptions = {}): Required<KnnOptions> {
  const out = { ...KNN_DEFAULTS };
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, number>)[k] = v as number;
  return out;
}

/**
 * Residuals r − b(u,i) of the training ratings, in the order of the user CSR (`userItems`) and of the
 * item CSR (`itemUsers`).
 */
export function residuals(data: RatingMatrix, base: (u: number, i: number) => number): { byUser: Float32Array; byItem: Float32Array } {
  const byUser = new Float32Array(data.nRatings);
  const byItem = new Float32Array(data.nRatings);
  for (let u = 0; u < data.nUsers; u++) {
    for (let x = data.userPtr[u]!; x < data.userPtr[u + 1]!; x++) byUser[x] = data.userScores[x]! - base(u, data.userItems[x]!);
  }
  for (let i = 0; i < data.nItems; i++) {
    for (let x = data.itemPtr[i]!; x < data.itemPtr[i + 1]!; x++) byItem[x] = data.itemScores[x]! - base(data.itemUsers[x]!, i);
  }
  return { byUser, byItem };
}

export function* buildNeighbourTable(
  data: RatingMatrix,
  res: { byUser: Float32Array; byItem: Float32Array },
  options: KnnOptions = {},
): Steps<NeighbourTable> {
  const o = resolveKnnOptions(options);
  const { nItems, userPtr, userItems, itemPtr, itemUsers } = data;
  const M = o.candidates;
  const cnt = new Int32Array(nItems);
  const prod = new Float64Array(nItems);
  const sqi = new Float64Array(nItems);
  const sqj = new Float64Array(nItems);
  const touched = new Int32Array(nItems);
  const heapIdx = new Int32Array(M);
  const heapSim = new Float64Array(M);
  const ptr = new Int32Array(nItems + 1);
  let index = new Int32Array(Math.min(nItems * M, 1 << 16));
  let similarity = new Float32Array(index.length);
  let used = 0;
  const rowsPerStep = Math.max(1, Math.ceil(nItems / 50));
  for (let i = 0; i < nItems; i++) {
    let nTouched = 0;
    for (let a = itemPtr[i]!; a < itemPtr[i + 1]!; a++) {
      const u = itemUsers[a]!;
      const ei = res.byItem[a]!;
      const ei2 = ei * ei;
      for (let x = userPtr[u]!; x < userPtr[u + 1]!; x++) {
        const j = userItems[x]!;
        if (j === i) continue;
        const ej = res.byUser[x]!;
        if (cnt[j] === 0) touched[nTouched++] = j;
        cnt[j]++;
        prod[j] += ei * ej;
        sqi[j] += ei2;
        sqj[j] += ej * ej;
      }
    }
    // Keep the M most similar in a min-heap keyed on similarity.
    let size = 0;
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t]!;
      const n = cnt[j]!;
      const den = Math.sqrt(sqi[j]! * sqj[j]!);
      const p = prod[j]!;
      cnt[j] = 0;
      prod[j] = 0;
      sqi[j] = 0;
      sqj[j] = 0;
      if (n < o.minSupport || den === 0 || p <= 0) continue;
      const s = (p / den) * ((n - 1) / (n - 1 + o.shrinkage));
      if (size < M) {
        heapPush(heapIdx, heapSim, size++, j, s);
      } else if (s > heapSim[0]!) {
        siftDown(heapIdx, heapSim, size, j, s); // replace the weakest kept neighbour
      }
    }
    if (used + size > index.length) {
      const cap = Math.min(nItems * M, Math.max(used + size, index.length * 2));
      const ni = new Int32Array(cap);
      ni.set(index.subarray(0, used));
      const ns = new Float32Array(cap);
      ns.set(similarity.subarray(0, used));
      index = ni;
      similarity = ns;
    }
    // Pop ascending and write from the back: the row ends up sorted by decreasing similarity.
    for (let t = size - 1; t >= 0; t--) {
      index[used + t] = heapIdx[0]!;
      similarity[used + t] = heapSim[0]!;
      heapPopTop(heapIdx, heapSim, t + 1);
    }
    used += size;
    ptr[i + 1] = used;
    if ((i + 1) % rowsPerStep === 0) yield (i + 1) / nItems;
  }
  return { ptr, index: index.slice(0, used), similarity: similarity.slice(0, used) };
}

function heapPush(idx: Int32Array, key: Float64Array, size: number, j: number, s: number): void {
  let c = size;
  while (c > 0) {
    const parent = (c - 1) >> 1;
    if (key[parent]! <= s) break;
    idx[c] = idx[parent]!;
    key[c] = key[parent]!;
    c = parent;
  }
  idx[c] = j;
  key[c] = s;
}

function siftDown(idx: Int32Array, key: Float64Array, size: number, j: number, s: number): void {
  let c = 0;
  for (;;) {
    let child = 2 * c + 1;
    if (child >= size) break;
    if (child + 1 < size && key[child + 1]! < key[child]!) child++;
    if (key[child]! >= s) break;
    idx[c] = idx[child]!;
    key[c] = key[child]!;
    c = child;
  }
  idx[c] = j;
  key[c] = s;
}

function heapPopTop(idx: Int32Array, key: Float64Array, size: number): void {
  const last = size - 1;
  if (last > 0) siftDown(idx, key, last, idx[last]!, key[last]!);
}

/** Position of `item` in the ascending slice sorted[from, to), or −1. */
export function findSorted(sorted: Int32Array, from: number, to: number, item: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = sorted[mid]!;
    if (v < item) lo = mid + 1;
    else if (v > item) hi = mid - 1;
    else return mid;
  }
  return -1;
}
