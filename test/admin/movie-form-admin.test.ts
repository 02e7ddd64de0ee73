// The movie form of the panel over its action API (live MariaDB and Redis): genres and credits
// (person, role, character, order) saved with the movie in one transaction through the catalog
// service, a bad credit refused on its field with nothing changed; poster uploads sniffed from
// their bytes and served under /media/; the movie list's search through the product's search
// index (초성, no spaces, English titles).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieCredit, MovieGenre } from '../../src/modules/catalog/movie.entity.js';
import { Person } from '../../src/modules/catalog/person.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { panelLogins } from '../support/panel.js';
import { uniqueName } from '../support/users.js';

let ctx: TestContext & { app: Express };
let work: string;
const as = panelLogins(() => ctx);
const api = '/admin/api/resources';
const repo = <T extends object>(e: new () => T) => ctx.rt.ds.getRepository(e);

beforeAll(async () => {
  ctx = await createTestApp({ admin: true, env: { POSTER_MAX_BYTES: String(64 * 1024) } });
  work = mkdtempSync(path.join(os.tmpdir(), 'mq-posters-'));
}, 60_000);
afterAll(async () => {
  await ctx?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const image = (name: string, extra: string[] = []) => {
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=blue:s=20x30', '-frames:v', '1', ...extra, path.join(work, name)]);
  return readFileSync(path.join(work, name));
};

const creditsOf = async (movieId: number) =>
  (await repo(MovieCredit).find({ where: { movieId }, order: { position: 'ASC' } })).map((c) => ({ person: c.personId, role: c.role, character: c.character, position: c.position }));
const genresOf = async (movieId: number) => (await repo(MovieGenre).find({ where: { movieId }, order: { genreId: 'ASC' } })).map((g) => g.genreId);

describe('genres and credits on the movie form', () => {
  let movieId: number;
  let drama: Genre;
  let thriller: Genre;
  let director: Person;
  let actor: Person;
  let actress: Person;

  beforeAll(async () => {
    [drama, thriller] = [await repo(Genre).save({ name: uniqueName('드라마') }), await repo(Genre).save({ name: uniqueName('스릴러') })];
    [director, actor, actress] = [await repo(Person).save({ name: '봉준호', nameEng: 'Bong Joon-ho' }), await repo(Person).save({ name: '송강호', nameEng: null }), await repo(Person).save({ name: '조여정', nameEng: null })];
    movieId = (await ctx.rt.services.catalog.createMovie({ name: '기생충', genreIds: [drama.id] }, null)).movie.id;
  });

  it('the edit form opens with the movie\'s genres and credits', async () => {
    await ctx.rt.services.catalog.updateMovie(movieId, { name: '기생충', credits: [{ person: director.id, role: 'director', position: 0 }] }, null);
    const agent = await as('catalog');
    const res = await agent.get(`${api}/movies/records/${movieId}/edit`).expect(200);
    expect(res.body.record.params).toMatchObject({ 'genres.0': String(drama.id), 'credits.0.person': String(director.id), 'credits.0.personName': '봉준호', 'credits.0.role': 'director', 'credits.0.position': '0' });
  });

  it('saves genres and ordered credits (person, role, character, order) with the movie, audited', async () => {
    const agent = await as('catalog');
    const res = await agent.post(`${api}/movies/records/${movieId}/edit`).send({
      runningTime: '132',
      'genres.0': String(thriller.id),
      'genres.1': String(drama.id),
      'credits.0.person': String(director.id),
      'credits.0.role': 'director',
      'credits.0.position': '0',
      'credits.1.person': String(actor.id),
      'credits.1.role': 'actor',
      'credits.1.character': '기택',
      'credits.1.position': '1',
      'credits.2.person': String(actress.id),
      'credits.2.role': 'actor',
      'credits.2.character': '연교',
      'credits.2.position': '2',
    });
    expect(res.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    expect(await genresOf(movieId)).toEqual([drama.id, thriller.id].sort((a, b) => a - b));
    expect(await creditsOf(movieId)).toEqual([
      { person: director.id, role: 'director', character: null, position: 0 },
      { person: actor.id, role: 'actor', character: '기택', position: 1 },
      { person: actress.id, role: 'actor', character: '연교', position: 2 },
    ]);
    expect((await repo(Movie).findOneByOrFail({ id: movieId })).runningTime).toBe(132);
    // The public answer follows (the read cache was told).
    const pub = await request(ctx.app).get(`/movie/${movieId}/`).expect(200);
    expect(pub.body).toMatchObject({ directors: ['봉준호'], actors: ['송강호', '조여정'] });
    const [entry] = await repo(AuditEntry).find({ where: { resource: 'movies', recordId: String(movieId), action: 'update' }, order: { id: 'DESC' }, take: 1 });
    expect(JSON.parse(String(entry!.diff ?? '{}'))).toMatchObject({ credits: expect.any(Array) });
  });

  it('a credit of an unknown person is refused on its row; nothing changes', async () => {
    const agent = await as('catalog');
    const before = { credits: await creditsOf(movieId), genres: await genresOf(movieId), movie: await repo(Movie).findOneByOrFail({ id: movieId }) };
    const res = await agent.post(`${api}/movies/records/${movieId}/edit`).send({
      runningTime: '99',
      'genres.0': String(drama.id),
      'credits.0.person': String(actor.id),
      'credits.0.role': 'actor',
      'credits.0.position': '0',
      'credits.1.person': '99999999',
      'credits.1.role': 'actor',
      'credits.1.position': '1',
    });
    expect(res.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect(res.body.record.errors['credits.1.person'].message).toMatch(/99999999/);
    expect(res.body.record.errors.credits.message).toMatch(/^2행: /);
    expect(res.body.record.errors['credits.0.person']).toBeUndefined();
    expect(await creditsOf(movieId)).toEqual(before.credits);
    expect(await genresOf(movieId)).toEqual(before.genres);
    expect((await repo(Movie).findOneByOrFail({ id: movieId })).runningTime).toBe(before.movie.runningTime);

    // A bad role is the schema's error on that row; the same person twice in one role too.
    const badRole = await agent.post(`${api}/movies/records/${movieId}/edit`).send({ 'credits.0.person': String(actor.id), 'credits.0.role': 'producer' });
    expect(badRole.body.record.errors['credits.0.role']).toBeDefined();
    const twice = await agent.post(`${api}/movies/records/${movieId}/edit`).send({
      'credits.0.person': String(actor.id),
      'credits.0.role': 'actor',
      'credits.1.person': String(actor.id),
      'credits.1.role': 'actor',
    });
    expect(twice.body.record.errors['credits.1.role']).toBeDefined();
    expect(await creditsOf(movieId)).toEqual(before.credits);
  });

  it('emptied lists remove every genre and credit; lists left out stay as they are', async () => {
    const agent = await as('catalog');
    const kept = await creditsOf(movieId);
    await agent.post(`${api}/movies/records/${movieId}/edit`).send({ genres: '__FORM_VALUE_EMPTY_ARRAY__' }).expect(200);
    expect(await genresOf(movieId)).toEqual([]);
    expect(await creditsOf(movieId)).toEqual(kept);
    await agent.post(`${api}/movies/records/${movieId}/edit`).send({ credits: '__FORM_VALUE_EMPTY_ARRAY__' }).expect(200);
    expect(await creditsOf(movieId)).toEqual([]);
  });

  it('a new movie is created with its genres and credits', async () => {
    const agent = await as('catalog');
    const res = await agent.post(`${api}/movies/actions/new`).send({ name: uniqueName('새 영화 '), 'genres.0': String(drama.id), 'credits.0.person': String(actor.id), 'credits.0.role': 'actor', 'credits.0.character': '주인공' });
    expect(res.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    const id = Number(res.body.record.id);
    expect(await genresOf(id)).toEqual([drama.id]);
    expect(await creditsOf(id)).toEqual([{ person: actor.id, role: 'actor', character: '주인공', position: 0 }]);
  });

  it('finance cannot write', async () => {
    const agent = await as('finance');
    const before = await genresOf(movieId);
    const res = await agent.post(`${api}/movies/records/${movieId}/edit`).send({ 'genres.0': String(thriller.id) });
    expect(res.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect(await genresOf(movieId)).toEqual(before);
  });
});

describe('poster upload', () => {
  const uploadPoster = async (bytes: Buffer, filename: string, role: 'catalog' | 'finance' = 'catalog') =>
    (await as(role)).post(`${api}/movies/actions/uploadPoster`).attach('file', bytes, { filename, contentType: 'image/png' });

  it('refuses text named .png (400 on the file field) and stores nothing', async () => {
    const res = await uploadPoster(Buffer.from('<html>not an image</html>'.repeat(20)), 'poster.png');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ file: [expect.stringMatching(/JPEG, PNG, WebP 이미지가 아닙니다/)] });
    expect(() => readFileSync(path.join(ctx.rt.config.mediaDir, 'posters'))).toThrow();
  });

  it('stores a real PNG (metadata stripped) and serves it under /media/; the movie keeps it when saved', async () => {
    const png = image('p.png');
    const withText = Buffer.concat([png.subarray(0, 33), pngTextChunk('Comment', 'GPS 37.56N'), png.subarray(33)]);
    const res = await uploadPoster(withText, 'poster.png');
    expect(res.status).toBe(200);
    const url: string = res.body.poster.url;
    expect(url).toMatch(/^\/media\/posters\/[0-9a-f]{32}\.png$/);
    expect(res.body.poster).toMatchObject({ kind: 'png', width: 20, height: 30 });
    const served = await request(ctx.app).get(url).expect(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.from(served.body)).toEqual(png);

    const movie = await ctx.rt.services.catalog.createMovie({ name: uniqueName('포스터 ') }, null);
    const saved = await (await as('catalog')).post(`${api}/movies/records/${movie.movie.id}/edit`).send({ poster: url });
    expect(saved.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    expect((await repo(Movie).findOneByOrFail({ id: movie.movie.id })).poster).toBe(url);
    expect((await request(ctx.app).get(`/movie/${movie.movie.id}/`).expect(200)).body.poster).toBe(url);
    // Another path under /media is not a poster.
    const bad = await (await as('catalog')).post(`${api}/movies/records/${movie.movie.id}/edit`).send({ poster: '/media/profile/x.png' });
    expect(bad.body.record.errors.poster).toBeDefined();
  });

  it('accepts WebP and JPEG by their bytes; refuses GIF, a file over the limit, and finance', async () => {
    const webp = await uploadPoster(image('p.webp'), 'p.png');
    expect([webp.status, webp.body.poster?.kind]).toEqual([200, 'webp']);
    expect((await request(ctx.app).get(webp.body.poster.url).expect(200)).headers['content-type']).toBe('image/webp');
    const jpeg = await uploadPoster(image('p.jpg'), 'p.webp');
    expect([jpeg.status, jpeg.body.poster?.kind]).toEqual([200, 'jpeg']);
    expect((await uploadPoster(image('p.gif'), 'p.gif')).status).toBe(400);
    const big = Buffer.concat([image('big.png'), Buffer.alloc(70 * 1024)]);
    expect((await uploadPoster(big, 'big.png')).status).toBe(413);
    const refused = await uploadPoster(image('f.png'), 'f.png', 'finance');
    expect(refused.body.poster).toBeUndefined();
    expect(refused.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
  });
});

describe('the movie list searches with the product\'s search index', () => {
  let ids: Record<string, number>;
  beforeAll(async () => {
    ids = {};
    for (const [name, nameEng] of [['기생충', 'Parasite'], ['살인의 추억', 'Memories of Murder'], ['괴물', 'The Host']] as const) {
      ids[name] = (await ctx.rt.services.catalog.createMovie({ name, nameEng }, null)).movie.id;
    }
  });
  const search = async (q: string) => {
    const res = await (await as('catalog')).get(`${api}/movies/actions/list`).query({ 'filters.name': q, perPage: 50 }).expect(200);
    return (res.body.records as Array<{ id: string }>).map((r) => Number(r.id));
  };

  it('finds by 초성, without the spaces, and by the English title', async () => {
    expect(await search('ㅅㅇㅇㅊㅇ')).toContain(ids['살인의 추억']);
    expect(await search('살인의추억')).toContain(ids['살인의 추억']);
    expect(await search('parasite')).toContain(ids['기생충']);
    expect(await search('parasite')).not.toContain(ids['괴물']);
    // The reference pickers (the search action) too.
    const picked = await (await as('catalog')).get(`${api}/movies/search/${encodeURIComponent('ㄱㅅㅊ')}`).expect(200);
    expect((picked.body.records as Array<{ id: string }>).map((r) => Number(r.id))).toContain(ids['기생충']);
  });

  it('a query that finds nothing lists nothing', async () => {
    expect(await search('zzzzqqqq')).toEqual([]);
  });
});

/** A PNG tEXt chunk (length, type, data, CRC). */
function pngTextChunk(key: string, text: string): Buffer {
  const data = Buffer.from(`${key}\0${text}`, 'latin1');
  const body = Buffer.concat([Buffer.from('tEXt', 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  let c = 0xffffffff;
  for (const b of body) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE((c ^ 0xffffffff) >>> 0);
  return Buffer.concat([len, body, crc]);
}

describe('content metadata in the panel', () => {
  it('edits audio languages, subtitles and tags through the contents service; a bad code is a field error and changes nothing', async () => {
    const { Content } = await import('../../src/modules/catalog/content.entity.js');
    const c = await repo(Content).save({ movieId: null, title: '메타데이터', storageKey: `k/meta-${Date.now()}`, originalName: null, sizeBytes: '1', sha256: 'c'.repeat(64), mimeType: 'video/mp4', status: 'ready', statusReason: null, validFrom: null, validUntil: null, metadata: { duration_seconds: 7384, width: 1920, height: 1080, video_codec: 'h264', audio_codecs: ['aac'], audio_languages: ['ko'] }, uploadedBy: null });
    const agent = await as('catalog');
    const bad = await agent.post(`${api}/contents/records/${c.id}/metadata`).send({ audio_languages: 'ko, 12345', tags: '4K' });
    expect(bad.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect(bad.body.record.errors.audio_languages).toBeDefined();
    expect((await repo(Content).findOneByOrFail({ id: c.id })).metadata).toMatchObject({ audio_languages: ['ko'] });

    const ok = await agent.post(`${api}/contents/records/${c.id}/metadata`).send({ audio_languages: 'ko, en', subtitles: 'ko,en,ja', tags: '4K, HDR' });
    expect(ok.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    expect((await repo(Content).findOneByOrFail({ id: c.id })).metadata).toMatchObject({ duration_seconds: 7384, audio_languages: ['ko', 'en'], subtitles: ['ko', 'en', 'ja'], tags: ['4K', 'HDR'] });
    expect(await repo(AuditEntry).countBy({ resource: 'contents', recordId: String(c.id), reason: 'metadata' })).toBe(1);
    const finance = await (await as('finance')).post(`${api}/contents/records/${c.id}/metadata`).send({ tags: 'x' });
    expect(finance.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    expect((await repo(Content).findOneByOrFail({ id: c.id })).metadata?.tags).toEqual(['4K', 'HDR']);
  });
});
