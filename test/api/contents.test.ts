// Contents (seed 000 section 2) against live MariaDB + Redis/BullMQ, real files and real ffprobe:
// upload (streamed, hashed, sniffed, size-limited, aborted), the probe job, validity, metadata,
// visibility of non-servable contents, and the validity job.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import type { BullJobBus, InProcessJobBus } from '../../jobs/bus.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Content } from '../../src/modules/catalog/content.entity.js';
import { OUTSIDE_WINDOW_REASON } from '../../src/modules/catalog/contents.service.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { createTestApp, createTestContext, type TestContext } from '../support/context.js';
import { createStaff, signupAndLogin } from '../support/users.js';

const MAX_UPLOAD = 256 * 1024;

let ctx: TestContext & { app: Express };
let work: string;
let video: string;
let subtitleOnly: string;
let catalogToken: string;
let adminToken: string;
let financeToken: string;
let memberToken: string;
let movieId: number;

const auth = (token: string) => ({ Authorization: `JWT ${token}` });
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const tmpDir = () => path.join(ctx.config.uploadDir, 'tmp');
const objectsDir = () => path.join(ctx.config.uploadDir, 'objects');
const rows = () => ctx.rt.ds.getRepository(Content).count();

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function tokenFor(role: 'catalog' | 'admin' | 'finance') {
  const s = await createStaff(ctx.rt, role);
  const res = await request(ctx.app).post('/user/login/').send({ username: s.user.username, password: s.password }).expect(200);
  return res.body.token as string;
}

/** An MP4 signature (passes sniffing) followed by bytes that are not a movie. */
function fakeMp4(bytes: number): Buffer {
  const head = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom\0\0\x02\0isomiso2', 'latin1')]);
  return Buffer.concat([head, randomBytes(bytes - head.length)]);
}

function upload(file: Buffer | string, fields: Record<string, string> = { title: '테스트 콘텐츠' }, token = catalogToken, filename = 'movie.mp4') {
  const req = request(ctx.app).post('/contents/').set(auth(token));
  for (const [k, v] of Object.entries(fields)) req.field(k, v);
  return typeof file === 'string' ? req.attach('file', file) : req.attach('file', file, { filename, contentType: 'video/mp4' });
}

async function waitForStatus(id: number, statuses: string[]): Promise<Content> {
  return waitFor(`content ${id} to be ${statuses.join('/')}`, async () => {
    const c = await ctx.rt.ds.getRepository(Content).findOneBy({ id });
    return c && statuses.includes(c.status) ? c : null;
  });
}

/** A ready content with the real video (through the API and the probe job). */
async function readyContent(title = '준비된 콘텐츠'): Promise<number> {
  const res = await upload(video, { title }).expect(201);
  await waitForStatus(res.body.id, ['ready']);
  return res.body.id as number;
}

beforeAll(async () => {
  ctx = await createTestApp({ env: { MAX_UPLOAD_BYTES: String(MAX_UPLOAD) } });
  work = mkdtempSync(path.join(os.tmpdir(), 'mq-contents-'));
  video = path.join(work, 'out.mp4');
  execFileSync('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc=duration=1:size=160x120:rate=10',
    '-f', 'lavfi', '-i', 'sine=duration=1',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest',
    '-metadata:s:a:0', 'language=kor',
    video,
  ]);
  // A Matroska file that holds only a subtitle track: sniffs as MKV, but has nothing to play.
  const srt = path.join(work, 'sub.srt');
  writeFileSync(srt, '1\n00:00:00,000 --> 00:00:01,000\n안녕하세요\n');
  subtitleOnly = path.join(work, 'subs.mkv');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', srt, subtitleOnly]);

  (ctx.rt.jobs as BullJobBus).startWorkers(ctx.rt.services);
  [catalogToken, adminToken, financeToken] = await Promise.all([tokenFor('catalog'), tokenFor('admin'), tokenFor('finance')]);
  memberToken = (await signupAndLogin(ctx.app)).token;
  movieId = (await ctx.rt.ds.getRepository(Movie).save({ name: '신과함께-죄와 벌' })).id;
}, 60_000);

