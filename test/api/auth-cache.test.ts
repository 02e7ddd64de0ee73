// The API's token → user cache (src/http/auth.ts, issue 16): a signed-in request's account lookup
// is served from the process's cache, and every change that ends or alters what a token stands for
// — a password change, log out everywhere, deactivation, role change, rename, delete — is refused or
// seen on the next request in the same process and, through Redis pub/sub, in a second process
// (its own runtime and cache on the same database) within 100 ms.
import request from 'supertest';
import type { Express } from 'express';
import { buildApp } from '../../src/app.js';
import type { TokenUserCache } from '../../src/http/auth.js';
import { createRuntime, type Runtime } from '../../src/runtime.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin } from '../support/users.js';
import { birthDateYearsAgo, verifyAge } from '../support/age.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';

let ctx: TestContext & { app: Express };
let other: { rt: Runtime; app: Express };
const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const cacheOf = (app: Express) => app.locals.tokenUsers as TokenUserCache;
const myPage = (app: Express, token: string) => request(app).get('/user/').set(auth(token));
const idOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).user_id as number;

beforeAll(async () => {
  ctx = await createTestApp();
  const rt = await createRuntime(ctx.config, { migrate: false, schedule: false, relay: false });
  other = { rt, app: await buildApp(rt, { admin: false }) };
});
afterAll(async () => {
  await other?.rt.close();
  await ctx?.close();
});

