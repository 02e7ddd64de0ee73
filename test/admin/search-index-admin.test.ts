// Movies written through the admin panel (AdminJS row edits, not the catalog service's own write
// methods) reach the movie search index at once: create, rename, delete.
import request from 'supertest';
import type { Express } from 'express';
import { MovieSearchTerm } from '../../src/modules/search/movie-search.entities.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff } from '../support/users.js';
import { panelAgent } from '../support/panel.js';

let ctx: TestContext & { app: Express };
let agent: ReturnType<typeof request.agent>;
const api = '/admin/api/resources';

beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
  const staff = await createStaff(ctx.rt, 'catalog');
  agent = panelAgent(ctx.app);
  expect((await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password })).status).toBe(302);
});
afterAll(async () => {
  await ctx?.close();
});

const autocomplete = async (words: string) => (await request(ctx.app).get('/search/movie/').query({ words }).expect(200)).body as string[];
const searchIds = async (words: string) => ((await request(ctx.app).get(`/search/movie/${encodeURIComponent(words)}/`).expect(200)).body.search_result as Array<{ id: number }>).map((m) => m.id);

it('create, rename, regrade and delete in the panel keep the search index in sync', async () => {
  const created = await agent.post(`${api}/movies/actions/new`).send({ name: '괴물', nameEng: 'The Host', watchGrade: '15세 관람가' });
  expect(created.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
  const id = Number(created.body.record.id);
  expect(await autocomplete('괴')).toEqual(['괴물']);
  expect(await autocomplete('ㄱㅁ')).toEqual(['괴물']);
  expect(await searchIds('the host')).toEqual([id]);

  const renamed = await agent.post(`${api}/movies/records/${id}/edit`).send({ name: '마더', nameEng: 'Mother' });
  expect(renamed.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
  expect(await autocomplete('괴물')).toEqual([]);
  expect(await searchIds('the host')).toEqual([]);
  expect(await autocomplete('마더')).toEqual(['마더']);
  expect(await searchIds('mother')).toEqual([id]);

  // Regraded to 청소년 관람불가: hidden from the anonymous search at once.
  await agent.post(`${api}/movies/records/${id}/edit`).send({ watchGrade: '청소년 관람불가' });
  expect(await autocomplete('마더')).toEqual([]);

  const deleted = await agent.post(`${api}/movies/records/${id}/delete`).send({});
  expect(deleted.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
  expect(await ctx.rt.ds.getRepository(MovieSearchTerm).countBy({ movieId: id })).toBe(0);
});

it('a refused panel edit (validation) leaves the index unchanged', async () => {
  const created = await agent.post(`${api}/movies/actions/new`).send({ name: '살인의 추억' });
  const id = Number(created.body.record.id);
  const refused = await agent.post(`${api}/movies/records/${id}/edit`).send({ name: '' });
  expect(refused.body.notice.type).toBe('error');
  expect(Object.keys(refused.body.record.errors)).toEqual(['name']);
  expect(await autocomplete('살인의')).toEqual(['살인의 추억']);
});
