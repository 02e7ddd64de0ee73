// Conditional GETs for public reads: a strong-enough validator computed once per cached answer,
// and the Cache-Control / Vary that let browsers and shared caches revalidate anonymous answers
// (an answer to a signed-in member is private: it carries that member's fields).
import { hash } from 'node:crypto';
import type { AuthUser } from './auth.js';

/** A text as the UTF-8 bytes an answer is joined from. */
export const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** A weak ETag of a serialised body, exactly as Express computes one (the `etag` package, weak), without Express's per-request work when kept. */
export function etagOf(body: string | Buffer): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (bytes.length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  // One-shot hash (no Hash object per answer): the same SHA-1 the etag package computes.
  return `W/"${bytes.length.toString(16)}-${hash('sha1', bytes, 'base64').slice(0, 27)}"`;
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
  return serialisedBytes(Buffer.from(json, 'utf8'));
}

/** JSON already encoded (joined from kept UTF-8 parts) as a Serialised answer. */
export function serialisedBytes(bytes: Buffer): Serialised {
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

/**
 * A value made of parts, kept with `owner` (an object replaced when what it stands for changes: a
 * member's kept state) while it is made of the same parts (each ===: kept views and cards, flags,
 * strings) — made again only when a part differs. One value per owner; it goes with the owner.
 */
export function keptWhileSame<O extends object, V>(): (owner: O, parts: readonly unknown[], make: () => V) => V {
  const kept = new WeakMap<O, { parts: readonly unknown[]; value: V }>();
  return (owner, parts, make) => {
    const have = kept.get(owner);
    if (have && have.parts.length === parts.length && have.parts.every((p, k) => p === parts[k])) return have.value;
    const value = make();
    kept.set(owner, { parts: [...parts], value });
    return value;
  };
}
