// The catalog part of the admin panel over its HTTP API (live MariaDB and Redis): writes by
// catalog staff are validated and audited with a before/after diff, finance reads only, the genre
// filter and the title search, the join records with composite keys, contents and the audit log.
import { readdirSync } from 'node:fs';
import os from 'node:os';
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieCredit, MovieGenre } from '../../src/modules/catalog/movie.entity.js';
import { Person } from '../../src/modules/catalog/person.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, uniqueName } from '../support/users.js';
import { panelAgent } from '../support/panel.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
});
afterAll(async () => {
  await ctx.close();
});

type Role = 'admin' | 'catalog' | 'finance';
const agents = new Map<Role, { agent: ReturnType<typeof request.agent>; email: string }>();
async function as(role: Role) {
  const known = agents.get(role);
  if (known) return known;
  const staff = await createStaff(ctx.rt, role);
  const agent = panelAgent(ctx.app);
  const res = await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password });
  expect(res.status).toBe(302);
  const entry = { agent, email: staff.email };
  agents.set(role, entry);
  return entry;
}

const api = '/admin/api/resources';
/** The start of an MP4 file (an ftyp box): enough for the upload's type check; the probe runs later, in a job. */
const MP4_HEAD = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom'), Buffer.from([0, 0, 2, 0]), Buffer.from('isomiso2'), Buffer.alloc(256, 1)]);
const repo = <T extends object>(e: new () => T) => ctx.rt.ds.getRepository(e);
const auditOf = (resource: string, recordId: string | number) => repo(AuditEntry).find({ where: { resource, recordId: String(recordId) }, order: { id: 'ASC' } });

/** A movie written straight into the table; the search index (the panel's title search) is told, as the write paths do. */
async function seedMovie(name: string, extra: Partial<Movie> = {}) {
  const movie = await repo(Movie).save(repo(Movie).create({ name, ...extra }));
  await ctx.rt.services.catalog.reindexTitles([movie.id]);
  return movie;
}
async function seedGenre(name = uniqueName('genre')) {
  return repo(Genre).save(repo(Genre).create({ name }));
}

