// The role table in the panel over the AdminJS HTTP API (live MariaDB and Redis): support logs
// in, reads the member lookup (members only, name/phone/e-mail masked, age instead of the birth
// date, never written), reads the catalog, and is refused finance, audit log, users and catalog
// writes; finance and catalog staff are refused each other's writes.
import request from 'supertest';
import type { Express } from 'express';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin, uniqueName } from '../support/users.js';
import { panelLogins } from '../support/panel.js';

let ctx: TestContext & { app: Express };
let member: { id: number; username: string; email: string };
let movieId: number;
beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
  const username = uniqueName('lookup');
  await signupAndLogin(ctx.app, username);
  const users = ctx.rt.ds.getRepository(User);
  const u = await users.findOneByOrFail({ username });
  await users.update({ id: u.id }, { fullName: '홍길동', phone: '010-1234-5678', birthDate: '1990-03-01' });
  member = { id: u.id, username, email: u.email };
  movieId = (await ctx.rt.ds.getRepository(Movie).save(ctx.rt.ds.getRepository(Movie).create({ name: uniqueName('Movie'), watchGrade: '전체 관람가' }))).id;
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const as = panelLogins(() => ctx);
const api = '/admin/api/resources';
const refused = (res: request.Response) => {
  expect(res.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
  expect(res.body.records ?? []).toEqual([]);
  expect(res.body.record?.params ?? {}).toEqual({});
};

describe('support in the panel', () => {
  it('lists and shows members masked, staff accounts left out', async () => {
    const support = await as('support');
    const list = await support.get(`${api}/members/actions/list`).query({ 'filters.username': member.username });
    expect(list.status).toBe(200);
    expect(list.body.records).toHaveLength(1);
    const params = list.body.records[0].params;
    expect(params).toEqual(expect.objectContaining({ id: member.id, username: member.username, fullName: '홍*동', phone: '010-****-5678', age: expect.any(Number) }));
    expect(params.email).toMatch(/^.\*+@/);
    const text = JSON.stringify(list.body);
    for (const secret of [member.email, '홍길동', '1234-5678', '1990-03-01', 'passwordHash']) expect(text).not.toContain(secret);

    const show = await support.get(`${api}/members/records/${member.id}/show`);
    expect(show.body.record.params).toEqual(expect.objectContaining({ fullName: '홍*동', phone: '010-****-5678' }));
    expect(JSON.stringify(show.body)).not.toContain(member.email);

    const all = await support.get(`${api}/members/actions/list`).query({ perPage: 500 });
    const staffIds = (await ctx.rt.ds.getRepository(User).find({ where: [{ role: 'admin' }, { role: 'support' }, { role: 'finance' }, { role: 'catalog' }] })).map((u) => u.id);
    expect(all.body.records.map((r: { params: { id: number } }) => r.params.id)).not.toEqual(expect.arrayContaining([staffIds[0]]));
    const staffShow = await support.get(`${api}/members/records/${staffIds[0]}/show`);
    expect(staffShow.body.record?.params?.id).toBeUndefined();
  });

  it('a filter on a masked column is ignored (no guessing the data through filters)', async () => {
    const support = await as('support');
    const byPhone = await support.get(`${api}/members/actions/list`).query({ 'filters.phone': 'no-such-phone-9999' });
    expect(byPhone.body.records.length).toBeGreaterThan(0);
  });

  it('cannot edit, delete or create members, nor open Users, the audit log or finance', async () => {
    const support = await as('support');
    refused(await support.post(`${api}/members/records/${member.id}/edit`).send({ username: 'hacked' }));
    refused(await support.post(`${api}/members/records/${member.id}/delete`));
    refused(await support.post(`${api}/members/actions/new`).send({ username: 'x' }));
    expect((await ctx.rt.ds.getRepository(User).findOneByOrFail({ id: member.id })).username).toBe(member.username);
    for (const r of ['users', 'audit_log', 'payments', 'refunds', 'subscriptions', 'plans', 'discounts', 'coupons', 'watch_progress', 'movie_ratings']) {
      refused(await support.get(`${api}/${r}/actions/list`));
    }
  });

  it('reads the catalog but does not write it', async () => {
    const support = await as('support');
    const list = await support.get(`${api}/movies/actions/list`);
    expect(list.status).toBe(200);
    expect(list.body.records.length).toBeGreaterThan(0);
    refused(await support.post(`${api}/movies/records/${movieId}/edit`).send({ name: 'Renamed by support' }));
    refused(await support.post(`${api}/genres/actions/new`).send({ name: 'Support genre' }));
    expect((await ctx.rt.ds.getRepository(Movie).findOneByOrFail({ id: movieId })).name).not.toBe('Renamed by support');
  });

  it('the queue monitor is refused', async () => {
    const support = await as('support');
    expect((await support.get('/admin/queues')).status).toBe(403);
  });
});

describe('finance and catalog staff in the panel', () => {
  it('finance reads the member lookup (masked) and the catalog, but cannot edit a movie', async () => {
    const finance = await as('finance');
    const list = await finance.get(`${api}/members/actions/list`).query({ 'filters.username': member.username });
    expect(list.body.records[0].params.phone).toBe('010-****-5678');
    refused(await finance.post(`${api}/movies/records/${movieId}/edit`).send({ name: 'Renamed by finance' }));
  });

  it('catalog staff do not see members', async () => {
    const catalog = await as('catalog');
    refused(await catalog.get(`${api}/members/actions/list`));
    refused(await catalog.get(`${api}/payments/actions/list`));
  });
});
