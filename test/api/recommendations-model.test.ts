// The trained model as shared state (rule 12): persisted as versions in the database, served by any
// process (loaded once per version), refreshed per member without retraining, trained by one process
// at a time; and what lists may never contain. Live MariaDB; the training runs in its worker thread.
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieGenre } from '../../src/modules/catalog/movie.entity.js';
import { unpackBundle } from '../../src/modules/recommendations/engine/index.js';
import { ModelStore } from '../../src/modules/recommendations/model-store.js';
import { RecModel, RecRun } from '../../src/modules/recommendations/recommendation.entities.js';
import { RecommendationsService, TRAIN_LOCK } from '../../src/modules/recommendations/recommendations.service.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let ctx: TestContext;
const A: number[] = [];
const B: number[] = [];
const groupA: number[] = [];
const groupB: number[] = [];
/** (member, movie) pairs of the member's own group they did not rate: the held-out pairs. */
const heldOut: Array<[number, number]> = [];

/** Another process: its own service over the same database (nothing shared in memory). */
const otherProcess = () => new RecommendationsService(ctx.rt.ds, ctx.rt.services.ratings, ctx.rt.services.catalog, { train: { epochs: 10 } });

async function members(n: number, prefix: string): Promise<number[]> {
  const repo = ctx.rt.ds.getRepository(User);
  const rows = await repo.save(Array.from({ length: n }, (_, i) => repo.create({ username: `${prefix}${i}_${Date.now()}`, email: `${prefix}${i}@example.com`, passwordHash: 'x', role: 'user' })));
  return rows.map((r) => r.id);
}

async function contentOf(movieId: number): Promise<Content> {
  const contents = ctx.rt.ds.getRepository(Content);
  return contents.save(contents.create({ title: `본편 ${movieId}`, storageKey: `contents/test/rec-${movieId}-${Date.now()}.mp4`, sizeBytes: '1000', sha256: 'a'.repeat(64), mimeType: 'video/mp4', status: 'ready', movieId }));
}

beforeAll(async () => {
  ctx = await createTestContext();
  const genres = ctx.rt.ds.getRepository(Genre);
  const action = await genres.save(genres.create({ name: '액션' }));
  const drama = await genres.save(genres.create({ name: '드라마' }));
  const movies = ctx.rt.ds.getRepository(Movie);
  for (let i = 0; i < 12; i++) {
    A.push((await movies.save(movies.create({ name: `액션 ${i}`, country: 'KR', openDate: '2019-01-01' }))).id);
    B.push((await movies.save(movies.create({ name: `드라마 ${i}`, country: 'KR', openDate: '2019-01-01' }))).id);
  }
  await ctx.rt.ds.getRepository(MovieGenre).insert([...A.map((movieId) => ({ movieId, genreId: action.id })), ...B.map((movieId) => ({ movieId, genreId: drama.id }))]);
  groupA.push(...(await members(15, 'ra')));
  groupB.push(...(await members(15, 'rb')));
  const rate = async (users: number[], loved: number[], other: number[]) => {
    for (const [k, u] of users.entries()) {
      // 9 of the 12 loved (varying), 3 of the others disliked: 12 ratings, eligible
      const like = loved.filter((_, i) => (i + k) % 4 !== 0);
      for (const m of loved) if (!like.includes(m)) heldOut.push([u, m]);
      const hate = other.filter((_, i) => (i + k) % 4 === 0);
      await ctx.rt.services.ratings.createMany(u, [...like.map((m, i) => ({ movie: m, score: i % 2 ? 5 : 4.5 })), ...hate.map((m, i) => ({ movie: m, score: i % 2 ? 1 : 1.5 }))]);
    }
  };
  await rate(groupA, A, B);
  await rate(groupB, B, A);
}, 120_000);

afterAll(async () => {
  await ctx.close();
});