describe('movies: catalog staff writes, audited', () => {
  it('creates, edits and deletes a movie; each step is in the audit log with its diff', async () => {
    const { agent, email } = await as('catalog');
    const name = uniqueName('새 영화 ');
    const created = await agent.post(`${api}/movies/actions/new`).send({
      name,
      watchGrade: '15세 관람가',
      runningTime: '139',
      openDate: '2019-12-20',
      poster: 'https://img.example.com/p.jpg',
      country: 'kr',
      ratingCount: '999', // not an editable field: ignored
    });
    expect(created.status).toBe(200);
    expect(created.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    const id = Number(created.body.record.id);
    const movie = await repo(Movie).findOneByOrFail({ id });
    expect(movie).toEqual(expect.objectContaining({ name, watchGrade: '15세 관람가', runningTime: 139, openDate: '2019-12-20', country: 'KR', ratingCount: 0 }));

    const edited = await agent.post(`${api}/movies/records/${id}/edit`).send({ runningTime: '120', summary: '줄거리' });
    expect(edited.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    expect(await repo(Movie).findOneByOrFail({ id })).toEqual(expect.objectContaining({ name, runningTime: 120, summary: '줄거리', watchGrade: '15세 관람가' }));

    const deleted = await agent.post(`${api}/movies/records/${id}/delete`).send({});
    expect(deleted.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    expect(await repo(Movie).existsBy({ id })).toBe(false);

    const entries = await auditOf('movies', id);
    // written by the catalog service: the same audit entries as the API's writes
    expect(entries.map((e) => e.action)).toEqual(['create', 'update', 'delete']);
    for (const e of entries) expect(e.actorEmail).toBe(email);
    const [c, u, d] = entries.map((e) => JSON.parse(e.diff!));
    expect(c.name).toEqual([null, name]);
    expect(c.runningTime).toEqual([null, 139]);
    expect(u.runningTime).toEqual([139, 120]);
    expect(u.summary).toEqual([null, '줄거리']);
    expect(u.name).toBeUndefined();
    expect(d.name).toEqual([name, null]);
  });

  it('rejects an invalid watch grade, a non-http poster and other bad values with property errors, writing nothing', async () => {
    const { agent } = await as('catalog');
    const movies = await repo(Movie).count();
    const audits = await repo(AuditEntry).count();
    const name = uniqueName('invalid');
    const cases: Array<[Record<string, string>, string]> = [
      [{ name, watchGrade: 'R' }, 'watchGrade'],
      [{ name, poster: 'javascript:alert(1)' }, 'poster'],
      [{ name, trailer: 'ftp://example.com/t.mp4' }, 'trailer'],
      [{ name, runningTime: '-5' }, 'runningTime'],
      [{ name, runningTime: '1.5' }, 'runningTime'],
      [{ name: '' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name, openDate: '2019-13-45' }, 'openDate'],
      [{ name, manufacturerId: '999999' }, 'manufacturerId'],
    ];
    for (const [payload, field] of cases) {
      const res = await agent.post(`${api}/movies/actions/new`).send(payload);
      expect(res.status).toBe(200);
      expect(res.body.notice.type).toBe('error');
      expect(Object.keys(res.body.record.errors)).toEqual([field]);
      expect(res.body.record.errors[field].message).toEqual(expect.any(String));
    }
    // The same rules on edit.
    const movie = await seedMovie(uniqueName('valid'), { poster: 'https://img.example.com/a.jpg' });
    const res = await agent.post(`${api}/movies/records/${movie.id}/edit`).send({ poster: 'data:image/png;base64,AAAA', watchGrade: '19금' });
    expect(Object.keys(res.body.record.errors).sort()).toEqual(['poster', 'watchGrade']);
    expect((await repo(Movie).findOneByOrFail({ id: movie.id })).poster).toBe('https://img.example.com/a.jpg');

    expect(await repo(Movie).count()).toBe(movies + 1);
    expect(await repo(AuditEntry).count()).toBe(audits);
  });
});

describe('finance in the catalog', () => {
  it('lists and shows, but cannot create, edit or delete', async () => {
    const { agent } = await as('finance');
    const movie = await seedMovie(uniqueName('finance-sees'));
    const list = await agent.get(`${api}/movies/actions/list`).query({ perPage: 50 });
    expect(list.status).toBe(200);
    expect(list.body.records.map((r: { id: string }) => Number(r.id))).toContain(movie.id);
    const show = await agent.get(`${api}/movies/records/${movie.id}/show`);
    expect(show.body.record.params.name).toBe(movie.name);
    // The actions finance may not run are not offered to it either.
    expect(show.body.record.recordActions.map((a: { name: string }) => a.name).sort()).toEqual(['show']);

    const before = await repo(Movie).count();
    const created = await agent.post(`${api}/movies/actions/new`).send({ name: uniqueName('by-finance') });
    expect(created.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect(await repo(Movie).count()).toBe(before);

    const edited = await agent.post(`${api}/movies/records/${movie.id}/edit`).send({ name: 'changed by finance' });
    expect(edited.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    const deleted = await agent.post(`${api}/movies/records/${movie.id}/delete`).send({});
    expect(deleted.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect((await repo(Movie).findOneByOrFail({ id: movie.id })).name).toBe(movie.name);

    for (const resource of ['genres', 'people', 'manufacturers', 'movie_genres', 'movie_credits', 'contents']) {
      const res = await agent.get(`${api}/${resource}/actions/list`);
      expect(res.body.notice).toBeUndefined();
      const denied = await agent.post(`${api}/${resource}/actions/new`).send({ name: uniqueName('x') });
      expect(denied.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    }
    expect(await repo(AuditEntry).countBy({ resource: 'movies', recordId: String(movie.id) })).toBe(0);
  });
});

describe('finding movies', () => {
  it('filters the list by genre (through movie_genres) together with the other filters', async () => {
    const { agent } = await as('catalog');
    const [drama, comedy] = [await seedGenre(), await seedGenre()];
    const m1 = await seedMovie(uniqueName('drama-only'), { watchGrade: '12세 관람가' });
    const m2 = await seedMovie(uniqueName('comedy-only'), { watchGrade: '12세 관람가' });
    const m3 = await seedMovie(uniqueName('both'), { watchGrade: '15세 관람가' });
    await repo(MovieGenre).insert([
      { movieId: m1.id, genreId: drama.id },
      { movieId: m2.id, genreId: comedy.id },
      { movieId: m3.id, genreId: drama.id },
      { movieId: m3.id, genreId: comedy.id },
    ]);
    const ids = (res: request.Response) => res.body.records.map((r: { id: string }) => Number(r.id)).sort((a: number, b: number) => a - b);

    const byDrama = await agent.get(`${api}/movies/actions/list`).query({ 'filters.genre': drama.id, perPage: 50 });
    expect(ids(byDrama)).toEqual([m1.id, m3.id]);
    expect(byDrama.body.meta.total).toBe(2);
    const dramaAnd12 = await agent.get(`${api}/movies/actions/list`).query({ 'filters.genre': drama.id, 'filters.watchGrade': '12세 관람가' });
    expect(ids(dramaAnd12)).toEqual([m1.id]);
    const comedyAndId = await agent.get(`${api}/movies/actions/list`).query({ 'filters.genre': comedy.id, 'filters.id': m3.id });
    expect(ids(comedyAndId)).toEqual([m3.id]);
    const none = await agent.get(`${api}/movies/actions/list`).query({ 'filters.genre': 'not-a-number' });
    expect(none.body.records).toEqual([]);
  });

  it('filters by open date range', async () => {
    const { agent } = await as('catalog');
    const tag = uniqueName('dated');
    const a = await seedMovie(`${tag} a`, { openDate: '2018-06-01' });
    const b = await seedMovie(`${tag} b`, { openDate: '2019-12-31' });
    await seedMovie(`${tag} c`, { openDate: '2020-01-01' });
    const res = await agent.get(`${api}/movies/actions/list`).query({ 'filters.name': tag, 'filters.openDate~~from': '2018-01-01', 'filters.openDate~~to': '2019-12-31' });
    expect(res.body.records.map((r: { id: string }) => Number(r.id)).sort()).toEqual([a.id, b.id].sort());
  });

  it('finds a movie by title: the search action (title property `name`) and the list filter', async () => {
    const { agent } = await as('finance');
    const word = uniqueName('기생충');
    const movie = await seedMovie(`${word} 흑백판`);
    const search = await agent.get(`${api}/movies/actions/search/${encodeURIComponent(word)}`);
    expect(search.body.records.map((r: { id: string; title: string }) => [Number(r.id), r.title])).toEqual([[movie.id, movie.name]]);
    const list = await agent.get(`${api}/movies/actions/list`).query({ 'filters.name': word });
    expect(list.body.records.map((r: { id: string }) => Number(r.id))).toEqual([movie.id]);
  });
});

describe('movie ↔ genre and movie ↔ person records', () => {
  it('adds and removes genres and credits by their composite keys; the public API shows them', async () => {
    const { agent } = await as('catalog');
    const movie = await seedMovie(uniqueName('linked'));
    const [g1, g2] = [await seedGenre(), await seedGenre()];
    const director = await repo(Person).save(repo(Person).create({ name: uniqueName('감독') }));

    for (const g of [g1, g2]) {
      const res = await agent.post(`${api}/movie_genres/actions/new`).send({ movieId: String(movie.id), genreId: String(g.id) });
      expect(res.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
      expect(res.body.record.id).toBe(`${movie.id}-${g.id}`);
    }
    const dup = await agent.post(`${api}/movie_genres/actions/new`).send({ movieId: String(movie.id), genreId: String(g1.id) });
    expect(dup.body.notice.type).toBe('error');
    expect(dup.body.record.errors.genreId.message).toMatch(/이미 이 장르에 속한 영화/);
    const unknown = await agent.post(`${api}/movie_genres/actions/new`).send({ movieId: String(movie.id), genreId: '999999' });
    expect(unknown.body.record.errors.genreId).toBeDefined();

    const credit = await agent.post(`${api}/movie_credits/actions/new`).send({ movieId: String(movie.id), personId: String(director.id), role: 'director' });
    expect(credit.body.record.id).toBe(`${movie.id}-${director.id}-director`);
    const badRole = await agent.post(`${api}/movie_credits/actions/new`).send({ movieId: String(movie.id), personId: String(director.id), role: 'producer' });
    expect(Object.keys(badRole.body.record.errors)).toEqual(['role']);

    // show / list by key, with the references populated (names for the panel)
    const show = await agent.get(`${api}/movie_genres/records/${movie.id}-${g2.id}/show`);
    expect(show.body.record.params).toEqual(expect.objectContaining({ movieId: movie.id, genreId: g2.id }));
    expect(show.body.record.populated.genreId.title).toBe(g2.name);
    const list = await agent.get(`${api}/movie_genres/actions/list`).query({ 'filters.movieId': movie.id });
    expect(list.body.records.map((r: { id: string }) => r.id).sort()).toEqual([`${movie.id}-${g1.id}`, `${movie.id}-${g2.id}`].sort());

    let detail = await request(ctx.app).get(`/movie/${movie.id}/`);
    expect(detail.status).toBe(200);
    expect(detail.body.genres.sort()).toEqual([g1.name, g2.name].sort());
    expect(detail.body.directors).toEqual([director.name]);

    // Editing a credit's role moves the row to its new key; deleting one genre keeps the other.
    const moved = await agent.post(`${api}/movie_credits/records/${movie.id}-${director.id}-director/edit`).send({ role: 'actor', position: '2' });
    expect(moved.body.notice.type).toBe('success');
    expect(await repo(MovieCredit).findBy({ movieId: movie.id })).toEqual([expect.objectContaining({ personId: director.id, role: 'actor', position: 2 })]);
    const removed = await agent.post(`${api}/movie_genres/records/${movie.id}-${g1.id}/delete`).send({});
    expect(removed.body.notice.type).toBe('success');
    expect((await repo(MovieGenre).findBy({ movieId: movie.id })).map((r) => r.genreId)).toEqual([g2.id]);
    detail = await request(ctx.app).get(`/movie/${movie.id}/`);
    expect(detail.body.genres).toEqual([g2.name]);
    expect(detail.body.actors).toEqual([director.name]);

    const audit = await repo(AuditEntry).find({ where: { resource: 'movie_genres' }, order: { id: 'ASC' } });
    expect(audit.filter((a) => a.recordId?.startsWith(`${movie.id}:`)).map((a) => [a.action, a.recordId])).toEqual([
      ['link', `${movie.id}:${g1.id}`],
      ['link', `${movie.id}:${g2.id}`],
      ['unlink', `${movie.id}:${g1.id}`],
    ]);
    const edit = await repo(AuditEntry).findOneByOrFail({ resource: 'movie_credits', action: 'update', recordId: `${movie.id}:${director.id}:actor` });
    expect(JSON.parse(edit.diff!).role).toEqual(['director', 'actor']);
  });

  it('refuses to delete a genre that still has movies, with a message and no audit entry', async () => {
    const { agent } = await as('catalog');
    const genre = await seedGenre();
    const movie = await seedMovie(uniqueName('keeps-genre'));
    await repo(MovieGenre).insert({ movieId: movie.id, genreId: genre.id });
    const res = await agent.post(`${api}/genres/records/${genre.id}/delete`).send({});
    expect(res.body.notice.type).toBe('error');
    expect(res.body.notice.message).toMatch(/영화가 1편 있어 삭제할 수 없습니다/);
    expect(await repo(Genre).existsBy({ id: genre.id })).toBe(true);
    expect(await repo(AuditEntry).countBy({ resource: 'genres', recordId: String(genre.id) })).toBe(0);

    const dup = await agent.post(`${api}/genres/actions/new`).send({ name: genre.name });
    expect(dup.body.record.errors.name.message).toMatch(/이미 존재합니다/);

    // As through the API, an admin may force it: the movies leave the genre, the movies stay.
    const refused = await agent.post(`${api}/genres/records/${genre.id}/forceDelete`).send({});
    expect(refused.body.notice?.type ?? 'error').toBe('error');
    expect(await repo(Genre).existsBy({ id: genre.id })).toBe(true);
    const { agent: admin } = await as('admin');
    const forced = await admin.post(`${api}/genres/records/${genre.id}/forceDelete`).send({});
    expect(forced.body.notice.type).toBe('success');
    expect(await repo(Genre).existsBy({ id: genre.id })).toBe(false);
    expect(await repo(Movie).existsBy({ id: movie.id })).toBe(true);
    expect(await repo(MovieGenre).countBy({ genreId: genre.id })).toBe(0);
    expect((await repo(AuditEntry).findOneByOrFail({ resource: 'genres', action: 'delete', recordId: String(genre.id) })).reason).toBe('force');
  });
});

describe('manufacturers', () => {
  it('validates the partnership status and dates', async () => {
    const { agent } = await as('catalog');
    const bad = await agent.post(`${api}/manufacturers/actions/new`).send({ name: uniqueName('studio'), partnershipStatus: 'friends', email: 'nope' });
    expect(Object.keys(bad.body.record.errors).sort()).toEqual(['email', 'partnershipStatus']);
    const name = uniqueName('studio');
    const ok = await agent.post(`${api}/manufacturers/actions/new`).send({ name, partnershipStatus: 'contracted', partnershipNotes: 'line 1\nline 2', partnershipStartedOn: '2024-01-01' });
    expect(ok.body.notice.type).toBe('success');
    const id = ok.body.record.id;
    const ended = await agent.post(`${api}/manufacturers/records/${id}/edit`).send({ partnershipEndedOn: '2023-12-31' });
    expect(Object.keys(ended.body.record.errors)).toEqual(['partnershipEndedOn']);
  });
});

describe('contents', () => {
  const seedContent = (movieId: number | null) =>
    repo(Content).save(
      repo(Content).create({ movieId, title: uniqueName('content'), storageKey: uniqueName('key'), sizeBytes: '1024', sha256: 'a'.repeat(64), mimeType: 'video/mp4', status: 'ready', metadata: { duration_seconds: 60, width: 1920, height: 1080 } }),
    );

  it('has no generic create form and no delete; only the validity window is edited, through the contents service', async () => {
    const { agent, email } = await as('catalog');
    const movie = await seedMovie(uniqueName('with-content'));
    const content = await seedContent(movie.id);
    const generic = await agent.post(`${api}/contents/actions/new`).send({ title: 'x', storageKey: 'k', sizeBytes: '1', sha256: 'b', mimeType: 'video/mp4' });
    expect(generic.body.notice.type).toBe('error');
    const deleted = await agent.post(`${api}/contents/records/${content.id}/delete`).send({});
    expect(deleted.body.notice.type).toBe('error');
    expect(await repo(Content).existsBy({ id: content.id })).toBe(true);

    const show = await agent.get(`${api}/contents/records/${content.id}/show`);
    expect(show.body.record.params['metadata.width']).toBe(1920);
    expect(show.body.record.populated.movieId.title).toBe(movie.name);
    expect(show.body.record.recordActions.map((a: { name: string }) => a.name).sort()).toEqual(['edit', 'metadata', 'show']);

    const wrong = await agent.post(`${api}/contents/records/${content.id}/edit`).send({ validFrom: '2030-02-01T00:00:00.000Z', validUntil: '2030-01-01T00:00:00.000Z' });
    expect(Object.keys(wrong.body.record.errors)).toEqual(['validUntil']);
    const bad = await agent.post(`${api}/contents/records/${content.id}/edit`).send({ validFrom: 'someday' });
    expect(Object.keys(bad.body.record.errors)).toEqual(['validFrom']);

    const ok = await agent.post(`${api}/contents/records/${content.id}/edit`).send({ validFrom: '2020-01-01T00:00:00.000Z', validUntil: '2099-06-30T00:00:00.000Z', title: 'renamed', status: 'invalid' });
    expect(ok.body.notice.type).toBe('success');
    let after = await repo(Content).findOneByOrFail({ id: content.id });
    expect(after.validFrom?.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    expect(after.validUntil?.toISOString()).toBe('2099-06-30T00:00:00.000Z');
    expect([after.title, after.status]).toEqual([content.title, 'ready']);

    // The service's rule applies at once: a window that has ended takes the content offline.
    const ended = await agent.post(`${api}/contents/records/${content.id}/edit`).send({ validUntil: '2021-01-01T00:00:00.000Z' });
    expect(ended.body.notice.type).toBe('success');
    after = await repo(Content).findOneByOrFail({ id: content.id });
    expect(after.status).toBe('unavailable');
    const entries = await auditOf('contents', content.id);
    expect(entries.map((e) => [e.action, e.actorEmail])).toEqual([
      ['update', email],
      ['update', email],
    ]);
  });

  it('uploads through the "Upload" action into the contents service; no temp file left behind', async () => {
    const { agent, email } = await as('catalog');
    const tmpBefore = new Set(readdirSync(os.tmpdir()).filter((f) => /^upload_/.test(f)));
    const noFile = await agent.post(`${api}/contents/actions/upload`).field('title', 'no file');
    expect(noFile.body.notice.type).toBe('error');
    expect(Object.keys(noFile.body.errors)).toEqual(['file']);
    const badMovie = await agent.post(`${api}/contents/actions/upload`).field('title', 't').field('movieId', '999999').attach('file', Buffer.from('not really a video'), 'clip.mp4');
    expect(Object.keys(badMovie.body.errors)).toEqual(['movieId']);
    const notMedia = await agent.post(`${api}/contents/actions/upload`).field('title', 't').attach('file', Buffer.from('not really a video'), 'clip.mp4');
    expect(notMedia.body.notice).toEqual({ type: 'error', message: expect.stringMatching(/지원하지 않는 파일 형식/) });

    const { agent: finance } = await as('finance');
    const count = await repo(Content).count();
    const refused = await finance.post(`${api}/contents/actions/upload`).field('title', 't').attach('file', MP4_HEAD, 'clip.mp4');
    expect(refused.body.notice.type).toBe('error');
    expect(await repo(Content).count()).toBe(count);

    const movie = await seedMovie(uniqueName('upload-target'));
    const res = await agent.post(`${api}/contents/actions/upload`).field('title', ' Trailer ').field('movieId', String(movie.id)).attach('file', MP4_HEAD, 'trailer.mp4');
    expect(res.body.notice).toEqual({ type: 'success', message: '"Trailer" 업로드를 마쳤습니다.' });
    const content = await repo(Content).findOneByOrFail({ movieId: movie.id });
    expect(res.body.redirectUrl).toBe(`/admin/resources/contents/records/${content.id}/show`);
    expect(content).toEqual(expect.objectContaining({ title: 'Trailer', originalName: 'trailer.mp4', mimeType: 'video/mp4', status: 'processing' }));
    expect(Number(content.sizeBytes)).toBe(MP4_HEAD.length);
    const [entry] = await auditOf('contents', content.id);
    expect([entry.action, entry.actorEmail]).toEqual(['create', email]);
    // Without a title the file name is used.
    const untitled = await agent.post(`${api}/contents/actions/upload`).attach('file', MP4_HEAD, 'Bonus Clip.mp4');
    expect(untitled.body.notice.type).toBe('success');
    expect(await repo(Content).existsBy({ title: 'Bonus Clip' })).toBe(true);

    const left = readdirSync(os.tmpdir()).filter((f) => /^upload_/.test(f) && !tmpBefore.has(f));
    expect(left).toEqual([]);
  });
});

describe('audit log resource', () => {
  it('is for admins only and read-only', async () => {
    for (const role of ['catalog', 'finance'] as const) {
      const { agent } = await as(role);
      const res = await agent.get(`${api}/audit_log/actions/list`);
      expect(res.body.records).toEqual([]);
      expect(res.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    }
    const { agent: catalog, email } = await as('catalog');
    const created = await catalog.post(`${api}/genres/actions/new`).send({ name: uniqueName('audited') });
    const genreId = created.body.record.id;

    const { agent } = await as('admin');
    const list = await agent.get(`${api}/audit_log/actions/list`).query({ 'filters.resource': 'genres', 'filters.action': 'create', 'filters.actorEmail': email });
    expect(list.body.records.map((r: { params: { recordId: string } }) => r.params.recordId)).toContain(String(genreId));
    const entry = list.body.records.find((r: { params: { recordId: string } }) => r.params.recordId === String(genreId));
    const show = await agent.get(`${api}/audit_log/records/${entry.id}/show`);
    expect(JSON.parse(show.body.record.params.diff).name[1]).toEqual(expect.stringMatching(/^audited/));
    expect(show.body.record.recordActions.map((a: { name: string }) => a.name)).toEqual(['show']);

    const count = await repo(AuditEntry).count();
    for (const [path, body] of [
      [`${api}/audit_log/actions/new`, { action: 'forged', resource: 'x' }],
      [`${api}/audit_log/records/${entry.id}/edit`, { action: 'forged' }],
      [`${api}/audit_log/records/${entry.id}/delete`, {}],
    ] as const) {
      const res = await agent.post(path).send(body);
      expect(res.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    }
    expect(await repo(AuditEntry).count()).toBe(count);
    expect((await repo(AuditEntry).findOneByOrFail({ id: Number(entry.id) })).action).toBe('create');
  });
});