afterAll(async () => {
  await ctx?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('POST /contents', () => {
  it('stores a real video, then the probe job fills its metadata and makes it ready', async () => {
    const bytes = readFileSync(video);
    const res = await upload(video, { title: '  신과함께 본편  ', movie: String(movieId) }).expect(201);
    expect(res.body).toEqual(
      expect.objectContaining({
        title: '신과함께 본편',
        movie: movieId,
        original_name: 'out.mp4',
        size_bytes: bytes.length,
        sha256: sha(bytes),
        mime_type: 'video/mp4',
        status: 'processing',
        valid_from: null,
        valid_until: null,
      }),
    );
    expect(res.body).not.toHaveProperty('storage_key');
    expect(res.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const id = res.body.id as number;

    const row = await ctx.rt.ds.getRepository(Content).findOneByOrFail({ id });
    expect(row.storageKey).toMatch(/^contents\/\d{4}\/\d{2}\/[0-9a-f-]{36}\.mp4$/);
    const stored = path.join(objectsDir(), row.storageKey);
    expect(sha(readFileSync(stored))).toBe(sha(bytes));
    expect(await ctx.rt.services.contents.storage.exists(row.storageKey)).toBe(true);
    expect(filesUnder(tmpDir())).toEqual([]);

    await ctx.rt.relay.flush(); // the probe's intent was written with the row; the relay queues it
    const job = await (ctx.rt.jobs as BullJobBus).queue('contents').getJob(`probe-${id}`);
    expect(job?.name).toBe('contents.probe');

    const ready = await waitForStatus(id, ['ready', 'invalid']);
    expect(ready.status).toBe('ready');
    const meta = await request(ctx.app).get(`/contents/${id}/metadata`).expect(200);
    expect(meta.body).toEqual(
      expect.objectContaining({ content_id: id, status: 'ready', width: 160, height: 120, video_codec: 'h264', audio_codecs: ['aac'], audio_languages: ['ko'], subtitles: [], tags: [] }),
    );
    expect(meta.body.duration_seconds).toBeGreaterThan(0.9);
    expect(meta.body.duration_seconds).toBeLessThan(1.2);
    expect(meta.body.container).toContain('mp4');
    expect(meta.body.bitrate).toBeGreaterThan(0);
    expect(Date.parse(meta.body.probed_at)).not.toBeNaN();

    const audit = await ctx.rt.ds.getRepository(AuditEntry).findOneByOrFail({ resource: 'contents', action: 'create', recordId: String(id) });
    expect(JSON.parse(audit.diff!).sha256).toEqual([null, sha(bytes)]);
  });

  it('rejects a text file renamed .mp4 with 415 and stores nothing', async () => {
    const before = await rows();
    const objects = filesUnder(objectsDir()).length;
    const res = await upload(Buffer.from('This is not a movie.\n'.repeat(2000)), { title: 'fake' }, catalogToken, 'fake.mp4').expect(415);
    expect(res.body.message).toContain('지원하지 않는 파일 형식');
    expect(await rows()).toBe(before);
    expect(filesUnder(objectsDir())).toHaveLength(objects);
    expect(filesUnder(tmpDir())).toEqual([]);
  });

  it('answers 413 past MAX_UPLOAD_BYTES while streaming, leaving no file and no row', async () => {
    const before = await rows();
    const objects = filesUnder(objectsDir()).length;
    const res = await upload(fakeMp4(MAX_UPLOAD + 20_000), { title: 'too big' }).expect(413);
    expect(res.body).toEqual({ message: `파일이 너무 큽니다. 최대 ${MAX_UPLOAD}바이트까지 올릴 수 있습니다.` });
    expect(await rows()).toBe(before);
    expect(filesUnder(objectsDir())).toHaveLength(objects);
    expect(filesUnder(tmpDir())).toEqual([]);
  });

  it('answers 413 before reading when the declared length is already too large', async () => {
    const server = ctx.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/contents',
          headers: { ...auth(catalogToken), 'content-type': 'multipart/form-data; boundary=xyz', 'content-length': String(50 * 1024 * 1024) },
        });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode!);
          req.destroy();
        });
        req.on('error', reject);
        req.flushHeaders();
      });
      expect(status).toBe(413);
    } finally {
      server.close();
    }
  });

  it('leaves no temp file and no row when the client aborts mid-upload', async () => {
    const before = await rows();
    const objects = filesUnder(objectsDir()).length;
    const server = ctx.app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const boundary = 'mq-abort-boundary';
      const preamble = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nhalf\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.mp4"\r\nContent-Type: video/mp4\r\n\r\n`,
      );
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/contents/',
        headers: { ...auth(catalogToken), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(preamble.length + 200_000) },
      });
      req.on('error', () => undefined);
      req.write(preamble);
      req.write(fakeMp4(100_000));
      // The server has started writing the temp file …
      await waitFor('the temp file', async () => filesUnder(tmpDir()).length > 0, 10_000);
      // … when the client goes away.
      req.destroy();
      await waitFor('the temp file to be removed', async () => filesUnder(tmpDir()).length === 0, 10_000);
    } finally {
      server.close();
    }
    expect(await rows()).toBe(before);
    expect(filesUnder(objectsDir())).toHaveLength(objects);
  });

  it('validates the form fields without keeping anything', async () => {
    const before = await rows();
    const small = readFileSync(video);
    expect((await upload(small, {}).expect(400)).body).toEqual({ title: ['이 필드는 필수 항목입니다.'] });
    expect((await upload(small, { title: '' }).expect(400)).body).toEqual({ title: ['이 필드는 blank일 수 없습니다.'] });
    await upload(small, { title: '   ' }).expect(400);
    expect((await upload(small, { title: 'x'.repeat(201) }).expect(400)).body).toEqual({ title: ['이 필드의 글자 수가 200 이하인지 확인하십시오.'] });
    expect((await upload(small, { title: 'ok', movie: '999999' }).expect(400)).body).toEqual({ movie: ['유효하지 않은 pk "999999" - 객체가 존재하지 않습니다.'] });
    expect((await upload(small, { title: 'ok', movie: 'abc' }).expect(400)).body).toEqual({ movie: ['유효한 정수(integer)를 넣어주세요.'] });
    const noFile = await request(ctx.app).post('/contents').set(auth(catalogToken)).field('title', 'no file').expect(400);
    expect(noFile.body).toEqual({ file: ['이 필드는 필수 항목입니다.'] });
    const empty = await upload(Buffer.alloc(0), { title: 'empty' }).expect(400);
    expect(empty.body).toEqual({ file: ['제출된 파일이 비어있습니다.'] });
    const json = await request(ctx.app).post('/contents').set(auth(catalogToken)).send({ title: 'json' }).expect(415);
    expect(json.body).toEqual({ message: 'multipart/form-data 형식으로 보내 주세요.' });
    expect(await rows()).toBe(before);
    expect(filesUnder(tmpDir())).toEqual([]);
  });

  it('needs catalog or admin', async () => {
    const before = await rows();
    // A refused upload is answered before its body is read: a small body keeps supertest from
    // writing into a connection its throw-away server already closed (EPIPE on a loaded machine).
    const small = Buffer.from('not even a video');
    expect((await request(ctx.app).post('/contents').attach('file', small, 'movie.mp4').field('title', 'x')).status).toBe(401);
    expect((await upload(small, { title: 'x' }, memberToken)).status).toBe(403);
    expect((await upload(small, { title: 'x' }, financeToken)).status).toBe(403);
    expect(await rows()).toBe(before);
    const res = await upload(video, { title: 'by admin' }, adminToken).expect(201);
    expect(res.body.status).toBe('processing');
    await waitForStatus(res.body.id, ['ready']);
  });

  it('marks a file that only looks like media invalid, with the reason', async () => {
    const res = await upload(fakeMp4(5000), { title: 'garbage' }).expect(201);
    const c = await waitForStatus(res.body.id, ['invalid', 'ready']);
    expect(c.status).toBe('invalid');
    expect(c.statusReason).toMatch(/^ffprobe could not read the file: /);
    expect(c.statusReason).not.toContain(ctx.config.uploadDir);
    await request(ctx.app).get(`/contents/${c.id}/metadata`).set(auth(memberToken)).expect(404);
    const staff = await request(ctx.app).get(`/contents/${c.id}/metadata`).set(auth(catalogToken)).expect(200);
    expect(staff.body).toEqual(expect.objectContaining({ status: 'invalid', duration_seconds: null, width: null }));
  });

  it('marks a media file without video or audio invalid', async () => {
    const res = await upload(subtitleOnly, { title: 'subtitles only' }).expect(201);
    expect(res.body.mime_type).toBe('video/x-matroska');
    const c = await waitForStatus(res.body.id, ['invalid', 'ready']);
    expect(c.status).toBe('invalid');
    expect(c.statusReason).toBe('no video or audio stream found');
  });
});

