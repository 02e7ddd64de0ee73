// Issue 12 §3: tokens do not outlive what they stand for. A password change, "log out
// everywhere", a deactivation and a role change make earlier tokens answer 401 on their next
// request; the token that changed the password keeps working and the 203 carries a fresh one; a
// token without `exp` signed with the real secret is refused. Live MariaDB and Redis.
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { Express } from 'express';
import { User } from '../../src/modules/users/user.entity.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { panelLogins } from '../support/panel.js';
import { signupAndLogin } from '../support/users.js';

let ctx: TestContext & { app: Express };
const as = panelLogins(() => ctx);

const me = (token: string) => request(ctx.app).get('/user/').set('Authorization', `JWT ${token}`);
const login = async (username: string, password: string) => (await request(ctx.app).post('/user/login/').send({ username, password }).expect(200)).body.token as string;
const idOf = async (username: string) => (await ctx.rt.ds.getRepository(User).findOneByOrFail({ username })).id;

beforeAll(async () => {
  ctx = await createTestApp({ admin: true });
});
afterAll(async () => {
  await ctx?.close();
});

describe('password change', () => {
  it('ends every earlier token but the one that made the change, and answers a fresh token', async () => {
    const m = await signupAndLogin(ctx.app);
    const other = await login(m.username, m.password); // e.g. the TV app
    expect((await me(other)).status).toBe(200);

    const changed = await request(ctx.app).patch('/user/password/').set('Authorization', `JWT ${m.token}`).send({ password: m.password, new_password: 'a-new-password-1' });
    expect(changed.status).toBe(203);
    expect(typeof changed.body.token).toBe('string');

    expect((await me(m.token)).status).toBe(200); // the client that changed it goes on
    expect((await me(changed.body.token)).status).toBe(200);
    expect((await me(other)).status).toBe(401);
    // the old password no longer logs in, the new one does
    expect((await request(ctx.app).post('/user/login/').send({ username: m.username, password: m.password })).status).toBe(400);
    expect(await login(m.username, 'a-new-password-1')).toEqual(expect.any(String));

    // a second change from the fresh token ends the first kept one
    const again = await request(ctx.app).patch('/user/password/').set('Authorization', `JWT ${changed.body.token}`).send({ password: 'a-new-password-1', new_password: 'a-new-password-2' });
    expect(again.status).toBe(203);
    expect((await me(m.token)).status).toBe(401);
    expect((await me(changed.body.token)).status).toBe(200);
  });

  it('a wrong current password changes nothing', async () => {
    const m = await signupAndLogin(ctx.app);
    const other = await login(m.username, m.password);
    const res = await request(ctx.app).patch('/user/password/').set('Authorization', `JWT ${m.token}`).send({ password: 'not-my-password', new_password: 'a-new-password-1' });
    expect(res.status).toBe(403);
    expect((await me(other)).status).toBe(200);
  });
});

describe('log out everywhere', () => {
  it('POST /user/logout-all/ ends every token, this one included; a new login works', async () => {
    const m = await signupAndLogin(ctx.app);
    const other = await login(m.username, m.password);
    expect((await request(ctx.app).post('/user/logout-all/').set('Authorization', `JWT ${m.token}`)).status).toBe(204);
    expect((await me(m.token)).status).toBe(401);
    expect((await me(other)).status).toBe(401);
    expect((await me(await login(m.username, m.password))).status).toBe(200);
    expect((await request(ctx.app).post('/user/logout-all/')).status).toBe(401);
  });
});

