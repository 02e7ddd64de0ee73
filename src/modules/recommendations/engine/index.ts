// Collaborative-filtering recommendation engine: pure TypeScript, no I/O, no configuration reads.
export type { Rating, ScoredItem } from './types.js';
export { MIN_SCORE, MAX_SCORE } from './types.js';
export { trainModel, trainModelAsync, type TrainOptions, type AsyncTrainOptions } from './train.js';
export { RecommenderModel, type Algorithm, type ModelInfo, type RecommendOptions } from './model.js';
export { serializeModel, deserializeModel, MODEL_FORMAT, MODEL_FORMAT_VERSION, type SerializedModel } from './serialize.js';
export { evaluate, type Evaluation } from './metrics.js';
export type { BaselineOptions } from './baseline.js';
export type { MfOptions } from './mf.js';
export type { KnnOptions } from './knn.js';
