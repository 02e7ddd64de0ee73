// Issue 12 §1: the login lockout holds under attack, at the API (`POST /user/login/`) and the
// panel (`/admin/login`), against live MariaDB and Redis:
// - the account budget is keyed by the account: spellings the database's collation matches to
//   it (accents, case, full-width letters, its e-mail, a trailing space) share one budget, and so
//   do the spellings of a name that is no account;
// - a point is taken before the password is verified: of 40 parallel guesses for one account at
//   most 10 are evaluated, of 120 parallel attempts from one IP at most 50;
// - the API and the panel share one budget; the answer to a wrong password is the same for a
//   known and an unknown account.
// Each scenario comes from its own client address (TRUST_PROXY, X-Forwarded-For).
import request from 'supertest';
import type { Express } from 'express';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin } from '../support/users.js';
import { panelOrigin } from '../support/panel.js';

let ctx: TestContext & { app: Express };
let ipSeq = 0;
const newIp = () => `198.51.100.${++ipSeq}`;
const PASSWORD = 'correct-horse-9';

const apiLogin = (ip: string, username: string, password: string) => request(ctx.app).post('/user/login/').set('X-Forwarded-For', ip).send({ username, password });
const panelLogin = (ip: string, email: string, password: string) => request(ctx.app).post('/admin/login').set(panelOrigin).set('X-Forwarded-For', ip).type('form').send({ email, password });
/** A panel attempt's outcome: 302 = logged in, 200 = the password was checked and wrong, 429 = not evaluated. */
const evaluatedAtPanel = (status: number) => status === 200 || status === 302;

/** A fresh member whose username has an `a` the variants below can replace. */
async function member(): Promise<string> {
  const username = `rla${Date.now().toString(36)}${++ipSeq}`;
  await signupAndLogin(ctx.app, username, PASSWORD);
  return username;
}

beforeAll(async () => {
  ctx = await createTestApp({ admin: true, env: { TRUST_PROXY: 'true', LOGIN_RATE_POINTS: '10' } });
});
afterAll(async () => {
  await ctx?.close();
});

describe('API: the account budget is keyed by the account', () => {
  it.each([
    ['an accented letter', 'á'],
    ['an accented capital', 'Á'],
    ['a full-width letter', 'ａ'],
    ['a capital', 'A'],
  ])('after 10 wrong passwords, %s in the username does not get past the lock with the right password', async (_what, replacement) => {
    const username = await member();
    const ip = newIp();
    for (let i = 0; i < 10; i++) expect((await apiLogin(ip, username, 'wrong-password')).status).toBe(400);
    const variant = username.replace('a', replacement);
    const res = await apiLogin(newIp(), variant, PASSWORD);
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await apiLogin(newIp(), username, PASSWORD)).status).toBe(429);
  });

  it('spellings of a name that is no account share one budget', async () => {
    const ip = newIp();
    const n = ipSeq;
    for (let i = 0; i < 10; i++) expect((await apiLogin(ip, `ghósť${n}`, 'wrong-password')).status).toBe(400);
    expect((await apiLogin(newIp(), `GHOST${n}`, 'wrong-password')).status).toBe(429);
    expect((await apiLogin(newIp(), `ｇｈｏｓｔ${n} `, 'wrong-password')).status).toBe(429);
    expect((await apiLogin(newIp(), `ghost${n}x`, 'wrong-password')).status).toBe(400);
  });

  it('a wrong password reads the same for a known and an unknown account', async () => {
    const username = await member();
    const known = await apiLogin(newIp(), username, 'wrong-password');
    const unknown = await apiLogin(newIp(), `${username}zz`, 'wrong-password');
    expect(known.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(known.body).toEqual(unknown.body);
  });
});

