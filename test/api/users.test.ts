import jwt from 'jsonwebtoken';
import request from 'supertest';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin, uniqueName } from '../support/users.js';
import type { Express } from 'express';
import { User } from '../../src/modules/users/user.entity.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => {
  await ctx.close();
});

function decode(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('POST user/signup/', () => {
  it('creates a user with a hashed password and answers the seed message', async () => {
    const username = uniqueName();
    const res = await request(ctx.app).post('/user/signup/').send({ username, password: 'pa55word!', email: `${username}@Example.com`, get_agreement: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: '회원가입 되었습니다.' });
    const row = await ctx.rt.ds.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.username = :username', { username }).getOneOrFail();
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row.passwordHash).not.toContain('pa55word!');
    expect(row.getAgreement).toBe(true);
    expect(row.role).toBe('user');
    expect(row.email).toBe(`${username}@example.com`);
  });

  it('also answers without the trailing slash and ignores unknown keys', async () => {
    const username = uniqueName();
    const res = await request(ctx.app).post('/user/signup').send({ username, password: 'pa55word!', email: `${username}@example.com`, role: 'admin', index: 3 });
    expect(res.status).toBe(200);
    const row = await ctx.rt.ds.getRepository(User).findOneByOrFail({ username });
    expect(row.role).toBe('user');
    expect(row.getAgreement).toBe(false);
  });

  it('answers field errors in the seed shape and writes nothing', async () => {
    const before = await ctx.rt.ds.getRepository(User).count();
    const missing = await request(ctx.app).post('/user/signup/').send({ username: uniqueName(), password: 'pa55word!' });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ email: ['이 필드는 필수 항목입니다.'], message: { email: ['이 필드는 필수 항목입니다.'] } });

    const long = await request(ctx.app).post('/user/signup/').send({ username: 'a'.repeat(151), password: 'pa55word!', email: 'x@example.com' });
    expect(long.status).toBe(400);
    expect(long.body).toEqual({ username: ['이 필드의 글자 수가 150 이하인지 확인하십시오.'], message: { username: ['이 필드의 글자 수가 150 이하인지 확인하십시오.'] } });

    const bad = await request(ctx.app).post('/user/signup/').send({ username: uniqueName(), password: 'short', email: 'not-an-email' });
    expect(bad.status).toBe(400);
    expect(bad.body.email).toEqual(['유효한 이메일 주소를 입력하십시오.']);
    expect(bad.body.password).toEqual(['이 필드의 글자 수가 적어도 8 이상인지 확인하십시오.']);
    // The seed's client reads the same errors under `message`.
    expect(bad.body.message).toEqual({ email: bad.body.email, password: bad.body.password });
    expect(await ctx.rt.ds.getRepository(User).count()).toBe(before);
  });

  it('rejects a taken username with the seed message, also combined with other errors', async () => {
    const { username } = await signupAndLogin(ctx.app);
    const dup = await request(ctx.app).post('/user/signup/').send({ username, password: 'another-pass', email: 'other@example.com' });
    expect(dup.status).toBe(400);
    expect(dup.body).toEqual({ username: ['user의 username은/는 이미 존재합니다.'], message: { username: ['user의 username은/는 이미 존재합니다.'] } });
  });

  it('takes usernames by Django’s rule: Unicode letters and digits and @ . + - _, at most 150, NFKC', async () => {
    const korean = `홍길동${Date.now().toString(36)}`;
    expect((await request(ctx.app).post('/user/signup/').send({ username: korean, password: 'pa55word!', email: `${Date.now()}k@example.com` })).status).toBe(200);
    const login = await request(ctx.app).post('/user/login/').send({ username: korean, password: 'pa55word!' });
    expect(login.status).toBe(200);
    expect(JSON.parse(Buffer.from(login.body.token.split('.')[1], 'base64url').toString()).username).toBe(korean);
    for (const ok of [`é.ü+x-${Date.now()}`, `a@b_${Date.now()}`, `${'가'.repeat(140)}${Date.now().toString(36).slice(-8)}`]) {
      expect((await request(ctx.app).post('/user/signup/').send({ username: ok, password: 'pa55word!', email: `${Math.random().toString(36).slice(2)}@example.com` })).status).toBe(200);
    }
    // Full-width letters are NFKC-normalised, as Django stores them.
    const wide = `ｗｉｄｅ${Date.now()}`;
    expect((await request(ctx.app).post('/user/signup/').send({ username: wide, password: 'pa55word!', email: `${Date.now()}w@example.com` })).status).toBe(200);
    expect(await ctx.rt.ds.getRepository(User).existsBy({ username: wide.normalize('NFKC') })).toBe(true);
    for (const bad of ['홍 길동', 'a/b', 'x!', 'tab\tname']) {
      const res = await request(ctx.app).post('/user/signup/').send({ username: bad, password: 'pa55word!', email: 'bad@example.com' });
      expect(res.status).toBe(400);
      const message = ['유효한 사용자 이름을 입력하십시오. 문자, 숫자와 @/./+/-/_ 만 쓸 수 있습니다.'];
      expect(res.body).toEqual({ username: message, message: { username: message } });
    }
  });

  it('lets only one of two simultaneous sign-ups with one username through', async () => {
    const username = uniqueName();
    const results = await Promise.all(
      [1, 2, 3].map((i) => request(ctx.app).post('/user/signup/').send({ username, password: 'pa55word!', email: `r${i}@example.com` })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    expect(await ctx.rt.ds.getRepository(User).countBy({ username })).toBe(1);
  });

  it('speaks English when asked', async () => {
    const res = await request(ctx.app).post('/user/signup/').set('Accept-Language', 'en-US,en;q=0.9').send({ username: uniqueName() });
    expect(res.status).toBe(400);
    expect(res.body.email).toEqual(['This field is required.']);
  });
});