describe('the model as shared state', () => {
  it('refresh-user before any training stores nothing and never starts a full retrain', async () => {
    const fresh = otherProcess();
    await fresh.refreshUser(groupA[0]!);
    expect(await ctx.rt.ds.getRepository(RecRun).countBy({ kind: 'full' })).toBe(0);
    expect(await ctx.rt.ds.getRepository(RecModel).count()).toBe(0);
    expect(await fresh.stored(groupA[0]!)).toEqual([]);
    expect(await fresh.predictedScore(groupA[0]!, A[0]!)).toBe(0);
  });

  it('persists the trained model as a version; another process loads it once and serves predicted_score = the model’s prediction on held-out pairs', async () => {
    const run = await ctx.rt.services.recommendations.trainAll();
    expect(run).toEqual(expect.objectContaining({ status: 'done', users: 30 }));
    const versions = await ctx.rt.ds.getRepository(RecModel).find();
    expect(versions).toEqual([expect.objectContaining({ status: 'ready', runId: run!.id, chunks: expect.any(Number) })]);
    const store = new ModelStore(ctx.rt.ds);
    const model = unpackBundle(await store.load(versions[0]!.id));

    const api = otherProcess();
    expect(heldOut.length).toBeGreaterThan(50);
    for (const [u, m] of heldOut) expect(await api.predictedScore(u, m)).toBe(Math.round(model.rating.predict(u, m) * 20));
    // a loved, held-out movie scores high; a disliked group's movie low
    const [u0, m0] = heldOut[0]!;
    expect(await api.predictedScore(u0, m0)).toBeGreaterThan(80);
    expect(await api.predictedScore(groupA[0]!, B[11]!)).toBeLessThan(60);
    // once per version
    expect(api.modelLoads).toBe(1);

    // a new version lands: the other process serves it (reloaded once), the old one is pruned later
    await ctx.rt.services.recommendations.trainAll();
    const latest = (await store.latestVersion())!;
    expect(latest).toBeGreaterThan(versions[0]!.id);
    const newer = unpackBundle(await store.load(latest));
    const [u1, m1] = heldOut[5]!;
    expect(await api.predictedScore(u1, m1)).toBe(Math.round(newer.rating.predict(u1, m1) * 20));
    expect(await api.predictedScore(u1, m1)).toBe(Math.round(newer.rating.predict(u1, m1) * 20));
    expect(api.modelLoads).toBe(2);
  }, 120_000);

  it('a restarted worker refreshes a member from the stored model: no full retrain', async () => {
    const fullBefore = await ctx.rt.ds.getRepository(RecRun).countBy({ kind: 'full' });
    const worker = otherProcess();
    const u = groupB[3]!;
    await worker.refreshUser(u);
    expect(await ctx.rt.ds.getRepository(RecRun).countBy({ kind: 'full' })).toBe(fullBefore);
    expect(worker.modelLoads).toBe(1);
    const stored = (await worker.stored(u)).map((s) => s.movieId);
    const rated = new Set((await ctx.rt.services.ratings.scoresOf(u)).map((r) => r.movieId));
    const unratedB = B.filter((m) => !rated.has(m));
    expect(stored.slice(0, unratedB.length).sort()).toEqual(unratedB.sort());
    for (const m of stored) expect(rated.has(m)).toBe(false);
  });

  it('never runs two trainings at once: a held lease makes trainAll a no-op; of two concurrent ones exactly one trains', async () => {
    const store = new ModelStore(ctx.rt.ds);
    const versions = await ctx.rt.ds.getRepository(RecModel).count();
    const holder = (await store.acquire(TRAIN_LOCK, 60_000))!;
    expect(holder).toEqual(expect.any(String));
    expect(await otherProcess().trainAll()).toBeNull();
    expect(await store.acquire(TRAIN_LOCK, 60_000)).toBeNull();
    await store.release(TRAIN_LOCK, holder);

    const runsBefore = await ctx.rt.ds.getRepository(RecRun).countBy({ kind: 'full' });
    const results = await Promise.all([otherProcess().trainAll(), otherProcess().trainAll()]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(await ctx.rt.ds.getRepository(RecRun).countBy({ kind: 'full' })).toBe(runsBefore + 1);
    expect(await ctx.rt.ds.getRepository(RecModel).count()).toBeLessThanOrEqual(versions + 1);
    // an expired lease (its holder died) is taken over
    const dead = (await store.acquire(TRAIN_LOCK, 1, Date.now() - 10_000))!;
    expect(dead).toEqual(expect.any(String));
    expect(await otherProcess().trainAll()).not.toBeNull();
  }, 120_000);
});

describe('exclusions and cold start', () => {
  it('never lists a watched or rated movie, even one watched or rated after the list was stored', async () => {
    const svc = ctx.rt.services.recommendations;
    const u = groupA[5]!;
    const stored = (await svc.stored(u)).map((s) => s.movieId);
    const [watched, ratedLater] = stored;
    await ctx.rt.services.members.recordWatch(u, { content: (await contentOf(watched!)).id, position: 30, duration: 3600 });
    await ctx.rt.services.ratings.createMany(u, [{ movie: ratedLater!, score: 4 }]);
    for (const list of [await svc.forUser(u, 10), await svc.storedTop(u, 10), await svc.forUser(u, 50)]) {
      expect(list).not.toContain(watched);
      expect(list).not.toContain(ratedLater);
      expect(list.length).toBeGreaterThan(0);
    }
    // and the shelf (generated from the list) leaves them out too
    const shelf = (await svc.shelf(u)).map((e) => e.movieId);
    expect(shelf).not.toContain(watched);
    // a refresh does not store them at all
    await svc.refreshUser(u);
    const again = (await svc.stored(u)).map((s) => s.movieId);
    expect(again).not.toContain(watched);
    expect(again).not.toContain(ratedLater);
  });

  it('gives a member with 1–9 ratings popular movies of their genres on the shelf (not rated, not watched), and no my-page list', async () => {
    const [u] = await members(1, 'cold');
    await ctx.rt.services.ratings.createMany(u!, [{ movie: B[0]!, score: 5 }, { movie: B[1]!, score: 4.5 }, { movie: B[2]!, score: 4 }]);
    await ctx.rt.services.members.recordWatch(u!, { content: (await contentOf(B[3]!)).id, position: 600, duration: 3600 });
    await ctx.rt.services.recommendations.refreshUser(u!);
    const shelf = (await ctx.rt.services.recommendations.shelf(u!)).map((e) => e.movieId);
    expect(shelf.length).toBeGreaterThan(0);
    for (const m of shelf) expect(B.slice(4)).toContain(m);
    const page = await ctx.rt.services.members.myPage(u!);
    expect(page.ratingTf).toBe(false);
    expect(page.recommendMovies).toEqual([]);
    expect(await ctx.rt.services.recommendations.predictedScore(u!, B[5]!)).toBe(0);
  });
});
