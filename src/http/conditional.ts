// Conditional GETs for public reads: a strong-enough validator computed once per cached answer,
// and the Cache-Control / Vary that let browsers and shared caches revalidate anonymous answers
// (an answer to a signed-in member is private: it carries that member's fields).
import { hash } from 'node:crypto';
import type { AuthUser } from './auth.js';

/** A text as the UTF-8 bytes an answer is joined from. */
export const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** A weak ETag of a serialised body, exactly as Express computes one (the `etag` package, weak), without Express's per-request work when kept. */
export function etagOf(body: string | Buffer, length = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length): string {
  if (length === 0) return 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';
  // One-shot hash (no Hash object per answer; a text is hashed as its UTF-8): the same SHA-1 the etag package computes.
  return `W/"${length.toString(16)}-${hash('sha1', body, 'base64').slice(0, 27)}"`;
}

/**
 * Cache-Control and Vary of a read whose answer depends on who asks: anonymous answers may be kept
 * by anyone but are revalidated each time (ETag → 304), members' answers only by their browser.
 */
export function readCacheHeaders(user: AuthUser | undefined): Record<string, string> {
  return user ? { 'Cache-Control': 'private, no-cache', Vary: 'Authorization' } : { 'Cache-Control': 'public, no-cache', Vary: 'Authorization' };
}

/**
 * A JSON body with its length in bytes and its ETag, sent as it is. Made from text, it goes out
 * as that text the first time (Node encodes it straight into the socket's write) and as UTF-8
 * bytes encoded once from the second time on: an answer made for one request (an uncached
 * search) costs no Buffer of its own — a new off-heap allocation per answer, about 6 % of such a
 * request's CPU under load — and a kept one is not encoded again for each send.
 */
export class Serialised {
  readonly length: number;
  readonly etag: string;
  private text: string | undefined;
  private encoded: Buffer | undefined;
  /** Whether the text went out once already (the next send encodes it). */
  private sentAsText = false;

  /** `length` and `etag` when the caller knows them (serialisedOfParts); else measured and hashed here. */
  constructor(body: string | Buffer, length?: number, etag?: string) {
    this.text = typeof body === 'string' ? body : undefined;
    this.encoded = typeof body === 'string' ? undefined : body;
    this.length = length ?? (typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.length);
    this.etag = etag ?? etagOf(body, this.length);
  }

  /** The UTF-8 bytes (encoded now if they were not). */
  get bytes(): Buffer {
    if (this.encoded === undefined) {
      this.encoded = Buffer.from(this.text!, 'utf8');
      this.text = undefined;
    }
    return this.encoded;
  }

  /** What to send now: the text on the first send of a text, the bytes from then on. */
  body(): string | Buffer {
    if (this.encoded !== undefined || this.sentAsText) return this.bytes;
    this.sentAsText = true;
    return this.text!;
  }
}

export function serialise(body: unknown): Serialised {
  return serialisedText(JSON.stringify(body));
}

/** JSON text already written (assembled from kept parts) as a Serialised answer. */
export function serialisedText(json: string): Serialised {
  return new Serialised(json);
}

/**
 * JSON text assembled from kept parts whose UTF-8 lengths and digests are known (movie cards:
 * movieCardsSized), as a Serialised answer: `length` is its length in bytes, summed by the caller,
 * and the ETag hashes `determines` (the parts' digests in order, and anything else the text is made
 * of) instead of the whole text, so it changes exactly when the text does (as joinedAnswer's).
 * Measuring and hashing each uncached search answer's text was about 7 % of its CPU.
 */
export function serialisedOfParts(text: string, length: number, determines: string): Serialised {
  return new Serialised(text, length, `W/"${length.toString(16)}-${hash('sha1', determines, 'base64').slice(0, 27)}"`);
}

/** JSON already encoded (joined from kept UTF-8 parts) as a Serialised answer. */
export function serialisedBytes(bytes: Buffer): Serialised {
  return new Serialised(bytes);
}

/**
 * A JSON answer joined from parts and sent as they are, without a joined copy: `head`, the text
 * made for this request, then `kept`, UTF-8 parts each kept while its content stands (the same
 * Buffer is the same content). Joining them into one Buffer and hashing it cost about 4 % of a
 * signed-in detail's CPU (docs/benchmarks-reads.md, run 14): a new buffer for every answer. The
 * ETag is a hash of the head and of the kept parts' own digests (each worked out once per part),
 * so it changes exactly when the bytes do; it is not the etag package's hash of the whole body.
 */
export interface JoinedAnswer {
  readonly head: string;
  readonly kept: readonly Buffer[];
  /** The body's length in bytes. */
  readonly length: number;
  readonly etag: string;
}

const partDigests = new WeakMap<Buffer, string>();

function digestOf(part: Buffer): string {
  let d = partDigests.get(part);
  if (d === undefined) partDigests.set(part, (d = hash('sha1', part, 'base64')));
  return d;
}

export function joinedAnswer(head: string, kept: readonly Buffer[]): JoinedAnswer {
  let length = Buffer.byteLength(head, 'utf8');
  // JSON text holds no raw line break, and a base64 digest none either: the hashed text is unambiguous.
  let text = head;
  for (const part of kept) {
    length += part.length;
    text += `\n${digestOf(part)}`;
  }
  return { head, kept, length, etag: `W/"${length.toString(16)}-${hash('sha1', text, 'base64').slice(0, 27)}"` };
}

/** The bytes of a joined answer as one Buffer: what sendKept writes part by part (tests compare it). */
export function joinedBytes(answer: JoinedAnswer): Buffer {
  return Buffer.concat([Buffer.from(answer.head, 'utf8'), ...answer.kept]);
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
