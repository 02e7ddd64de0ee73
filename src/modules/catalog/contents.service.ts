// Contents (seed 000 section 2): the playable files of the catalog. Every rule about them lives
// here: how an upload is received (streamed to a temp file with its SHA-256 and size, sniffed,
// size-limited), stored, probed with ffprobe, which fields staff may edit, the validity window,
// and the one rule public reads use (`isServable`).
//
// Callers:
//   - POST /contents streams the multipart file part into `stage()` and then `commit()`s it;
//   - the admin panel calls `createFromFile(path, …)` with the file its form parser wrote;
//   - the `contents.probe` and `contents.validity` jobs call `probe()` and `markExpired()`.
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { IntentWriter } from '../../../jobs/outbox.js';
import { dialectOf } from '../../db/data-source.js';
import { invalidFields, msg, notFound, tooLarge, unsupported, type FieldMessages } from '../shared/errors.js';
import { can } from '../access/rbac.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { Role } from '../users/user.entity.js';
import { Content, type ContentMetadata, type ContentStatus } from './content.entity.js';
import { Movie } from './movie.entity.js';
import type { ObjectStorage } from './storage/object-storage.js';
import { SNIFF_BYTES, sniffMediaType, type SniffedType } from './storage/sniff.js';

// ---- languages -------------------------------------------------------------------------------

const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });
const SPECIAL_LANGUAGES = new Set(['und', 'mul', 'zxx']);

/**
 * An ISO 639 language code (639-1 `ko` or 639-2 `kor`/`fre`, optionally with a region `pt-BR`)
 * in its canonical BCP 47 form (`kor` → `ko`, `fre` → `fr`), or null when it is not one.
 */
export function normalizeLanguage(code: string): string | null {
  const raw = code.trim();
  if (!/^[A-Za-z]{2,3}(-[A-Za-z]{2})?$/.test(raw)) return null;
  let canonical: string;
  try {
    [canonical] = Intl.getCanonicalLocales(raw);
  } catch {
    return null;
  }
  const primary = canonical.split('-')[0];
  if (SPECIAL_LANGUAGES.has(primary)) return canonical;
  return languageNames.of(primary) ? canonical : null;
}

// ---- types -----------------------------------------------------------------------------------

export interface ContentsServiceOptions {
  ds: DataSource;
  audit: AuditService;
  /** The probe job's intent is written with the content row. */
  outbox: IntentWriter;
  storage: ObjectStorage;
  /** Temp uploads go to `<uploadDir>/tmp`. */
  uploadDir: string;
  /** Default size limit of an upload. */
  maxUploadBytes: number;
  ffprobePath?: string;
  /** ffprobe is killed after this long (default 60 s). */
  probeTimeoutMs?: number;
}

/** Who reads: staff who manage the catalog also see contents that are not servable. */
export type Viewer = { role: Role } | null | undefined;

export interface StageOptions {
  originalName?: string | null;
  /** Defaults to MAX_UPLOAD_BYTES. */
  maxBytes?: number;
}

export interface CommitInput {
  title: string;
  movieId?: number | null;
  uploadedBy: Actor | null;
}

export interface IngestInput extends CommitInput {
  stream: Readable;
  originalName?: string | null;
  maxBytes?: number;
}

export interface ValidityInput {
  valid_from: Date | null;
  valid_until: Date | null;
}

/** The staff-editable part of the metadata; keys left out are kept. */
export interface MetadataPatch {
  audio_languages?: string[];
  subtitles?: string[];
  tags?: string[];
}

export interface ProbeOutcome {
  id: number;
  status: ContentStatus;
  reason: string | null;
}

/** The editable metadata keys; everything else in `metadata` is written by the probe only. */
export const EDITABLE_METADATA_KEYS = ['audio_languages', 'subtitles', 'tags'] as const;

/** status_reason of a content the validity rule took offline (and may bring back). */
export const OUTSIDE_WINDOW_REASON = 'outside its validity window';

/** An upload received into a temp file, not yet stored: commit() it or discard() it. */
export class StagedUpload {
  private state: 'staged' | 'committing' | 'committed' | 'discarded' = 'staged';

