// Issue 13 §3: panel sessions follow the account (live MariaDB and Redis, supertest agents):
// - the session id changes at login: a cookie from before a login (a catalog session) never
//   becomes the session of the staff member who logs in with it;
// - deactivation, demotion (out of staff or to another staff role) and a password change (panel
//   "Set password" or the API's PATCH user/password/) are refused at the very next panel request;
// - an admin's "End sessions" deletes every session of another staff member from Redis (the
//   per-account index) and they are refused at once; audited; not for other roles;
// - logout deletes the session server-side;
// - the embedded mode (sessions in the database) ends them too.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Payment } from '../../src/modules/commerce/commerce.entities.js';
import { HttpSession } from '../../src/db/session.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { auth, CARD, memberAccount } from '../support/commerce-instruments.js';
import { panelAgent, panelOrigin } from '../support/panel.js';
import { createStaff, uniqueName } from '../support/users.js';

let ctx: TestContext & { app: Express };
let redis: Redis;
const api = '/admin/api/resources';

beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
  redis = new Redis(ctx.config.redisUrl!);
}, 120_000);
afterAll(async () => {
  redis?.disconnect();
  await ctx?.close();
});

/** The session cookie (`marquee.admin=…`) a response sets, or null. */
function sessionCookie(res: request.Response): string | null {
  const all = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const c = all.find((x) => x.startsWith('marquee.admin='));
  return c ? c.split(';')[0] : null;
}
const sidOf = (cookie: string) => decodeURIComponent(cookie.split('=')[1]).replace(/^s:/, '').split('.')[0];

async function login(role: 'admin' | 'catalog' | 'finance' | 'support', agent = panelAgent(ctx.app)) {
  const staff = await createStaff(ctx.rt, role);
  const res = await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password });
  expect(res.status).toBe(302);
  return { agent, staff, cookie: sessionCookie(res)! };
}

/** A request with only this cookie (another browser holding it). */
const withCookie = (cookie: string) => ({
  get: (path: string) => request(ctx.app).get(path).set(panelOrigin).set('Cookie', cookie),
  post: (path: string) => request(ctx.app).post(path).set(panelOrigin).set('Cookie', cookie),
});

/** The panel's answer to a request without a (valid) session: to the login page. */
const toLogin = (res: request.Response) => {
  expect(res.status).toBe(302);
  expect(res.headers.location).toBe('/admin/login');
};

const editUser = (admin: ReturnType<typeof panelAgent>, id: number, patch: Record<string, string>) => admin.post(`${api}/users/records/${id}/edit`).send(patch);

describe('session id at login', () => {
  it('a cookie from before the login is not the session after it (catalog cookie → admin login)', async () => {
    const { agent, cookie: before } = await login('catalog');
    expect((await agent.get(`${api}/genres/actions/list`)).status).toBe(200);
    // The same browser (its catalog cookie) logs in as an admin.
    const admin = await createStaff(ctx.rt, 'admin');
    const res = await agent.post('/admin/login').type('form').send({ email: admin.email, password: admin.password });
    expect(res.status).toBe(302);
    const after = sessionCookie(res);
    expect(after).not.toBeNull();
    expect(sidOf(after!)).not.toBe(sidOf(before));
    // Whoever kept the catalog cookie holds nothing: not the admin session, not the old one.
    toLogin(await withCookie(before).get(`${api}/users/actions/list`));
    expect(await redis.exists(`${ctx.config.redisPrefix}:sess:${sidOf(before)}`)).toBe(0);
    // The new cookie is the admin's.
    const users = await withCookie(after!).get(`${api}/users/actions/list`);
    expect(users.status).toBe(200);
    expect(users.body.records.length).toBeGreaterThan(0);
  });
});

