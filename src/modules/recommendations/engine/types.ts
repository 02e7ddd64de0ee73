/** One explicit rating. Scores are on the MovieLens scale, 0.5–5.0 in half stars. */
export type Rating = { userId: number; itemId: number; score: number };

export type ScoredItem = { itemId: number; score: number };

export const MIN_SCORE = 0.5;
export const MAX_SCORE = 5;

export function clampScore(x: number): number {
  return x < MIN_SCORE ? MIN_SCORE : x > MAX_SCORE ? MAX_SCORE : x;
}
