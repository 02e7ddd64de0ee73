// Contents API (seed 000 section 2): upload, validity window, metadata. Writes need catalog or
// admin; reads are public but only for servable contents (staff see every content).
import type { AgeGate } from '../age/age.service.js';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { AuthUser } from '../../http/auth.js';
import { HttpError, ValidationError } from '../../http/errors.js';
import { langOf, t } from '../../http/i18n.js';
import { rolesAllowed } from '../access/rbac.js';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import { idParam } from '../../http/validation.js';
import type { Actor } from '../audit/audit.service.js';
import type { Content } from './content.entity.js';
import { CONTENT_STATUSES } from './content.entity.js';
import { StagedUpload, type ContentsService } from './contents.service.js';

/** Room for the multipart envelope (boundaries, part headers, text fields) around the file. */
const MULTIPART_OVERHEAD = 1024 * 1024;
const TITLE_MAX = 200;

const actorOf = (u: AuthUser | undefined): Actor | null => (u ? { id: u.id, email: u.email } : null);
const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

// ---- schemas ---------------------------------------------------------------------------------

const uploadBody = z
  .object({
    title: z.string().trim().min(1).max(TITLE_MAX).openapi({ description: 'Title of the content (≤ 200 characters)', example: '신과함께-죄와 벌 (본편, 1080p)' }),
    movie: z
      .union([idParam, z.literal('').transform(() => undefined)])
      .optional()
      .openapi({ type: 'integer', description: 'Id of the movie this content plays (optional; 400 when it does not exist)' }),
    file: z
      .custom<StagedUpload>((v) => v instanceof StagedUpload, { message: 'i18n:required' })
      .openapi({
        type: 'string',
        format: 'binary',
        description:
          'The media file. Its type is detected from its bytes (MP4/MOV, MKV/WebM, AVI, MPEG-TS, MP3, WAV, OGG, FLAC); anything else → 415. Too large → 413.',
      }),
  })
  .openapi('ContentUpload');

const metadataFields = {
  duration_seconds: z.number().nullable().openapi({ description: 'From ffprobe (read-only)', example: 8520.48 }),
  width: z.number().int().nullable().openapi({ description: 'From ffprobe (read-only)', example: 1920 }),
  height: z.number().int().nullable().openapi({ description: 'From ffprobe (read-only)', example: 1080 }),
  video_codec: z.string().nullable().openapi({ description: 'From ffprobe (read-only)', example: 'h264' }),
  audio_codecs: z.array(z.string()).openapi({ description: 'From ffprobe (read-only)', example: ['aac'] }),
  audio_languages: z.array(z.string()).openapi({ description: 'ISO 639 codes (editable; filled from the stream tags when empty)', example: ['ko', 'en'] }),
  subtitles: z.array(z.string()).openapi({ description: 'ISO 639 codes of the subtitle languages (editable)', example: ['ko', 'en'] }),
  tags: z.array(z.string()).openapi({ description: 'Free tags (editable)', example: ['4K', 'HDR'] }),
  bitrate: z.number().int().nullable().openapi({ description: 'bits per second, from ffprobe (read-only)' }),
  container: z.string().nullable().openapi({ description: 'ffprobe format name (read-only)', example: 'mov,mp4,m4a,3gp,3g2,mj2' }),
  probed_at: z.string().nullable().openapi({ description: 'When ffprobe last read the file (ISO 8601 UTC)' }),
};
const metadataJsonSchema = z.object({ content_id: z.number().int(), status: z.enum(CONTENT_STATUSES), ...metadataFields }).openapi('ContentMetadata');

