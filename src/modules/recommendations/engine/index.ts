// Collaborative-filtering recommendation engine: pure TypeScript, no I/O, no configuration reads.
//
// The default ('hybrid') model averages two predictors that correct each other's blind spots:
//   0.4 × [baseline + item-KNN on baseline residuals]  +  0.6 × [SVD++ + item-KNN on SVD++ residuals]
// where the item-KNN uses one shared table of shrunk Pearson correlations between items (top 100 per
// item). SVD++ captures global taste dimensions (and who-rated-what), the neighbourhood term captures
// strong local item-item relations the low-rank model smooths away. On ml-latest-small (80/20 random
// split) it reaches RMSE ≈ 0.834 against ≈ 0.851 for plain biased MF, in about 2 s.
//
//   const model = await trainModelAsync(ratings, { seed: 42, onProgress: (f) => job.updateProgress(f * 100) });
//   model.recommend(userId, ratedItemIds, 20);   // [{ itemId, score }], best first
//   model.recommendFromRatings(ratings, 20);      // a member who rated since training: folded in, no retrain
//   const json = serializeModel(model);          // JSON-safe; deserializeModel(json) restores it
export type { Rating, ScoredItem } from './types.js';
export { MIN_SCORE, MAX_SCORE } from './types.js';
export { trainModel, trainModelAsync, type TrainOptions, type AsyncTrainOptions } from './train.js';
export { RecommenderModel, type Algorithm, type FoldInParams, type ModelInfo, type ModelParts, type RecommendOptions, type UserRating } from './model.js';
export { serializeModel, deserializeModel, MODEL_FORMAT, MODEL_FORMAT_VERSION, type SerializedModel } from './serialize.js';
export { evaluate, type Evaluation } from './metrics.js';
export type { BaselineOptions, BaselineParams } from './baseline.js';
export type { MfOptions, MfParams } from './mf.js';
export type { KnnOptions, NeighbourTable } from './knn.js';
export { modelFromParts } from './serialize.js';
export { InteractionsBuilder, RankingModel, trainRanking, trainRankingAsync, RANKING_DEFAULTS, type Interaction, type Interactions, type RankingOptions, type RankingParts } from './ranking.js';
export { trainBundle, packBundle, unpackBundle, ColumnsBuilder, type ModelBundle, type TrainingInput, type BundleOptions, type RatingColumns, type EventColumns } from './bundle.js';
export { ratingWeight, watchWeight, PICK_WEIGHT } from './signals.js';
