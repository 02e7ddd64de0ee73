// Biased matrix factorisation trained by stochastic gradient descent (Funk / Koren):
//   r̂(u,i) = μ + b_u + b_i + p_u · q_i
// and its SVD++ extension, where each user vector also absorbs the items the user chose to rate:
//   r̂(u,i) = μ + b_u + b_i + q_i · (p_u + |N(u)|^-½ Σ_{j∈N(u)} y_j)
// SVD++ is trained user by user. Plain SGD would touch every y_j (j ∈ N(u)) on every rating of u, i.e.
// O(|N(u)|·k) per rating; but all those y_j receive the same update, so the exact same result is had by
// tracking the implicit sum and one shared affine update per user and applying it to the y_j once at
// the end of the user: O(k) per rating. (Applying a summed gradient instead is unstable for heavy
// users.) Ratings are visited in a fresh seeded random order each epoch.
import type { RatingMatrix } from './dataset.js';
import type { Steps } from './progress.js';
import { Random, permutation } from './random.js';

export interface MfOptions {
  /** Latent dimensions. */
  factors?: number;
  epochs?: number;
  /** Learning rate for factors. */
  learningRate?: number;
  /** Learning rate for biases. */
  biasLearningRate?: number;
  /** L2 penalty on factors. */
  regularization?: number;
  /** L2 penalty on biases. */
  biasRegularization?: number;
  /** Standard deviation of the initial factors. */
  initStd?: number;
  /** Multiply the learning rates by this after every epoch. */
  decay?: number;
  /** SVD++ only: learning rate and penalty for the implicit item vectors y_j. */
  implicitLearningRate?: number;
  implicitRegularization?: number;
}

export interface MfParams {
  globalMean: number;
  factors: number;
  userBias: Float32Array;
  itemBias: Float32Array;
  /** nUsers × factors, row-major. For SVD++ the implicit term is already folded in. */
  userFactors: Float32Array;
  /** nItems × factors, row-major. */
  itemFactors: Float32Array;
  /**
   * SVD++ only: the implicit item vectors y_j (nItems × factors), kept so a member's vector can be
   * folded in from their current ratings (p_u + |N(u)|^-½ Σ y_j) without retraining.
   */
  implicitFactors?: Float32Array;
}

/** Low-level fallbacks; trainModel() passes its own tuned defaults per algorithm. */
const MF_DEFAULTS = {
  factors: 100,
  epochs: 30,
  learningRate: 0.01,
  biasLearningRate: 0.01,
  regularization: 0.05,
  biasRegularization: 0.02,
  initStd: 0.1,
  decay: 0.96,
  implicitLearningRate: 0.005,
  implicitRegularization: 0.05,
};

export function resolveMfOptions(o: MfOptions = {}): Required<MfOptions> {
  const out = { ...MF_DEFAULTS };
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, number>)[k] = v as number;
  return out;
}

function initFactors(n: number, k: number, std: number, rng: Random): Float32Array {
  const a = new Float32Array(n * k);
  for (let x = 0; x < a.length; x++) a[x] = rng.normal() * std;
  return a;
}

/** Plain biased MF by SGD over ratings in a fresh random order each epoch. */
export function* trainMf(data: RatingMatrix, options: MfOptions, rng: Random): Steps<MfParams> {
  const o = resolveMfOptions(options);
  const k = o.factors;
  const { nUsers, nItems, nRatings, users, items, scores, globalMean: mu } = data;
  const bu = new Float32Array(nUsers);
  const bi = new Float32Array(nItems);
  const P = initFactors(nUsers, k, o.initStd, rng);
  const Q = initFactors(nItems, k, o.initStd, rng);
  let lr = o.learningRate;
  let lrb = o.biasLearningRate;
  const reg = o.regularization;
  const regb = o.biasRegularization;
  const order = permutation(nRatings, rng);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    rng.shuffle(order);
    for (let t = 0; t < nRatings; t++) {
      const x = order[t]!;
      const u = users[x]!;
      const i = items[x]!;
      const pu = u * k;
      const qi = i * k;
      let dot = 0;
      for (let f = 0; f < k; f++) dot += P[pu + f]! * Q[qi + f]!;
      const e = scores[x]! - (mu + bu[u]! + bi[i]! + dot);
      bu[u] += lrb * (e - regb * bu[u]!);
      bi[i] += lrb * (e - regb * bi[i]!);
      for (let f = 0; f < k; f++) {
        const p = P[pu + f]!;
        const q = Q[qi + f]!;
        P[pu + f] = p + lr * (e * q - reg * p);
        Q[qi + f] = q + lr * (e * p - reg * q);
      }
    }
    lr *= o.decay;
    lrb *= o.decay;
    yield (epoch + 1) / o.epochs;
  }
  return { globalMean: mu, factors: k, userBias: bu, itemBias: bi, userFactors: P, itemFactors: Q };
}