  constructor(
    readonly tmpPath: string,
    readonly sizeBytes: number,
    readonly sha256: string,
    readonly type: SniffedType,
    readonly originalName: string | null,
  ) {}

  get status() {
    return this.state;
  }

  /** @internal */
  begin(): void {
    if (this.state !== 'staged') throw new Error(`upload already ${this.state}`);
    this.state = 'committing';
  }

  /** @internal */
  end(committed: boolean): void {
    this.state = committed ? 'committed' : 'discarded';
  }

  /** Removes the temp file unless the upload is being (or was) committed. Safe to call twice. */
  async discard(): Promise<void> {
    if (this.state !== 'staged') return;
    this.state = 'discarded';
    await rm(this.tmpPath, { force: true });
  }
}

function cleanOriginalName(name: string | null | undefined): string | null {
  if (!name) return null;
  // Only kept for display: the last path segment, without control characters.
  // eslint-disable-next-line no-control-regex
  const base = name.split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base ? base.slice(0, 255) : null;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
/** Contents keep whole seconds (DATETIME without fraction on MySQL). */
const wholeSeconds = (d: Date | null): Date | null => (d ? new Date(Math.floor(d.getTime() / 1000) * 1000) : null);

function inWindow(c: Pick<Content, 'validFrom' | 'validUntil'>, now: Date): boolean {
  return (c.validFrom === null || c.validFrom.getTime() <= now.getTime()) && (c.validUntil === null || now.getTime() < c.validUntil.getTime());
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  duration?: string;
  tags?: Record<string, string>;
  disposition?: Record<string, number>;
}
interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; bit_rate?: string };
}

type FfprobeResult = { ok: true; data: FfprobeOutput } | { ok: false; reason: string };

const finite = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

// ---- service ---------------------------------------------------------------------------------

export class ContentsService {
  readonly tmpDir: string;
  private readonly ffprobePath: string;
  private readonly probeTimeoutMs: number;

  constructor(private readonly o: ContentsServiceOptions) {
    this.tmpDir = path.join(o.uploadDir, 'tmp');
    this.ffprobePath = o.ffprobePath ?? 'ffprobe';
    this.probeTimeoutMs = o.probeTimeoutMs ?? 60_000;
  }

  get storage(): ObjectStorage {
    return this.o.storage;
  }

  get maxUploadBytes(): number {
    return this.o.maxUploadBytes;
  }

  private get repo() {
    return this.o.ds.getRepository(Content);
  }

  // ---- upload --------------------------------------------------------------------------------