const contentJsonSchema = z
  .object({
    id: z.number().int(),
    movie: z.number().int().nullable(),
    title: z.string(),
    original_name: z.string().nullable(),
    size_bytes: z.number().int(),
    sha256: z.string().openapi({ description: 'SHA-256 (hex) of the stored bytes' }),
    mime_type: z.string().openapi({ description: 'Detected from the file bytes', example: 'video/mp4' }),
    status: z.enum(CONTENT_STATUSES).openapi({ description: 'processing → ready | invalid; unavailable outside the validity window' }),
    status_reason: z.string().nullable(),
    valid_from: z.string().nullable(),
    valid_until: z.string().nullable(),
    metadata: z.object(metadataFields).partial().nullable(),
    uploaded_by: z.number().int().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Content');

const validityJsonSchema = z
  .object({
    content_id: z.number().int(),
    valid_from: z.string().nullable().openapi({ example: '2025-01-01T00:00:00.000Z' }),
    valid_until: z.string().nullable().openapi({ example: '2025-12-31T15:00:00.000Z' }),
    status: z.enum(CONTENT_STATUSES),
    is_available: z.boolean().openapi({ description: 'ready and inside the window: what the apps may play now' }),
  })
  .openapi('ContentValidity');

const isoDateTime = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .nullable()
  .openapi({ type: 'string', format: 'date-time', description: 'ISO 8601 with an offset (Z or +09:00); null = open-ended' });

const validityBody = z
  .object({ valid_from: isoDateTime, valid_until: isoDateTime })
  .openapi('ContentValidityWrite', { example: { valid_from: '2025-01-01T00:00:00+09:00', valid_until: '2025-12-31T23:59:59+09:00' } });

const languageList = z.array(z.string().trim().min(1).max(12)).max(50);
/** The editable metadata (the API body and the panel's metadata form). */
export const metadataBody = z
  .object({
    audio_languages: languageList.optional(),
    subtitles: languageList.optional(),
    tags: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
  })
  .openapi('ContentMetadataWrite', {
    description: 'Only these keys are editable; keys left out are kept; the probe fields (duration, size, codecs …) are read-only and ignored.',
    example: { audio_languages: ['ko'], subtitles: ['ko', 'en'], tags: ['4K'] },
  });

const contentParams = z.object({ content_id: idParam });

// ---- JSON ------------------------------------------------------------------------------------

export function contentJson(c: Content) {
  return {
    id: c.id,
    movie: c.movieId,
    title: c.title,
    original_name: c.originalName,
    size_bytes: Number(c.sizeBytes),
    sha256: c.sha256,
    mime_type: c.mimeType,
    status: c.status,
    status_reason: c.statusReason,
    valid_from: iso(c.validFrom),
    valid_until: iso(c.validUntil),
    metadata: c.metadata,
    uploaded_by: c.uploadedBy,
    created_at: iso(c.createdAt)!,
    updated_at: iso(c.updatedAt)!,
  };
}

function validityJson(c: Content, available: boolean) {
  return { content_id: c.id, valid_from: iso(c.validFrom), valid_until: iso(c.validUntil), status: c.status, is_available: available };
}

function metadataJson(c: Content) {
  const m = c.metadata ?? {};
  return {
    content_id: c.id,
    status: c.status,
    duration_seconds: m.duration_seconds ?? null,
    width: m.width ?? null,
    height: m.height ?? null,
    video_codec: m.video_codec ?? null,
    audio_codecs: m.audio_codecs ?? [],
    audio_languages: m.audio_languages ?? [],
    subtitles: m.subtitles ?? [],
    tags: m.tags ?? [],
    bitrate: m.bitrate ?? null,
    container: m.container ?? null,
    probed_at: m.probed_at ?? null,
  };
}

// ---- multipart -------------------------------------------------------------------------------

/**
 * Parses multipart/form-data with busboy, streaming the `file` part straight into
 * `contents.stage()` (no buffering), and leaves `{title, movie, file: StagedUpload}` in req.body
 * for the route's schema. A staged file not committed by the time the response ends is removed;
 * an aborted request destroys the file stream, which removes its temp file.
 */
function multipartUpload(contents: ContentsService, maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const lang = langOf(req);
    if (!req.is('multipart/form-data')) return next(new HttpError(415, { message: t(lang, 'notMultipart') }));
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) {
      // Declared too large: answer before reading, and do not keep the connection for the rest.
      res.set('Connection', 'close');
      return next(new HttpError(413, { message: t(lang, 'fileTooLarge', { n: maxBytes }) }));
    }

    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 10, parts: 12, fieldNameSize: 100, fieldSize: 8 * 1024, headerPairs: 50 },
      });
    } catch {
      return next(new HttpError(400, { message: t(lang, 'badMultipart') }));
    }

    const fields: Record<string, string> = {};
    let fileStream: Readable | null = null;
    let staging: Promise<StagedUpload> | null = null;
    let done = false;

    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      req.unpipe(bb);
      if (err) {
        // Stop parsing, drop what is still coming, and free the file stream (its temp file goes with it).
        fileStream?.destroy(err instanceof Error ? err : new Error(String(err)));
        bb.destroy();
        req.resume();
        staging?.then((s) => s.discard()).catch(() => undefined);
        return next(err);
      }
      next();
    };

    req.on('close', () => {
      if (!(req as IncomingMessage).complete) finish(new HttpError(400, { message: t(lang, 'badMultipart') }));
    });

    bb.on('field', (name, value, info) => {
      if (info.valueTruncated && (name === 'title' || name === 'movie')) {
        finish(new ValidationError({ [name]: [t(lang, 'maxLength', { n: name === 'title' ? TITLE_MAX : 10 })] }));
        return;
      }
      if (!(name in fields)) fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== 'file' || staging) {
        stream.resume();
        return;
      }
      fileStream = stream;
      staging = contents.stage(stream, { originalName: info.filename, maxBytes });
      staging.catch((err) => finish(err));
    });
    bb.on('fieldsLimit', () => finish(new HttpError(400, { message: t(lang, 'badMultipart') })));
    bb.on('partsLimit', () => finish(new HttpError(400, { message: t(lang, 'badMultipart') })));
    bb.on('error', () => finish(new HttpError(400, { message: t(lang, 'badMultipart') })));
    bb.on('close', () => {
      if (done) return;
      const pending = staging ?? Promise.resolve(undefined);
      pending.then(
        (staged) => {
          if (done) {
            void staged?.discard();
            return;
          }
          if (staged) res.once('close', () => void staged.discard());
          req.body = { ...fields, file: staged };
          finish();
        },
        (err) => finish(err),
      );
    });
    req.pipe(bb);
  };
}