describe('validity', () => {
  let id: number;
  beforeAll(async () => {
    id = await readyContent('유효기간 테스트');
  });

  it('is public for a servable content', async () => {
    const res = await request(ctx.app).get(`/contents/${id}/validity`).expect(200);
    expect(res.body).toEqual({ content_id: id, valid_from: null, valid_until: null, status: 'ready', is_available: true });
  });

  it('validates the window without writing', async () => {
    const put = (body: unknown) => request(ctx.app).put(`/contents/${id}/validity/`).set(auth(catalogToken)).send(body as object);
    expect((await put({ valid_from: 'tomorrow', valid_until: null }).expect(400)).body).toEqual({ valid_from: ['날짜/시간 형식이 잘못되었습니다. ISO 8601 형식을 사용하세요.'] });
    expect((await put({ valid_from: '2025-01-01', valid_until: null }).expect(400)).body).toHaveProperty('valid_from');
    expect((await put({ valid_from: '2025-01-01T00:00:00', valid_until: null }).expect(400)).body).toHaveProperty('valid_from');
    expect((await put({ valid_until: null }).expect(400)).body).toEqual({ valid_from: ['이 필드는 필수 항목입니다.'] });
    const backwards = await put({ valid_from: '2030-01-02T00:00:00Z', valid_until: '2030-01-01T00:00:00Z' }).expect(400);
    expect(backwards.body).toEqual({ valid_until: ['종료 시각은 시작 시각보다 늦어야 합니다.'] });
    await put({ valid_from: '2030-01-01T00:00:00Z', valid_until: '2030-01-01T00:00:00Z' }).expect(400);
    const en = await put({ valid_from: '2030-01-02T00:00:00Z', valid_until: '2030-01-01T00:00:00Z' }).set('Accept-Language', 'en').expect(400);
    expect(en.body).toEqual({ valid_until: ['valid_until must be later than valid_from.'] });
    const row = await ctx.rt.ds.getRepository(Content).findOneByOrFail({ id });
    expect([row.validFrom, row.validUntil]).toEqual([null, null]);
  });

  it('needs catalog or admin to change, and 404s for a missing content', async () => {
    const body = { valid_from: null, valid_until: '2099-01-01T00:00:00Z' };
    expect((await request(ctx.app).put(`/contents/${id}/validity`).send(body)).status).toBe(401);
    expect((await request(ctx.app).put(`/contents/${id}/validity`).set(auth(memberToken)).send(body)).status).toBe(403);
    expect((await request(ctx.app).put(`/contents/${id}/validity`).set(auth(financeToken)).send(body)).status).toBe(403);
    const missing = await request(ctx.app).put('/contents/99999999/validity').set(auth(adminToken)).send(body).expect(404);
    expect(missing.body).toEqual({ detail: '콘텐츠를 찾을 수 없습니다.' });
    await request(ctx.app).get('/contents/99999999/validity').expect(404);
    await request(ctx.app).get('/contents/abc/validity').expect(400);
  });

  it('sets a window in UTC, audited; an expired content is hidden from members but not from staff', async () => {
    const set = await request(ctx.app)
      .put(`/contents/${id}/validity`)
      .set(auth(catalogToken))
      .send({ valid_from: '2020-01-01T09:00:00+09:00', valid_until: '2099-12-31T23:59:59.999Z' })
      .expect(200);
    expect(set.body).toEqual({ content_id: id, valid_from: '2020-01-01T00:00:00.000Z', valid_until: '2099-12-31T23:59:59.000Z', status: 'ready', is_available: true });
    const audit = await ctx.rt.ds.getRepository(AuditEntry).findOneByOrFail({ resource: 'contents', action: 'update', recordId: String(id), reason: 'validity' });
    expect(JSON.parse(audit.diff!).valid_from).toEqual([null, '2020-01-01T00:00:00.000Z']);

    // Expired: the status follows at once, and public reads stop.
    const expired = await request(ctx.app)
      .put(`/contents/${id}/validity`)
      .set(auth(adminToken))
      .send({ valid_from: '2020-01-01T00:00:00Z', valid_until: '2021-01-01T00:00:00Z' })
      .expect(200);
    expect(expired.body).toEqual(expect.objectContaining({ status: 'unavailable', is_available: false }));
    await request(ctx.app).get(`/contents/${id}/validity`).set(auth(memberToken)).expect(404);
    await request(ctx.app).get(`/contents/${id}/validity`).expect(404);
    await request(ctx.app).get(`/contents/${id}/metadata`).set(auth(memberToken)).expect(404);
    await request(ctx.app).get(`/contents/${id}/metadata`).set(auth(financeToken)).expect(404);
    expect((await request(ctx.app).get(`/contents/${id}/validity`).set(auth(catalogToken)).expect(200)).body.is_available).toBe(false);
    await request(ctx.app).get(`/contents/${id}/metadata`).set(auth(adminToken)).expect(200);

    // Open-ended again: back to ready and public.
    const open = await request(ctx.app).put(`/contents/${id}/validity`).set(auth(catalogToken)).send({ valid_from: null, valid_until: null }).expect(200);
    expect(open.body).toEqual({ content_id: id, valid_from: null, valid_until: null, status: 'ready', is_available: true });
    await request(ctx.app).get(`/contents/${id}/metadata`).set(auth(memberToken)).expect(200);
  });

  it('hides a ready content whose window has passed even before the validity job runs', async () => {
    // Written behind the service's back (as if time had passed): status still says ready.
    const other = await readyContent('시간이 지난 콘텐츠');
    await ctx.rt.ds.getRepository(Content).update({ id: other }, { validUntil: new Date(Date.now() - 60_000) });
    await request(ctx.app).get(`/contents/${other}/validity`).set(auth(memberToken)).expect(404);
    const staff = await request(ctx.app).get(`/contents/${other}/validity`).set(auth(catalogToken)).expect(200);
    expect(staff.body).toEqual(expect.objectContaining({ status: 'ready', is_available: false }));
  });
});

