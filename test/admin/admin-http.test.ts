// The admin panel over HTTP (full mode): staff-only login, sessions in Redis, the users resource
// with its password rules, and the audit log.
import request from 'supertest';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin } from '../support/users.js';
import { panelAgent, panelOrigin } from '../support/panel.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp({ admin: true, env: { LOGIN_RATE_POINTS: '4' } });
});
afterAll(async () => {
  await ctx.close();
});

async function loggedIn(role: 'admin' | 'catalog' | 'finance') {
  const staff = await createStaff(ctx.rt, role);
  const agent = panelAgent(ctx.app);
  const res = await agent.post('/admin/login').type('form').send({ email: staff.email, password: staff.password });
  expect(res.status).toBe(302);
  return { agent, staff };
}

describe('admin login', () => {
  it('sends anonymous visitors to the login page', async () => {
    const res = await request(ctx.app).get('/admin/resources/users');
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/admin/login');
    expect((await request(ctx.app).get('/admin/login')).status).toBe(200);
  });

  it('lets staff in with an HttpOnly, SameSite session cookie stored in Redis', async () => {
    const staff = await createStaff(ctx.rt, 'catalog');
    const res = await request(ctx.app).post('/admin/login').set(panelOrigin).type('form').send({ email: staff.email, password: staff.password });
    expect(res.status).toBe(302);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/marquee\.admin=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const redis = new Redis(ctx.config.redisUrl!);
    try {
      expect((await redis.keys(`${ctx.config.redisPrefix}:sess:*`)).length).toBeGreaterThan(0);
    } finally {
      redis.disconnect();
    }
  });

  it('refuses members (role user) and wrong passwords', async () => {
    const member = await signupAndLogin(ctx.app);
    const res = await request(ctx.app).post('/admin/login').set(panelOrigin).type('form').send({ email: member.username, password: member.password });
    expect(res.status).toBe(200); // the login page again, with an error
    expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/marquee\.admin=s%3A/)]));
    const follow = await request(ctx.app).get('/admin');
    expect(follow.status).toBe(302);
  });

  it('throttles repeated failures per account: the right password is then refused with 429', async () => {
    const staff = await createStaff(ctx.rt, 'finance');
    for (let i = 0; i < 4; i++) await request(ctx.app).post('/admin/login').set(panelOrigin).type('form').send({ email: staff.email, password: 'wrong-wrong' });
    const res = await request(ctx.app).post('/admin/login').set(panelOrigin).type('form').send({ email: staff.email, password: staff.password });
    expect(res.status).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(res.headers.location).toBeUndefined();
  });
});

