// What one training run produces and the database keeps as one version: the rating model (the
// hybrid: predicted_score) and the ranking model (EASE: every list). Training input is typed arrays
// only — ratings and weighted implicit events (viewings, picks) — so it can be transferred to a
// worker thread without copying and 20M ratings stay far from an object per rating.
import { modelFromParts } from './serialize.js';
import { trainModel, type TrainOptions } from './train.js';
import type { RecommenderModel, ModelParts } from './model.js';
import { InteractionsBuilder, RankingModel, trainRanking, type RankingOptions, type RankingParts } from './ranking.js';
import { ratingWeight } from './signals.js';
import type { Rating } from './types.js';
import { pack, unpack } from './pack.js';

export const BUNDLE_FORMAT = 'marquee-recs-bundle';
export const BUNDLE_VERSION = 1;

export interface RatingColumns {
  users: Int32Array;
  items: Int32Array;
  scores: Float32Array;
  length: number;
}

export interface EventColumns {
  users: Int32Array;
  items: Int32Array;
  weights: Float32Array;
  length: number;
}

export interface TrainingInput {
  ratings: RatingColumns;
  /** Implicit events other than ratings (weighted viewings, picks). */
  events: EventColumns;
}

export interface BundleOptions {
  rating?: Omit<TrainOptions, 'onProgress'>;
  ranking?: RankingOptions;
}

export interface ModelBundle {
  rating: RecommenderModel;
  ranking: RankingModel;
}

/** Growable typed columns for (user, item, value) rows, filled from a database cursor. */
export class ColumnsBuilder {
  users = new Int32Array(1 << 14);
  items = new Int32Array(1 << 14);
  values = new Float32Array(1 << 14);
  length = 0;
  push(u: number, i: number, v: number): void {
    if (this.length === this.users.length) {
      const cap = this.length * 2;
      const nu = new Int32Array(cap);
      nu.set(this.users);
      this.users = nu;
      const ni = new Int32Array(cap);
      ni.set(this.items);
      this.items = ni;
      const nv = new Float32Array(cap);
      nv.set(this.values);
      this.values = nv;
    }
    this.users[this.length] = u;
    this.items[this.length] = i;
    this.values[this.length] = v;
    this.length++;
  }
  ratings(): RatingColumns {
    return { users: this.users.slice(0, this.length), items: this.items.slice(0, this.length), scores: this.values.slice(0, this.length), length: this.length };
  }
  events(): EventColumns {
    return { users: this.users.slice(0, this.length), items: this.items.slice(0, this.length), weights: this.values.slice(0, this.length), length: this.length };
  }
}

function* ratingObjects(r: RatingColumns): Generator<Rating> {
  // One object at a time: the trainer copies it into its own typed arrays.
  for (let k = 0; k < r.length; k++) yield { userId: r.users[k]!, itemId: r.items[k]!, score: r.scores[k]! };
}

export function trainBundle(input: TrainingInput, options: BundleOptions = {}, onProgress?: (f: number) => void): ModelBundle {
  const { ratings, events } = input;
  const rating = trainModel(ratingObjects(ratings), { ...options.rating, onProgress: onProgress && ((f) => onProgress(f * 0.5)) });
  const b = new InteractionsBuilder(ratings.length + events.length);
  for (let k = 0; k < ratings.length; k++) b.add(ratings.users[k]!, ratings.items[k]!, ratingWeight(ratings.scores[k]!));
  for (let k = 0; k < events.length; k++) b.add(events.users[k]!, events.items[k]!, events.weights[k]!);
  const ranking = trainRanking(b.build(), options.ranking, onProgress && ((f) => onProgress(0.5 + f * 0.5)));
  return { rating, ranking };
}

export function packBundle(bundle: ModelBundle): Buffer {
  return pack({ format: BUNDLE_FORMAT, version: BUNDLE_VERSION, rating: bundle.rating.internals, ranking: bundle.ranking.internals });
}

export function unpackBundle(bytes: Uint8Array): ModelBundle {
  const data = unpack<{ format: string; version: number; rating: ModelParts; ranking: RankingParts }>(bytes);
  if (data?.format !== BUNDLE_FORMAT) throw new TypeError('not a recommendation model bundle');
  if (data.version !== BUNDLE_VERSION) throw new RangeError(`unsupported model bundle version ${data.version}`);
  const r = data.ranking;
  const n = r.easeItems.length;
  if (r.popularity.length !== r.itemIds.length || r.weights.length !== n * n) throw new RangeError('corrupt model: ranking sizes');
  return { rating: modelFromParts(data.rating), ranking: new RankingModel(r) };
}