/** SVD++ by SGD, users in a fresh random order each epoch, each user's ratings shuffled too. */
export function* trainSvdpp(data: RatingMatrix, options: MfOptions, rng: Random): Steps<MfParams> {
  const o = resolveMfOptions(options);
  const k = o.factors;
  const { nUsers, nItems, userPtr, userItems, userScores, globalMean: mu } = data;
  const bu = new Float32Array(nUsers);
  const bi = new Float32Array(nItems);
  const P = initFactors(nUsers, k, o.initStd, rng);
  const Q = initFactors(nItems, k, o.initStd, rng);
  const Y = initFactors(nItems, k, o.initStd, rng);
  let lr = o.learningRate;
  let lrb = o.biasLearningRate;
  let lry = o.implicitLearningRate;
  const reg = o.regularization;
  const regb = o.biasRegularization;
  const regy = o.implicitRegularization;
  const z = new Float64Array(k);
  const acc = new Float64Array(k);
  const userOrder = permutation(nUsers, rng);
  let maxDeg = 0;
  for (let u = 0; u < nUsers; u++) maxDeg = Math.max(maxDeg, userPtr[u + 1]! - userPtr[u]!);
  const within = new Int32Array(maxDeg);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    rng.shuffle(userOrder);
    for (let t = 0; t < nUsers; t++) {
      const u = userOrder[t]!;
      const start = userPtr[u]!;
      const end = userPtr[u + 1]!;
      const deg = end - start;
      const norm = 1 / Math.sqrt(deg);
      z.fill(0);
      for (let x = start; x < end; x++) {
        const yj = userItems[x]! * k;
        for (let f = 0; f < k; f++) z[f] += Y[yj + f]!;
      }
      for (let f = 0; f < k; f++) z[f] *= norm;
      // Exact SGD on the y_j without touching them per rating: every rating of u moves all y_j
      // (j ∈ N(u)) identically, y_j ← c·y_j + lr_y·e·norm·q_i with c = 1 − lr_y·reg_y, so after the
      // user's pass y_j = D·y_j + A, and the implicit sum z follows z ← c·z + lr_y·e·q_i.
      acc.fill(0);
      let decayAll = 1;
      const c = 1 - lry * regy;
      for (let x = 0; x < deg; x++) within[x] = start + x;
      for (let x = deg - 1; x > 0; x--) {
        const j = Math.floor(rng.next() * (x + 1));
        const tmp = within[x]!;
        within[x] = within[j]!;
        within[j] = tmp;
      }
      const pu = u * k;
      for (let s = 0; s < deg; s++) {
        const x = within[s]!;
        const i = userItems[x]!;
        const qi = i * k;
        let dot = 0;
        for (let f = 0; f < k; f++) dot += (P[pu + f]! + z[f]!) * Q[qi + f]!;
        const e = userScores[x]! - (mu + bu[u]! + bi[i]! + dot);
        bu[u] += lrb * (e - regb * bu[u]!);
        bi[i] += lrb * (e - regb * bi[i]!);
        const ey = lry * e;
        for (let f = 0; f < k; f++) {
          const q = Q[qi + f]!;
          const p = P[pu + f]!;
          const zf = z[f]!;
          Q[qi + f] = q + lr * (e * (p + zf) - reg * q);
          P[pu + f] = p + lr * (e * q - reg * p);
          z[f] = c * zf + ey * q;
          acc[f] = c * acc[f]! + ey * norm * q;
        }
        decayAll *= c;
      }
      for (let x = start; x < end; x++) {
        const yj = userItems[x]! * k;
        for (let f = 0; f < k; f++) Y[yj + f] = decayAll * Y[yj + f]! + acc[f]!;
      }
    }
    lr *= o.decay;
    lrb *= o.decay;
    lry *= o.decay;
    yield (epoch + 1) / o.epochs;
  }
  // Fold the implicit term into the user vectors so serving is plain MF.
  for (let u = 0; u < nUsers; u++) {
    const start = userPtr[u]!;
    const end = userPtr[u + 1]!;
    const norm = 1 / Math.sqrt(end - start);
    const pu = u * k;
    for (let x = start; x < end; x++) {
      const yj = userItems[x]! * k;
      for (let f = 0; f < k; f++) P[pu + f] += norm * Y[yj + f]!;
    }
  }
  return { globalMean: mu, factors: k, userBias: bu, itemBias: bi, userFactors: P, itemFactors: Q, implicitFactors: Y };
}
