// trainModel(): the single entry point the worker and the bench use. It indexes the ratings, fits the
// bias baseline, then whatever the chosen algorithm needs, reporting progress through onProgress.
import { DEFAULT_USER_REG, fitBaseline, type BaselineOptions } from './baseline.js';
import { buildRatingMatrix, buildRatingMatrixAsync, type RatingMatrix } from './dataset.js';
import { buildNeighbourTable, residuals, resolveKnnOptions, type KnnOptions } from './knn.js';
import { trainMf, trainSvdpp, type MfOptions, type MfParams } from './mf.js';
import { RecommenderModel, type Algorithm, type ModelParts } from './model.js';
import { runAsync, runSync, scaled, type Steps } from './progress.js';
import { Random } from './random.js';
import type { Rating } from './types.js';

export interface TrainOptions extends MfOptions {
  /**
   * - 'hybrid' (default, the most accurate): blendWeight × (baseline + item-KNN on its residuals)
   *   + (1 − blendWeight) × (SVD++ + item-KNN on the SVD++ residuals).
   * - 'svdpp': SVD++ alone. 'mf': plain biased matrix factorisation. 'knn': item-KNN on baseline
   *   residuals. 'baseline': μ + b_u + b_i (regularised ALS).
   * Factor options (factors, epochs, learning rates, …) apply to the SVD++ part of 'hybrid' too.
   */
  algorithm?: Algorithm;
  /** Seed of the PRNG (initial factors, SGD order). Same data + options + seed ⇒ same model. Default 42. */
  seed?: number;
  baseline?: BaselineOptions;
  knn?: KnnOptions & { denominatorShrinkage?: number };
  /** hybrid: weight of (baseline + KNN); SVD++ + KNN gets 1 − w. Default 0.4. */
  blendWeight?: number;
  /** Called with a fraction in [0, 1] as training advances, ending with exactly 1. */
  onProgress?: (fraction: number) => void;
}

export interface AsyncTrainOptions extends Omit<TrainOptions, 'onProgress'> {
  /** May return a promise (e.g. job.updateProgress); training waits for it before continuing. */
  onProgress?: (fraction: number) => void | Promise<void>;
}

/** Factor-model defaults, per algorithm, tuned on MovieLens (ml-latest-small, 80/20 random split). */
const FACTOR_DEFAULTS: Record<'mf' | 'svdpp', MfOptions> = {
  mf: { factors: 50, epochs: 60, learningRate: 0.01, biasLearningRate: 0.01, regularization: 0.05, biasRegularization: 0.02, initStd: 0.05, decay: 0.98 },
  svdpp: {
    factors: 30,
    epochs: 25,
    learningRate: 0.02,
    biasLearningRate: 0.003,
    regularization: 0.05,
    biasRegularization: 0.02,
    initStd: 0.05,
    decay: 0.95,
    implicitLearningRate: 0.01,
    implicitRegularization: 0.02,
  },
};

const DEFAULT_SEED = 42;
const DEFAULT_BLEND_WEIGHT = 0.4;
const DEFAULT_DENOMINATOR_SHRINKAGE = 0.5;

function pick(options: TrainOptions | AsyncTrainOptions, which: 'mf' | 'svdpp'): MfOptions {
  const out: MfOptions = { ...FACTOR_DEFAULTS[which] };
  const keys: (keyof MfOptions)[] = [
    'factors',
    'epochs',
    'learningRate',
    'biasLearningRate',
    'regularization',
    'biasRegularization',
    'initStd',
    'decay',
    'implicitLearningRate',
    'implicitRegularization',
  ];
  for (const k of keys) if (options[k] !== undefined) out[k] = options[k];
  return out;
}

function validate(options: TrainOptions | AsyncTrainOptions): void {
  const positiveInt = (v: number | undefined, name: string) => {
    if (v !== undefined && !(Number.isInteger(v) && v > 0)) throw new RangeError(`${name} must be a positive integer`);
  };
  positiveInt(options.factors, 'factors');
  positiveInt(options.epochs, 'epochs');
  positiveInt(options.knn?.neighbours, 'knn.neighbours');
  positiveInt(options.knn?.candidates, 'knn.candidates');
  const nonNegative = (v: number | undefined, name: string) => {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) throw new RangeError(`${name} must be a finite number ≥ 0`);
  };
  for (const k of ['learningRate', 'biasLearningRate', 'regularization', 'biasRegularization', 'initStd', 'implicitLearningRate', 'implicitRegularization'] as const) {
    nonNegative(options[k], k);
  }
  nonNegative(options.knn?.shrinkage, 'knn.shrinkage');
  nonNegative(options.knn?.minSupport, 'knn.minSupport');
  nonNegative(options.knn?.denominatorShrinkage, 'knn.denominatorShrinkage');
  nonNegative(options.baseline?.itemReg, 'baseline.itemReg');
  nonNegative(options.baseline?.userReg, 'baseline.userReg');
  positiveInt(options.baseline?.iterations, 'baseline.iterations');
  if (options.decay !== undefined && !(options.decay > 0 && options.decay <= 1)) throw new RangeError('decay must be in (0, 1]');
  if (options.seed !== undefined && !Number.isFinite(options.seed)) throw new RangeError('seed must be a finite number');
  if (options.blendWeight !== undefined && !(options.blendWeight >= 0 && options.blendWeight <= 1)) throw new RangeError('blendWeight must be in [0, 1]');
  const algorithms: Algorithm[] = ['baseline', 'mf', 'svdpp', 'knn', 'hybrid'];
  if (options.algorithm !== undefined && !algorithms.includes(options.algorithm)) throw new RangeError(`unknown algorithm ${options.algorithm}`);
}

