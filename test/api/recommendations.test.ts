// Recommendations end to end on a small generated catalogue whose structure is known: two taste
// groups who love disjoint sets of movies. Training runs through the BullMQ worker code.
import request from 'supertest';
import type { Express } from 'express';
import { QueueEvents } from 'bullmq';
import { bullConnection, bullPrefix, BullJobBus } from '../../jobs/bus.js';
import { QUEUES } from '../../jobs/queues.js';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { WatchEvent, WatchProgress } from '../../src/modules/members/watch.entity.js';
import { Movie, MovieGenre } from '../../src/modules/catalog/movie.entity.js';
import { RecRun } from '../../src/modules/recommendations/recommendation.entities.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin } from '../support/users.js';

let ctx: TestContext & { app: Express };
let bus: BullJobBus;
let events: QueueEvents;
const A: number[] = []; // movies group A loves
const B: number[] = []; // movies group B loves
let action: Genre;
let drama: Genre;

const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const userIdOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).user_id as number;

async function members(n: number, prefix: string): Promise<number[]> {
  const repo = ctx.rt.ds.getRepository(User);
  const rows = await repo.save(Array.from({ length: n }, (_, i) => repo.create({ username: `${prefix}${i}_${Date.now()}`, email: `${prefix}${i}@example.com`, passwordHash: 'x', role: 'user' })));
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  ctx = await createTestApp();
  bus = ctx.rt.jobs as BullJobBus;
  bus.startWorkers(ctx.rt.services, 1);
  events = new QueueEvents(QUEUES.recommendations, { connection: bullConnection(ctx.config.redisUrl!), prefix: bullPrefix(ctx.config.redisPrefix) });
  await events.waitUntilReady();

  const genres = ctx.rt.ds.getRepository(Genre);
  action = await genres.save(genres.create({ name: '액션' }));
  drama = await genres.save(genres.create({ name: '드라마' }));
  const movies = ctx.rt.ds.getRepository(Movie);
  for (let i = 0; i < 15; i++) {
    A.push((await movies.save(movies.create({ name: `액션 ${i}`, country: 'KR', openDate: '2019-01-01' }))).id);
    B.push((await movies.save(movies.create({ name: `드라마 ${i}`, country: i < 5 ? 'US' : 'KR', openDate: '2019-01-01' }))).id);
  }
  await ctx.rt.ds.getRepository(MovieGenre).insert([...A.map((movieId) => ({ movieId, genreId: action.id })), ...B.map((movieId) => ({ movieId, genreId: drama.id }))]);

  // 25 members per group: love (4.5–5) 12 of their group's 15 movies, dislike (1–1.5) 4 of the other's.
  const groupA = await members(25, 'ga');
  const groupB = await members(25, 'gb');
  const rate = async (users: number[], loved: number[], hated: number[]) => {
    for (const [k, u] of users.entries()) {
      const like = loved.filter((_, i) => (i + k) % 5 !== 0).slice(0, 12);
      const hate = hated.filter((_, i) => (i + k) % 4 === 0).slice(0, 4);
      await ctx.rt.services.ratings.createMany(u, [...like.map((m, i) => ({ movie: m, score: i % 2 ? 5 : 4.5 })), ...hate.map((m, i) => ({ movie: m, score: i % 2 ? 1 : 1.5 }))]);
    }
  };
  await rate(groupA, A, B);
  await rate(groupB, B, A);
}, 60_000);

afterAll(async () => {
  await events.close();
  await ctx.close();
});

async function runJob(name: 'recommendations.train' | 'recommendations.top10' | 'recommendations.refresh-user', data: object = {}) {
  const id = await bus.enqueue(name, data as never);
  const job = (await bus.queue(QUEUES.recommendations).getJob(id))!;
  const result = await job.waitUntilFinished(events, 30_000);
  return { job: (await bus.queue(QUEUES.recommendations).getJob(id))!, result };
}