describe('users resource', () => {
  it('is for admins only', async () => {
    const { agent } = await loggedIn('catalog');
    const res = await agent.get('/admin/api/resources/users/actions/list');
    // AdminJS answers a forbidden action with an error notice and no records.
    expect(res.body.records).toEqual([]);
    expect(res.body.notice).toEqual(expect.objectContaining({ type: 'error' }));
    const { agent: adminAgent } = await loggedIn('admin');
    const ok = await adminAgent.get('/admin/api/resources/users/actions/list');
    expect(ok.status).toBe(200);
    expect(ok.body.records.length).toBeGreaterThan(0);
    for (const r of ok.body.records) expect(r.params.passwordHash).toBeUndefined();
  });

  it('sets a password through the action (audited, never logged in clear)', async () => {
    const { agent, staff } = await loggedIn('admin');
    const member = await signupAndLogin(ctx.app);
    const user = await ctx.rt.ds.getRepository('User').findOneByOrFail({ username: member.username });
    const res = await agent.post(`/admin/api/resources/users/records/${user.id}/setPassword`).send({ password: 'set-by-admin-1' });
    expect(res.status).toBe(200);
    expect(res.body.notice).toEqual({ message: '비밀번호를 설정했습니다.', type: 'success' });
    expect((await request(ctx.app).post('/user/login/').send({ username: member.username, password: member.password })).status).toBe(400);
    expect((await request(ctx.app).post('/user/login/').send({ username: member.username, password: 'set-by-admin-1' })).status).toBe(200);
    const entry = await ctx.rt.ds.getRepository(AuditEntry).findOneByOrFail({ action: 'set-password', recordId: String(user.id) });
    expect(entry.actorEmail).toBe(staff.email);
    expect(entry.diff).not.toContain('set-by-admin-1');

    const short = await agent.post(`/admin/api/resources/users/records/${user.id}/setPassword`).send({ password: 'short' });
    expect(short.body.notice.type).toBe('error');
  });

  it('creates an account through the users service: the sign-up rules, a hashed password, audited', async () => {
    const { agent, staff } = await loggedIn('admin');
    const username = `panel${Date.now().toString(36)}`;
    const short = await agent.post('/admin/api/resources/users/actions/new').send({ username, email: `${username}@example.com`, password: 'short', role: 'support', isActive: 'true' });
    expect(short.body.notice.type).toBe('error');
    expect(Object.keys(short.body.record.errors)).toEqual(['password']);
    const bad = await agent.post('/admin/api/resources/users/actions/new').send({ username: 'has space', email: 'nope', password: 'long-enough-1', role: 'root' });
    expect(Object.keys(bad.body.record.errors).sort()).toEqual(['email', 'role', 'username']);
    expect(await ctx.rt.ds.getRepository('User').countBy({ username })).toBe(0);

    const ok = await agent.post('/admin/api/resources/users/actions/new').send({ username, email: `${username}@example.com`, password: 'long-enough-1', role: 'support', isActive: 'true', passwordHash: 'plain' });
    expect(ok.body.notice.type).toBe('success');
    const created = await ctx.rt.ds.getRepository('User').createQueryBuilder('u').addSelect('u.passwordHash').where('u.username = :username', { username }).getOneOrFail();
    expect(created.role).toBe('support');
    expect(created.passwordHash).toMatch(/^\$argon2id\$/);
    expect((await request(ctx.app).post('/user/login/').send({ username, password: 'long-enough-1' })).status).toBe(200);
    const dup = await agent.post('/admin/api/resources/users/actions/new').send({ username, email: `other-${username}@example.com`, password: 'long-enough-1', role: 'user' });
    expect(Object.keys(dup.body.record.errors)).toEqual(['username']);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'new', resource: 'users', recordId: String(created.id) })).toBe(1);

    // deleted by the users service: audited once; an admin cannot delete themselves
    const gone = await agent.post(`/admin/api/resources/users/records/${created.id}/delete`);
    expect(gone.body.notice.type).toBe('success');
    expect(await ctx.rt.ds.getRepository('User').countBy({ id: created.id })).toBe(0);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'delete', resource: 'users', recordId: String(created.id) })).toBe(1);
    const me = staff.user;
    const self = await agent.post(`/admin/api/resources/users/records/${me.id}/delete`);
    expect(self.body.notice.type).toBe('error');
    expect(await ctx.rt.ds.getRepository('User').countBy({ id: me.id })).toBe(1);
  });

  it('edits a user without touching the password hash, and audits the diff', async () => {
    const { agent } = await loggedIn('admin');
    const member = await signupAndLogin(ctx.app);
    const user = await ctx.rt.ds.getRepository('User').findOneByOrFail({ username: member.username });
    const res = await agent.post(`/admin/api/resources/users/records/${user.id}/edit`).send({ role: 'catalog', passwordHash: 'plain-text-attempt' });
    expect(res.status).toBe(200);
    expect((await request(ctx.app).post('/user/login/').send({ username: member.username, password: member.password })).status).toBe(200);
    const entry = await ctx.rt.ds.getRepository(AuditEntry).findOneByOrFail({ action: 'edit', resource: 'users', recordId: String(user.id) });
    expect(JSON.parse(entry.diff!).role).toEqual(['user', 'catalog']);
  });
});
