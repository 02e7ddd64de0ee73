// The "Members" part of the admin panel over its HTTP API (live MariaDB and Redis): rating
// moderation (hide with a reason / show, audited by the ratings service; no edits of scores) and
// the read-only watch progress, with the roles of each.
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { WatchProgress } from '../../src/modules/members/watch.entity.js';
import { MovieRating } from '../../src/modules/ratings/movie-rating.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin, uniqueName } from '../support/users.js';
import { panelAgent } from '../support/panel.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

type Role = 'admin' | 'catalog' | 'finance';
const agents = new Map<Role, { agent: ReturnType<typeof request.agent>; email: string }>();
async function as(role: Role) {
  const known = agents.get(role);
  if (known) return known;
  const staff = await createStaff(ctx.rt, role);
  const agent = panelAgent(ctx.app);
  expect((await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password })).status).toBe(302);
  const entry = { agent, email: staff.email };
  agents.set(role, entry);
  return entry;
}

const api = '/admin/api/resources';
const repo = <T extends object>(e: new () => T) => ctx.rt.ds.getRepository(e);
const auth = (token: string) => ({ Authorization: `JWT ${token}` });

/** A member's review of a new movie, through the public API. */
async function review(comment = '재밌어요') {
  const movie = await repo(Movie).save(repo(Movie).create({ name: uniqueName('영화') }));
  const { token, username } = await signupAndLogin(ctx.app);
  const res = await request(ctx.app).post('/movie/rating/').set(auth(token)).send({ movie: movie.id, score: 4, comment }).expect(201);
  return { movie, ratingId: res.body.id as number, token, username };
}

const publicReviews = async (movieId: number, token: string) =>
  (await request(ctx.app).get('/movie/rating/page/').query({ movie: movieId }).set(auth(token))).body.results as Array<{ id: number }>;