describe('POST user/login/', () => {
  it('returns a JWT whose payload is the seed client’s', async () => {
    const { username, token } = await signupAndLogin(ctx.app);
    const payload = decode(token);
    // the seed's claims, plus the token version and id that revocation compares (issue 12 §3)
    expect(payload).toEqual({ user_id: expect.any(Number), username, email: `${username}@example.com`, exp: expect.any(Number), orig_iat: expect.any(Number), tv: 0, jti: expect.any(String) });
    expect(payload.exp as number).toBeGreaterThan(payload.orig_iat as number);
  });

  it('answers non_field_errors for wrong credentials and for unknown users', async () => {
    const { username } = await signupAndLogin(ctx.app);
    for (const body of [{ username, password: 'wrong-password' }, { username: uniqueName('ghost'), password: 'whatever1' }]) {
      const res = await request(ctx.app).post('/user/login/').send(body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ non_field_errors: ['제공된 인증데이터(credentials)로는 로그인할 수 없습니다.'] });
    }
  });

  it('requires both fields', async () => {
    const res = await request(ctx.app).post('/user/login/').send({});
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ username: ['이 필드는 필수 항목입니다.'], password: ['이 필드는 필수 항목입니다.'] });
  });
});

describe('JWT authentication', () => {
  it('accepts `JWT <token>` and `Bearer <token>`, rejects a bad or missing token', async () => {
    const { token } = await signupAndLogin(ctx.app);
    const body = { password: 'wrong-password', new_password: 'whatever-123' };
    // A wrong current password proves authentication passed (403), unlike 401.
    expect((await request(ctx.app).patch('/user/password/').set('Authorization', `JWT ${token}`).send(body)).status).toBe(403);
    expect((await request(ctx.app).patch('/user/password/').set('Authorization', `Bearer ${token}`).send(body)).status).toBe(403);
    const none = await request(ctx.app).patch('/user/password/').send(body);
    expect(none.status).toBe(401);
    expect(none.body.message).toBeDefined();
    const tampered = token.slice(0, -2) + (token.endsWith('A') ? 'BB' : 'AA');
    expect((await request(ctx.app).patch('/user/password/').set('Authorization', `JWT ${tampered}`).send(body)).status).toBe(401);
    expect((await request(ctx.app).patch('/user/password/').set('Authorization', `Basic ${token}`).send(body)).status).toBe(401);
  });

  it('rejects the token of a deactivated user', async () => {
    const { username, token } = await signupAndLogin(ctx.app);
    await ctx.rt.ds.getRepository(User).update({ username }, { isActive: false });
    const res = await request(ctx.app).patch('/user/password/').set('Authorization', `JWT ${token}`).send({ password: 'x', new_password: 'y' });
    expect(res.status).toBe(401);
  });
});

describe('PATCH user/password/', () => {
  it('changes the password: 203, the old one stops working, the new one works', async () => {
    const { username, password, token } = await signupAndLogin(ctx.app);
    const res = await request(ctx.app).patch('/user/password/').set('Authorization', `JWT ${token}`).send({ password, new_password: 'brand-new-pass' });
    expect(res.status).toBe(203);
    expect(Object.keys(res.body)).toEqual(['token']); // a fresh token (the one used keeps working)
    expect((await request(ctx.app).post('/user/login/').send({ username, password })).status).toBe(400);
    expect((await request(ctx.app).post('/user/login/').send({ username, password: 'brand-new-pass' })).status).toBe(200);
  });

  it('400 with the seed message when data is missing, 403 when the password is wrong', async () => {
    const { username, password, token } = await signupAndLogin(ctx.app);
    const missing = await request(ctx.app).patch('/user/password/').set('Authorization', `JWT ${token}`).send({ password });
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ message: '필수 데이터가 누락되었습니다.' });
    const wrong = await request(ctx.app).patch('/user/password/').set('Authorization', `JWT ${token}`).send({ password: 'not-it-at-all', new_password: 'brand-new-pass' });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ message: '비밀번호가 일치하지 않습니다.' });
    expect((await request(ctx.app).post('/user/login/').send({ username, password })).status).toBe(200);
  });

  it('the seed’s body ({"new_password"} only) is accepted from a login of the last 10 minutes, refused from an older one', async () => {
    const { username, token } = await signupAndLogin(ctx.app);
    const changed = await request(ctx.app).patch('/user/password/').set('Authorization', `JWT ${token}`).send({ new_password: 'seed-client-pass' });
    expect(changed.status).toBe(203);
    expect((await request(ctx.app).post('/user/login/').send({ username, password: 'seed-client-pass' })).status).toBe(200);
    // the fresh token keeps the login time, so it is no way around the recent-login check
    expect((jwt.decode(changed.body.token) as { orig_iat: number }).orig_iat).toBe((jwt.decode(token) as { orig_iat: number }).orig_iat);

    // a token whose login is 11 minutes old (same claims, signed with the real secret)
    const claims = jwt.decode(changed.body.token) as Record<string, number | string>;
    const old = jwt.sign({ ...claims, orig_iat: Math.floor(Date.now() / 1000) - 11 * 60 }, ctx.config.jwtSecret, { algorithm: 'HS256', noTimestamp: true });
    const refused = await request(ctx.app).patch('/user/password/').set('Authorization', `JWT ${old}`).send({ new_password: 'another-pass-1' });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ message: '비밀번호가 일치하지 않습니다.' });
    expect((await request(ctx.app).post('/user/login/').send({ username, password: 'seed-client-pass' })).status).toBe(200);
  });
});