/** Polls `read` until `ok`; returns the milliseconds it took (fails after `limitMs`). */
async function within(limitMs: number, read: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    if (await read()) return Date.now() - t0;
    if (Date.now() - t0 > limitMs) throw new Error(`not seen within ${limitMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A member whose token both processes have cached (the second request of each is a hit). */
async function cachedMember(): Promise<{ token: string; id: number; username: string; password: string }> {
  const m = await signupAndLogin(ctx.app);
  for (const app of [ctx.app, other.app]) {
    await myPage(app, m.token).expect(200);
    const hits = cacheOf(app).hits;
    await myPage(app, m.token).expect(200);
    expect(cacheOf(app).hits).toBe(hits + 1);
  }
  return { ...m, id: idOf(m.token) };
}

const refused = async (app: Express, token: string) => (await myPage(app, token)).status === 401;

it('log out everywhere: the token is refused on the next request here, and in the other process within 100 ms', async () => {
  const m = await cachedMember();
  await request(ctx.app).post('/user/logout-all').set(auth(m.token)).expect(204);
  await myPage(ctx.app, m.token).expect(401);
  expect(await within(100, () => refused(other.app, m.token))).toBeLessThanOrEqual(100);
});

it('a password change: earlier tokens refused here and in the other process, the one that made it and the fresh one accepted', async () => {
  const m = await cachedMember();
  // A second login of the account, cached in both processes; the first token makes the change.
  const second = (await request(ctx.app).post('/user/login/').send({ username: m.username, password: m.password }).expect(200)).body.token as string;
  for (const app of [ctx.app, other.app]) await myPage(app, second).expect(200);
  const res = await request(ctx.app).patch('/user/password').set(auth(m.token)).send({ password: m.password, new_password: 'another-horse-7' }).expect(203);
  await myPage(ctx.app, second).expect(401);
  expect(await within(100, () => refused(other.app, second))).toBeLessThanOrEqual(100);
  // The token that made the change stays valid (as Django keeps that session), and so does the fresh one.
  for (const app of [ctx.app, other.app]) {
    await myPage(app, m.token).expect(200);
    await myPage(app, res.body.token).expect(200);
  }
});

it('a deactivation by staff: refused on the next request here, and in the other process within 100 ms', async () => {
  const m = await cachedMember();
  await ctx.rt.services.users.updateAccount(m.id, { isActive: false });
  await myPage(ctx.app, m.token).expect(401);
  expect(await within(100, () => refused(other.app, m.token))).toBeLessThanOrEqual(100);
});

it('a rename drops the cached account (the next request reads it again); a deleted account is refused', async () => {
  const m = await cachedMember();
  await ctx.rt.services.users.updateAccount(m.id, { username: `${m.username}_r` });
  for (const app of [ctx.app, other.app]) {
    await within(100, async () => {
      const misses = cacheOf(app).misses;
      await myPage(app, m.token).expect(200);
      return cacheOf(app).misses === misses + 1;
    });
  }
  await ctx.rt.services.users.deleteAccount(m.id, null);
  await myPage(ctx.app, m.token).expect(401);
  expect(await within(100, () => refused(other.app, m.token))).toBeLessThanOrEqual(100);
});

it('a lookup that began before a revocation is not kept', async () => {
  const m = await signupAndLogin(ctx.app);
  const cache = cacheOf(ctx.app);
  // The revocation lands while the lookup is under way (between its read and its store).
  const racing = cache.through(`race:${m.token}`, idOf(m.token), async () => {
    const u = await ctx.rt.services.users.authUserForToken(idOf(m.token), { tv: 0 });
    await ctx.rt.services.users.revokeTokens(idOf(m.token));
    return u;
  });
  expect(await racing).not.toBeNull();
  const misses = cache.misses;
  await cache.through(`race:${m.token}`, idOf(m.token), async () => null);
  expect(cache.misses).toBe(misses + 1);
  await myPage(ctx.app, m.token).expect(401);
});

// The age gate's verified birth dates (src/modules/age/verification-cache.ts) are kept per process
// with the same bounds: a member's verification reaches the next request here and, through Redis,
// the other process within 100 ms.
const verificationsOf = (rt: Runtime) => rt.services.age.verifications;

it('an age verification: the cached "not verified" goes at once here and within 100 ms in the other process', async () => {
  const m = await signupAndLogin(ctx.app);
  const movie = await ctx.rt.ds.getRepository(Movie).save(ctx.rt.ds.getRepository(Movie).create({ name: `성인영화${Date.now()}`, watchGrade: '청소년 관람불가', runningTime: 100, poster: null, openDate: '2020-01-01' }));
  // A fixture row written past the catalog's write paths: tell its caches, as they do.
  ctx.rt.services.catalog.externalChange({ ids: [movie.id] });
  const detail = (app: Express) => request(app).get(`/movie/${movie.id}/`).set(auth(m.token));
  for (const [app, rt] of [[ctx.app, ctx.rt], [other.app, other.rt]] as const) {
    expect((await detail(app).expect(403)).body.message).toMatch(/19/);
    const hits = verificationsOf(rt).hits;
    await detail(app).expect(403);
    expect(verificationsOf(rt).hits).toBe(hits + 1);
  }
  expect((await verifyAge(ctx.app, ctx.config, m.token, birthDateYearsAgo(30))).body).toEqual({ status: 'verified' });
  await detail(ctx.app).expect(200);
  expect(await within(100, async () => (await detail(other.app)).status === 200)).toBeLessThanOrEqual(100);
  // Both keep the verified birth date now.
  for (const [app, rt] of [[ctx.app, ctx.rt], [other.app, other.rt]] as const) {
    const hits = verificationsOf(rt).hits;
    await detail(app).expect(200);
    expect(verificationsOf(rt).hits).toBe(hits + 1);
  }
});

it('a birth-date lookup that began before a verification is not kept', async () => {
  const m = await signupAndLogin(ctx.app);
  const id = idOf(m.token);
  const cache = verificationsOf(ctx.rt);
  // The verification lands while the lookup is under way (between its read and its store).
  const racing = cache.through(id, id, async () => {
    expect((await verifyAge(ctx.app, ctx.config, m.token, birthDateYearsAgo(20))).body).toEqual({ status: 'verified' });
    return null;
  });
  expect(await racing).toBeNull();
  const viewer = await ctx.rt.services.age.viewer({ id, username: m.username, email: `${m.username}@example.com`, role: 'user' });
  expect(viewer).toEqual({ staff: false, verified: true, age: 20 });
});
