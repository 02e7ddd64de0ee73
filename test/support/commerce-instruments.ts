// Helpers of the commerce instrument tests (methods, subscriptions, offers).
import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../src/modules/users/user.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import type { Runtime } from '../../src/runtime.js';
import { createStaff, signupAndLogin, uniqueName } from './users.js';

export const auth = (token: string) => ({ Authorization: `JWT ${token}` });

export interface Account {
  id: number;
  username: string;
  token: string;
  email: string;
  role: Role;
}

/** A member signed up through the API, with their id. */
export async function memberAccount(rt: Runtime, app: Express): Promise<Account> {
  const username = uniqueName('m');
  const { token } = await signupAndLogin(app, username);
  const u = await rt.ds.getRepository(User).findOneByOrFail({ username });
  return { id: u.id, username, token, email: u.email, role: 'user' };
}

/** A staff account of `role`, logged in through the API. */
export async function staffAccount(rt: Runtime, app: Express, role: Exclude<Role, 'user'>): Promise<Account> {
  const { user, password, email } = await createStaff(rt, role);
  const res = await request(app).post('/user/login/').send({ username: user.username, password }).expect(200);
  return { id: user.id, username: user.username, token: res.body.token, email, role };
}

export const CARD = { type: 'card', card_number: '4242 4242 4242 4242', exp_month: 12, exp_year: new Date().getUTCFullYear() + 2, cvc: '123', holder: 'HONG GILDONG' } as const;
