// Idempotency-Key for every POST that moves money (payments/request, approve, execute, cancel,
// refunds). Scoped per member and endpoint:
//   - the first request with a key inserts the key row (primary key user_id + key) before doing
//     anything, so two parallel requests with one key cannot both run: the second gets 409;
//   - when the first finishes, its status and body are stored; a replay with the same key and the
//     same body answers that stored response (header `Idempotency-Replayed: true`);
//   - the same key with another body or on another endpoint → 422;
//   - a first attempt that failed on our side (5xx, or a gateway that did not answer) is forgotten,
//     so the client can retry with the same key;
//   - keys are kept 24 h (`expires_at`); a daily job deletes expired ones;
//   - a first request whose process died while running (no reply stored after IDEMPOTENCY_LEASE_MS)
//     is taken over by the next retry with the key: every money step behind these endpoints is
//     guarded by the payment's state machine, so running it again cannot move money twice.
// The caller says how a refusal of `work` is stored (`refusal`): the API route answers it in the
// request's language (payments.routes.ts); a replay answers the stored body as it was.
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { IsNull, LessThan } from 'typeorm';
import { conflict, DomainError, invalid } from '../shared/errors.js';
import { IdempotencyRecord } from './commerce.entities.js';
import { isUniqueViolation } from './tx.js';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Longer than any request may run (the gateway calls time out well before): a key still without a reply after it was left by a dead process. */
export const IDEMPOTENCY_LEASE_MS = 2 * 60 * 1000;
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
const KEY_RE = /^[\x21-\x7e]{8,100}$/;

export interface StoredReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** How a refusal of the work is kept: the reply to store and replay (a client error), or null to forget the key and rethrow. */
export type Refusal = (err: unknown) => StoredReply | null;

/** Canonical JSON (sorted keys) so that key order does not make two equal bodies differ. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as Record<string, unknown>)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function requestHash(endpoint: string, body: unknown): string {
  return createHash('sha256').update(endpoint).update('\n').update(canonical(body)).digest('hex');
}

export class IdempotencyService {
  constructor(
    private readonly ds: DataSource,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Validates the header value; a missing or malformed key is a 400 that changes nothing. */
  parseKey(raw: unknown): string {
    const key = typeof raw === 'string' ? raw.trim() : '';
    if (!key) throw invalid('idempotency_key_missing', { header: IDEMPOTENCY_HEADER });
    if (!KEY_RE.test(key)) throw invalid('idempotency_key_invalid', { header: IDEMPOTENCY_HEADER });
    return key;
  }

  /**
   * Runs `work` once per (user, key). Errors thrown by `work` that `refusal` keeps (client errors)
   * are stored and replayed like successes; anything else removes the key and is rethrown.
   */
  async run(userId: number, rawKey: unknown, endpoint: string, body: unknown, work: () => Promise<StoredReply>, refusal: Refusal): Promise<StoredReply & { replayed: boolean }> {
    const key = this.parseKey(rawKey);
    const hash = requestHash(endpoint, body);
    const repo = this.ds.getRepository(IdempotencyRecord);
    const now = this.now();
    try {
      await repo.insert({ userId, key, endpoint, requestHash: hash, responseStatus: null, responseBody: null, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const existing = await repo.findOneBy({ userId, key });
      if (!existing) return this.run(userId, rawKey, endpoint, body, work, refusal); // expired and cleaned in between
      if (existing.expiresAt.getTime() <= now.getTime()) {
        await repo.delete({ userId, key, expiresAt: existing.expiresAt });
        return this.run(userId, rawKey, endpoint, body, work, refusal);
      }
      if (existing.endpoint !== endpoint || existing.requestHash !== hash) {
        throw new DomainError('unprocessable', 'idempotency_key_reused', { header: IDEMPOTENCY_HEADER }, { extra: { code: 'idempotency_key_reused' } });
      }
      if (existing.responseStatus === null && existing.createdAt.getTime() + IDEMPOTENCY_LEASE_MS <= now.getTime()) {
        // Left by a process that died mid-request: the first retry to remove it runs the request.
        const taken = await repo.delete({ userId, key, createdAt: existing.createdAt, responseStatus: IsNull() });
        if (taken.affected) return this.run(userId, rawKey, endpoint, body, work, refusal);
      }
      if (existing.responseStatus === null) {
        throw new DomainError('conflict', 'idempotency_in_progress', { header: IDEMPOTENCY_HEADER }, { extra: { code: 'idempotency_in_progress' }, retryAfter: 1 });
      }
      return { status: existing.responseStatus, body: existing.responseBody ? JSON.parse(existing.responseBody) : null, replayed: true };
    }

    let reply: StoredReply;
    try {
      reply = await work();
    } catch (err) {
      const kept = refusal(err);
      if (kept) {
        reply = kept;
      } else {
        await repo.delete({ userId, key });
        throw err;
      }
    }
    await repo.update({ userId, key }, { responseStatus: reply.status, responseBody: JSON.stringify(reply.body ?? null) });
    return { ...reply, replayed: false };
  }

  /** Deletes expired keys; returns how many. */
  async cleanup(): Promise<number> {
    const res = await this.ds.getRepository(IdempotencyRecord).delete({ expiresAt: LessThan(this.now()) });
    return res.affected ?? 0;
  }
}