describe('API: a point is taken before the password is checked', () => {
  it('40 parallel wrong guesses for one account: at most 10 evaluated; then the right password is refused too', async () => {
    const username = await member();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => apiLogin(newIp(), i % 2 ? username : username.toUpperCase(), 'wrong-password')));
    const evaluated = results.filter((r) => r.status === 400).length;
    expect(results.every((r) => r.status === 400 || r.status === 429)).toBe(true);
    expect(evaluated).toBe(10);
    console.log(`login lockout (API): 40 parallel guesses for one account → ${evaluated} evaluated`);
    expect((await apiLogin(newIp(), username, PASSWORD)).status).toBe(429);
  });

  it('39 wrong and the right one in one burst: the right one is either refused or among the first 10 evaluated', async () => {
    const username = await member();
    const ip = newIp();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => apiLogin(ip, username, i === 39 ? PASSWORD : 'wrong-password')));
    const evaluated = results.filter((r) => r.status !== 429).length;
    expect(evaluated).toBeLessThanOrEqual(10);
  });

  it('120 parallel attempts from one IP over many names: at most 50 evaluated', async () => {
    const ip = newIp();
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => apiLogin(ip, `spray${ipSeq}x${i}`, 'guess-guess')));
    const evaluated = results.filter((r) => r.status === 400).length;
    expect(results.every((r) => r.status === 400 || r.status === 429)).toBe(true);
    expect(evaluated).toBe(50);
    console.log(`login lockout (API): 120 parallel attempts from one IP → ${evaluated} evaluated`);
  });
});

describe('panel: the same throttle', () => {
  it('after 10 wrong passwords for the e-mail, the username, an accented domain or a trailing space do not get in', async () => {
    const staff = await createStaff(ctx.rt, 'finance', PASSWORD);
    const ip = newIp();
    for (let i = 0; i < 10; i++) expect((await panelLogin(ip, staff.email, 'wrong-password')).status).toBe(200);
    for (const variant of [staff.user.username, staff.email.replace('marquee.test', 'marquée.test'), `${staff.email} `, staff.email.toUpperCase()]) {
      const res = await panelLogin(newIp(), variant, PASSWORD);
      expect(res.status).toBe(429);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/marquee\.admin=s%3A/)]));
    }
  });

  it('API and panel share one budget per account', async () => {
    const staff = await createStaff(ctx.rt, 'support', PASSWORD);
    for (let i = 0; i < 5; i++) expect((await apiLogin(newIp(), staff.user.username, 'wrong-password')).status).toBe(400);
    for (let i = 0; i < 5; i++) expect((await panelLogin(newIp(), staff.email, 'wrong-password')).status).toBe(200);
    expect((await panelLogin(newIp(), staff.email, PASSWORD)).status).toBe(429);
    expect((await apiLogin(newIp(), staff.user.username, PASSWORD)).status).toBe(429);
  });

  it('40 parallel wrong guesses for one staff account: at most 10 evaluated', async () => {
    const staff = await createStaff(ctx.rt, 'catalog', PASSWORD);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => panelLogin(newIp(), i % 2 ? staff.email : staff.user.username, 'wrong-password')));
    const evaluated = results.filter((r) => evaluatedAtPanel(r.status)).length;
    expect(results.every((r) => evaluatedAtPanel(r.status) || r.status === 429)).toBe(true);
    expect(evaluated).toBe(10);
    console.log(`login lockout (panel): 40 parallel guesses for one account → ${evaluated} evaluated`);
  });

  it('120 parallel attempts from one IP: at most 50 evaluated', async () => {
    const ip = newIp();
    const results = await Promise.all(Array.from({ length: 120 }, (_, i) => panelLogin(ip, `spray${ipSeq}x${i}@marquee.test`, 'guess-guess')));
    const evaluated = results.filter((r) => evaluatedAtPanel(r.status)).length;
    expect(evaluated).toBe(50);
    console.log(`login lockout (panel): 120 parallel attempts from one IP → ${evaluated} evaluated`);
    // the IP stays blocked for the right password of a real account too
    const staff = await createStaff(ctx.rt, 'finance', PASSWORD);
    expect((await panelLogin(ip, staff.email, PASSWORD)).status).toBe(429);
  });

  it('a successful login clears the account count (a member who typed it wrong 9 times still gets in)', async () => {
    const username = await member();
    const ip = newIp();
    for (let i = 0; i < 9; i++) await apiLogin(ip, username, 'wrong-password');
    expect((await apiLogin(ip, username, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 9; i++) expect((await apiLogin(ip, username, 'wrong-password')).status).toBe(400);
    expect((await apiLogin(ip, username, PASSWORD)).status).toBe(200);
  });
});
