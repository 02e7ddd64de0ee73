import type { RecommenderModel } from './model.js';
import type { Rating } from './types.js';

export interface Evaluation {
  rmse: number;
  mae: number;
  count: number;
}

/** RMSE and MAE of model.predict() against held-out ratings. */
export function evaluate(model: Pick<RecommenderModel, 'predict'>, heldOut: Iterable<Rating>): Evaluation {
  let se = 0;
  let ae = 0;
  let count = 0;
  for (const r of heldOut) {
    const e = model.predict(r.userId, r.itemId) - r.score;
    se += e * e;
    ae += Math.abs(e);
    count++;
  }
  return count === 0 ? { rmse: NaN, mae: NaN, count } : { rmse: Math.sqrt(se / count), mae: ae / count, count };
}