describe('changes to the account reach the live session at its next request', () => {
  it('a deactivated catalog account cannot create the next genre', async () => {
    const { agent: admin } = await login('admin');
    const { agent, staff } = await login('catalog');
    const first = await agent.post(`${api}/genres/actions/new`).send({ name: uniqueName('g-before') });
    expect(first.status).toBe(200);
    expect(first.body.record.errors ?? {}).toEqual({});

    const off = await editUser(admin, staff.user.id, { isActive: 'false' });
    expect(off.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    const name = uniqueName('g-after');
    toLogin(await agent.post(`${api}/genres/actions/new`).send({ name }));
    expect(await ctx.rt.ds.getRepository(Genre).countBy({ name })).toBe(0);
    // Reactivating does not bring the ended session back.
    await editUser(admin, staff.user.id, { isActive: 'true' });
    toLogin(await agent.get(`${api}/genres/actions/list`));
  });

  it('a finance account demoted to member cannot read payments or refund at its next request', async () => {
    const member = await memberAccount(ctx.rt, ctx.app);
    const post = (path: string, body: object) => request(ctx.app).post(path).set(auth(member.token)).set('Idempotency-Key', randomUUID()).send(body);
    const m = (await request(ctx.app).post('/payments/methods/').set(auth(member.token)).send(CARD).expect(201)).body.id;
    const req = await post('/payments/request/', { plan: 'monthly', method_id: m }).expect(201);
    await post('/payments/approve/', { payment_id: req.body.payment_id }).expect(200);
    await post('/payments/execute/', { payment_id: req.body.payment_id }).expect(200);
    const paymentId = req.body.payment_id as number;

    const { agent: admin } = await login('admin');
    const { agent: finance, staff } = await login('finance');
    expect((await finance.get(`${api}/payments/actions/list`)).body.records.length).toBeGreaterThan(0);

    await editUser(admin, staff.user.id, { role: 'user' });
    toLogin(await finance.get(`${api}/payments/actions/list`));
    toLogin(await finance.post(`${api}/payments/records/${paymentId}/refund`).send({ amount: '100', reason: 'after demotion' }));
    expect((await ctx.rt.ds.getRepository(Payment).findOneByOrFail({ id: paymentId })).refundedAmount).toBe(0);
  });

  it('a role change among staff roles ends the session too (the new role logs in afresh)', async () => {
    const { agent: admin } = await login('admin');
    const { agent, staff } = await login('finance');
    await editUser(admin, staff.user.id, { role: 'catalog' });
    toLogin(await agent.get(`${api}/payments/actions/list`));
    const again = panelAgent(ctx.app);
    expect((await again.post('/admin/login').type('form').send({ email: staff.email, password: staff.password })).status).toBe(302);
    expect((await again.get(`${api}/genres/actions/list`)).status).toBe(200);
  });

  it('a password set by an admin ends the session at its next request', async () => {
    const { agent: admin } = await login('admin');
    const { agent, staff } = await login('catalog');
    const set = await admin.post(`${api}/users/records/${staff.user.id}/setPassword`).send({ password: 'brand-new-pass-1' });
    expect(set.body.notice).toEqual(expect.objectContaining({ type: 'success' }));
    toLogin(await agent.get(`${api}/genres/actions/list`));
  });

  it('a password changed through the API (PATCH user/password/) ends the panel session', async () => {
    const { agent, staff } = await login('catalog');
    const token = (await request(ctx.app).post('/user/login/').send({ username: staff.user.username, password: staff.password }).expect(200)).body.token;
    await request(ctx.app).patch('/user/password/').set(auth(token)).send({ password: staff.password, new_password: 'another-pass-2' }).expect(203);
    toLogin(await agent.get(`${api}/genres/actions/list`));
  });
});

describe('End sessions', () => {
  it('an admin ends every session of another staff member: gone from Redis and its index, refused at once, audited', async () => {
    const { agent: admin, staff: adminStaff } = await login('admin');
    const staff = await createStaff(ctx.rt, 'catalog');
    const devices = [panelAgent(ctx.app), panelAgent(ctx.app)];
    const sids: string[] = [];
    for (const d of devices) {
      const res = await d.post('/admin/login').type('form').send({ email: staff.email, password: staff.password });
      sids.push(sidOf(sessionCookie(res)!));
    }
    const index = `${ctx.config.redisPrefix}:sess-user:${staff.user.id}`;
    expect((await redis.smembers(index)).sort()).toEqual([...sids].sort());
    expect(await redis.ttl(index)).toBeGreaterThan(7 * 3600);

    const res = await admin.post(`${api}/users/records/${staff.user.id}/endSessions`).send({});
    expect(res.body.notice).toEqual({ message: expect.stringMatching(/^패널 세션 2개를 종료했습니다/), type: 'success' });
    for (const sid of sids) expect(await redis.exists(`${ctx.config.redisPrefix}:sess:${sid}`)).toBe(0);
    expect(await redis.exists(index)).toBe(0);
    for (const d of devices) toLogin(await d.get(`${api}/genres/actions/list`));
    const entry = await ctx.rt.ds.getRepository(AuditEntry).findOneByOrFail({ action: 'end-sessions', recordId: String(staff.user.id) });
    expect(entry).toEqual(expect.objectContaining({ resource: 'users', actorId: adminStaff.user.id }));
    // The admin's own session is untouched.
    expect((await admin.get(`${api}/users/actions/list`)).status).toBe(200);
  });

  it('is for admins only', async () => {
    const { agent: finance } = await login('finance');
    const { staff, agent } = await login('catalog');
    const res = await finance.post(`${api}/users/records/${staff.user.id}/endSessions`).send({});
    expect(res.body.notice ?? {}).not.toEqual(expect.objectContaining({ type: 'success' }));
    expect((await agent.get(`${api}/genres/actions/list`)).status).toBe(200);
    expect(await redis.scard(`${ctx.config.redisPrefix}:sess-user:${staff.user.id}`)).toBe(1);
  });
});

describe('logout', () => {
  it('deletes the session and its index entry in Redis; the old cookie is refused', async () => {
    const { agent, staff, cookie } = await login('support');
    const sid = sidOf(cookie);
    expect(await redis.sismember(`${ctx.config.redisPrefix}:sess-user:${staff.user.id}`, sid)).toBe(1);
    const out = await agent.get('/admin/logout');
    expect(out.status).toBe(302);
    expect(await redis.exists(`${ctx.config.redisPrefix}:sess:${sid}`)).toBe(0);
    expect(await redis.sismember(`${ctx.config.redisPrefix}:sess-user:${staff.user.id}`, sid)).toBe(0);
    toLogin(await withCookie(cookie).get(`${api}/members/actions/list`));
  });
});

describe('embedded mode (sessions in the database)', () => {
  let emb: TestContext & { app: Express };
  beforeAll(async () => {
    emb = await createTestApp({ admin: true, redis: false, dialect: 'sqlite' });
  }, 120_000);
  afterAll(async () => {
    await emb?.close();
  });

  it('rotates the id at login, names the account on the row, and End sessions deletes its rows', async () => {
    const adminStaff = await createStaff(emb.rt, 'admin');
    const staff = await createStaff(emb.rt, 'catalog');
    const admin = panelAgent(emb.app);
    await admin.post('/admin/login').type('form').send({ email: adminStaff.email, password: adminStaff.password }).expect(302);
    const agent = panelAgent(emb.app);
    const first = sessionCookie(await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password }).expect(302))!;
    const second = sessionCookie(await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password }).expect(302))!;
    expect(sidOf(second)).not.toBe(sidOf(first));
    const rows = emb.rt.ds.getRepository(HttpSession);
    expect(await rows.countBy({ sid: sidOf(first) })).toBe(0);
    expect((await rows.findOneByOrFail({ sid: sidOf(second) })).userId).toBe(staff.user.id);

    const res = await admin.post(`${api}/users/records/${staff.user.id}/endSessions`).send({});
    expect(res.body.notice).toEqual({ message: expect.stringMatching(/^패널 세션 1개를 종료했습니다\./), type: 'success' });
    expect(await rows.countBy({ userId: staff.user.id })).toBe(0);
    const refused = await agent.get(`${api}/genres/actions/list`);
    expect(refused.status).toBe(302);
    expect(refused.headers.location).toBe('/admin/login');
  });
});