describe('training and stored recommendations', () => {
  let token: string;
  let me: number;

  it('recommends a member’s own group’s unrated movies first, through the worker, with progress', async () => {
    const u = await signupAndLogin(ctx.app);
    token = u.token;
    me = userIdOf(token);
    // this member loves 10 of group A's movies and hates 2 of B's: 12 ratings, eligible
    await request(ctx.app).post('/user/rating/').set(auth(token)).send({ data: [...A.slice(0, 10).map((m) => ({ movie: m, score: 5 })), ...B.slice(0, 2).map((m) => ({ movie: m, score: 1 }))] }).expect(203);

    const { job, result } = await runJob('recommendations.train');
    expect(job.progress).toBe(100);
    expect(result).toEqual(expect.objectContaining({ users: 51, items: 30 }));
    const run = await ctx.rt.ds.getRepository(RecRun).findOneByOrFail({ id: (result as { runId: number }).runId });
    expect(run).toEqual(expect.objectContaining({ status: 'done', progress: 100, kind: 'full' }));

    const stored = await ctx.rt.services.recommendations.stored(me);
    const top5 = stored.slice(0, 5).map((s) => s.movieId);
    expect(top5.sort()).toEqual(A.slice(10).sort());
    for (const s of stored) expect([...A.slice(0, 10), ...B.slice(0, 2)]).not.toContain(s.movieId);
    expect(await ctx.rt.services.recommendations.forUser(me, 10)).toHaveLength(10);
  });

  it('shows predicted_score on the seed scale (×20) in the movie detail; 0 for members with few ratings', async () => {
    const liked = A[12];
    const disliked = B[10];
    const pLiked = (await request(ctx.app).get(`/movie/${liked}/`).set(auth(token)).expect(200)).body.predicted_score;
    const pDisliked = (await request(ctx.app).get(`/movie/${disliked}/`).set(auth(token)).expect(200)).body.predicted_score;
    expect(pLiked).toBeGreaterThan(80);
    expect(pLiked).toBeLessThanOrEqual(100);
    expect(pDisliked).toBeLessThan(pLiked);
    expect(pDisliked).toBeGreaterThanOrEqual(10);
    const newbie = await signupAndLogin(ctx.app);
    expect((await request(ctx.app).get(`/movie/${liked}/`).set(auth(newbie.token))).body.predicted_score).toBe(0);
  });

  it('the movie detail’s per-member fields from the member’s kept state equal the separate reads (pick, rating, predicted score, stored top without rated or watched)', async () => {
    const { recommendations, catalog, ratings, members } = ctx.rt.services;
    // The member's state is kept from here on; each change below must reach it.
    const stored = (await recommendations.stored(me)).map((s) => s.movieId);
    // A pick, a stored recommendation rated since and one watched since (both left out of the list).
    await request(ctx.app).patch(`/movie/${A[3]}/pick/`).set(auth(token)).expect(200);
    const rating = await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ movie: String(stored[2]), score: 3, comment: '' }).expect(201);
    expect((await recommendations.memberDetail(me, A[0]!, 30)).recommendedIds).toContain(stored[3]);
    const contents = ctx.rt.ds.getRepository(Content);
    const film = await contents.save(contents.create({ title: `본편 ${stored[3]}`, storageKey: `contents/test/state-${stored[3]}-${Date.now()}.mp4`, sizeBytes: '1000', sha256: 'a'.repeat(64), mimeType: 'video/mp4', status: 'ready', movieId: stored[3] }));
    await members.recordWatch(me, { content: film.id, position: 60, duration: 3600 });
    expect((await recommendations.memberDetail(me, A[0]!, 30)).recommendedIds).not.toContain(stored[3]);
    for (const id of [...A, ...B]) {
      const one = await recommendations.memberDetail(me, id, 30);
      expect({ id, ...one }).toEqual({
        id,
        picked: await catalog.isPicked(me, id),
        rated: await ratings.hasRated(me, id),
        predictedScore: await recommendations.predictedScore(me, id),
        recommendedIds: await recommendations.storedTop(me, 30, id),
        state: expect.any(Object),
      });
    }
    expect((await recommendations.memberDetail(me, A[3]!, 30)).picked).toBe(true);
    expect((await recommendations.memberDetail(me, A[0]!, 30)).recommendedIds).not.toContain(stored[2]);
    await request(ctx.app).patch(`/movie/${A[3]}/pick/`).set(auth(token)).expect(200);
    await request(ctx.app).delete(`/movie/rating/${rating.body.id}/`).set(auth(token)).expect(204);
    // The watching undone straight in the tables (no service deletes it): told as its write path tells.
    await ctx.rt.ds.getRepository(WatchEvent).delete({ contentId: film.id });
    await ctx.rt.ds.getRepository(WatchProgress).delete({ contentId: film.id });
    await contents.delete({ id: film.id });
    recommendations.activity.changed(null, me);
    expect((await recommendations.memberDetail(me, A[0]!, 30)).recommendedIds).toContain(stored[3]);
  });

  it('lists the member’s stored top recommendations as recommend_movies in the movie detail (not this movie, age-gated, [] otherwise)', async () => {
    const stored = (await ctx.rt.services.recommendations.stored(me)).map((s) => s.movieId);
    const here = stored[0]!; // a recommended movie's own page leaves it out of the list
    const detail = await request(ctx.app).get(`/movie/${here}/`).set(auth(token)).expect(200);
    const recs = detail.body.recommend_movies as Array<{ id: number }>;
    expect(recs.map((r) => r.id)).toEqual(stored.filter((id) => id !== here).slice(0, 10));
    expect(recs[0]).toEqual({ id: expect.any(Number), name: expect.any(String), poster: '', genres: [expect.any(String)], running_time: null, watch_grade: null });
    // on another page the first one is back, still at most 10
    const elsewhere = (await request(ctx.app).get(`/movie/${B[14]}/`).set(auth(token)).expect(200)).body.recommend_movies as Array<{ id: number }>;
    expect(elsewhere.map((r) => r.id)).toEqual(stored.slice(0, 10));
    // anonymous callers and members without stored recommendations: []
    expect((await request(ctx.app).get(`/movie/${here}/`).expect(200)).body.recommend_movies).toEqual([]);
    const newbie = await signupAndLogin(ctx.app);
    expect((await request(ctx.app).get(`/movie/${here}/`).set(auth(newbie.token)).expect(200)).body.recommend_movies).toEqual([]);
    // 청소년 관람불가 is left out for a member whose age is not verified; the next stored one fills the 10
    const movies = ctx.rt.ds.getRepository(Movie);
    const adult = stored[1]!;
    await movies.update({ id: adult }, { watchGrade: '청소년 관람불가' });
    // written straight into the table: tell the catalog's read cache, as its write paths do
    ctx.rt.services.catalog.externalChange({ ids: [adult] });
    try {
      const gated = (await request(ctx.app).get(`/movie/${B[14]}/`).set(auth(token)).expect(200)).body.recommend_movies as Array<{ id: number }>;
      expect(gated.map((r) => r.id)).toEqual(stored.filter((id) => id !== adult).slice(0, 10));
    } finally {
      await movies.update({ id: adult }, { watchGrade: null });
      ctx.rt.services.catalog.externalChange({ ids: [adult] });
    }
  });

  it('folds a member who rated after the last train into that model: their taste’s neighbours, no retrain', async () => {
    const runs = ctx.rt.ds.getRepository(RecRun);
    const fullRunsBefore = await runs.countBy({ kind: 'full' });
    const u = await signupAndLogin(ctx.app); // unknown to the trained model
    const id = userIdOf(u.token);
    // loves 10 of group B's movies, hates 2 of A's: the B cluster's remaining 5 are the expected neighbours
    await request(ctx.app).post('/user/rating/').set(auth(u.token)).send({ data: [...B.slice(0, 10).map((m) => ({ movie: m, score: 5 })), ...A.slice(0, 2).map((m) => ({ movie: m, score: 1 }))] }).expect(203);
    const { result } = await runJob('recommendations.refresh-user', { userId: id });
    expect(result).toEqual(expect.objectContaining({ userId: id }));
    expect(await runs.countBy({ kind: 'full' })).toBe(fullRunsBefore);
    const run = await runs.findOneOrFail({ where: { kind: 'user', userId: id }, order: { id: 'DESC' } });
    expect(run).toEqual(expect.objectContaining({ status: 'done', progress: 100, ratings: 12 }));

    const stored = await ctx.rt.services.recommendations.stored(id);
    expect(stored.slice(0, 5).map((s) => s.movieId).sort()).toEqual(B.slice(10).sort());
    for (const s of stored) expect([...B.slice(0, 10), ...A.slice(0, 2)]).not.toContain(s.movieId);
    // predicted scores follow: a B neighbour high, an A movie low (its folded baseline bias is stored too)
    const pB = (await request(ctx.app).get(`/movie/${B[12]}/`).set(auth(u.token)).expect(200)).body.predicted_score;
    const pA = (await request(ctx.app).get(`/movie/${A[12]}/`).set(auth(u.token)).expect(200)).body.predicted_score;
    expect(pB).toBeGreaterThan(80);
    expect(pA).toBeLessThan(pB);
  });

  it('gives a member with few ratings popular movies of their top genres', async () => {
    const u = await signupAndLogin(ctx.app);
    await request(ctx.app).post('/movie/rating/').set(auth(u.token)).send({ movie: B[0], score: 5 }).expect(201);
    const ids = await ctx.rt.services.recommendations.forUser(userIdOf(u.token), 5);
    expect(ids).toHaveLength(5);
    for (const id of ids) expect(B).toContain(id);
    expect(ids).not.toContain(B[0]);
  });

  it('makes one deduplicated refresh job for many ratings in a row', async () => {
    const u = await signupAndLogin(ctx.app);
    const q = bus.queue(QUEUES.recommendations);
    await ctx.rt.relay.flush(); // intents of earlier ratings reach BullMQ through the outbox relay
    const before = await q.getDelayedCount();
    for (const m of [...A, ...B].slice(0, 20)) await request(ctx.app).post('/movie/rating/').set(auth(u.token)).send({ movie: m, score: 3 }).expect(201);
    await ctx.rt.relay.flush();
    expect((await q.getDelayedCount()) - before).toBe(1);
    const delayed = await q.getDelayed();
    expect(delayed.filter((j) => j.name === 'recommendations.refresh-user' && j.data.userId === userIdOf(u.token))).toHaveLength(1);
    // the refresh itself stores the member's list with the model the worker holds
    await runJob('recommendations.refresh-user', { userId: userIdOf(u.token) });
    expect((await ctx.rt.services.recommendations.stored(userIdOf(u.token))).length).toBeGreaterThan(0);
  });

  it('keeps the auto-display shelf: removed entries stay removed and edits survive a retrain', async () => {
    const shelf = await request(ctx.app).get('/autodisplay/').set(auth(token)).expect(200);
    expect(shelf.body.length).toBe(10);
    expect(shelf.body[0]).toEqual({ display_no: expect.any(Number), position: 1, origin: 'recommendation', edited: false, movie: expect.objectContaining({ id: expect.any(Number) }) });
    const [first, second] = shelf.body;
    expect((await request(ctx.app).delete(`/autodisplay/${first.display_no}/`).set(auth(token))).status).toBe(204);
    const moved = await request(ctx.app).put(`/autodisplay/${second.display_no}/`).set(auth(token)).send({ position: 99 });
    expect(moved.body).toEqual(expect.objectContaining({ display_no: second.display_no, position: 99, edited: true }));

    const other = await signupAndLogin(ctx.app);
    expect((await request(ctx.app).delete(`/autodisplay/${second.display_no}/`).set(auth(other.token))).status).toBe(404);
    expect((await request(ctx.app).put(`/autodisplay/${second.display_no}/`).set(auth(token)).send({})).status).toBe(400);
    expect((await request(ctx.app).put(`/autodisplay/${second.display_no}/`).set(auth(token)).send({ movie: 99999999 })).status).toBe(400);

    await runJob('recommendations.train');
    const after = (await request(ctx.app).get('/autodisplay/').set(auth(token)).expect(200)).body as Array<{ display_no: number; position: number; movie: { id: number } }>;
    expect(after.map((e) => e.movie.id)).not.toContain(first.movie.id);
    expect(after.find((e) => e.display_no === second.display_no)).toEqual(expect.objectContaining({ position: 99 }));
    expect((await request(ctx.app).get('/autodisplay/')).status).toBe(401);
  });
});