describe('metadata', () => {
  let id: number;
  beforeAll(async () => {
    id = await readyContent('메타데이터 테스트');
  });

  it('edits languages (ISO 639, normalised) and tags; probe fields stay read-only; audited', async () => {
    const res = await request(ctx.app)
      .put(`/contents/${id}/metadata/`)
      .set(auth(catalogToken))
      .send({ audio_languages: ['kor', 'en'], subtitles: ['ko', 'ENG', 'ko'], tags: [' 4K ', 'HDR', '4K'], duration_seconds: 9999, width: 1 })
      .expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({ content_id: id, audio_languages: ['ko', 'en'], subtitles: ['ko', 'en'], tags: ['4K', 'HDR'], width: 160, height: 120, video_codec: 'h264' }),
    );
    expect(res.body.duration_seconds).toBeLessThan(2);
    // Keys left out are kept.
    const partial = await request(ctx.app).put(`/contents/${id}/metadata`).set(auth(adminToken)).send({ tags: ['remastered'] }).expect(200);
    expect(partial.body).toEqual(expect.objectContaining({ audio_languages: ['ko', 'en'], subtitles: ['ko', 'en'], tags: ['remastered'] }));
    const got = await request(ctx.app).get(`/contents/${id}/metadata`).expect(200);
    expect(got.body).toEqual(partial.body);
    const audit = await ctx.rt.ds.getRepository(AuditEntry).find({ where: { resource: 'contents', recordId: String(id), reason: 'metadata' }, order: { id: 'ASC' } });
    expect(audit).toHaveLength(2);
    expect(JSON.parse(audit[0].diff!).tags).toEqual([[], ['4K', 'HDR']]);
  });

  it('rejects codes that are not ISO 639 languages, writing nothing', async () => {
    const before = (await request(ctx.app).get(`/contents/${id}/metadata`).expect(200)).body;
    const res = await request(ctx.app).put(`/contents/${id}/metadata`).set(auth(catalogToken)).send({ audio_languages: ['ko', 'xx'], subtitles: ['english'] }).expect(400);
    expect(res.body).toEqual({ audio_languages: ['"xx"은(는) 유효한 ISO 639 언어 코드가 아닙니다.'], subtitles: ['"english"은(는) 유효한 ISO 639 언어 코드가 아닙니다.'] });
    await request(ctx.app).put(`/contents/${id}/metadata`).set(auth(catalogToken)).send({ tags: 'not a list' }).expect(400);
    await request(ctx.app).put(`/contents/${id}/metadata`).set(auth(catalogToken)).send({ tags: ['x'.repeat(51)] }).expect(400);
    expect((await request(ctx.app).get(`/contents/${id}/metadata`).expect(200)).body).toEqual(before);
  });

  it('needs catalog or admin to change, and 404s for a missing content', async () => {
    expect((await request(ctx.app).put(`/contents/${id}/metadata`).send({ tags: [] })).status).toBe(401);
    expect((await request(ctx.app).put(`/contents/${id}/metadata`).set(auth(memberToken)).send({ tags: [] })).status).toBe(403);
    await request(ctx.app).put('/contents/99999999/metadata').set(auth(catalogToken)).send({ tags: [] }).expect(404);
    await request(ctx.app).get('/contents/99999999/metadata').set(auth(catalogToken)).expect(404);
  });
});

