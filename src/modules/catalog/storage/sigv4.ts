// AWS Signature Version 4 for S3 requests (Authorization header, single-chunk payload), written
// with node:crypto only. Reference: "Signature Calculations for the Authorization Header:
// Transferring Payload in a Single Chunk" in the Amazon S3 API reference; the unit tests check
// it against the examples published there.
import { createHash, createHmac } from 'node:crypto';

export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export interface SigV4Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface SignInput {
  method: string;
  url: URL | string;
  /** Headers to send and sign (host is taken from the URL). */
  headers?: Record<string, string>;
  /** Hex SHA-256 of the body (EMPTY_SHA256 for none), or UNSIGNED_PAYLOAD. */
  payloadHash: string;
  credentials: SigV4Credentials;
  region: string;
  service?: string;
  /** Signing time (default now). */
  date?: Date;
}

export interface SignedRequest {
  /** The input headers plus x-amz-date, x-amz-content-sha256 and authorization (host is left to the HTTP client). */
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
  authorization: string;
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 percent-encoding (what SigV4 calls UriEncode): only A-Z a-z 0-9 - _ . ~ stay as they are. */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** 20130524T000000Z */
export function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** S3's canonical URI: every path segment encoded once, slashes kept. */
export function canonicalUri(pathname: string): string {
  if (!pathname) return '/';
  return pathname
    .split('/')
    .map((seg) => uriEncode(safeDecode(seg)))
    .join('/');
}

export function canonicalQuery(search: URLSearchParams): string {
  const pairs = [...search.entries()].map(([k, v]) => [uriEncode(k), uriEncode(v)] as const);
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

export function signingKey(secretAccessKey: string, day: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), service), 'aws4_request');
}

export function signV4(input: SignInput): SignedRequest {
  const url = typeof input.url === 'string' ? new URL(input.url) : input.url;
  const service = input.service ?? 's3';
  const when = amzDate(input.date ?? new Date());
  const day = when.slice(0, 8);

  const headers: Record<string, string> = { ...(input.headers ?? {}) };
  const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
  if (!has('x-amz-date')) headers['x-amz-date'] = when;
  if (!has('x-amz-content-sha256')) headers['x-amz-content-sha256'] = input.payloadHash;

  // Canonical headers: lowercase names, trimmed values with inner runs of spaces collapsed,
  // sorted by name; the host comes from the URL (with a non-default port).
  const canon = new Map<string, string[]>();
  canon.set('host', [url.host]);
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'host' || lower === 'authorization') continue;
    const list = canon.get(lower) ?? [];
    list.push(String(value).trim().replace(/\s+/g, ' '));
    canon.set(lower, list);
  }
  const names = [...canon.keys()].sort();
  const signedHeaders = names.join(';');
  const canonicalHeaders = names.map((n) => `${n}:${canon.get(n)!.join(',')}\n`).join('');

  const canonicalRequest = [
    input.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQuery(url.searchParams),
    canonicalHeaders,
    signedHeaders,
    input.payloadHash,
  ].join('\n');
  const scope = `${day}/${input.region}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', when, scope, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', signingKey(input.credentials.secretAccessKey, day, input.region, service)).update(stringToSign, 'utf8').digest('hex');
  const authorization = `AWS4-HMAC-SHA256 Credential=${input.credentials.accessKeyId}/${scope},SignedHeaders=${signedHeaders},Signature=${signature}`;
  return { headers: { ...headers, authorization }, canonicalRequest, stringToSign, signature, authorization };
}
