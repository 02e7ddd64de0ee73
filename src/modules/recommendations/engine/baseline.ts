// Bias-only baseline: r̂(u,i) = μ + b_u + b_i, with b fitted by regularised alternating least squares
// (each step is the closed-form ridge solution for one side given the other).
import type { RatingMatrix } from './dataset.js';

export interface BaselineOptions {
  /** Ridge penalty on item biases (pseudo-count of ratings at the global mean). Default 10. */
  itemReg?: number;
  /** Ridge penalty on user biases. Default 15. */
  userReg?: number;
  /** Alternating sweeps. Default 10. */
  iterations?: number;
}

export interface BaselineParams {
  globalMean: number;
  userBias: Float32Array;
  itemBias: Float32Array;
}

/** Default ridge penalty on user biases (also used when a member is folded into a trained model). */
export const DEFAULT_USER_REG = 15;

export function fitBaseline(data: RatingMatrix, options: BaselineOptions = {}): BaselineParams {
  const itemReg = options.itemReg ?? 10;
  const userReg = options.userReg ?? DEFAULT_USER_REG;
  const iterations = options.iterations ?? 10;
  const { nUsers, nItems, userPtr, userItems, userScores, itemPtr, itemUsers, itemScores, globalMean: mu } = data;
  const bu = new Float64Array(nUsers);
  const bi = new Float64Array(nItems);
  for (let it = 0; it < iterations; it++) {
    for (let i = 0; i < nItems; i++) {
      let s = 0;
      const end = itemPtr[i + 1]!;
      for (let k = itemPtr[i]!; k < end; k++) s += itemScores[k]! - mu - bu[itemUsers[k]!]!;
      bi[i] = s / (itemReg + end - itemPtr[i]!);
    }
    for (let u = 0; u < nUsers; u++) {
      let s = 0;
      const end = userPtr[u + 1]!;
      for (let k = userPtr[u]!; k < end; k++) s += userScores[k]! - mu - bi[userItems[k]!]!;
      bu[u] = s / (userReg + end - userPtr[u]!);
    }
  }
  return { globalMean: mu, userBias: Float32Array.from(bu), itemBias: Float32Array.from(bi) };
}