describe('validity job (markExpired)', () => {
  async function row(over: Partial<Content>): Promise<number> {
    const c = await ctx.rt.ds.getRepository(Content).save({
      title: 'window',
      storageKey: `contents/test/${randomBytes(8).toString('hex')}.mp4`,
      sizeBytes: '1',
      sha256: '0'.repeat(64),
      mimeType: 'video/mp4',
      status: 'ready',
      ...over,
    } as Content);
    return c.id;
  }
  const statusOf = async (id: number) => {
    const c = await ctx.rt.ds.getRepository(Content).findOneByOrFail({ id });
    return [c.status, c.statusReason];
  };

  it('flips ready ↔ unavailable by the window, in bulk, leaving other statuses alone', async () => {
    const now = new Date('2030-06-01T00:00:00Z');
    const day = 24 * 3600 * 1000;
    const ids = {
      expired: await row({ validUntil: new Date(now.getTime() - day) }),
      endsNow: await row({ validUntil: now }),
      notYet: await row({ validFrom: new Date(now.getTime() + day) }),
      inside: await row({ validFrom: new Date(now.getTime() - day), validUntil: new Date(now.getTime() + day) }),
      open: await row({}),
      back: await row({ status: 'unavailable', statusReason: OUTSIDE_WINDOW_REASON, validFrom: new Date(now.getTime() - day) }),
      takenDown: await row({ status: 'unavailable', statusReason: 'rights dispute', validUntil: new Date(now.getTime() + day) }),
      processing: await row({ status: 'processing', validUntil: new Date(now.getTime() - day) }),
      invalid: await row({ status: 'invalid', statusReason: 'bad', validUntil: new Date(now.getTime() - day) }),
    };
    const changed = await ctx.rt.services.contents.markExpired(now);
    expect(changed.unavailable).toBeGreaterThanOrEqual(3);
    expect(changed.restored).toBeGreaterThanOrEqual(1);
    expect(await statusOf(ids.expired)).toEqual(['unavailable', OUTSIDE_WINDOW_REASON]);
    expect(await statusOf(ids.endsNow)).toEqual(['unavailable', OUTSIDE_WINDOW_REASON]);
    expect(await statusOf(ids.notYet)).toEqual(['unavailable', OUTSIDE_WINDOW_REASON]);
    expect(await statusOf(ids.inside)).toEqual(['ready', null]);
    expect(await statusOf(ids.open)).toEqual(['ready', null]);
    expect(await statusOf(ids.back)).toEqual(['ready', null]);
    expect(await statusOf(ids.takenDown)).toEqual(['unavailable', 'rights dispute']);
    expect(await statusOf(ids.processing)).toEqual(['processing', null]);
    expect(await statusOf(ids.invalid)).toEqual(['invalid', 'bad']);

    // Once the not-yet window opens, the same job brings it back.
    await ctx.rt.services.contents.markExpired(new Date(now.getTime() + 2 * day));
    expect(await statusOf(ids.notYet)).toEqual(['ready', null]);
    expect(await statusOf(ids.expired)).toEqual(['unavailable', OUTSIDE_WINDOW_REASON]);
  });

  it('runs as the contents.validity job on BullMQ, scheduled every 10 minutes', async () => {
    const id = await row({ validUntil: new Date(Date.now() - 1000) });
    await ctx.rt.jobs.enqueue('contents.validity', {});
    await waitForStatus(id, ['unavailable']);
    const { SCHEDULES } = await import('../../jobs/queues.js');
    expect(SCHEDULES).toContainEqual(expect.objectContaining({ job: 'contents.validity', pattern: '*/10 * * * *' }));
  });

  it('can serve both bulk updates from the (status, valid_until) index', async () => {
    // Which plan the optimizer picks depends on the table's size; that the index applies does not.
    for (const sql of [
      "EXPLAIN UPDATE contents SET status = 'unavailable' WHERE status = 'ready' AND ((valid_until IS NOT NULL AND valid_until <= NOW()) OR (valid_from IS NOT NULL AND valid_from > NOW()))",
      "EXPLAIN UPDATE contents SET status = 'ready' WHERE status = 'unavailable' AND status_reason = 'x' AND (valid_from IS NULL OR valid_from <= NOW()) AND (valid_until IS NULL OR valid_until > NOW())",
    ]) {
      const plan: Array<{ possible_keys: string | null }> = await ctx.rt.ds.query(sql);
      expect(String(plan[0].possible_keys).split(',')).toContain('ix_contents_status_valid_until');
    }
  });
});