describe('ratings moderation', () => {
  it('catalog staff hide a review with a reason and show it again; both audited, the score untouched', async () => {
    const { agent, email } = await as('catalog');
    const { movie, ratingId, token } = await review('스포일러 가득');

    const list = await agent.get(`${api}/movie_ratings/actions/list`).query({ 'filters.movieId': movie.id });
    expect(list.status).toBe(200);
    expect(list.body.records.map((r: { id: string }) => Number(r.id))).toEqual([ratingId]);
    const actions = list.body.records[0].recordActions.map((a: { name: string }) => a.name).sort();
    expect(actions).toEqual(['hide', 'show']);

    // GET renders the form and changes nothing; a POST without a reason is refused.
    await agent.get(`${api}/movie_ratings/records/${ratingId}/hide`).expect(200);
    const noReason = await agent.post(`${api}/movie_ratings/records/${ratingId}/hide`).send({ reason: '  ' });
    expect(noReason.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect((await repo(MovieRating).findOneByOrFail({ id: ratingId })).hidden).toBe(false);

    const hidden = await agent.post(`${api}/movie_ratings/records/${ratingId}/hide`).send({ reason: 'spoilers' });
    expect(hidden.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    expect(hidden.body.redirectUrl).toContain(`/movie_ratings/records/${ratingId}/show`);
    expect(await repo(MovieRating).findOneByOrFail({ id: ratingId })).toEqual(expect.objectContaining({ hidden: true, hiddenReason: 'spoilers', scoreHalf: 8 }));
    expect(hidden.body.record.recordActions.map((a: { name: string }) => a.name).sort()).toEqual(['show', 'unhide']);
    expect((await publicReviews(movie.id, token)).map((r) => r.id)).not.toContain(ratingId);
    expect((await repo(Movie).findOneByOrFail({ id: movie.id })).ratingCount).toBe(1);

    const hiddenOnly = await agent.get(`${api}/movie_ratings/actions/list`).query({ 'filters.hidden': true, 'filters.movieId': movie.id });
    expect(hiddenOnly.body.records.map((r: { id: string }) => Number(r.id))).toEqual([ratingId]);

    const shown = await agent.post(`${api}/movie_ratings/records/${ratingId}/unhide`).send({});
    expect(shown.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    expect(await repo(MovieRating).findOneByOrFail({ id: ratingId })).toEqual(expect.objectContaining({ hidden: false, hiddenReason: null }));
    expect((await publicReviews(movie.id, token)).map((r) => r.id)).toContain(ratingId);

    const entries = await repo(AuditEntry).find({ where: { resource: 'movie_ratings', recordId: String(ratingId) }, order: { id: 'ASC' } });
    expect(entries.map((e) => [e.action, e.actorEmail, e.reason])).toEqual([
      ['hide', email, 'spoilers'],
      ['unhide', email, null],
    ]);
  });

  it('offers no edit, new or delete of ratings, not even to admins', async () => {
    const { agent } = await as('admin');
    const { ratingId } = await review();
    const show = await agent.get(`${api}/movie_ratings/records/${ratingId}/show`);
    expect(show.body.record.recordActions.map((a: { name: string }) => a.name).sort()).toEqual(['hide', 'show']);
    expect((await agent.post(`${api}/movie_ratings/records/${ratingId}/edit`).send({ scoreHalf: '1', comment: 'x' })).body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect((await agent.post(`${api}/movie_ratings/records/${ratingId}/delete`).send({})).body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect((await agent.post(`${api}/movie_ratings/actions/new`).send({ scoreHalf: '10' })).body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect(await repo(MovieRating).findOneByOrFail({ id: ratingId })).toEqual(expect.objectContaining({ scoreHalf: 8, comment: '재밌어요' }));
  });

  it('finance reads ratings but cannot moderate', async () => {
    const { agent } = await as('finance');
    const { ratingId } = await review();
    const show = await agent.get(`${api}/movie_ratings/records/${ratingId}/show`);
    expect(show.status).toBe(200);
    expect(show.body.record.recordActions.map((a: { name: string }) => a.name)).toEqual(['show']);
    const refused = await agent.post(`${api}/movie_ratings/records/${ratingId}/hide`).send({ reason: 'no' });
    expect(refused.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect((await repo(MovieRating).findOneByOrFail({ id: ratingId })).hidden).toBe(false);
  });
});

describe('watch progress', () => {
  it('admins and finance read it filtered by member; catalog staff do not see it; nothing is writable', async () => {
    const movie = await repo(Movie).save(repo(Movie).create({ name: uniqueName('영화') }));
    const content = await repo(Content).save(repo(Content).create({ title: 'c', storageKey: `k/${uniqueName()}`, sizeBytes: '1', sha256: 'b'.repeat(64), mimeType: 'video/mp4', status: 'ready', movieId: movie.id }));
    const a = await signupAndLogin(ctx.app);
    const b = await signupAndLogin(ctx.app);
    for (const m of [a, b]) await request(ctx.app).post('/user/history/').set(auth(m.token)).send({ content: content.id, position: 30, duration: 100 }).expect(200);
    const aId = (await repo(User).findOneByOrFail({ username: a.username })).id;

    for (const role of ['admin', 'finance'] as const) {
      const { agent } = await as(role);
      const list = await agent.get(`${api}/watch_progress/actions/list`).query({ 'filters.userId': aId });
      expect(list.status).toBe(200);
      expect(list.body.records).toHaveLength(1);
      expect(list.body.records[0].params).toEqual(expect.objectContaining({ userId: aId, contentId: content.id, movieId: movie.id, positionSeconds: 30 }));
      expect(list.body.records[0].recordActions.map((x: { name: string }) => x.name)).toEqual(['show']);
      const key = list.body.records[0].id;
      expect(key).toBe(`${aId}-${content.id}`);
      expect((await agent.get(`${api}/watch_progress/records/${key}/show`)).body.record.params.positionSeconds).toBe(30);
      expect((await agent.post(`${api}/watch_progress/records/${key}/edit`).send({ positionSeconds: '99' })).body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    }
    const { agent } = await as('catalog');
    const denied = await agent.get(`${api}/watch_progress/actions/list`);
    expect(denied.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect(denied.body.records ?? []).toEqual([]);
    expect((await repo(WatchProgress).findOneByOrFail({ userId: aId, contentId: content.id })).positionSeconds).toBe(30);
  });
});
