import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../src/modules/users/user.entity.js';
import type { Runtime } from '../../src/runtime.js';

let n = 0;
export function uniqueName(base = 'user'): string {
  return `${base}${Date.now().toString(36)}${++n}`;
}

/** Signs a user up through the API and logs in; returns the token. */
export async function signupAndLogin(app: Express, username = uniqueName(), password = 'correct-horse-9'): Promise<{ username: string; password: string; token: string }> {
  await request(app).post('/user/signup/').send({ username, password, email: `${username}@example.com` }).expect(200);
  const res = await request(app).post('/user/login/').send({ username, password }).expect(200);
  return { username, password, token: res.body.token };
}

/** A staff account of the given role (through the users service, as admin:create does). */
export async function createStaff(rt: Runtime, role: Role, password = 'staff-pass-123') {
  const email = `${uniqueName(role)}@marquee.test`;
  const { user } = await rt.services.users.ensureStaff(email, password, role);
  return { user, email, password };
}

/**
 * `staffToken(role)`: the JWT of a new staff account of that role, logged in through the API, one
 * per role and file. `ctx` is read lazily: files build their app in beforeAll.
 */
export function staffTokens(ctx: () => { app: Express; rt: Runtime }) {
  const tokens = new Map<string, string>();
  return async function staffToken(role: Exclude<Role, 'user'>): Promise<string> {
    const known = tokens.get(role);
    if (known) return known;
    const { app, rt } = ctx();
    const { user, password } = await createStaff(rt, role);
    const res = await request(app).post('/user/login/').send({ username: user.username, password }).expect(200);
    tokens.set(role, res.body.token);
    return res.body.token;
  };
}
