// Recommendations on real Korean ratings: SHARED_DATA_DIR/wouldyouci/naver_rating_315.json (315
// ratings by 45 members on 219 movies, integer scores 0–5; see the shared data's README.md) —
// `npm run test:data`. Held-out accuracy of the model the worker trains, then the whole
// data set through the worker's training code into the stored results the API reads.
import { readFileSync } from 'node:fs';
import request from 'supertest';
import type { Express } from 'express';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { evaluate, trainModelAsync, type Rating } from '../../src/modules/recommendations/engine/index.js';
import { RATINGS_FOR_RECOMMENDATIONS } from '../../src/modules/ratings/ratings.service.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin } from '../support/users.js';
import { sharedData } from './shared-data.js';

type Fixture = Array<{ pk: number; model: string; fields: { movie: number; score: number; user: number } }>;

let ctx: TestContext & { app: Express };
/** The source's ratings, one per (member, movie) — a later duplicate wins — on Marquee's 0.5–5 scale. */
let ratings: Rating[];

const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const userIdOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).user_id as number;

/** Seeded split, independent of the engine's PRNG. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

beforeAll(async () => {
  ctx = await createTestApp();
  const file = sharedData('wouldyouci', 'naver_rating_315.json');
  const fixture = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, '')) as Fixture;
  expect(fixture).toHaveLength(315);
  const byPair = new Map<string, Rating>();
  // 0 is the source's lowest score; Marquee's scale starts at 0.5.
  for (const { fields: f } of fixture) byPair.set(`${f.user}:${f.movie}`, { userId: f.user, itemId: f.movie, score: Math.max(0.5, f.score) });
  ratings = [...byPair.values()];
}, 30_000);

afterAll(async () => {
  await ctx.close();
});

describe('naver_rating_315 (real Korean ratings)', () => {
  it('held out: the worker’s model beats the global mean and is no worse than the bias-only baseline', async () => {
    // Five seeded 80/20 splits; the model is trained as RecommendationsService.trainAll trains it (default options).
    const sums = { mean: 0, baseline: 0, model: 0 };
    for (const seed of [1, 2, 3, 4, 5]) {
      const rnd = lcg(seed);
      const train: Rating[] = [];
      const test: Rating[] = [];
      for (const r of ratings) (rnd() < 0.2 ? test : train).push(r);
      const mu = train.reduce((s, r) => s + r.score, 0) / train.length;
      sums.mean += Math.sqrt(test.reduce((s, r) => s + (r.score - mu) ** 2, 0) / test.length);
      sums.baseline += evaluate(await trainModelAsync(train, { algorithm: 'baseline' }), test).rmse;
      sums.model += evaluate(await trainModelAsync(train), test).rmse;
    }
    // 219 movies for 313 ratings: almost every movie has one or two ratings, so the biases carry
    // most of what can be learnt; the personal parts must not make it worse.
    expect(sums.model).toBeLessThan(0.95 * sums.mean);
    expect(sums.model).toBeLessThan(1.02 * sums.baseline);
  });

  it('trains through the worker’s code and stores lists and predicted scores the API answers', async () => {
    const movies = ctx.rt.ds.getRepository(Movie);
    const movieIds = [...new Set(ratings.map((r) => r.itemId))];
    const saved = await movies.save(movieIds.map((pk) => movies.create({ name: `네이버 영화 ${pk}`, country: 'KR', openDate: '2019-01-01' })));
    const movieOf = new Map(movieIds.map((pk, k) => [pk, saved[k]!.id]));
    const sourceUsers = [...new Set(ratings.map((r) => r.userId))];
    const users = ctx.rt.ds.getRepository(User);
    const savedUsers = await users.save(sourceUsers.map((u) => users.create({ username: `naver${u}_${Date.now()}`, email: `naver${u}@example.com`, passwordHash: 'x', role: 'user' })));
    const userOf = new Map(sourceUsers.map((u, k) => [u, savedUsers[k]!.id]));
    for (const u of sourceUsers) {
      const mine = ratings.filter((r) => r.userId === u).map((r) => ({ movie: movieOf.get(r.itemId)!, score: r.score }));
      await ctx.rt.services.ratings.createMany(userOf.get(u)!, mine);
    }

    const run = await ctx.rt.services.recommendations.trainAll(); // what the recommendations.train processor calls
    expect(run).toEqual(expect.objectContaining({ status: 'done', progress: 100, ratings: ratings.length, users: 45, items: 219 }));

    const eligible = sourceUsers.filter((u) => ratings.filter((r) => r.userId === u).length >= RATINGS_FOR_RECOMMENDATIONS);
    expect(eligible.length).toBe(24); // 26 members have 10 rows, two of them with a duplicate movie
    for (const u of eligible) {
      const stored = await ctx.rt.services.recommendations.stored(userOf.get(u)!);
      expect(stored.length).toBeGreaterThan(0);
      const rated = new Set(ratings.filter((r) => r.userId === u).map((r) => movieOf.get(r.itemId)));
      for (const s of stored) {
        expect(rated.has(s.movieId)).toBe(false);
        expect(s.predictedX100).toBeGreaterThanOrEqual(50);
        expect(s.predictedX100).toBeLessThanOrEqual(500);
      }
      // ranked by the ranking model (EASE), each with the rating model's predicted score
      expect(stored.map((s) => s.rank)).toEqual(stored.map((_, k) => k + 1));
    }
    // members below 10 ratings get nothing stored and a predicted score of 0
    const few = sourceUsers.find((u) => !eligible.includes(u))!;
    expect(await ctx.rt.services.recommendations.stored(userOf.get(few)!)).toEqual([]);
    expect(await ctx.rt.services.recommendations.predictedScore(userOf.get(few)!, saved[0]!.id)).toBe(0);

    // A new member who rates exactly as one of the source's members did, after the train: folded in
    // by the refresh (no retrain), they get that member's picks, and the API shows them.
    const twin = eligible[0]!;
    const { token } = await signupAndLogin(ctx.app);
    const me = userIdOf(token);
    const theirs = ratings.filter((r) => r.userId === twin).map((r) => ({ movie: movieOf.get(r.itemId)!, score: r.score }));
    await request(ctx.app).post('/user/rating/').set(auth(token)).send({ data: theirs }).expect(203);
    await ctx.rt.services.recommendations.refreshUser(me);
    const myStored = (await ctx.rt.services.recommendations.stored(me)).map((s) => s.movieId);
    const mine = myStored.slice(0, 10);
    // The ranking model reads a member's current events only: the same ratings give the same list.
    const twin20 = (await ctx.rt.services.recommendations.stored(userOf.get(twin)!)).slice(0, 20).map((s) => s.movieId);
    expect(myStored.slice(0, 20)).toEqual(twin20);
    const detail = await request(ctx.app).get(`/movie/${mine[0]}/`).set(auth(token)).expect(200);
    expect(detail.body.predicted_score).toBeGreaterThan(0);
    expect(detail.body.predicted_score).toBeLessThanOrEqual(100);
    expect(detail.body.recommend_movies.map((m: { id: number }) => m.id)).toEqual(myStored.filter((id) => id !== mine[0]).slice(0, 10));
  });
});
