// Reads MovieLens ratings.csv (userId,movieId,rating,timestamp) from the shared data folder. The data
// is licensed for research/testing only: it is read in place and never copied into the repository.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../../src/modules/recommendations/engine/random.js';
import type { Rating } from '../../src/modules/recommendations/engine/index.js';

export function ratingsCsvPath(dir: string): string {
  return join(dir, 'ratings.csv');
}

export function hasMovieLens(dir: string): boolean {
  return existsSync(ratingsCsvPath(dir));
}

export function loadMovieLensRatings(dir: string): Rating[] {
  const text = readFileSync(ratingsCsvPath(dir), 'utf8');
  const out: Rating[] = [];
  let lineNo = 0;
  for (const line of text.split('\n')) {
    lineNo++;
    if (lineNo === 1 || line.length === 0) continue; // header, trailing newline
    const a = line.indexOf(',');
    const b = line.indexOf(',', a + 1);
    const c = line.indexOf(',', b + 1);
    const userId = Number(line.slice(0, a));
    const itemId = Number(line.slice(a + 1, b));
    const score = Number(line.slice(b + 1, c < 0 ? undefined : c));
    if (!Number.isFinite(userId) || !Number.isFinite(itemId) || !Number.isFinite(score)) throw new Error(`ratings.csv line ${lineNo}: cannot parse "${line}"`);
    out.push({ userId, itemId, score });
  }
  return out;
}

/** Each rating goes to the test side with probability `fraction`, decided by a seeded PRNG. */
export function randomSplit(ratings: readonly Rating[], fraction: number, seed: number): { train: Rating[]; test: Rating[] } {
  const rng = new Random(seed);
  const train: Rating[] = [];
  const test: Rating[] = [];
  for (const r of ratings) (rng.next() < fraction ? test : train).push(r);
  return { train, test };
}
