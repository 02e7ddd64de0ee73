// On the real ml-latest-small (../shared/data, read in place; never part of npm test): the served
// ranking model beats "most popular" by the margin and the hybrid keeps its rating accuracy,
// on the bench's split (80/20, seed 42; relevant = held-out ≥ 4.0). `npm run test:data`.
import { fileURLToPath } from 'node:url';
import { evalSet, evaluateSpec, splitMask, trainSpec, type ModelSpec } from '../../bench/lib/rank-eval.js';
import { readRatingsFile, type RatingsArrays } from '../../bench/lib/ratings-file.js';

const FILE = fileURLToPath(new URL('../../../shared/data/ml-latest-small/ratings.csv', import.meta.url));
let d: RatingsArrays;
let isTest: Uint8Array;

beforeAll(async () => {
  d = await readRatingsFile(FILE);
  isTest = splitMask(d.length);
});

function run(spec: ModelSpec) {
  const trained = trainSpec(spec, d, isTest);
  return { trained, result: evaluateSpec(spec, trained, d, isTest, evalSet(d, isTest)) };
}

describe('ml-latest-small', () => {
  it('reads all 100 836 ratings', () => {
    expect(d.length).toBe(100_836);
  });

  it('serves an EASE ranking with P@10 and NDCG@10 at least 1.6 × most-popular’s', () => {
    const pop = run({ name: 'popularity', kind: 'baseline', ranking: { kind: 'popularity' } }).result;
    const ease = run({ name: 'ease', kind: 'ranking', ranking: {} }).result;
    expect(ease.p_at_10).toBeGreaterThanOrEqual(1.6 * pop.p_at_10);
    expect(ease.ndcg_at_10).toBeGreaterThanOrEqual(1.6 * pop.ndcg_at_10);
    expect(ease.coverage).toBeGreaterThan(pop.coverage);
  }, 600_000);

  it('keeps the hybrid’s held-out RMSE at or under 0.834', () => {
    const hybrid = run({ name: 'hybrid', kind: 'rating', algorithm: 'hybrid' }).result;
    expect(hybrid.rmse).toBeLessThanOrEqual(0.834);
  }, 600_000);
});
