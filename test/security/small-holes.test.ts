// Issue 12 item 6, against live MariaDB/Redis: a GET never changes state (the cinema pick), two
// replicas starting together on an empty database, logs that never print secrets or SQL
// parameters, the sign-up rate limit, and text inputs that refuse control characters and invalid
// Unicode with a 400 naming the field.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import request from 'supertest';
import type { Express } from 'express';
import { Like } from 'typeorm';
import { buildApp } from '../../src/app.js';
import { loadConfig, testEnv } from '../../src/config.js';
import { createScratchMysql } from '../../src/db/scratch.js';
import { createLogger } from '../../src/logging.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { Cinema } from '../../src/modules/cinemas/cinema.entities.js';
import { MovieRating } from '../../src/modules/ratings/movie-rating.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { createRuntime, ensureFirstAdmin } from '../../src/runtime.js';
import { createTestApp, purgeRedisPrefix, uniquePrefix, type TestContext } from '../support/context.js';
import { signupAndLogin, staffTokens, uniqueName } from '../support/users.js';

let ctx: TestContext & { app: Express };
const staffToken = staffTokens(() => ctx);
const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const repo = <T extends object>(e: new () => T) => ctx.rt.ds.getRepository(e);

beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

/** A pino logger writing into an array (one JSON line per entry). */
function capturedLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ logLevel: 'info' }, stream), text: () => lines.join('') };
}

describe('a GET never changes state', () => {
  it('GET cinema/{id}/pick/ answers the current state; POST (and the client’s PATCH) toggles it', async () => {
    const member = await signupAndLogin(ctx.app);
    const cinema = await repo(Cinema).save(repo(Cinema).create({ region: '서울', area: '강남구', name: uniqueName('극장'), address: '서울', x: 127, y: 37.5, type: 'CGV' }));
    const get = () => request(ctx.app).get(`/cinema/${cinema.id}/pick/`).set(auth(member.token));
    for (let i = 0; i < 3; i++) expect((await get()).body).toEqual({ pick_cinemas: false });
    expect((await request(ctx.app).post(`/cinema/${cinema.id}/pick/`).set(auth(member.token)).type('form').send('1')).body).toEqual({ pick_cinemas: true });
    for (let i = 0; i < 3; i++) expect((await get()).body).toEqual({ pick_cinemas: true });
    expect((await request(ctx.app).patch(`/cinema/${cinema.id}/pick/`).set(auth(member.token)).send('1')).body).toEqual({ pick_cinemas: false });
    expect((await get()).body).toEqual({ pick_cinemas: false });
  });

  it('the OpenAPI document shows GET (read) and POST/PATCH (toggle) on the seed’s path', async () => {
    const doc = await request(ctx.app).get('/openapi.json').expect(200);
    const ops = doc.body.paths['/cinema/{cinema_id}/pick/'];
    expect(Object.keys(ops).sort()).toEqual(['get', 'patch', 'post']);
    expect(ops.get.summary).toMatch(/read only/);
    expect(ops.post.summary).toBe('자주가는 영화관 등록 토글');
  });
});

