// Login throttling, Redis-backed: failed attempts per username and per IP end in 429 + Retry-After.
import request from 'supertest';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { createTestApp, type TestContext } from '../support/context.js';
import { signupAndLogin } from '../support/users.js';

let ctx: TestContext & { app: Express };
beforeAll(async () => {
  ctx = await createTestApp({ env: { LOGIN_RATE_POINTS: '3', LOGIN_RATE_WINDOW: '60', LOGIN_RATE_BLOCK: '120' } });
});
afterAll(async () => {
  await ctx.close();
});

describe('login rate limit', () => {
  it('locks a username out after 3 failures with 429 and Retry-After, even with the right password', async () => {
    const { username, password } = await signupAndLogin(ctx.app);
    for (let i = 0; i < 3; i++) {
      expect((await request(ctx.app).post('/user/login/').send({ username, password: 'wrong-password' })).status).toBe(400);
    }
    const locked = await request(ctx.app).post('/user/login/').send({ username, password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(120);
    expect(locked.body.message).toMatch(/초 후에 다시 시도하세요/);

    // The counters live in Redis under this run's prefix (shared by every API replica).
    const redis = new Redis(ctx.config.redisUrl!);
    try {
      const { user } = await ctx.rt.services.users.resolveLogin(username);
      const keys = await redis.keys(`${ctx.config.redisPrefix}:rl:login:*`);
      expect(keys).toContain(`${ctx.config.redisPrefix}:rl:login:account:u:${user!.id}`);
    } finally {
      redis.disconnect();
    }
  });

  it('does not lock other usernames out for someone else’s failures, and a success resets the count', async () => {
    const a = await signupAndLogin(ctx.app);
    const b = await signupAndLogin(ctx.app);
    for (let i = 0; i < 2; i++) await request(ctx.app).post('/user/login/').send({ username: a.username, password: 'nope-nope' });
    expect((await request(ctx.app).post('/user/login/').send({ username: b.username, password: b.password })).status).toBe(200);
    expect((await request(ctx.app).post('/user/login/').send({ username: a.username, password: a.password })).status).toBe(200);
    for (let i = 0; i < 2; i++) await request(ctx.app).post('/user/login/').send({ username: a.username, password: 'nope-nope' });
    expect((await request(ctx.app).post('/user/login/').send({ username: a.username, password: a.password })).status).toBe(200);
  });

  it('limits one IP trying many usernames', async () => {
    // per-IP budget is 5× the per-username one: 15 failures over distinct names, then 429
    let last = 0;
    for (let i = 0; i < 16; i++) {
      last = (await request(ctx.app).post('/user/login/').send({ username: `spray${i}`, password: 'guess-guess' })).status;
    }
    expect(last).toBe(429);
  });
});
