// Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, R2 …) over plain HTTP with
// hand-written SigV4 (see sigv4.ts). A PUT carries Content-Length and x-amz-content-sha256 =
// the SHA-256 computed during the upload, so the server rejects a body that does not match.
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { assertKey, ObjectNotFoundError, type ObjectStorage, type PutOptions } from './object-storage.js';
import { EMPTY_SHA256, signV4, uriEncode } from './sigv4.js';

export interface S3Settings {
  /** https://s3.eu-west-1.amazonaws.com, http://127.0.0.1:9000 … */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** true: http://host/bucket/key (MinIO and most self-hosted servers); false: http://bucket.host/key. */
  forcePathStyle: boolean;
}

export class S3Error extends Error {
  constructor(
    public readonly status: number,
    public readonly operation: string,
    detail: string,
  ) {
    super(`S3 ${operation} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`);
  }
}

type FetchFn = typeof fetch;

/** The S3 error code of an XML error body (<Code>NoSuchKey</Code>), without echoing the whole body. */
async function errorCode(res: Response): Promise<string> {
  try {
    const text = await res.text();
    return /<Code>([^<]{1,100})<\/Code>/.exec(text)?.[1] ?? '';
  } catch {
    return '';
  }
}

export class S3Storage implements ObjectStorage {
  readonly kind = 's3' as const;
  private readonly base: URL;

  constructor(
    private readonly settings: S3Settings,
    private readonly fetchFn: FetchFn = fetch,
    private readonly timeoutMs = 30_000,
  ) {
    this.base = new URL(settings.endpoint);
  }

  /** The object's URL (key segments RFC 3986-encoded, as the signature expects). */
  objectUrl(key: string): URL {
    assertKey(key);
    const encodedKey = key.split('/').map(uriEncode).join('/');
    const basePath = this.base.pathname.replace(/\/+$/, '');
    if (this.settings.forcePathStyle) {
      return new URL(`${this.base.protocol}//${this.base.host}${basePath}/${uriEncode(this.settings.bucket)}/${encodedKey}`);
    }
    return new URL(`${this.base.protocol}//${this.settings.bucket}.${this.base.host}${basePath}/${encodedKey}`);
  }

  private sign(method: string, url: URL, payloadHash: string, headers: Record<string, string> = {}) {
    return signV4({
      method,
      url,
      headers,
      payloadHash,
      credentials: { accessKeyId: this.settings.accessKeyId, secretAccessKey: this.settings.secretAccessKey },
      region: this.settings.region,
      service: 's3',
    }).headers;
  }

  async put(key: string, source: Readable, opts: PutOptions): Promise<void> {
    const url = this.objectUrl(key);
    const headers = this.sign('PUT', url, opts.sha256Hex.toLowerCase(), {
      'content-length': String(opts.size),
      'content-type': opts.contentType,
    });
    const res = await this.fetchFn(url, {
      method: 'PUT',
      headers,
      body: (opts.size === 0 ? Buffer.alloc(0) : Readable.toWeb(source)) as BodyInit,
      // Node's fetch streams a request body only in half-duplex mode.
      duplex: 'half',
    } as RequestInit);
    if (!res.ok) throw new S3Error(res.status, 'PUT', await errorCode(res));
    await res.body?.cancel();
  }

  get(key: string): Readable {
    const out = new PassThrough();
    const run = async () => {
      const url = this.objectUrl(key);
      const controller = new AbortController();
      out.once('close', () => controller.abort());
      const res = await this.fetchFn(url, { method: 'GET', headers: this.sign('GET', url, EMPTY_SHA256), signal: controller.signal });
      if (res.status === 404) throw new ObjectNotFoundError(key);
      if (!res.ok || !res.body) throw new S3Error(res.status, 'GET', await errorCode(res));
      await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>), out);
    };
    run().catch((err) => out.destroy(err));
    return out;
  }

  async delete(key: string): Promise<void> {
    const url = this.objectUrl(key);
    const res = await this.fetchFn(url, { method: 'DELETE', headers: this.sign('DELETE', url, EMPTY_SHA256), signal: AbortSignal.timeout(this.timeoutMs) });
    await res.body?.cancel();
    if (!res.ok && res.status !== 404) throw new S3Error(res.status, 'DELETE', '');
  }

  async exists(key: string): Promise<boolean> {
    const url = this.objectUrl(key);
    const res = await this.fetchFn(url, { method: 'HEAD', headers: this.sign('HEAD', url, EMPTY_SHA256), signal: AbortSignal.timeout(this.timeoutMs) });
    await res.body?.cancel();
    if (res.status === 404) return false;
    if (!res.ok) throw new S3Error(res.status, 'HEAD', '');
    return true;
  }
}