describe('OpenAPI', () => {
  it('documents the multipart upload and the content endpoints', async () => {
    const doc = (await request(ctx.app).get('/openapi.json').expect(200)).body;
    const post = doc.paths['/contents/'].post;
    const schema = post.requestBody.content['multipart/form-data'].schema;
    const resolved = schema.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema;
    expect(resolved.properties.file).toEqual(expect.objectContaining({ type: 'string', format: 'binary' }));
    expect(resolved.required).toEqual(expect.arrayContaining(['title', 'file']));
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '413', '415']));
    expect(doc.paths['/contents/{content_id}/validity/']).toHaveProperty('put');
    expect(doc.paths['/contents/{content_id}/metadata/']).toHaveProperty('get');
  });
});

describe('embedded mode (SQLite)', () => {
  let sqlite: TestContext;
  beforeAll(async () => {
    sqlite = await createTestContext({ dialect: 'sqlite', redis: false });
  });
  afterAll(async () => {
    await sqlite?.close();
  });

  it('ingests through the service and applies the validity rule with SQLite date strings', async () => {
    const contents = sqlite.rt.services.contents;
    const c = await contents.createFromFile(video, { title: 'embedded', uploadedBy: null });
    expect(c.status).toBe('processing');
    expect(Number(c.sizeBytes)).toBe(statSync(video).size);
    expect(existsSync(path.join(sqlite.config.uploadDir, 'objects', c.storageKey))).toBe(true);
    // The file handed in stays where it was (the caller owns it).
    expect(existsSync(video)).toBe(true);
    // The in-process job bus runs the probe job (relayed from the outbox).
    await sqlite.rt.relay.flush();
    await (sqlite.rt.jobs as InProcessJobBus).drain();
    expect((await contents.get(c.id)).status).toBe('ready');
    expect(await contents.probe(c.id)).toEqual({ id: c.id, status: 'ready', reason: null });
    expect(await contents.probe(99999999)).toBeNull();
    await contents.setValidity(c.id, { valid_from: null, valid_until: new Date('2031-01-01T00:00:00Z') }, null);
    await contents.markExpired(new Date('2030-12-31T23:59:59Z'));
    expect((await contents.get(c.id)).status).toBe('ready');
    await contents.markExpired(new Date('2031-01-01T00:00:00Z'));
    const expired = await contents.get(c.id);
    expect([expired.status, contents.isServable(expired)]).toEqual(['unavailable', false]);
    await contents.markExpired(new Date('2030-01-01T00:00:00Z'));
    expect((await contents.get(c.id)).status).toBe('ready');
    mkdirSync(contents.tmpDir, { recursive: true });
    expect(readdirSync(contents.tmpDir)).toEqual([]);
  });
});
