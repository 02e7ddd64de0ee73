// Age verification in tests: starts a transaction as the member and posts the sandbox provider's
// signed callback (the same path a real provider's callback takes).
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { sandboxSignature } from '../../src/modules/age/identity-provider.js';
import type { Config } from '../../src/config.js';

/** A birth date `years` full years before today (UTC calendar), minus `days` more days. */
export function birthDateYearsAgo(years: number, days = 0): string {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - years);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Verifies the member's age through the API; returns the callback response. */
export async function verifyAge(app: Express, config: Pick<Config, 'verification'>, token: string, birthDate: string, opts: { ci?: string; name?: string } = {}) {
  const start = await request(app).post('/user/verification/').set('Authorization', `JWT ${token}`).expect(201);
  const payload = { tx_id: start.body.tx_id, result: 'success' as const, name: opts.name ?? '홍길동', birth_date: birthDate, ci: opts.ci ?? `CI-${randomBytes(12).toString('hex')}` };
  return request(app)
    .post('/user/verification/callback/')
    .send({ ...payload, signature: sandboxSignature(payload, config.verification.secret) });
}
