// Content storage: LocalStorage on a real directory, the SigV4 signer against the examples AWS
// publishes in the S3 API reference, S3Storage's requests against a small S3-speaking HTTP
// server in this process, the magic-number sniffer, language codes and the storage config.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { ConfigError, loadConfig } from '../../src/config.js';
import { normalizeLanguage } from '../../src/modules/catalog/contents.service.js';
import { LocalStorage, ObjectNotFoundError, S3Storage, StorageIntegrityError, createStorage } from '../../src/modules/catalog/storage/index.js';
import { EMPTY_SHA256, canonicalUri, sha256Hex, signV4 } from '../../src/modules/catalog/storage/sigv4.js';
import { sniffMediaType } from '../../src/modules/catalog/storage/sniff.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function listAll(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listAll(p).map((f) => path.join(e.name, f)));
    else out.push(path.relative(dir, p));
  }
  return out;
}

describe('LocalStorage', () => {
  let root: string;
  let storage: LocalStorage;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'mq-store-'));
    storage = new LocalStorage(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('puts, reads, checks and deletes an object', async () => {
    const data = randomBytes(200_000);
    const key = 'contents/2025/01/abc-123.mp4';
    expect(await storage.exists(key)).toBe(false);
    await storage.put(key, Readable.from([data.subarray(0, 1000), data.subarray(1000)]), { size: data.length, sha256Hex: sha(data), contentType: 'video/mp4' });
    expect(await storage.exists(key)).toBe(true);
    expect(readFileSync(path.join(root, key)).equals(data)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const c of storage.get(key)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect(listAll(root)).toEqual([key]);
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
    await expect(storage.delete(key)).resolves.toBeUndefined();
  });

  it('shows the object only when complete (temp name, then rename)', async () => {
    const key = 'contents/slow.mp4';
    const source = new PassThrough();
    const done = storage.put(key, source, { size: 6, sha256Hex: sha('abcdef'), contentType: 'video/mp4' });
    source.write('abc');
    await new Promise((r) => setTimeout(r, 50));
    expect(await storage.exists(key)).toBe(false);
    const partial = listAll(root);
    expect(partial).toHaveLength(1);
    expect(partial[0]).toMatch(/^contents\/\.slow\.mp4\.[0-9a-f]+\.part$/);
    source.end('def');
    await done;
    expect(listAll(root)).toEqual([key]);
    expect(readFileSync(path.join(root, key), 'utf8')).toBe('abcdef');
  });

  it('rejects a body whose size or sha256 does not match, leaving nothing', async () => {
    await expect(storage.put('a/b.mp4', Readable.from([Buffer.from('hello')]), { size: 5, sha256Hex: sha('HELLO'), contentType: 'video/mp4' })).rejects.toThrow(StorageIntegrityError);
    await expect(storage.put('a/c.mp4', Readable.from([Buffer.from('hello')]), { size: 4, sha256Hex: sha('hello'), contentType: 'video/mp4' })).rejects.toThrow(StorageIntegrityError);
    await expect(storage.put('a/d.mp4', Readable.from([Buffer.from('hello')]), { size: 6, sha256Hex: sha('hello'), contentType: 'video/mp4' })).rejects.toThrow(StorageIntegrityError);
    expect(listAll(root)).toEqual([]);
  });

  it('removes its temp file when the source fails', async () => {
    const source = new PassThrough();
    const done = storage.put('x/y.mp4', source, { size: 100, sha256Hex: EMPTY_SHA256, contentType: 'video/mp4' });
    source.write('partial');
    await new Promise((r) => setTimeout(r, 20));
    source.destroy(new Error('client went away'));
    await expect(done).rejects.toThrow('client went away');
    expect(listAll(root)).toEqual([]);
  });

  it('moves a file into place with putFile', async () => {
    const src = path.join(root, 'incoming.part');
    writeFileSync(src, 'payload');
    await storage.putFile('contents/moved.mp4', src, { size: 7, sha256Hex: sha('payload'), contentType: 'video/mp4' });
    expect(listAll(root)).toEqual(['contents/moved.mp4']);
    expect(storage.localPath('contents/moved.mp4')).toBe(path.join(root, 'contents/moved.mp4'));
  });

  it('only accepts server-shaped keys (no traversal, no absolute paths)', async () => {
    for (const bad of ['../escape.mp4', 'a/../../b', '/etc/passwd', 'a//b', 'UPPER.mp4', 'a/./b', '', 'sp ace.mp4', 'a\\b']) {
      expect(() => storage.localPath(bad)).toThrow(/invalid storage key/);
    }
    await expect(storage.put('../x', Readable.from([]), { size: 0, sha256Hex: EMPTY_SHA256, contentType: 'x' })).rejects.toThrow(/invalid storage key/);
  });

  it('fails the read stream of a missing object with ObjectNotFoundError', async () => {
    await expect(text(storage.get('nope/missing.mp4'))).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('is what createStorage builds for STORAGE=local, under <UPLOAD_DIR>/objects', () => {
    const s = createStorage({ storage: { type: 'local' }, uploadDir: root }) as LocalStorage;
    expect(s).toBeInstanceOf(LocalStorage);
    expect(s.rootDir).toBe(path.join(root, 'objects'));
  });
});

// The examples of "Signature Calculations for the Authorization Header: Transferring Payload in a
// Single Chunk (AWS Signature Version 4)", Amazon S3 API reference.
describe('SigV4 signer (AWS published examples)', () => {
  const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
  const date = new Date('2013-05-24T00:00:00Z');

  it('GET Object (first 10 bytes of test.txt)', () => {
    const signed = signV4({
      method: 'GET',
      url: 'https://examplebucket.s3.amazonaws.com/test.txt',
      headers: { Range: 'bytes=0-9' },
      payloadHash: EMPTY_SHA256,
      credentials,
      region: 'us-east-1',
      date,
    });
    expect(signed.canonicalRequest).toBe(
      [
        'GET',
        '/test.txt',
        '',
        'host:examplebucket.s3.amazonaws.com',
        'range:bytes=0-9',
        'x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date:20130524T000000Z',
        '',
        'host;range;x-amz-content-sha256;x-amz-date',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    expect(signed.stringToSign).toBe(
      ['AWS4-HMAC-SHA256', '20130524T000000Z', '20130524/us-east-1/s3/aws4_request', '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972'].join('\n'),
    );
    expect(signed.signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(signed.headers['x-amz-date']).toBe('20130524T000000Z');
    expect(signed.headers['x-amz-content-sha256']).toBe(EMPTY_SHA256);
  });

  it('PUT Object (test$file.text, with Date and storage class headers)', () => {
    const body = 'Welcome to Amazon S3.';
    expect(sha256Hex(body)).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const signed = signV4({
      method: 'PUT',
      url: 'https://examplebucket.s3.amazonaws.com/test$file.text',
      headers: { Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
      payloadHash: sha256Hex(body),
      credentials,
      region: 'us-east-1',
      date,
    });
    expect(signed.canonicalRequest.split('\n').slice(0, 2)).toEqual(['PUT', '/test%24file.text']);
    expect(signed.signature).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
  });

  it('GET Bucket lifecycle (?lifecycle) and GET Bucket list (?max-keys=2&prefix=J)', () => {
    const lifecycle = signV4({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/?lifecycle', payloadHash: EMPTY_SHA256, credentials, region: 'us-east-1', date });
    expect(lifecycle.canonicalRequest.split('\n')[2]).toBe('lifecycle=');
    expect(lifecycle.signature).toBe('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
    // Query parameters given in another order sign the same (they are sorted).
    const list = signV4({ method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/?prefix=J&max-keys=2', payloadHash: EMPTY_SHA256, credentials, region: 'us-east-1', date });
    expect(list.canonicalRequest.split('\n')[2]).toBe('max-keys=2&prefix=J');
    expect(list.signature).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });

  it('changes when anything signed changes', () => {
    const base = { method: 'GET', url: 'https://examplebucket.s3.amazonaws.com/test.txt', payloadHash: EMPTY_SHA256, credentials, region: 'us-east-1', date };
    const sig = signV4(base).signature;
    expect(signV4({ ...base, region: 'eu-west-1' }).signature).not.toBe(sig);
    expect(signV4({ ...base, method: 'HEAD' }).signature).not.toBe(sig);
    expect(signV4({ ...base, url: 'https://examplebucket.s3.amazonaws.com/test2.txt' }).signature).not.toBe(sig);
    expect(signV4({ ...base, credentials: { ...credentials, secretAccessKey: 'x' } }).signature).not.toBe(sig);
  });

  it('encodes each path segment once (RFC 3986), keeping slashes', () => {
    expect(canonicalUri('/a b/c+d/é/(x)*')).toBe('/a%20b/c%2Bd/%C3%A9/%28x%29%2A');
    expect(canonicalUri('/already%20encoded')).toBe('/already%20encoded');
  });
});

// A minimal S3-speaking server: checks what a real one checks (signature over the request as
// received, x-amz-content-sha256 against the body, Content-Length) and keeps objects in memory.
describe('S3Storage requests', () => {
  const settings = { endpoint: '', region: 'us-east-1', bucket: 'marquee-media', accessKeyId: 'AKIDTEST', secretAccessKey: 'secret-key-for-tests', forcePathStyle: true };
  const objects = new Map<string, Buffer>();
  const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }> = [];
  let server: http.Server;
  let storage: S3Storage;

  function verifySignature(req: http.IncomingMessage, port: number): boolean {
    const auth = String(req.headers.authorization ?? '');
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m || m[1] !== settings.accessKeyId || m[3] !== settings.region) return false;
    const signedNames = m[4].split(';');
    const headers: Record<string, string> = {};
    for (const name of signedNames) if (name !== 'host') headers[name] = String(req.headers[name] ?? '');
    const amz = String(req.headers['x-amz-date']);
    const date = new Date(`${amz.slice(0, 4)}-${amz.slice(4, 6)}-${amz.slice(6, 8)}T${amz.slice(9, 11)}:${amz.slice(11, 13)}:${amz.slice(13, 15)}Z`);
    const again = signV4({
      method: req.method!,
      url: `http://127.0.0.1:${port}${req.url}`,
      headers,
      payloadHash: String(req.headers['x-amz-content-sha256']),
      credentials: settings,
      region: settings.region,
      date,
    });
    return again.signature === m[5] && req.headers.host === `127.0.0.1:${port}`;
  }

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers });
        const port = (server.address() as AddressInfo).port;
        if (!verifySignature(req, port)) {
          res.writeHead(403).end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
          return;
        }
        const key = decodeURIComponent(req.url!.split('?')[0]);
        const body = Buffer.concat(chunks);
        if (req.method === 'PUT') {
          if (sha(body) !== req.headers['x-amz-content-sha256']) return void res.writeHead(400).end('<Error><Code>XAmzContentSHA256Mismatch</Code></Error>');
          if (Number(req.headers['content-length']) !== body.length) return void res.writeHead(400).end('<Error><Code>IncompleteBody</Code></Error>');
          objects.set(key, body);
          return void res.writeHead(200).end();
        }
        const obj = objects.get(key);
        if (req.method === 'DELETE') {
          objects.delete(key);
          return void res.writeHead(204).end();
        }
        if (!obj) return void res.writeHead(404).end(req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code></Error>');
        res.writeHead(200, { 'content-length': obj.length });
        res.end(req.method === 'HEAD' ? undefined : obj);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    settings.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    storage = new S3Storage(settings);
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('PUTs with Content-Length and the sha256 as x-amz-content-sha256, then HEAD/GET/DELETE', async () => {
    const data = randomBytes(300_000);
    const key = 'contents/2025/02/0f0e-1.mp4';
    expect(await storage.exists(key)).toBe(false);
    await storage.put(key, Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]), { size: data.length, sha256Hex: sha(data), contentType: 'video/mp4' });
    const put = seen.find((r) => r.method === 'PUT')!;
    expect(put.url).toBe(`/marquee-media/${key}`);
    expect(put.headers['content-length']).toBe(String(data.length));
    expect(put.headers['content-type']).toBe('video/mp4');
    expect(put.headers['x-amz-content-sha256']).toBe(sha(data));
    expect(objects.get(`/marquee-media/${key}`)!.equals(data)).toBe(true);

    expect(await storage.exists(key)).toBe(true);
    const chunks: Buffer[] = [];
    for await (const c of storage.get(key)) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
    await expect(text(storage.get(key))).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('fails a PUT whose body does not match the announced sha256', async () => {
    await expect(storage.put('contents/bad.mp4', Readable.from([Buffer.from('abc')]), { size: 3, sha256Hex: sha('xyz'), contentType: 'video/mp4' })).rejects.toThrow(
      /HTTP 400: XAmzContentSHA256Mismatch/,
    );
    expect(objects.has('/marquee-media/contents/bad.mp4')).toBe(false);
  });

  it('surfaces a rejected signature as an error', async () => {
    const wrong = new S3Storage({ ...settings, secretAccessKey: 'not-the-secret' });
    await expect(wrong.exists('contents/x.mp4')).rejects.toThrow(/HTTP 403/);
  });

  it('builds virtual-hosted URLs unless path style is forced', () => {
    const vh = new S3Storage({ ...settings, endpoint: 'https://s3.eu-west-1.amazonaws.com', forcePathStyle: false });
    expect(vh.objectUrl('contents/a.mp4').href).toBe('https://marquee-media.s3.eu-west-1.amazonaws.com/contents/a.mp4');
    const ps = new S3Storage({ ...settings, endpoint: 'http://minio:9000/', forcePathStyle: true });
    expect(ps.objectUrl('contents/a.mp4').href).toBe('http://minio:9000/marquee-media/contents/a.mp4');
  });
});

describe('media type sniffing', () => {
  const pad = (b: Buffer, n = 64) => Buffer.concat([b, Buffer.alloc(n)]);
  const box = (type: string, brand: string) => pad(Buffer.concat([Buffer.from([0, 0, 0, 0x20]), Buffer.from(type + brand, 'latin1')]));

  it.each([
    ['MP4', box('ftyp', 'isom'), 'video/mp4'],
    ['MOV', box('ftyp', 'qt  '), 'video/quicktime'],
    ['M4A', box('ftyp', 'M4A '), 'audio/mp4'],
    ['MKV', pad(Buffer.from('1a45dfa3a34286810142f7810142f2810442f381084282886d6174726f736b61', 'hex')), 'video/x-matroska'],
    ['WebM', pad(Buffer.from('1a45dfa39f4286810142f7810142f2810442f381084282847765626d', 'hex')), 'video/webm'],
    ['AVI', pad(Buffer.from('RIFF\x10\x00\x00\x00AVI LIST', 'latin1')), 'video/x-msvideo'],
    ['WAV', pad(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1')), 'audio/wav'],
    ['OGG', pad(Buffer.from('OggS\x00\x02', 'latin1')), 'audio/ogg'],
    ['FLAC', pad(Buffer.from('fLaC\x00\x00\x00\x22', 'latin1')), 'audio/flac'],
    ['MP3 (ID3)', pad(Buffer.from('ID3\x04\x00', 'latin1')), 'audio/mpeg'],
    ['MP3 (frame)', pad(Buffer.from([0xff, 0xfb, 0x90, 0x64])), 'audio/mpeg'],
  ])('%s', (_name, head, mime) => {
    expect(sniffMediaType(head)?.mime).toBe(mime);
  });

  it('recognises MPEG-TS by its sync byte every 188 bytes', () => {
    const ts = Buffer.alloc(188 * 4);
    for (let i = 0; i < 4; i++) {
      ts[i * 188] = 0x47;
      ts[i * 188 + 3] = 0x10; // payload only
    }
    expect(sniffMediaType(ts)?.mime).toBe('video/mp2t');
    ts[376] = 0x00;
    expect(sniffMediaType(ts)).toBeNull();
  });

  it.each([
    ['plain text', Buffer.from('This is not a movie, just text renamed to .mp4\n'.repeat(10))],
    ['a PNG', pad(Buffer.from('89504e470d0a1a0a', 'hex'))],
    ['a PDF', pad(Buffer.from('%PDF-1.7\n'))],
    ['a ZIP', pad(Buffer.from('504b0304', 'hex'))],
    ['a text starting with G', Buffer.from('G'.repeat(600))],
    ['nothing', Buffer.alloc(0)],
  ])('rejects %s', (_name, head) => {
    expect(sniffMediaType(head)).toBeNull();
  });
});

describe('language codes', () => {
  it.each([
    ['ko', 'ko'],
    ['kor', 'ko'],
    ['ENG', 'en'],
    ['fre', 'fr'],
    ['pt-br', 'pt-BR'],
    ['und', 'und'],
  ])('accepts %s as %s', (code, norm) => {
    expect(normalizeLanguage(code)).toBe(norm);
  });
  it.each(['xx', 'abc', 'english', 'k', '', 'en_US', 'ko-KR-x'])('rejects %j', (code) => {
    expect(normalizeLanguage(code)).toBeNull();
  });
});

describe('storage configuration', () => {
  const base = { NODE_ENV: 'test', DATA_DIR: '/tmp/mq-config-storage', JWT_SECRET: 'x'.repeat(32), SESSION_SECRET: 'y'.repeat(32) };
  const s3 = { STORAGE: 's3', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_REGION: 'us-east-1', S3_BUCKET: 'media', S3_ACCESS_KEY_ID: 'AK', S3_SECRET_ACCESS_KEY: 'SK' };

  it('defaults to local storage under <DATA_DIR>/uploads with a 2 GiB limit', () => {
    const c = loadConfig(base);
    expect(c.storage).toEqual({ type: 'local' });
    expect(c.uploadDir).toBe('/tmp/mq-config-storage/uploads');
    expect(c.maxUploadBytes).toBe(2 * 1024 ** 3);
    expect(loadConfig({ ...base, UPLOAD_DIR: '/srv/up', MAX_UPLOAD_BYTES: '1000' })).toEqual(expect.objectContaining({ uploadDir: '/srv/up', maxUploadBytes: 1000 }));
  });

  it('reads the S3 settings', () => {
    const c = loadConfig({ ...base, ...s3, S3_FORCE_PATH_STYLE: 'true' });
    expect(c.storage).toEqual({ type: 's3', endpoint: 'http://127.0.0.1:9000', region: 'us-east-1', bucket: 'media', accessKeyId: 'AK', secretAccessKey: 'SK', forcePathStyle: true });
    expect(createStorage(c)).toBeInstanceOf(S3Storage);
  });

  it.each([
    [{ STORAGE: 'ftp' }, 'STORAGE'],
    [{ MAX_UPLOAD_BYTES: 'big' }, 'MAX_UPLOAD_BYTES'],
    [{ MAX_UPLOAD_BYTES: '0' }, 'MAX_UPLOAD_BYTES'],
    [{ ...s3, S3_ENDPOINT: '' }, 'S3_ENDPOINT'],
    [{ ...s3, S3_ENDPOINT: 'ftp://x' }, 'S3_ENDPOINT'],
    [{ ...s3, S3_REGION: '' }, 'S3_REGION'],
    [{ ...s3, S3_BUCKET: undefined }, 'S3_BUCKET'],
    [{ ...s3, S3_BUCKET: 'Bad_Bucket' }, 'S3_BUCKET'],
    [{ ...s3, S3_ACCESS_KEY_ID: '' }, 'S3_ACCESS_KEY_ID'],
    [{ ...s3, S3_SECRET_ACCESS_KEY: '' }, 'S3_SECRET_ACCESS_KEY'],
    [{ ...s3, S3_FORCE_PATH_STYLE: 'perhaps' }, 'S3_FORCE_PATH_STYLE'],
  ])('rejects %j naming %s', (env, variable) => {
    let error: unknown;
    try {
      loadConfig({ ...base, ...env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
  });
});