// ---- routes ----------------------------------------------------------------------------------

export interface ContentsRouteDeps {
  contents: ContentsService;
  /** The age gate: a content of a movie the viewer may not see answers 403. */
  age: AgeGate;
  /** MAX_UPLOAD_BYTES. */
  maxUploadBytes: number;
}

export function contentsRoutes(ctx: RouteContext, deps: ContentsRouteDeps): void {
  const { contents } = deps;

  defineRoute(ctx, {
    method: 'post',
    path: '/contents',
    summary: '새로운 콘텐츠 업로드 (upload a content file)',
    tags: ['Contents'],
    auth: rolesAllowed('contents', 'create'),
    contentType: 'multipart/form-data',
    before: [multipartUpload(contents, deps.maxUploadBytes)],
    body: uploadBody,
    responses: {
      201: { description: 'Stored; status `processing` until the probe job has read the file', schema: contentJsonSchema },
      400: { description: 'Validation errors (title, movie, file)', schema: errorSchemas.validation },
      401: { description: 'No or invalid token', schema: errorSchemas.message },
      403: { description: 'Not catalog staff', schema: errorSchemas.message },
      413: { description: 'File larger than MAX_UPLOAD_BYTES', schema: errorSchemas.message },
      415: { description: 'Not multipart, or the file is not a supported audio/video format', schema: errorSchemas.message },
    },
    handler: async ({ body, user, lang }) => {
      const content = await contents.commit(body.file, { title: body.title, movieId: body.movie ?? null, uploadedBy: actorOf(user) });
      return { status: 201, body: contentJson(content) };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/contents/:content_id/validity',
    summary: '콘텐츠 유효기간 조회',
    tags: ['Contents'],
    auth: 'optional',
    params: contentParams,
    responses: {
      200: { description: 'The validity window', schema: validityJsonSchema },
      403: { description: 'Age restricted (the content’s movie)', schema: errorSchemas.message },
      404: { description: 'No such content, or not available (members and anonymous callers)', schema: errorSchemas.detail },
    },
    handler: async ({ params, user, lang }) => {
      const c = await contents.getValidity(params.content_id, user);
      if (c.movieId !== null) await deps.age.assertMovieVisible(await deps.age.viewer(user), c.movieId);
      return { body: validityJson(c, contents.isServable(c)) };
    },
  });

  defineRoute(ctx, {
    method: 'put',
    path: '/contents/:content_id/validity',
    summary: '콘텐츠 유효 기간 설정',
    tags: ['Contents'],
    auth: rolesAllowed('contents', 'update'),
    params: contentParams,
    body: validityBody,
    responses: {
      200: { description: 'The new window (the status follows it at once)', schema: validityJsonSchema },
      400: { description: 'Bad dates, or valid_until not after valid_from', schema: errorSchemas.validation },
      401: { description: 'No or invalid token', schema: errorSchemas.message },
      403: { description: 'Not catalog staff', schema: errorSchemas.message },
      404: { description: 'No such content', schema: errorSchemas.detail },
    },
    handler: async ({ params, body, user, lang }) => {
      const c = await contents.setValidity(params.content_id, { valid_from: body.valid_from, valid_until: body.valid_until }, actorOf(user));
      return { body: validityJson(c, contents.isServable(c)) };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/contents/:content_id/metadata',
    summary: '특정 콘텐츠 메타데이터 조회',
    tags: ['Contents'],
    auth: 'optional',
    params: contentParams,
    responses: {
      200: { description: 'Metadata (probe results and editable fields)', schema: metadataJsonSchema },
      403: { description: 'Age restricted (the content’s movie)', schema: errorSchemas.message },
      404: { description: 'No such content, or not available (members and anonymous callers)', schema: errorSchemas.detail },
    },
    handler: async ({ params, user, lang }) => {
      const c = await contents.getMetadata(params.content_id, user);
      if (c.movieId !== null) await deps.age.assertMovieVisible(await deps.age.viewer(user), c.movieId);
      return { body: metadataJson(c) };
    },
  });

  defineRoute(ctx, {
    method: 'put',
    path: '/contents/:content_id/metadata',
    summary: '특정 콘텐츠 메타데이터 수정',
    tags: ['Contents'],
    auth: rolesAllowed('contents', 'update'),
    params: contentParams,
    body: metadataBody,
    responses: {
      200: { description: 'The metadata after the change', schema: metadataJsonSchema },
      400: { description: 'Validation errors (e.g. not an ISO 639 language code)', schema: errorSchemas.validation },
      401: { description: 'No or invalid token', schema: errorSchemas.message },
      403: { description: 'Not catalog staff', schema: errorSchemas.message },
      404: { description: 'No such content', schema: errorSchemas.detail },
    },
    handler: async ({ params, body, user, lang }) => {
      const c = await contents.setMetadata(params.content_id, body, actorOf(user));
      return { body: metadataJson(c) };
    },
  });
}
