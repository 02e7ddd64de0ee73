import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Manufacturer } from '../../src/modules/catalog/manufacturer.entity.js';
import { Movie, MovieGenre } from '../../src/modules/catalog/movie.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin, uniqueName } from '../support/users.js';

let ctx: TestContext & { app: Express };
let catalogToken: string;
let adminToken: string;
let memberToken: string;

async function tokenFor(role: 'catalog' | 'admin' | 'finance') {
  const s = await createStaff(ctx.rt, role);
  const res = await request(ctx.app).post('/user/login/').send({ username: s.user.username, password: s.password }).expect(200);
  return res.body.token as string;
}

beforeAll(async () => {
  ctx = await createTestApp();
  catalogToken = await tokenFor('catalog');
  adminToken = await tokenFor('admin');
  memberToken = (await signupAndLogin(ctx.app)).token;
});
afterAll(async () => {
  await ctx.close();
});

const auth = (token: string) => ({ Authorization: `JWT ${token}` });

async function newGenre(name = uniqueName('장르')) {
  const res = await request(ctx.app).post('/movie/genre/').set(auth(catalogToken)).send({ name }).expect(201);
  return res.body as { id: number; name: string };
}

const movieBody = (over: Record<string, unknown> = {}) => ({
  name: '신과함께-죄와 벌',
  name_eng: 'Along With the Gods: The Two Worlds',
  watch_grade: '12세 관람가',
  running_time: '139분',
  summary: '저승 법에 의하면…',
  open_date: '2017-12-20',
  trailer: 'https://www.youtube.com/embed/sD7dmu-IWNw',
  poster: 'https://movie-phinf.pstatic.net/20171201_181/1512109983114kcQVl_JPEG/movie_image.jpg',
  directors: ['김용화'],
  actors: ['차태현', '하정우'],
  country: 'kr',
  ...over,
});

describe('genres', () => {
  it('creates, lists, counts and renames genres', async () => {
    const before = (await request(ctx.app).get('/movie/genre/count').expect(200)).body.count;
    const g = await newGenre();
    expect((await request(ctx.app).get('/movie/genre/count/').expect(200)).body).toEqual({ count: before + 1 });
    const list = await request(ctx.app).get('/movie/genre/').expect(200);
    expect(list.body).toEqual(expect.objectContaining({ count: before + 1, previous: null }));
    expect(list.body.results).toEqual(expect.arrayContaining([{ id: g.id, name: g.name, movie_count: 0 }]));
    const renamed = await request(ctx.app).put(`/movie/genre/${g.id}/`).set(auth(catalogToken)).send({ name: `${g.name}2` }).expect(200);
    expect(renamed.body).toEqual({ id: g.id, name: `${g.name}2` });
    const audit = await ctx.rt.ds.getRepository(AuditEntry).findOneByOrFail({ resource: 'genres', action: 'update', recordId: String(g.id) });
    expect(JSON.parse(audit.diff!)).toEqual({ name: [g.name, `${g.name}2`] });
  });

  it('validates names and rejects duplicates without writing', async () => {
    const g = await newGenre();
    const count = await ctx.rt.ds.getRepository(Genre).count();
    expect((await request(ctx.app).post('/movie/genre/').set(auth(catalogToken)).send({})).body).toEqual({ name: ['이 필드는 필수 항목입니다.'] });
    expect((await request(ctx.app).post('/movie/genre/').set(auth(catalogToken)).send({ name: 'x'.repeat(51) })).body).toEqual({ name: ['이 필드의 글자 수가 50 이하인지 확인하십시오.'] });
    const dup = await request(ctx.app).post('/movie/genre/').set(auth(catalogToken)).send({ name: g.name });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({ name: ['genre의 name은/는 이미 존재합니다.'] });
    expect(await ctx.rt.ds.getRepository(Genre).count()).toBe(count);
  });

  it('needs catalog or admin to write', async () => {
    expect((await request(ctx.app).post('/movie/genre/').send({ name: 'x' })).status).toBe(401);
    expect((await request(ctx.app).post('/movie/genre/').set(auth(memberToken)).send({ name: 'x' })).status).toBe(403);
    expect((await request(ctx.app).post('/movie/genre/').set(auth(await tokenFor('finance'))).send({ name: 'x' })).status).toBe(403);
  });

  it('404s unknown genres and bad ids', async () => {
    expect((await request(ctx.app).put('/movie/genre/999999/').set(auth(catalogToken)).send({ name: 'x' })).body).toEqual({ detail: '장르를 찾을 수 없습니다.' });
    expect((await request(ctx.app).put('/movie/genre/abc/').set(auth(catalogToken)).send({ name: 'x' })).status).toBe(400);
    expect((await request(ctx.app).get('/movie/genres/999999/movies/')).status).toBe(404);
  });

  it('refuses to delete a genre with movies (409), lets an admin force it, deletes an empty one', async () => {
    const g = await newGenre();
    await request(ctx.app).post(`/movie/genres/${g.id}/movies/`).set(auth(catalogToken)).send(movieBody()).expect(201);
    const refused = await request(ctx.app).delete(`/movie/genre/${g.id}/`).set(auth(catalogToken));
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({ message: '이 장르에 속한 영화가 1편 있어 삭제할 수 없습니다.', movie_count: 1 });
    expect((await request(ctx.app).delete(`/movie/genre/${g.id}/?force=true`).set(auth(catalogToken))).status).toBe(403);
    expect(await ctx.rt.ds.getRepository(Genre).existsBy({ id: g.id })).toBe(true);
    expect((await request(ctx.app).delete(`/movie/genre/${g.id}/?force=true`).set(auth(adminToken))).status).toBe(204);
    expect(await ctx.rt.ds.getRepository(Genre).existsBy({ id: g.id })).toBe(false);
    expect(await ctx.rt.ds.getRepository(MovieGenre).countBy({ genreId: g.id })).toBe(0);
    const empty = await newGenre();
    expect((await request(ctx.app).delete(`/movie/genre/${empty.id}`).set(auth(catalogToken))).status).toBe(204);
  });
});