describe('top 10 by country', () => {
  it('ranks best-rated movies per country through the worker', async () => {
    await runJob('recommendations.top10');
    const kr = await request(ctx.app).get('/movie/top10/?country=kr').expect(200);
    expect(kr.body.country).toBe('KR');
    expect(kr.body.results).toHaveLength(10);
    expect(kr.body.results.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const scores = kr.body.results.map((r: { score: number }) => r.score);
    expect([...scores].sort((a: number, b: number) => b - a)).toEqual(scores);
    const us = await request(ctx.app).get('/movie/top10/?country=US').expect(200);
    expect(us.body.results).toHaveLength(5);
    for (const r of us.body.results) expect(B.slice(0, 5)).toContain(r.movie.id);
    expect((await request(ctx.app).get('/movie/top10/')).status).toBe(400);
    expect((await request(ctx.app).get('/movie/top10/?country=KOR')).status).toBe(400);
  });

  it('lets watch events of the last 30 days move a movie up, as the 70/30 blend of rating and views says', async () => {
    type Row = { rank: number; score: number; views: number; movie: { id: number } };
    await runJob('recommendations.top10');
    const before = (await request(ctx.app).get('/movie/top10/?country=US').expect(200)).body.results as Row[];
    expect(before.map((r) => r.views)).toEqual([0, 0, 0, 0, 0]);
    const last = before[4]!.movie.id;
    const first = before[0]!.movie.id;
    const contents = ctx.rt.ds.getRepository(Content);
    const contentOf = async (movieId: number) =>
      contents.save(contents.create({ title: `본편 ${movieId}`, storageKey: `contents/test/top10-${movieId}-${Date.now()}.mp4`, sizeBytes: '1000', sha256: 'a'.repeat(64), mimeType: 'video/mp4', status: 'ready', movieId }));
    const cLast = await contentOf(last);
    const cFirst = await contentOf(first);
    const viewers = await members(6, 'tv');
    // 6 members watch the last one (twice each: views count members, not events), 2 watch the first
    for (const v of viewers) {
      await ctx.rt.services.members.recordWatch(v, { content: cLast.id, position: 60, duration: 3600 });
      await ctx.rt.services.members.recordWatch(v, { content: cLast.id, position: 120, duration: 3600 });
    }
    for (const v of viewers.slice(0, 2)) await ctx.rt.services.members.recordWatch(v, { content: cFirst.id, position: 60, duration: 3600 });
    // views older than 30 days do not count
    const old = await members(10, 'tvold');
    const third = before[2]!.movie.id;
    const cThird = await contentOf(third);
    for (const v of old) await ctx.rt.services.members.recordWatch(v, { content: cThird.id, position: 60, duration: 3600 });
    await ctx.rt.ds.getRepository(WatchEvent).update({ contentId: cThird.id }, { createdAt: new Date(Date.now() - 31 * 86_400_000) });

    await runJob('recommendations.top10');
    const after = (await request(ctx.app).get('/movie/top10/?country=US').expect(200)).body.results as Row[];
    const viewsOf = new Map(after.map((r) => [r.movie.id, r.views]));
    expect(viewsOf.get(last)).toBe(6);
    expect(viewsOf.get(first)).toBe(2);
    expect(viewsOf.get(third)).toBe(0);
    // the order is the blend's: 0.7 × (Bayesian average / 5) + 0.3 × (views / the country's most views)
    const blend = (r: Row) => 0.7 * (r.score / 5) + 0.3 * (r.views / 6);
    expect(after.map((r) => r.movie.id)).toEqual([...after].sort((a, b) => blend(b) - blend(a)).map((r) => r.movie.id));
    expect(after[0]!.movie.id).toBe(last); // from 5th to 1st
    expect(after.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5]);
    // the rating part did not change
    for (const r of after) expect(r.score).toBe(before.find((b) => b.movie.id === r.movie.id)!.score);
  });
});