describe('account changes in the panel', () => {
  it('a deactivated member’s tokens stop at once and stay stopped after reactivation', async () => {
    const m = await signupAndLogin(ctx.app);
    const id = await idOf(m.username);
    const admin = await as('admin');
    expect((await admin.post(`/admin/api/resources/users/records/${id}/edit`).send({ isActive: 'false' })).status).toBe(200);
    expect((await me(m.token)).status).toBe(401);
    expect((await admin.post(`/admin/api/resources/users/records/${id}/edit`).send({ isActive: 'true' })).status).toBe(200);
    expect((await me(m.token)).status).toBe(401);
    expect((await me(await login(m.username, m.password))).status).toBe(200);
  });

  it('a role change ends the account’s tokens; an edit of other fields does not', async () => {
    const m = await signupAndLogin(ctx.app);
    const id = await idOf(m.username);
    const admin = await as('admin');
    expect((await admin.post(`/admin/api/resources/users/records/${id}/edit`).send({ getAgreement: 'true' })).status).toBe(200);
    expect((await me(m.token)).status).toBe(200);
    const res = await admin.post(`/admin/api/resources/users/records/${id}/edit`).send({ role: 'finance' });
    expect(res.status).toBe(200);
    expect(res.body.notice.type).toBe('success');
    expect((await me(m.token)).status).toBe(401);
    const fresh = await login(m.username, m.password);
    expect((await request(ctx.app).get('/payments/').set('Authorization', `JWT ${fresh}`)).status).not.toBe(401);
  });

  it('the panel refuses an unknown role and a malformed e-mail with field errors, changing nothing', async () => {
    const m = await signupAndLogin(ctx.app);
    const id = await idOf(m.username);
    const admin = await as('admin');
    const res = await admin.post(`/admin/api/resources/users/records/${id}/edit`).send({ role: 'superuser', email: 'not-an-email' });
    expect(res.body.record.errors.role).toBeDefined();
    expect(res.body.record.errors.email).toBeDefined();
    const u = await ctx.rt.ds.getRepository(User).findOneByOrFail({ id });
    expect(u.role).toBe('user');
    expect((await me(m.token)).status).toBe(200);
  });
});

describe('token shape', () => {
  it('a token without exp signed with the real secret is refused', async () => {
    const m = await signupAndLogin(ctx.app);
    const decoded = jwt.decode(m.token) as Record<string, unknown>;
    const { exp: _exp, ...rest } = decoded;
    const forever = jwt.sign(rest, ctx.config.jwtSecret, { algorithm: 'HS256', noTimestamp: true });
    expect((await me(forever)).status).toBe(401);
    // the same claims with an exp are accepted (the test would pass for a wrong reason otherwise)
    expect((await me(jwt.sign({ ...rest, exp: Math.floor(Date.now() / 1000) + 60 }, ctx.config.jwtSecret, { algorithm: 'HS256', noTimestamp: true }))).status).toBe(200);
  });

  it('a token answered before (kept as verified) is refused once its exp passes, and a changed byte of it is verified afresh', async () => {
    const m = await signupAndLogin(ctx.app);
    const claims = jwt.decode(m.token) as Record<string, unknown>;
    const exp = Math.floor(Date.now() / 1000) + 2;
    const short = jwt.sign({ ...claims, exp }, ctx.config.jwtSecret, { algorithm: 'HS256', noTimestamp: true });
    expect((await me(short)).status).toBe(200);
    expect((await me(short)).status).toBe(200);
    // The same claims under a forged signature: not the kept bytes, so verified (and refused).
    const [head, body] = short.split('.');
    const forged = `${head}.${body}.${Buffer.from('not the signature').toString('base64url')}`;
    expect((await me(forged)).status).toBe(401);
    // Bearer and JWT headers of the same token both work.
    expect((await request(ctx.app).get('/user/').set('Authorization', `Bearer ${short}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, exp * 1000 - Date.now()) + 50));
    expect((await me(short)).status).toBe(401);
    expect((await request(ctx.app).get('/user/').set('Authorization', `Bearer ${short}`)).status).toBe(401);
  });

  it('carries the seed’s claims plus tv and jti', async () => {
    const m = await signupAndLogin(ctx.app);
    const p = jwt.decode(m.token) as Record<string, unknown>;
    expect(Object.keys(p).sort()).toEqual(['email', 'exp', 'jti', 'orig_iat', 'tv', 'user_id', 'username']);
  });
});
