// Helpers of the commerce instrument tests (methods, subscriptions, offers).
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../src/modules/users/user.entity.js';
import { User } from '../../src/modules/users/user.entity.js';
import { Payment, SubscriptionEvent } from '../../src/modules/commerce/commerce.entities.js';
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

/**
 * A payment captured through the API (sandbox gateway), then moved to `when`: its capture time, its
 * subscription period and the member's subscription events (statistics tests place data on a day).
 */
export async function capturedPaymentAt(rt: Runtime, app: Express, a: Account, what: { plan: string } | { item: number }, when: Date, method: object = CARD): Promise<Payment> {
  const post = (path: string, body: object) => request(app).post(path).set(auth(a.token)).set('Idempotency-Key', randomUUID()).send(body);
  const methodId = (await request(app).post('/payments/methods/').set(auth(a.token)).send(method).expect(201)).body.id;
  const req = await post('/payments/request/', { ...what, method_id: methodId });
  if (req.status !== 201) throw new Error(`payment request: ${req.status} ${JSON.stringify(req.body)}`);
  const id = req.body.payment_id;
  await post('/payments/approve/', { payment_id: id }).expect(200);
  await post('/payments/execute/', { payment_id: id }).expect(200);
  const repo = rt.ds.getRepository(Payment);
  const p = await repo.findOneByOrFail({ id });
  const shift = (d: Date | null) => (d ? new Date(d.getTime() + (when.getTime() - p.paidAt!.getTime())) : null);
  await repo.update({ id }, { paidAt: when, periodStart: shift(p.periodStart), periodEnd: shift(p.periodEnd), createdAt: when });
  await rt.ds.getRepository(SubscriptionEvent).update({ userId: a.id }, { at: when });
  return repo.findOneByOrFail({ id });
}