  /**
   * Streams an upload into a temp file under `<uploadDir>/tmp` while hashing and counting it;
   * never holds the file in memory. Fails (and removes the temp file) with 413 past `maxBytes`,
   * 415 when the first bytes are not a known audio/video format, 400 for an empty file, or with
   * the stream's own error when the upload is aborted.
   */
  async stage(stream: Readable, opts: StageOptions = {}): Promise<StagedUpload> {
        const maxBytes = opts.maxBytes ?? this.o.maxUploadBytes;
    // The stream may fail before the pipeline is attached (aborted request): pipeline reports it.
    stream.on('error', () => undefined);
    await mkdir(this.tmpDir, { recursive: true });
    const tmpPath = path.join(this.tmpDir, `upload-${randomUUID()}.part`);

    const hash = createHash('sha256');
    let size = 0;
    let head: Buffer[] = [];
    let headBytes = 0;
    let type: SniffedType | null | undefined;
    const sniff = (): Error | null => {
      type = sniffMediaType(Buffer.concat(head).subarray(0, SNIFF_BYTES));
      head = [];
      return type ? null : unsupported('unsupportedFile');
    };
    const inspect = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        size += chunk.length;
        if (size > maxBytes) return cb(tooLarge('fileTooLarge', { n: maxBytes }));
        hash.update(chunk);
        if (type === undefined) {
          head.push(chunk);
          headBytes += chunk.length;
          if (headBytes >= SNIFF_BYTES) {
            const err = sniff();
            if (err) return cb(err);
          }
        }
        cb(null, chunk);
      },
      flush(cb) {
        if (type === undefined && size > 0) return cb(sniff());
        cb();
      },
    });

    try {
      await pipeline(stream, inspect, createWriteStream(tmpPath, { flags: 'wx', mode: 0o600 }));
      if (size === 0) throw invalidFields({ file: [msg('emptyFile')] });
    } catch (err) {
      await rm(tmpPath, { force: true });
      throw err;
    }
    return new StagedUpload(tmpPath, size, hash.digest('hex'), type!, cleanOriginalName(opts.originalName));
  }

  /**
   * Stores a staged upload and creates its row (status `processing`) with its probe job intent.
   * Any failure leaves no stored object, no row and no temp file.
   */
  async commit(staged: StagedUpload, input: CommitInput): Promise<Content> {
        staged.begin();
    let committed = false;
    try {
      const title = String(input.title ?? '').trim();
      if (!title) throw invalidFields({ title: [msg(title === '' && input.title !== undefined ? 'blank' : 'required')] });
      if (title.length > 200) throw invalidFields({ title: [msg('maxLength', { n: 200 })] });
      const movieId = input.movieId ?? null;
      if (movieId !== null && !(await this.o.ds.getRepository(Movie).exists({ where: { id: movieId } }))) {
        throw invalidFields({ movie: [msg('badPk', { v: movieId })] });
      }

      const key = this.newKey(staged.type.ext);
      const putOpts = { size: staged.sizeBytes, sha256Hex: staged.sha256, contentType: staged.type.mime };
      if (this.o.storage.putFile) await this.o.storage.putFile(key, staged.tmpPath, putOpts);
      else await this.o.storage.put(key, createReadStream(staged.tmpPath), putOpts);

      let content: Content;
      try {
        content = await this.o.ds.transaction(async (m) => {
          const row = await m.save(
            m.create(Content, {
              movieId,
              title,
              storageKey: key,
              originalName: staged.originalName,
              sizeBytes: String(staged.sizeBytes),
              sha256: staged.sha256,
              mimeType: staged.type.mime,
              status: 'processing',
              statusReason: null,
              validFrom: null,
              validUntil: null,
              metadata: null,
              uploadedBy: input.uploadedBy?.id ?? null,
            }),
          );
          await this.o.audit.record(
            {
              actor: input.uploadedBy,
              action: 'create',
              resource: 'contents',
              recordId: row.id,
              after: { title, movie_id: movieId, original_name: staged.originalName, size_bytes: staged.sizeBytes, sha256: staged.sha256, mime_type: staged.type.mime },
            },
            m,
          );
          // In the row's transaction: a content never stays `processing` for want of its probe.
          await this.queueProbe(m, row.id);
          return row;
        });
      } catch (err) {
        await this.o.storage.delete(key).catch(() => undefined);
        throw err;
      }
      committed = true;
      // The row as inserted (status `processing`), even if the probe has already started.
      return content;
    } finally {
      staged.end(committed);
      await rm(staged.tmpPath, { force: true });
    }
  }

  /** stage() + commit() in one call. */
  async ingest(input: IngestInput): Promise<Content> {
    const staged = await this.stage(input.stream, { originalName: input.originalName, maxBytes: input.maxBytes });
    try {
      return await this.commit(staged, input);
    } finally {
      await staged.discard();
    }
  }

  /**
   * The admin panel's upload: the same path as the API for a file already on disk (read, not
   * moved: the caller still owns and removes `filePath`).
   */
  async createFromFile(
    filePath: string,
    input: { title: string; movieId?: number | null; uploadedBy: Actor | null; originalName?: string | null; maxBytes?: number },
  ): Promise<Content> {
    return this.ingest({ ...input, stream: createReadStream(filePath), originalName: input.originalName ?? path.basename(filePath) });
  }

  /** Writes the probe intent of a content in `m`'s transaction; one job per content (job id `probe-<id>`). */
  private async queueProbe(m: EntityManager, contentId: number): Promise<void> {
    await this.o.outbox.add(m, 'contents.probe', { contentId }, { jobId: `probe-${contentId}` });
  }

  private newKey(ext: string): string {
    const now = new Date();
    return `contents/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${randomUUID()}${ext}`;
  }

  // ---- reads ---------------------------------------------------------------------------------

  /** THE rule of public reads: a content is served when it is ready and inside its validity window. */
  isServable(c: Pick<Content, 'status' | 'validFrom' | 'validUntil'>, now: Date = new Date()): boolean {
    return c.status === 'ready' && inWindow(c, now);
  }

  canManage(viewer: Viewer): boolean {
    return !!viewer && can(viewer.role, 'contents', 'update');
  }

  async find(id: number): Promise<Content | null> {
    return this.repo.findOneBy({ id });
  }

  /** Titles of the given contents (statistics show names, not ids); missing ones are left out. */
  async titlesOf(ids: readonly number[]): Promise<Map<number, string>> {
    if (!ids.length) return new Map();
    const rows = await this.repo.find({ select: { id: true, title: true }, where: { id: In([...new Set(ids)]) } });
    return new Map(rows.map((c) => [c.id, c.title]));
  }

  /** How many contents are in each status (dashboard catalog figures). */
  async countByStatus(): Promise<Record<string, number>> {
    const rows = await this.repo.createQueryBuilder('c').select(['c.status AS status', 'COUNT(*) AS n']).groupBy('c.status').getRawMany<{ status: string; n: unknown }>();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  async get(id: number): Promise<Content> {
    const c = await this.find(id);
    if (!c) throw notFound('contentNotFound');
    return c;
  }

  /** A content as `viewer` may see it: members and anonymous callers get 404 unless it is servable. */
  async getVisible(id: number, viewer: Viewer, now: Date = new Date()): Promise<Content> {
    const c = await this.find(id);
    if (!c || (!this.canManage(viewer) && !this.isServable(c, now))) throw notFound('contentNotFound');
    return c;
  }

  getValidity(id: number, viewer: Viewer): Promise<Content> {
    return this.getVisible(id, viewer);
  }

  getMetadata(id: number, viewer: Viewer): Promise<Content> {
    return this.getVisible(id, viewer);
  }

  // ---- validity ------------------------------------------------------------------------------

  /** Sets the window (null = open-ended) and applies it to the status at once; audited. */
  async setValidity(id: number, input: ValidityInput, actor: Actor | null, now: Date = new Date()): Promise<Content> {
    const from = wholeSeconds(input.valid_from);
    const until = wholeSeconds(input.valid_until);
    if (from && until && until.getTime() <= from.getTime()) throw invalidFields({ valid_until: [msg('untilAfterFrom')] });
    return this.o.ds.transaction(async (m) => {
      const c = await this.lockedContent(m, id);
      const before = { valid_from: iso(c.validFrom), valid_until: iso(c.validUntil), status: c.status };
      c.validFrom = from;
      c.validUntil = until;
      this.applyWindow(c, now);
      await m.save(c);
      await this.o.audit.record(
        { actor, action: 'update', resource: 'contents', recordId: id, before, after: { valid_from: iso(from), valid_until: iso(until), status: c.status }, reason: 'validity' },
        m,
      );
      return c;
    });
  }

  /**
   * The validity job: contents that are `ready` but outside their window become `unavailable`,
   * and the ones this rule took offline come back to `ready` once inside it again. Two UPDATEs
   * (the first served by the (status, valid_until) index); nothing is loaded into memory.
   */
  async markExpired(now: Date = new Date()): Promise<{ unavailable: number; restored: number }> {
    const at = this.dbTime(now);
    const offline = await this.repo
      .createQueryBuilder()
      .update(Content)
      .set({ status: 'unavailable', statusReason: OUTSIDE_WINDOW_REASON })
      .where('status = :ready', { ready: 'ready' })
      .andWhere('((valid_until IS NOT NULL AND valid_until <= :at) OR (valid_from IS NOT NULL AND valid_from > :at))', { at })
      .execute();
    const back = await this.repo
      .createQueryBuilder()
      .update(Content)
      .set({ status: 'ready', statusReason: null })
      .where('status = :unavailable AND status_reason = :reason', { unavailable: 'unavailable', reason: OUTSIDE_WINDOW_REASON })
      .andWhere('(valid_from IS NULL OR valid_from <= :at) AND (valid_until IS NULL OR valid_until > :at)', { at })
      .execute();
    return { unavailable: offline.affected ?? 0, restored: back.affected ?? 0 };
  }

  /** The same rule as markExpired, for one row being written. */
  private applyWindow(c: Content, now: Date): void {
    const inside = inWindow(c, now);
    if (c.status === 'ready' && !inside) {
      c.status = 'unavailable';
      c.statusReason = OUTSIDE_WINDOW_REASON;
    } else if (c.status === 'unavailable' && c.statusReason === OUTSIDE_WINDOW_REASON && inside) {
      c.status = 'ready';
      c.statusReason = null;
    }
  }

  // ---- metadata ------------------------------------------------------------------------------

  /** Edits audio_languages, subtitles (ISO 639 codes, normalised) and tags; probe fields stay read-only; audited. */
  async setMetadata(id: number, patch: MetadataPatch, actor: Actor | null): Promise<Content> {
    const errors: FieldMessages = {};
    const codes = (field: 'audio_languages' | 'subtitles'): string[] | undefined => {
      const list = patch[field];
      if (list === undefined) return undefined;
      const out: string[] = [];
      for (const code of list) {
        const norm = normalizeLanguage(String(code));
        if (norm) out.push(norm);
        else (errors[field] ??= []).push(msg('badLanguage', { v: String(code) }));
      }
      return unique(out);
    };
    const audioLanguages = codes('audio_languages');
    const subtitles = codes('subtitles');
    if (Object.keys(errors).length) throw invalidFields(errors);
    const tags = patch.tags === undefined ? undefined : unique(patch.tags.map((s) => s.trim()).filter(Boolean));

    return this.o.ds.transaction(async (m) => {
      const c = await this.lockedContent(m, id);
      const meta: ContentMetadata = { ...(c.metadata ?? {}) };
      const before = { audio_languages: meta.audio_languages ?? [], subtitles: meta.subtitles ?? [], tags: meta.tags ?? [] };
      if (audioLanguages) meta.audio_languages = audioLanguages;
      if (subtitles) meta.subtitles = subtitles;
      if (tags) meta.tags = tags;
      c.metadata = meta;
      await m.save(c);
      await this.o.audit.record(
        {
          actor,
          action: 'update',
          resource: 'contents',
          recordId: id,
          before,
          after: { audio_languages: meta.audio_languages ?? [], subtitles: meta.subtitles ?? [], tags: meta.tags ?? [] },
          reason: 'metadata',
        },
        m,
      );
      return c;
    });
  }

  // ---- probe ---------------------------------------------------------------------------------

  /**
   * Runs ffprobe on the stored file and fills the metadata; the content becomes `ready` (or
   * `unavailable` when outside its window), or `invalid` with the reason when ffprobe cannot
   * read it or finds no video/audio stream. Returns null when the content no longer exists.
   * Throws (so the job retries) only on infrastructure failures: no ffprobe, storage errors.
   */
  async probe(id: number, now: Date = new Date()): Promise<ProbeOutcome | null> {
    const content = await this.find(id);
    if (!content) return null;

    let file: string;
    let cleanup: (() => Promise<void>) | null = null;
    if (this.o.storage.localPath) {
      file = this.o.storage.localPath(content.storageKey);
    } else {
      await mkdir(this.tmpDir, { recursive: true });
      file = path.join(this.tmpDir, `probe-${randomUUID()}${path.extname(content.storageKey)}`);
      const tmp = file;
      cleanup = () => rm(tmp, { force: true });
      try {
        await pipeline(this.o.storage.get(content.storageKey), createWriteStream(tmp, { flags: 'wx', mode: 0o600 }));
      } catch (err) {
        await cleanup();
        throw err;
      }
    }

    let result: FfprobeResult;
    try {
      result = await this.runFfprobe(file);
    } finally {
      await cleanup?.();
    }

    return this.o.ds.transaction(async (m) => {
      const c = await this.lockedRow(m, id);
      if (!c) return null;
      const previous = c.metadata ?? {};
      if (!result.ok) {
        c.status = 'invalid';
        c.statusReason = result.reason.slice(0, 500);
        c.metadata = { ...previous, probed_at: now.toISOString() };
      } else {
        const meta = this.probeMetadata(result.data, previous, now);
        if (!meta) {
          c.status = 'invalid';
          c.statusReason = 'no video or audio stream found';
          c.metadata = { ...previous, probed_at: now.toISOString() };
        } else {
          c.metadata = meta;
          c.status = 'ready';
          c.statusReason = null;
          this.applyWindow(c, now);
        }
      }
      await m.save(c);
      return { id: c.id, status: c.status, reason: c.statusReason };
    });
  }

  private probeMetadata(data: FfprobeOutput, previous: ContentMetadata, now: Date): ContentMetadata | null {
    const streams = Array.isArray(data.streams) ? data.streams : [];
    const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
    const audio = streams.filter((s) => s.codec_type === 'audio');
    const subs = streams.filter((s) => s.codec_type === 'subtitle');
    if (!video && audio.length === 0) return null;
    const languagesOf = (list: FfprobeStream[]) =>
      unique(
        list
          .map((s) => (s.tags?.language ? normalizeLanguage(s.tags.language) : null))
          .filter((l): l is string => !!l && l !== 'und'),
      );
    const duration = finite(data.format?.duration) ?? finite(video?.duration) ?? finite(audio[0]?.duration);
    const bitrate = finite(data.format?.bit_rate);
    return {
      ...previous,
      duration_seconds: duration === null ? null : Math.round(duration * 1000) / 1000,
      width: video?.width ?? null,
      height: video?.height ?? null,
      video_codec: video?.codec_name ?? null,
      audio_codecs: unique(audio.map((s) => s.codec_name).filter((n): n is string => !!n)),
      // Staff edits win over the file's tags.
      audio_languages: previous.audio_languages?.length ? previous.audio_languages : languagesOf(audio),
      subtitles: previous.subtitles?.length ? previous.subtitles : languagesOf(subs),
      tags: previous.tags ?? [],
      bitrate: bitrate === null ? null : Math.round(bitrate),
      container: data.format?.format_name ?? null,
      probed_at: now.toISOString(),
    };
  }

  private runFfprobe(file: string): Promise<FfprobeResult> {
    const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', file];
    return new Promise((resolve, reject) => {
      execFile(
        this.ffprobePath,
        args,
        { timeout: this.probeTimeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, windowsHide: true },
        (err, stdout, stderr) => {
          if (err) {
            const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: unknown };
            if (e.code === 'ENOENT') return reject(new Error(`ffprobe not found (${this.ffprobePath}): install ffmpeg`));
            if (e.killed || e.signal) return resolve({ ok: false, reason: `ffprobe timed out after ${Math.round(this.probeTimeoutMs / 1000)} s` });
            const detail = String(stderr)
              .split('\n')
              .map((l) => l.split(file).join('input').trim())
              .filter(Boolean)
              .join('; ');
            return resolve({ ok: false, reason: `ffprobe could not read the file: ${detail || `exit code ${String(e.code)}`}` });
          }
          try {
            resolve({ ok: true, data: JSON.parse(String(stdout)) as FfprobeOutput });
          } catch {
            resolve({ ok: false, reason: 'ffprobe returned unreadable output' });
          }
        },
      );
    });
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** The row, locked for the transaction on MySQL (SQLite has no row locks; its writes are serialised). */
  private lockedRow(m: EntityManager, id: number): Promise<Content | null> {
    const qb = m.getRepository(Content).createQueryBuilder('c').where('c.id = :id', { id });
    if (dialectOf(this.o.ds) === 'mysql') qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  private async lockedContent(m: EntityManager, id: number): Promise<Content> {
    const c = await this.lockedRow(m, id);
    if (!c) throw notFound('contentNotFound');
    return c;
  }

  /** A Date as the driver compares DATETIME columns (a Date for MySQL, a UTC string for SQLite). */
  private dbTime(d: Date): unknown {
    const column = this.repo.metadata.findColumnWithPropertyName('validUntil')!;
    return this.o.ds.driver.preparePersistentValue(d, column);
  }
}
