// Conditional GETs for public reads: a strong-enough validator computed once per cached answer,
// and the Cache-Control / Vary that let browsers and shared caches revalidate anonymous answers
// (an answer to a signed-in member is private: it carries that member's fields).
import { createHash } from 'node:crypto';
import type { AuthUser } from './auth.js';

/** A weak ETag of a serialised body, exactly as Express computes one (the `etag` package, weak), without Express's per-request work when kept. */
export function etagOf(body: string | Buffer): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (bytes.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  const hash = createHash('sha1').update(bytes).digest('base64').slice(0, 27);
  return `W/"${bytes.length.toString(16)}-${hash}"`;
}

/**
 * Cache-Control and Vary of a read whose answer depends on who asks: anonymous answers may be kept
 * by anyone but are revalidated each time (ETag → 304), members' answers only by their browser.
 */
export function readCacheHeaders(user: AuthUser | undefined): Record<string, string> {
  return user ? { 'Cache-Control': 'private, no-cache', Vary: 'Authorization' } : { 'Cache-Control': 'public, no-cache', Vary: 'Authorization' };
}

/** A JSON body encoded once (UTF-8 bytes, sent as they are) and its ETag. */
export interface Serialised {
  bytes: Buffer;
  etag: string;
}

export function serialise(body: unknown): Serialised {
  return serialisedText(JSON.stringify(body));
}

/** JSON text already written (assembled from kept parts) as a Serialised answer. */
export function serialisedText(json: string): Serialised {
  const bytes = Buffer.from(json, 'utf8');
  return { bytes, etag: etagOf(bytes) };
}

/**
 * `make(value)` kept with the object it was made of, for answers handed out as the same object
 * while they stand (a result cache's entries, a kept list: a changed answer is a new object).
 * Objects made per request are computed each time and their entry goes with them.
 */
export function keptPer<T extends object, V>(make: (value: T) => V): (value: T) => V {
  const kept = new WeakMap<T, V>();
  return (value) => {
    if (kept.has(value)) return kept.get(value)!;
    const out = make(value);
    kept.set(value, out);
    return out;
  };
}

/** A serialisation kept with the object it serialises (keptPer). */
export function keptSerialisation<T extends object>(json: (value: T) => string): (value: T) => Serialised {
  return keptPer((value: T) => serialisedText(json(value)));
}