/** The whole training as a sequence of progress steps ending in the model. */
function* trainingSteps(data: RatingMatrix, options: TrainOptions | AsyncTrainOptions): Steps<RecommenderModel> {
  validate(options);
  const algorithm = options.algorithm ?? 'hybrid';
  const rng = new Random(options.seed ?? DEFAULT_SEED);
  const baseline = fitBaseline(data, options.baseline);
  const factorOptions = pick(options, algorithm === 'mf' ? 'mf' : 'svdpp');
  // The same penalties the training applied, so a member folded in later is fitted the model's way.
  const foldIn = { baselineUserReg: options.baseline?.userReg ?? DEFAULT_USER_REG, factorReg: factorOptions.regularization!, factorBiasReg: factorOptions.biasRegularization! };
  const parts: ModelParts = { algorithm, ratings: data.nRatings, userIds: data.userIds, itemIds: data.itemIds, baseline, foldIn };
  if (algorithm === 'baseline') return new RecommenderModel(parts);
  yield 0.01;

  const wantsFactors = algorithm !== 'knn';
  const wantsKnn = algorithm === 'knn' || algorithm === 'hybrid';
  const knnOptions = resolveKnnOptions(options.knn);

  // Split the progress bar by rough operation counts of the two phases.
  let knnWork = 0;
  if (wantsKnn) for (let u = 0; u < data.nUsers; u++) knnWork += (data.userPtr[u + 1]! - data.userPtr[u]!) ** 2;
  const factorWork = wantsFactors ? data.nRatings * factorOptions.factors! * factorOptions.epochs! * (algorithm === 'mf' ? 1 : 2) : 0;
  const split = 0.01 + 0.98 * (factorWork / Math.max(1, factorWork + knnWork));

  let factors: MfParams | undefined;
  if (wantsFactors) {
    const steps = algorithm === 'mf' ? trainMf(data, factorOptions, rng) : trainSvdpp(data, factorOptions, rng);
    factors = yield* scaled(steps, 0.01, split);
    parts.factors = factors;
  }
  if (wantsKnn) {
    const b = baseline;
    const res = residuals(data, (u, i) => b.globalMean + b.userBias[u]! + b.itemBias[i]!);
    const table = yield* scaled(buildNeighbourTable(data, res, knnOptions), split, 0.99);
    parts.neighbourhood = {
      table,
      neighbours: knnOptions.neighbours,
      denominatorShrinkage: options.knn?.denominatorShrinkage ?? DEFAULT_DENOMINATOR_SHRINKAGE,
      userPtr: data.userPtr,
      userItems: data.userItems,
      userScores: data.userScores,
    };
  }
  if (algorithm === 'hybrid') parts.blendWeight = options.blendWeight ?? DEFAULT_BLEND_WEIGHT;
  return new RecommenderModel(parts);
}

/**
 * Train a recommender synchronously (blocks the event loop for the duration; a few seconds for 100k
 * ratings). `ratings` may be any iterable, e.g. a generator over database rows.
 */
export function trainModel(ratings: Iterable<Rating>, options: TrainOptions = {}): RecommenderModel {
  return runSync(trainingSteps(buildRatingMatrix(ratings), options), options.onProgress);
}

/**
 * Same model as trainModel() for the same inputs, but yields to the event loop between epochs and
 * awaits onProgress, so a BullMQ worker keeps renewing its job lock and progress updates go out.
 * Also accepts an async iterable (e.g. rows streamed from a database cursor).
 */
export async function trainModelAsync(ratings: Iterable<Rating> | AsyncIterable<Rating>, options: AsyncTrainOptions = {}): Promise<RecommenderModel> {
  const data = await buildRatingMatrixAsync(ratings);
  return runAsync(trainingSteps(data, options), options.onProgress);
}
