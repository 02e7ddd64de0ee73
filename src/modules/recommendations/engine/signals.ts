// How each kind of member event weighs in the ranking model's implicit matrix. One place, so the
// worker's training, a member's refresh and the bench build the same X.
//   rating  → an event graded by its score, 0.25 (½ star) … 1 (5 stars): who rated what is the strongest
//             signal, the grade refines it ("graded" beat "binary" on ml-latest-small: P@10 0.237 vs
//             0.228, NDCG@10 0.335 vs 0.319 — docs/benchmarks-recommendations.md)
//   watch   → weighted by completion (position / duration); a glance under 10 % is no signal
//   pick    → a wish, weaker than having watched or rated
// A pair with several events keeps its largest weight.

export type RatingWeighting = 'binary' | 'graded';
export const RATING_WEIGHTING: RatingWeighting = 'graded';
export const PICK_WEIGHT = 0.5;
export const MIN_WATCH_COMPLETION = 0.1;

/** Weight of a rating (0.5–5 stars) under the chosen weighting. */
export function ratingWeight(score: number, weighting: RatingWeighting = RATING_WEIGHTING): number {
  if (weighting === 'binary') return 1;
  const s = Math.min(5, Math.max(0.5, score));
  return 0.25 + (0.75 * (s - 0.5)) / 4.5;
}

/** Weight of a viewing: its completion in [0, 1], or 0 below MIN_WATCH_COMPLETION. */
export function watchWeight(positionSeconds: number, durationSeconds: number): number {
  if (!(durationSeconds > 0)) return 0;
  const c = Math.min(1, Math.max(0, positionSeconds / durationSeconds));
  return c < MIN_WATCH_COMPLETION ? 0 : c;
}