describe('movies of a genre', () => {
  it('creates a movie in a genre and shows it in the seed shape', async () => {
    const g = await newGenre();
    const other = await newGenre();
    const res = await request(ctx.app).post(`/movie/genres/${g.id}/movies/`).set(auth(catalogToken)).send(movieBody({ genres: [String(other.id)] }));
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        name: '신과함께-죄와 벌',
        running_time: '139분',
        watch_grade: '12세 관람가',
        open_date: '2017-12-20',
        directors: ['김용화'],
        actors: ['차태현', '하정우'],
        genres: [g.name, other.name],
        country: 'KR',
        score: 0,
      }),
    );
    const id = res.body.id;
    const detail = await request(ctx.app).get(`/movie/${id}/`).expect(200);
    expect(Object.keys(detail.body)).toEqual(
      expect.arrayContaining(['has_score', 'pick_movies', 'is_showing', 'predicted_score', 'score', 'id', 'name', 'name_eng', 'watch_grade', 'running_time', 'summary', 'open_date', 'trailer', 'poster', 'directors', 'genres', 'actors']),
    );
    expect(detail.body).toEqual(expect.objectContaining({ has_score: false, pick_movies: false, is_showing: false, predicted_score: 0, id }));
    expect((await request(ctx.app).get(`/movie/genres/${g.id}/movies/${id}/`).expect(200)).body.id).toBe(id);
    const page = await request(ctx.app).get(`/movie/genres/${other.id}/movies/`).expect(200);
    expect(page.body.count).toBe(1);
    expect(page.body.results[0].id).toBe(id);
  });

  it('validates every field and writes nothing on failure', async () => {
    const g = await newGenre();
    const before = await ctx.rt.ds.getRepository(Movie).count();
    const res = await request(ctx.app)
      .post(`/movie/genres/${g.id}/movies/`)
      .set(auth(catalogToken))
      .send(movieBody({ name: '', watch_grade: '19세', running_time: 'long', poster: 'javascript:alert(1)', open_date: '2017-13-45', country: 'KOR', genres: [999999] }));
    expect(res.status).toBe(400);
    expect(Object.keys(res.body).sort()).toEqual(['country', 'name', 'open_date', 'poster', 'running_time', 'watch_grade']);
    expect(res.body.watch_grade).toEqual(['"19세"이 유효하지 않은 선택(choice)입니다.']);
    const missingRefs = await request(ctx.app).post(`/movie/genres/${g.id}/movies/`).set(auth(catalogToken)).send(movieBody({ genres: [999999], directors: [888888], manufacturer: 777777 }));
    expect(missingRefs.status).toBe(400);
    expect(Object.keys(missingRefs.body).sort()).toEqual(['directors', 'genres', 'manufacturer']);
    expect(await ctx.rt.ds.getRepository(Movie).count()).toBe(before);
  });

  it('updates with PUT semantics, keeps the path genre, and unlinks on DELETE', async () => {
    const g = await newGenre();
    const created = (await request(ctx.app).post(`/movie/genres/${g.id}/movies/`).set(auth(catalogToken)).send(movieBody())).body;
    const upd = await request(ctx.app).put(`/movie/genres/${g.id}/movies/${created.id}/`).set(auth(catalogToken)).send({ name: '신과함께-인과 연', running_time: 141, genres: [] });
    expect(upd.status).toBe(200);
    expect(upd.body).toEqual(expect.objectContaining({ name: '신과함께-인과 연', running_time: '141분', poster: '', genres: [g.name], directors: ['김용화'] }));
    expect((await request(ctx.app).delete(`/movie/genres/${g.id}/movies/${created.id}/`).set(auth(memberToken))).status).toBe(403);
    expect((await request(ctx.app).delete(`/movie/genres/${g.id}/movies/${created.id}/`).set(auth(catalogToken))).status).toBe(204);
    expect((await request(ctx.app).get(`/movie/genres/${g.id}/movies/${created.id}/`)).status).toBe(404);
    expect((await request(ctx.app).get(`/movie/${created.id}/`)).status).toBe(200);
    expect((await request(ctx.app).delete(`/movie/genres/${g.id}/movies/${created.id}/`).set(auth(catalogToken))).status).toBe(404);
  });

  it('paginates 20 per page with absolute links and 404s past the last page', async () => {
    const g = await newGenre();
    for (let i = 0; i < 21; i++) {
      await request(ctx.app).post(`/movie/genres/${g.id}/movies/`).set(auth(catalogToken)).send({ name: `영화 ${i}`, open_date: `2020-01-${String(i + 1).padStart(2, '0')}` }).expect(201);
    }
    const p1 = await request(ctx.app).get(`/movie/genres/${g.id}/movies/`).expect(200);
    expect(p1.body.count).toBe(21);
    expect(p1.body.results).toHaveLength(20);
    expect(p1.body.results[0].name).toBe('영화 20'); // newest first
    expect(p1.body.next).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/movie/genres/${g.id}/movies/\\?page=2$`));
    const p2 = await request(ctx.app).get(`/movie/genres/${g.id}/movies/?page=2`).expect(200);
    expect(p2.body.results).toHaveLength(1);
    expect(p2.body.previous).toMatch(/\/movie\/genres\/\d+\/movies\/$/);
    const p3 = await request(ctx.app).get(`/movie/genres/${g.id}/movies/?page=3`);
    expect(p3.status).toBe(404);
    expect(p3.body).toEqual({ detail: '페이지가 유효하지 않습니다.' });
  });
});

describe('movie detail, pick and score', () => {
  it('toggles a pick twice and reflects it in the detail', async () => {
    const g = await newGenre();
    const m = (await request(ctx.app).post(`/movie/genres/${g.id}/movies/`).set(auth(catalogToken)).send(movieBody())).body;
    // The seed's client sends a bare `1` as the JSON body.
    const on = await request(ctx.app).patch(`/movie/${m.id}/pick/`).set(auth(memberToken)).set('Content-Type', 'application/json').send('1');
    expect(on.body).toEqual({ pick_movies: true });
    expect((await request(ctx.app).get(`/movie/${m.id}/`).set(auth(memberToken))).body.pick_movies).toBe(true);
    expect((await request(ctx.app).get(`/movie/${m.id}/`)).body.pick_movies).toBe(false);
    const off = await request(ctx.app).patch(`/movie/${m.id}/pick`).set(auth(memberToken)).type('form').send('1');
    expect(off.body).toEqual({ pick_movies: false });
    expect((await request(ctx.app).patch(`/movie/${m.id}/pick/`)).status).toBe(401);
    expect((await request(ctx.app).patch('/movie/999999/pick/').set(auth(memberToken))).status).toBe(404);
  });

  it('reports the average score from the stored counters', async () => {
    const g = await newGenre();
    const m = (await request(ctx.app).post(`/movie/genres/${g.id}/movies/`).set(auth(catalogToken)).send(movieBody())).body;
    expect((await request(ctx.app).get(`/movie/${m.id}/score/`).expect(200)).body).toEqual({ score: 0 });
    await ctx.rt.ds.getRepository(Movie).update({ id: m.id }, { ratingCount: 3, ratingSumHalf: 19 }); // 3.5 + 3 + 3 = 9.5
    expect((await request(ctx.app).get(`/movie/${m.id}/score/`).expect(200)).body).toEqual({ score: 3.17 });
    expect((await request(ctx.app).get('/movie/999999/score/')).body).toEqual({ detail: '영화를 찾을 수 없습니다.' });
  });
});

describe('manufacturers', () => {
  const body = { name: uniqueName('CJ ENM'), contact_person: '홍길동', phone: '02-123-4567', email: 'deal@cj.example', partnership_status: 'negotiating', partnership_notes: '수익 배분 7:3 협상 중', partnership_started_on: '2026-01-01' };

  it('creates, reads (contacts for staff only), updates and deletes a company', async () => {
    const created = await request(ctx.app).post('/manufacturers/').set(auth(catalogToken)).send(body);
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toEqual(expect.objectContaining({ name: body.name, phone: '02-123-4567', partnership_status: 'negotiating', works_count: 0 }));

    const g = await newGenre();
    await request(ctx.app).post(`/movie/genres/${g.id}/movies/`).set(auth(catalogToken)).send(movieBody({ manufacturer: id })).expect(201);

    const pub = await request(ctx.app).get(`/manufacturers/${id}/`).expect(200);
    expect(pub.body).toEqual({ id, name: body.name, partnership_status: 'negotiating', works_count: 1, works: [expect.objectContaining({ name: '신과함께-죄와 벌' })] });
    const staff = await request(ctx.app).get(`/manufacturers/${id}/`).set(auth(catalogToken)).expect(200);
    expect(staff.body.partnership_notes).toBe('수익 배분 7:3 협상 중');

    const list = await request(ctx.app).get(`/manufacturers/?search=${encodeURIComponent(body.name)}`).expect(200);
    expect(list.body.results).toEqual([expect.objectContaining({ id, works_count: 1 })]);
    expect((await request(ctx.app).get('/manufacturers/?status=ended').expect(200)).body.results.find((r: { id: number }) => r.id === id)).toBeUndefined();

    const upd = await request(ctx.app).put(`/manufacturers/${id}/`).set(auth(catalogToken)).send({ ...body, partnership_status: 'contracted' });
    expect(upd.body.partnership_status).toBe('contracted');

    expect((await request(ctx.app).delete(`/manufacturers/${id}/`).set(auth(memberToken))).status).toBe(403);
    expect((await request(ctx.app).delete(`/manufacturers/${id}/`).set(auth(catalogToken))).status).toBe(204);
    expect((await request(ctx.app).get(`/manufacturers/${id}/`)).status).toBe(404);
    expect(await ctx.rt.ds.getRepository(Movie).countBy({ manufacturerId: id })).toBe(0);
  });

  it('validates fields and writes nothing', async () => {
    const before = await ctx.rt.ds.getRepository(Manufacturer).count();
    const res = await request(ctx.app).post('/manufacturers/').set(auth(catalogToken)).send({ name: '', email: 'no', partnership_status: 'married', phone: '<script>', partnership_started_on: '2026-02-01', partnership_ended_on: '2026-01-01' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body).sort()).toEqual(['email', 'name', 'partnership_status', 'phone']);
    const order = await request(ctx.app).post('/manufacturers/').set(auth(catalogToken)).send({ name: uniqueName('x'), partnership_started_on: '2026-02-01', partnership_ended_on: '2026-01-01' });
    expect(order.body).toEqual({ partnership_ended_on: ['종료일은 시작일보다 빠를 수 없습니다.'] });
    expect(await ctx.rt.ds.getRepository(Manufacturer).count()).toBe(before);
    expect((await request(ctx.app).put('/manufacturers/999999/').set(auth(catalogToken)).send({ name: 'x' })).status).toBe(404);
  });
});

describe('PUT movie/genres/{g}/movies/{m}: auth, not found, validation', () => {
  async function movieIn(g: { id: number }) {
    return (await request(ctx.app).post(`/movie/genres/${g.id}/movies/`).set(auth(catalogToken)).send(movieBody()).expect(201)).body as { id: number; name: string };
  }
  const snapshot = async (id: number) => {
    const movie = await ctx.rt.ds.getRepository(Movie).findOneByOrFail({ id });
    const genres = (await ctx.rt.ds.getRepository(MovieGenre).findBy({ movieId: id })).map((l) => l.genreId).sort();
    const audits = await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'movies', recordId: String(id) });
    return { movie, genres, audits };
  };

  it('401 without a token, 403 for a member or finance, and nothing changes', async () => {
    const g = await newGenre();
    const m = await movieIn(g);
    const before = await snapshot(m.id);
    const noToken = await request(ctx.app).put(`/movie/genres/${g.id}/movies/${m.id}/`).send(movieBody({ name: '바뀐 제목' }));
    expect(noToken.status).toBe(401);
    expect(noToken.body).toEqual({ message: expect.any(String) });
    const member = await request(ctx.app).put(`/movie/genres/${g.id}/movies/${m.id}/`).set(auth(memberToken)).send(movieBody({ name: '바뀐 제목' }));
    expect(member.status).toBe(403);
    expect(member.body).toEqual({ message: expect.any(String) });
    expect((await request(ctx.app).put(`/movie/genres/${g.id}/movies/${m.id}/`).set(auth(await tokenFor('finance'))).send(movieBody({ name: '바뀐 제목' }))).status).toBe(403);
    expect(await snapshot(m.id)).toEqual(before);
  });

  it('404s an unknown movie, an unknown genre, and a movie that is not in the genre', async () => {
    const g = await newGenre();
    const other = await newGenre();
    const m = await movieIn(g);
    const unknownMovie = await request(ctx.app).put(`/movie/genres/${g.id}/movies/999999/`).set(auth(catalogToken)).send(movieBody());
    expect(unknownMovie.status).toBe(404);
    expect(unknownMovie.body).toEqual({ detail: '영화를 찾을 수 없습니다.' });
    const unknownGenre = await request(ctx.app).put(`/movie/genres/999999/movies/${m.id}/`).set(auth(catalogToken)).send(movieBody());
    expect(unknownGenre.status).toBe(404);
    expect(unknownGenre.body).toEqual({ detail: '장르를 찾을 수 없습니다.' });
    const before = await snapshot(m.id);
    const notInGenre = await request(ctx.app).put(`/movie/genres/${other.id}/movies/${m.id}/`).set(auth(catalogToken)).send(movieBody({ name: '바뀐 제목' }));
    expect(notInGenre.status).toBe(404);
    expect(notInGenre.body).toEqual({ detail: '영화를 찾을 수 없습니다.' });
    expect(await snapshot(m.id)).toEqual(before);
  });

  it('400 on bad fields or unknown references, in the seed shape, with nothing written', async () => {
    const g = await newGenre();
    const m = await movieIn(g);
    const before = await snapshot(m.id);
    const bad = await request(ctx.app)
      .put(`/movie/genres/${g.id}/movies/${m.id}/`)
      .set(auth(catalogToken))
      .send(movieBody({ name: 'x'.repeat(201), watch_grade: '19세', running_time: 0, trailer: 'ftp://example.com/t.mp4', open_date: '2017-02-30', country: 'KOR' }));
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body).sort()).toEqual(['country', 'name', 'open_date', 'running_time', 'trailer', 'watch_grade']);
    expect(bad.body.name).toEqual(['이 필드의 글자 수가 200 이하인지 확인하십시오.']);
    const missingName = await request(ctx.app).put(`/movie/genres/${g.id}/movies/${m.id}/`).set(auth(catalogToken)).send({ running_time: 100 });
    expect(missingName.body).toEqual({ name: ['이 필드는 필수 항목입니다.'] });
    const refs = await request(ctx.app).put(`/movie/genres/${g.id}/movies/${m.id}/`).set(auth(catalogToken)).send(movieBody({ name: '바뀐 제목', genres: [999999], directors: [888888], manufacturer: 777777 }));
    expect(refs.status).toBe(400);
    expect(Object.keys(refs.body).sort()).toEqual(['directors', 'genres', 'manufacturer']);
    expect((await request(ctx.app).put(`/movie/genres/${g.id}/movies/abc/`).set(auth(catalogToken)).send(movieBody())).body).toEqual({ movie_num: [expect.any(String)] });
    expect(await snapshot(m.id)).toEqual(before);
  });
});

describe('GET movie/genres/{g}/movies/{m}: not found', () => {
  it('404s an unknown movie id and an unknown genre', async () => {
    const g = await newGenre();
    const m = (await request(ctx.app).post(`/movie/genres/${g.id}/movies/`).set(auth(catalogToken)).send(movieBody()).expect(201)).body;
    const unknownMovie = await request(ctx.app).get(`/movie/genres/${g.id}/movies/999999/`);
    expect(unknownMovie.status).toBe(404);
    expect(unknownMovie.body).toEqual({ detail: '영화를 찾을 수 없습니다.' });
    const unknownGenre = await request(ctx.app).get(`/movie/genres/999999/movies/${m.id}`);
    expect(unknownGenre.status).toBe(404);
    expect(unknownGenre.body).toEqual({ detail: '장르를 찾을 수 없습니다.' });
    expect((await request(ctx.app).get(`/movie/genres/${g.id}/movies/${m.id}/`)).status).toBe(200);
  });
});

describe('manufacturers: auth and not found', () => {
  it('POST needs catalog or admin: 401 without a token, 403 for a member, nothing written', async () => {
    const before = await ctx.rt.ds.getRepository(Manufacturer).count();
    const noToken = await request(ctx.app).post('/manufacturers/').send({ name: uniqueName('무단') });
    expect(noToken.status).toBe(401);
    expect(noToken.body).toEqual({ message: expect.any(String) });
    const member = await request(ctx.app).post('/manufacturers/').set(auth(memberToken)).send({ name: uniqueName('무단') });
    expect(member.status).toBe(403);
    expect(member.body).toEqual({ message: expect.any(String) });
    expect(await ctx.rt.ds.getRepository(Manufacturer).count()).toBe(before);
  });

  it('PUT needs catalog or admin: 401 without a token, 403 for a member, nothing changed', async () => {
    const created = (await request(ctx.app).post('/manufacturers/').set(auth(catalogToken)).send({ name: uniqueName('쇼박스'), partnership_status: 'prospect' }).expect(201)).body;
    const noToken = await request(ctx.app).put(`/manufacturers/${created.id}/`).send({ name: 'changed', partnership_status: 'ended' });
    expect(noToken.status).toBe(401);
    const member = await request(ctx.app).put(`/manufacturers/${created.id}/`).set(auth(memberToken)).send({ name: 'changed', partnership_status: 'ended' });
    expect(member.status).toBe(403);
    expect(await ctx.rt.ds.getRepository(Manufacturer).findOneByOrFail({ id: created.id })).toMatchObject({ name: created.name, partnershipStatus: 'prospect' });
  });

  it('DELETE of an unknown id is 404', async () => {
    const before = await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'manufacturers', action: 'delete' });
    const res = await request(ctx.app).delete('/manufacturers/999999/').set(auth(catalogToken));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ detail: '제작사를 찾을 수 없습니다.' });
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ resource: 'manufacturers', action: 'delete' })).toBe(before);
    expect((await request(ctx.app).delete('/manufacturers/999999/')).status).toBe(401);
  });
});

describe('concurrent catalog writes (real MariaDB)', () => {
  it('20 parallel creates and then 20 parallel updates of movies in one genre all succeed (deadlocks are retried, never a 500)', async () => {
    const g = await newGenre();
    const created = await Promise.all(
      Array.from({ length: 20 }, (_, k) => request(ctx.app).post(`/movie/genres/${g.id}/movies/`).set(auth(catalogToken)).send(movieBody({ name: `동시 영화 ${k}`, directors: [`감독 ${k}`], actors: ['공통 배우'] }))),
    );
    expect(created.map((r) => r.status)).toEqual(Array(20).fill(201));
    const ids = created.map((r) => r.body.id as number);
    const updated = await Promise.all(
      ids.map((id, k) => request(ctx.app).put(`/movie/genres/${g.id}/movies/${id}/`).set(auth(catalogToken)).send(movieBody({ name: `동시 수정 ${k}`, actors: ['공통 배우', `배우 ${k}`] }))),
    );
    expect(updated.map((r) => r.status)).toEqual(Array(20).fill(200));
    const list = await request(ctx.app).get(`/movie/genres/${g.id}/movies/`).expect(200);
    expect(list.body.count).toBe(20);
    for (const [k, id] of ids.entries()) {
      const detail = await request(ctx.app).get(`/movie/${id}/`).expect(200);
      expect(detail.body).toEqual(expect.objectContaining({ name: `동시 수정 ${k}`, actors: ['공통 배우', `배우 ${k}`] }));
    }
  });
});
