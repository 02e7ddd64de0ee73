// Gateway webhooks: HMAC-SHA256 signature over the raw body with a shared secret (constant-time
// compare), and exactly-once processing by event id through an injected store.
//
// Verify the RAW body bytes as received (express.raw / the request stream), never a re-serialised
// JSON object: any whitespace or key-order change breaks the signature.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { CommerceForm } from '../commerce.messages.js';
import { CommerceError } from '../domain/errors.js';

/** 401: the signature is missing or does not match. Answer without processing anything. */
export class WebhookSignatureError extends CommerceError<'invalid_signature'> {
  constructor() {
    super('bad_signature', 'invalid_signature');
  }
}

/** 400: the signed body is not the JSON we expect; `form` says what is wrong (default: not JSON). */
export class WebhookPayloadError extends CommerceError<'invalid_webhook_payload'> {
  constructor(form?: CommerceForm<'invalid_webhook_payload'>) {
    super('invalid', 'invalid_webhook_payload', {}, { form });
  }
}

function hmac(rawBody: string | Uint8Array, secret: string): Buffer {
  if (typeof secret !== 'string' || secret.length === 0) throw new TypeError('webhook secret is not configured');
  return createHmac('sha256', secret).update(rawBody).digest();
}

/** The signature a sender puts in the header: lower-case hex HMAC-SHA256 of the raw body. */
export function signWebhookBody(rawBody: string | Uint8Array, secret: string): string {
  return hmac(rawBody, secret).toString('hex');
}

function decodeSignature(signature: string): Buffer | null {
  const s = signature.trim().replace(/^sha256=/i, '');
  if (/^[0-9a-f]{64}$/i.test(s)) return Buffer.from(s, 'hex');
  // Node's base64 decoder reads both the standard and the URL-safe alphabet.
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) return Buffer.from(s, 'base64');
  return null;
}

/**
 * true when `signature` (hex, "sha256=<hex>" or base64 of HMAC-SHA256(secret, rawBody)) matches.
 * Constant-time on the digest; false for a missing or malformed signature.
 */
export function verifyWebhookSignature(rawBody: string | Uint8Array, signature: string | null | undefined, secret: string): boolean {
  const expected = hmac(rawBody, secret);
  if (typeof signature !== 'string' || !signature) return false;
  const given = decodeSignature(signature);
  return given !== null && given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Remembers processed events. The database version inserts into gateway_events (event_id primary
 * key) and answers false on a duplicate key; do it in the same transaction as the event's effects
 * so a crash cannot record an event whose effects were lost.
 */
export interface WebhookEventStore {
  /** true if this call recorded the event (process it), false if it was already recorded. */
  claim(gateway: string, eventId: string): Promise<boolean>;
  /** Forget a claim whose processing failed, so the gateway's retry is processed. */
  release?(gateway: string, eventId: string): Promise<void>;
}

/** In-memory store (tests, embedded single-process mode). */
export class MemoryWebhookEventStore implements WebhookEventStore {
  private readonly seen = new Set<string>();
  async claim(gateway: string, eventId: string): Promise<boolean> {
    const k = `${gateway}\u0000${eventId}`;
    if (this.seen.has(k)) return false;
    this.seen.add(k);
    return true;
  }
  async release(gateway: string, eventId: string): Promise<void> {
    this.seen.delete(`${gateway}\u0000${eventId}`);
  }
  has(gateway: string, eventId: string): boolean {
    return this.seen.has(`${gateway}\u0000${eventId}`);
  }
}

export interface ProcessWebhookInput<E> {
  gateway: string;
  rawBody: string | Uint8Array;
  signature: string | null | undefined;
  secret: string;
  store: WebhookEventStore;
  /** The provider's event id from the parsed body (throw WebhookPayloadError if absent). */
  eventId: (event: E) => string;
  handle: (event: E, eventId: string) => Promise<void>;
}

export interface ProcessWebhookResult {
  outcome: 'processed' | 'duplicate';
  eventId: string;
}

/**
 * Verify → parse → claim the event id → handle. A duplicate is acknowledged without handling
 * (answer 200 so the provider stops retrying). If `handle` throws, the claim is released and the
 * error rethrown (answer 5xx so the provider retries).
 */
export async function processWebhook<E = unknown>(input: ProcessWebhookInput<E>): Promise<ProcessWebhookResult> {
  if (!verifyWebhookSignature(input.rawBody, input.signature, input.secret)) throw new WebhookSignatureError();
  let event: E;
  try {
    event = JSON.parse(typeof input.rawBody === 'string' ? input.rawBody : Buffer.from(input.rawBody).toString('utf8')) as E;
  } catch {
    throw new WebhookPayloadError();
  }
  const eventId = input.eventId(event);
  if (typeof eventId !== 'string' || !eventId || eventId.length > 100) throw new WebhookPayloadError('event_id');
  if (!(await input.store.claim(input.gateway, eventId))) return { outcome: 'duplicate', eventId };
  try {
    await input.handle(event, eventId);
  } catch (err) {
    await input.store.release?.(input.gateway, eventId);
    throw err;
  }
  return { outcome: 'processed', eventId };
}