describe('two replicas starting together on an empty database', () => {
  it('both come up (migrations and the first admin under a database lock); exactly one admin exists', async () => {
    const te = testEnv();
    const scratch = await createScratchMysql(te.mysqlUrl);
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mq-replicas-'));
    const prefix = uniquePrefix();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(24).toString('hex'),
      SESSION_SECRET: randomBytes(24).toString('hex'),
      DATABASE_URL: scratch.db.type === 'mysql' ? scratch.db.url : '',
      REDIS_URL: te.redisUrl,
      REDIS_PREFIX: prefix,
      ADMIN_EMAIL: 'boss@marquee.test',
      ADMIN_PASSWORD: 'first-admin-pass-1',
    });
    // What `npm run migrate` + `npm start` do on each replica: migrate, then the first admin.
    const start = async () => {
      const rt = await createRuntime(config, { migrate: true, schedule: false });
      return { rt, first: await ensureFirstAdmin(rt) };
    };
    const replicas = await Promise.allSettled([start(), start(), start()]);
    try {
      expect(replicas.map((r) => (r.status === 'rejected' ? String(r.reason) : 'up'))).toEqual(['up', 'up', 'up']);
      const up = replicas.map((r) => (r as PromiseFulfilledResult<Awaited<ReturnType<typeof start>>>).value);
      for (const { first } of up) expect(first).toEqual({ staff: 1, generated: null });
      const admins = await up[0].rt.ds.getRepository(User).findBy({ email: 'boss@marquee.test' });
      expect(admins.map((a) => a.role)).toEqual(['admin']);
      expect(await up[0].rt.services.users.countStaff()).toBe(1);
      // The admin logs in with ADMIN_PASSWORD (whichever replica wrote it last, it is the same password).
      const users = up[1].rt.services.users;
      expect(await users.verifyLogin((await users.resolveLogin(admins[0].username, { staffOnly: true })).user, 'first-admin-pass-1', { staffOnly: true })).not.toBeNull();
    } finally {
      for (const r of replicas) if (r.status === 'fulfilled') await r.value.rt.close();
      await purgeRedisPrefix(te.redisUrl, prefix);
      await scratch.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('logs never print secrets', () => {
  it('censors password, hash, token, authorization, cookie and secret fields at any depth', () => {
    const { logger, text } = capturedLogger();
    logger.info(
      {
        password: 'pw-top-1',
        user: { password_hash: '$argon2id$v=19$m=65536,t=3,p=4$depth1', token: 'tok-depth-1', passwordHash: 'ph-depth-1' },
        req: { headers: { authorization: 'JWT jwt-depth-2', cookie: 'sid=cookie-depth-2', 'set-cookie': 'sid=set-cookie-2' } },
        a: { b: { c: { d: { secret: 'secret-depth-4', hash: 'hash-depth-4', new_password: 'np-depth-4' } } } },
        list: [{ token: 'tok-in-list' }],
        keep: 'visible-value',
      },
      'probe',
    );
    const out = text();
    for (const s of ['pw-top-1', 'argon2', 'tok-depth-1', 'ph-depth-1', 'jwt-depth-2', 'cookie-depth-2', 'set-cookie-2', 'secret-depth-4', 'hash-depth-4', 'np-depth-4', 'tok-in-list']) expect(out).not.toContain(s);
    expect(out).toContain('visible-value');
    expect(out).toContain('[Redacted]');
  });

  it('an error logged with SQL parameters (a failed user INSERT) prints neither the parameters nor the hash', async () => {
    const { logger, text } = capturedLogger();
    const taken = await signupAndLogin(ctx.app);
    const hash = `$argon2id$v=19$m=65536,t=3,p=4$${randomBytes(8).toString('base64')}$${randomBytes(16).toString('base64')}`;
    const err = await repo(User)
      .insert({ username: taken.username, email: 'x@example.com', passwordHash: hash, role: 'user', getAgreement: false })
      .then(() => null, (e: unknown) => e);
    expect(err).toBeTruthy();
    expect(JSON.stringify(err)).toContain('$argon2id$'); // the error object itself carries it
    logger.error({ err }, 'unhandled error');
    logger.error(err as Error);
    const out = text();
    expect(out).toContain('Duplicate entry');
    expect(out).not.toContain('$argon2id$');
    expect(out).not.toContain('"parameters"');
  });

  it('the API’s 500 path (request logger + error handler) scrubs a failed INSERT of a user', async () => {
    // A trigger refuses one username: the sign-up INSERT (with the new argon2 hash bound) fails with a 500.
    await ctx.rt.ds.query("CREATE TRIGGER refuse_test_user BEFORE INSERT ON users FOR EACH ROW IF NEW.username = 'refuse_me_please' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused by the test trigger'; END IF");
    const { logger, text } = capturedLogger();
    const rt = await createRuntime(ctx.config, { migrate: false, schedule: false, logger });
    try {
      const app = await buildApp(rt, { admin: false });
      const res = await request(app).post('/user/signup/').set('Cookie', 'sid=cookie-value-9').send({ username: 'refuse_me_please', password: 'plain-password-42', email: 'refuse@example.com' });
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|refused|INSERT/);
      const out = text();
      expect(out).toContain('refused by the test trigger');
      for (const s of ['$argon2', 'plain-password-42', 'cookie-value-9', '"parameters"']) expect(out).not.toContain(s);
    } finally {
      await rt.close();
      await ctx.rt.ds.query('DROP TRIGGER refuse_test_user');
    }
  });
});

describe('sign-up rate limit per address', () => {
  let limited: TestContext & { app: Express };
  beforeAll(async () => {
    limited = await createTestApp({ env: { SIGNUP_RATE_POINTS: '5', SIGNUP_RATE_WINDOW: '60', SIGNUP_RATE_BLOCK: '120' } });
  });
  afterAll(async () => {
    await limited.close();
  });

  it('probing usernames: the seed’s answers within the budget, then 429 with Retry-After (also for new names)', async () => {
    const { username } = await signupAndLogin(limited.app); // 1 of 5
    const probe = (name: string) => request(limited.app).post('/user/signup/').send({ username: name, password: 'pa55word!x', email: `${uniqueName('p')}@example.com` });
    for (let i = 0; i < 4; i++) {
      const res = await probe(username);
      const taken = ['user의 username은/는 이미 존재합니다.'];
      expect([res.status, res.body]).toEqual([400, { username: taken, message: { username: taken } }]);
    }
    for (const name of [username, uniqueName('fresh')]) {
      const res = await probe(name);
      expect(res.status).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(60);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(120);
      expect(res.body).toEqual({ message: expect.stringMatching(/초 후에 다시 시도하세요/) });
    }
  });
});

describe('control characters and invalid Unicode in text', () => {
  const bad = { nul: 'a\u0000b', soh: 'a\u0001b', lone: 'a\ud800b' };

  it.each(Object.entries(bad))('genre name with %s → 400 {"name": […]}, nothing stored', async (_kind, value) => {
    const token = await staffToken('catalog');
    const suffix = uniqueName('sfx');
    const name = `장르${value}${suffix}`;
    const res = await request(ctx.app).post('/movie/genre/').set(auth(token)).send({ name });
    expect([res.status, res.body]).toEqual([400, { name: ['제어 문자(NUL 등)나 잘못된 유니코드 문자는 사용할 수 없습니다.'] }]);
    const g = await repo(Genre).save(repo(Genre).create({ name: uniqueName('정상') }));
    expect((await request(ctx.app).put(`/movie/genre/${g.id}/`).set(auth(token)).send({ name })).status).toBe(400);
    expect((await repo(Genre).findOneByOrFail({ id: g.id })).name).toBe(g.name);
    expect(await repo(Genre).countBy({ name: Like(`%${suffix}`) })).toBe(0);
  });

  it.each(Object.entries(bad))('sign-up username with %s → 400 {"username": […]}, no account', async (_kind, value) => {
    const username = `u${value}${uniqueName('')}`;
    const res = await request(ctx.app).post('/user/signup/').send({ username, password: 'pa55word!x', email: `${uniqueName('e')}@example.com` });
    expect(res.status).toBe(400);
    // The seed's body, and the same field errors under `message` (what the seed's client reads).
    expect(Object.keys(res.body)).toEqual(['username', 'message']);
    expect(res.body.message).toEqual({ username: res.body.username });
    expect(await ctx.rt.services.users.findByLogin(username)).toBeNull();
  });

  it.each(Object.entries(bad))('rating comment with %s → 400 {"comment": […]}, no rating', async (_kind, value) => {
    const member = await signupAndLogin(ctx.app);
    const movie = await repo(Movie).save(repo(Movie).create({ name: uniqueName('영화') }));
    const res = await request(ctx.app).post('/movie/rating/').set(auth(member.token)).send({ movie: movie.id, score: 4, comment: `좋아요${value}` });
    expect([res.status, Object.keys(res.body)]).toEqual([400, ['comment']]);
    expect(await repo(MovieRating).countBy({ movieId: movie.id })).toBe(0);
    expect((await repo(Movie).findOneByOrFail({ id: movie.id })).ratingCount).toBe(0);
  });

  it('a comment keeps its line breaks and tabs; a name may not have them', async () => {
    const member = await signupAndLogin(ctx.app);
    const movie = await repo(Movie).save(repo(Movie).create({ name: uniqueName('영화') }));
    const ok = await request(ctx.app).post('/movie/rating/').set(auth(member.token)).send({ movie: movie.id, score: 4, comment: '첫 줄\n둘째 줄\t끝' });
    expect(ok.status).toBe(201);
    expect(ok.body.comment).toBe('첫 줄\n둘째 줄\t끝');
    const token = await staffToken('catalog');
    const res = await request(ctx.app).post('/movie/genre/').set(auth(token)).send({ name: '드라\n마' });
    expect([res.status, res.body]).toEqual([400, { name: ['이 필드에는 줄바꿈이나 탭을 사용할 수 없습니다.'] }]);
  });

  it('invalid UTF-8 bytes in a JSON body (decoded as U+FFFD) and NUL in a query or path → 400', async () => {
    const token = await staffToken('catalog');
    const body = Buffer.concat([Buffer.from('{"name":"장르'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    const res = await request(ctx.app).post('/movie/genre/').set(auth(token)).set('Content-Type', 'application/json').send(body);
    expect([res.status, Object.keys(res.body)]).toEqual([400, ['name']]);
    expect((await request(ctx.app).get('/search/movie/').query({ words: 'a\u0000b' })).status).toBe(400);
    expect((await request(ctx.app).get('/search/movie/%00abc/')).status).toBe(400);
  });

  it('in English on Accept-Language: en', async () => {
    const res = await request(ctx.app).post('/user/signup/').set('Accept-Language', 'en').send({ username: uniqueName('ok'), password: 'pa55word!x', email: `a\u0000b@example.com` });
    expect(res.status).toBe(400);
    expect(res.body.email).toBeDefined();
  });
});
