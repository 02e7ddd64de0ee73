// Ratings indexed to dense integers and stored column-wise in typed arrays, plus a CSR view by user
// and by item. Everything the trainers touch in their inner loops lives here.
import type { Rating } from './types.js';

export interface RatingMatrix {
  readonly nUsers: number;
  readonly nItems: number;
  readonly nRatings: number;
  /** dense index -> external id */
  readonly userIds: Float64Array;
  readonly itemIds: Float64Array;
  readonly userIndex: Map<number, number>;
  readonly itemIndex: Map<number, number>;
  /** Ratings in input order (coordinate form). */
  readonly users: Int32Array;
  readonly items: Int32Array;
  readonly scores: Float32Array;
  readonly globalMean: number;
  /** CSR by user: ratings of user u are byUser[userPtr[u] .. userPtr[u+1]), items sorted ascending. */
  readonly userPtr: Int32Array;
  readonly userItems: Int32Array;
  readonly userScores: Float32Array;
  /** CSR by item: users who rated item i, ascending. */
  readonly itemPtr: Int32Array;
  readonly itemUsers: Int32Array;
  readonly itemScores: Float32Array;
}

class Growable {
  users = new Int32Array(1024);
  items = new Int32Array(1024);
  scores = new Float32Array(1024);
  length = 0;
  push(u: number, i: number, r: number): void {
    if (this.length === this.users.length) {
      const cap = this.length * 2;
      const nu = new Int32Array(cap);
      nu.set(this.users);
      const ni = new Int32Array(cap);
      ni.set(this.items);
      const ns = new Float32Array(cap);
      ns.set(this.scores);
      this.users = nu;
      this.items = ni;
      this.scores = ns;
    }
    this.users[this.length] = u;
    this.items[this.length] = i;
    this.scores[this.length] = r;
    this.length++;
  }
}

/**
 * Accumulates ratings one at a time, then freezes them into a RatingMatrix. A (user, item) pair that
 * occurs twice keeps both rows; callers should deduplicate upstream (latest rating wins).
 */
export class RatingMatrixBuilder {
  private readonly userIndex = new Map<number, number>();
  private readonly itemIndex = new Map<number, number>();
  private readonly userIdList: number[] = [];
  private readonly itemIdList: number[] = [];
  private readonly buf = new Growable();
  private sum = 0;

  add(r: Rating): void {
    const score = Number(r.score);
    if (!Number.isFinite(score)) throw new TypeError(`rating of user ${r.userId} for item ${r.itemId} is not a number`);
    if (!Number.isFinite(r.userId) || !Number.isFinite(r.itemId)) throw new TypeError(`rating with a non-numeric user or item id`);
    let u = this.userIndex.get(r.userId);
    if (u === undefined) {
      u = this.userIdList.length;
      this.userIndex.set(r.userId, u);
      this.userIdList.push(r.userId);
    }
    let i = this.itemIndex.get(r.itemId);
    if (i === undefined) {
      i = this.itemIdList.length;
      this.itemIndex.set(r.itemId, i);
      this.itemIdList.push(r.itemId);
    }
    this.buf.push(u, i, score);
    this.sum += score;
  }

  build(): RatingMatrix {
    const { buf } = this;
    const n = buf.length;
    if (n === 0) throw new RangeError('cannot train a recommender on zero ratings');
    const users = buf.users.slice(0, n);
    const items = buf.items.slice(0, n);
    const scores = buf.scores.slice(0, n);
    const nUsers = this.userIdList.length;
    const nItems = this.itemIdList.length;
    const [userPtr, userItems, userScores] = toCsr(nUsers, users, items, scores);
    const [itemPtr, itemUsers, itemScores] = toCsr(nItems, items, users, scores);
    return {
      nUsers,
      nItems,
      nRatings: n,
      userIds: Float64Array.from(this.userIdList),
      itemIds: Float64Array.from(this.itemIdList),
      userIndex: this.userIndex,
      itemIndex: this.itemIndex,
      users,
      items,
      scores,
      globalMean: this.sum / n,
      userPtr,
      userItems,
      userScores,
      itemPtr,
      itemUsers,
      itemScores,
    };
  }
}

/** Index ratings. Accepts any iterable, e.g. a generator over database rows. */
export function buildRatingMatrix(ratings: Iterable<Rating>): RatingMatrix {
  const b = new RatingMatrixBuilder();
  for (const r of ratings) b.add(r);
  return b.build();
}

/** Same for an async iterable (a streaming database cursor). */
export async function buildRatingMatrixAsync(ratings: AsyncIterable<Rating> | Iterable<Rating>): Promise<RatingMatrix> {
  if (!(Symbol.asyncIterator in ratings)) return buildRatingMatrix(ratings); // no await per row
  const b = new RatingMatrixBuilder();
  for await (const r of ratings) b.add(r);
  return b.build();
}

/** Counting sort of (row, col, value) into CSR with the columns of each row ascending. */
function toCsr(nRows: number, rows: Int32Array, cols: Int32Array, vals: Float32Array): [Int32Array, Int32Array, Float32Array] {
  const n = rows.length;
  const ptr = new Int32Array(nRows + 1);
  for (let k = 0; k < n; k++) ptr[rows[k]! + 1]++;
  for (let r = 0; r < nRows; r++) ptr[r + 1] += ptr[r]!;
  // Visit entries ordered by column so that each row's columns come out sorted: order by col first.
  let maxCol = 0;
  for (let k = 0; k < n; k++) if (cols[k]! > maxCol) maxCol = cols[k]!;
  const colPtr = new Int32Array(maxCol + 2);
  for (let k = 0; k < n; k++) colPtr[cols[k]! + 1]++;
  for (let c = 0; c <= maxCol; c++) colPtr[c + 1] += colPtr[c]!;
  const byCol = new Int32Array(n);
  for (let k = 0; k < n; k++) byCol[colPtr[cols[k]!]++] = k;
  const fill = ptr.slice(0, nRows);
  const outCols = new Int32Array(n);
  const outVals = new Float32Array(n);
  for (let t = 0; t < n; t++) {
    const k = byCol[t]!;
    const pos = fill[rows[k]!]++;
    outCols[pos] = cols[k]!;
    outVals[pos] = vals[k]!;
  }
  return [ptr, outCols, outVals];
}
