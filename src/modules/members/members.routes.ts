// Members API: seed 004 "User" (my page, profile image), the member's watch history, and the
// staff views of members from seed 000 §8/§10 (customers, customersprivacy).
import type { IncomingMessage } from 'node:http';
import busboy from 'busboy';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { HttpError } from '../../http/errors.js';
import { keptWhileSame, serialisedText, type Serialised } from '../../http/conditional.js';
import { langOf, t } from '../../http/i18n.js';
import { pageRequest, toPage } from '../../http/pagination.js';
import { rolesAllowed } from '../access/rbac.js';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import { idParam, looseBool, pageQuery } from '../../http/validation.js';
import type { MovieView } from '../catalog/catalog.service.js';
import { ROLES } from '../users/user.entity.js';
import type { AgeGate } from '../age/age.service.js';
import type { MembersService } from './members.service.js';
import { ProfileImageStore } from './profile-image.js';
import { movieCard, movieCardSchema, movieCardsJson } from '../catalog/movie-card.js';

/** Room for the multipart envelope around the image. */
const MULTIPART_OVERHEAD = 64 * 1024;
const MAX_SECONDS = 1_000_000;

// ---- schemas ---------------------------------------------------------------------------------


const myPageSchema = z
  .object({
    meta: z.object({ rating_tf: z.boolean(), pick_cinemas: z.number(), pick_movies: z.number(), recommend_movies: z.number(), recommend_onscreen: z.number() }),
    data: z.object({
      user: z.object({ id: z.number(), username: z.string(), file: z.array(z.string()).openapi({ example: ['media/profile/3f1c….jpeg'] }) }),
      pick_cinemas: z.array(z.unknown()),
      pick_movies: z.array(movieCardSchema),
      recommend_movies: z.array(movieCardSchema),
      recommend_onscreen: z.array(z.unknown()),
    }),
  })
  .openapi('MyPage');

const profileBody = z
  .object({
    file: z
      .custom<Buffer>((v) => Buffer.isBuffer(v))
      .optional()
      .openapi({ type: 'string', format: 'binary', description: 'A JPEG or PNG (detected from its bytes; GIF/WebP are refused). EXIF/XMP/text metadata is removed before it is stored.' }),
  })
  .openapi('ProfileImageUpload');
const profileResponse = z.object({ file: z.array(z.string()) }).openapi('ProfileImage', { example: { file: ['media/profile/3f1c9a….jpeg'] } });

const seconds = z
  .union([z.number(), z.string().regex(/^\d+$/, 'i18n:integer').transform(Number)])
  .pipe(z.number().int().min(0).max(MAX_SECONDS));
const historyBody = z
  .object({
    content: idParam.openapi({ type: 'integer', description: 'A content that is ready and inside its validity window' }),
    position: seconds.openapi({ type: 'integer', description: 'Seconds from the start (≤ duration + 5)' }),
    duration: seconds.openapi({ type: 'integer', description: 'Length of the content in seconds' }),
  })
  .openapi('WatchReport');
const progressSchema = z
  .object({
    content: z.number(),
    position: z.number(),
    duration: z.number(),
    progress: z.number().openapi({ description: 'position / duration, 0–1' }),
    updated_at: z.string(),
    movie: movieCardSchema.nullable(),
  })
  .openapi('WatchProgress');
const pageOf = (item: z.ZodType, name: string) => z.object({ count: z.number(), next: z.string().nullable(), previous: z.string().nullable(), results: z.array(item) }).openapi(name);

const customerSchema = z
  .object({ id: z.number(), username: z.string(), email: z.string(), phone: z.string().nullable().openapi({ example: '010-****-5678' }), created_at: z.string(), role: z.enum(ROLES) })
  .openapi('Customer');
const privacySchema = z
  .object({
    id: z.number(),
    username: z.string(),
    name: z.string().nullable().openapi({ example: '홍*동' }),
    phone: z.string().nullable().openapi({ example: '010-****-5678' }),
    age: z.number().nullable().openapi({ description: 'Full years (the birth date itself is never shown)', example: 31 }),
  })
  .openapi('CustomerPrivacy');
const searchField = z.string().trim().max(100).optional().openapi({ description: 'Part of the username or e-mail, or of the phone number (digits)' });
const pageSize = (def: number) => z.coerce.number().int().min(1).max(100).default(def);

// ---- JSON ------------------------------------------------------------------------------------

const filesOf = (relative: string | null) => (relative ? [ProfileImageStore.publicPath(relative)] : []);

// ---- multipart -------------------------------------------------------------------------------

/**
 * Reads the `file` part of a multipart body into memory (images are small: at most
 * PROFILE_IMAGE_MAX_BYTES) and leaves `{file?: Buffer}` in req.body. Past the limit → 413 at
 * once; a request that is not multipart, or an empty file part, leaves no file (→ the seed's 403).
 */
function imageUpload(maxBytes: number): RequestHandler {
  return (req, res, next) => {
    const lang = langOf(req);
    if (!req.is('multipart/form-data')) {
      req.body = {};
      return next();
    }
    const tooLarge = () => new HttpError(413, { message: t(lang, 'imageTooLarge', { n: maxBytes }) });
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) {
      res.set('Connection', 'close');
      return next(tooLarge());
    }
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 3, fileSize: maxBytes, fields: 10, parts: 13, fieldSize: 8 * 1024, headerPairs: 50 } });
    } catch {
      return next(new HttpError(400, { message: t(lang, 'invalidFile') }));
    }
    const chunks: Buffer[] = [];
    let taken = false;
    let done = false;
    let overLimit = false;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      const err = overLimit ? tooLarge() : error;
      req.unpipe(bb);
      if (err) {
        bb.destroy();
        req.resume(); // drain the rest so the client reads the answer
        return next(err);
      }
      req.body = { file: chunks.length ? Buffer.concat(chunks) : undefined };
      next();
    };
    req.on('close', () => {
      if (!(req as IncomingMessage).complete) finish(new HttpError(400, { message: t(lang, 'invalidFile') }));
    });
    bb.on('file', (name, stream) => {
      if (name !== 'file' || taken) {
        stream.resume();
        return;
      }
      taken = true;
      stream.on('data', (chunk: Buffer) => {
        if (!done) chunks.push(chunk);
      });
      stream.on('error', () => undefined); // reported through finish(); busboy's destroy errors the part
      // Not from inside busboy's own callback: it still writes to the part after emitting 'limit'.
      stream.on('limit', () => {
        overLimit = true;
        setImmediate(() => finish());
      });
    });
    bb.on('error', () => finish(new HttpError(400, { message: t(lang, 'invalidFile') })));
    bb.on('partsLimit', () => finish(new HttpError(400, { message: t(lang, 'invalidFile') })));
    bb.on('close', () => finish());
    req.pipe(bb);
  };
}

// ---- routes ----------------------------------------------------------------------------------

export interface MembersRouteDeps {
  members: MembersService;
  /** The age gate: my page leaves out movies the member may not see; playing gated content → 403. */
  age: AgeGate;
  publicUrl: string;
}

/** My page's answer, kept with the member's state (MyPage.state) while the same parts make it. */
const myPageAnswerOf = keptWhileSame<object, Serialised>();

export function membersRoutes(ctx: RouteContext, deps: MembersRouteDeps): void {
  const { members } = deps;

  defineRoute(ctx, {
    method: 'get',
    path: '/user',
    summary: '마이페이지 (picks; recommendations once the member has 10+ ratings)',
    tags: ['User'],
    auth: 'required',
    responses: { 200: { description: 'The member’s page; meta holds the list lengths', schema: myPageSchema }, 401: { description: 'No token', schema: errorSchemas.message } },
    handler: async ({ user, lang }) => {
      const page = await members.myPage(user!.id);
      const viewer = await deps.age.viewer(user);
      const visible = (v: MovieView) => deps.age.canView(viewer, v.movie.watchGrade);
      const pickMovies = page.pickMovies.filter(visible);
      const recommendMovies = page.recommendMovies.filter(visible);
      const pickCinemas = page.pickCinemas;
      const recommendOnscreen = page.recommendOnscreen.filter(visible);
      // Kept with the member's state while the same cards make it: a member reading their page again
      // costs the lookups above, not a serialisation (the parts: every list's length, then its items).
      const json = myPageAnswerOf(page.state, [page.ratingTf, page.user.username, page.user.profileImage, pickCinemas.length, pickMovies.length, recommendMovies.length, ...pickCinemas, ...pickMovies, ...recommendMovies, ...recommendOnscreen], () => {
        const meta = { rating_tf: page.ratingTf, pick_cinemas: pickCinemas.length, pick_movies: pickMovies.length, recommend_movies: recommendMovies.length, recommend_onscreen: recommendOnscreen.length };
        const me = { id: page.user.id, username: page.user.username, file: filesOf(page.user.profileImage) };
        // JSON.stringify of { meta, data: { user, pick_cinemas, pick_movies, recommend_movies, recommend_onscreen } }, the movie cards from their kept text.
        return serialisedText(`{"meta":${JSON.stringify(meta)},"data":{"user":${JSON.stringify(me)},"pick_cinemas":${JSON.stringify(pickCinemas)},"pick_movies":${movieCardsJson(pickMovies)},"recommend_movies":${movieCardsJson(recommendMovies)},"recommend_onscreen":${movieCardsJson(recommendOnscreen)}}}`);
      });
      return { json };
    },
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/user/profile',
    summary: '프사 생성 및 변경 (multipart `file`; JPEG or PNG, metadata removed)',
    tags: ['User'],
    auth: 'required',
    contentType: 'multipart/form-data',
    before: [imageUpload(members.maxProfileImageBytes)],
    body: profileBody,
    responses: {
      200: { description: 'Stored; the previous image is deleted', schema: profileResponse },
      400: { description: '유효하지 않은 파일입니다. (not a JPEG/PNG, or broken)', schema: errorSchemas.message },
      401: { description: 'No token', schema: errorSchemas.message },
      403: { description: '이미지는 필수입니다. (no file attached)', schema: errorSchemas.message },
      413: { description: 'Larger than PROFILE_IMAGE_MAX_BYTES', schema: errorSchemas.message },
    },
    handler: async ({ body, user, lang }) => {
      if (!body.file) throw new HttpError(403, { message: t(lang, 'imageRequired') });
      const stored = await members.setProfileImage(user!.id, body.file);
      return { body: { file: filesOf(stored) } };
    },
  });

  defineRoute(ctx, {
    method: 'delete',
    path: '/user/profile',
    summary: '프사 삭제',
    tags: ['User'],
    auth: 'required',
    responses: { 204: { description: 'Removed (also when there was none)' }, 401: { description: 'No token', schema: errorSchemas.message } },
    handler: async ({ user }) => {
      await members.removeProfileImage(user!.id);
      return { status: 204 };
    },
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/user/history',
    summary: '시청 기록 (a player’s progress report)',
    tags: ['User'],
    auth: 'required',
    body: historyBody,
    responses: {
      200: { description: 'The member’s progress in that content, and the seconds this report added to their watch time', schema: progressSchema.extend({ watched_seconds: z.number() }) },
      400: { description: 'Invalid fields; unknown or unavailable content; position past the end', schema: errorSchemas.validation },
      401: { description: 'No token', schema: errorSchemas.message },
      403: { description: 'Age restricted content (verify, or under age)', schema: errorSchemas.message },
    },
    handler: async ({ body, user, lang }) => {
      const viewer = await deps.age.viewer(user);
      const { progress, watchedSeconds, movie } = await members.recordWatch(user!.id, body, new Date(), { gate: (movieId) => deps.age.assertMoviePlayable(viewer, movieId) });
      return { body: { ...progressJson(progress, movie), watched_seconds: watchedSeconds } };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/user/history',
    summary: '시청 기록 목록 (most recent first, 20 per page)',
    tags: ['User'],
    auth: 'required',
    query: z.object({ page: pageQuery, page_size: pageSize(20) }),
    responses: {
      200: { description: 'The member’s own progress list', schema: pageOf(progressSchema, 'WatchHistoryPage') },
      401: { description: 'No token', schema: errorSchemas.message },
      404: { description: 'Page past the last', schema: errorSchemas.detail },
    },
    handler: async ({ query, user, req }) => {
      const pr = pageRequest(query.page, query.page_size);
      const { count, rows } = await members.history(user!.id, { offset: pr.offset, limit: pr.pageSize });
      return { body: toPage(req, deps.publicUrl, pr, count, rows.map((r) => progressJson(r.progress, r.movie))) };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/customers',
    summary: '회원 검색 (staff: finance, support, admin; phones masked, e-mails too for support)',
    tags: ['Customers'],
    auth: rolesAllowed('members', 'read'),
    query: z.object({ search: searchField, role: z.enum(ROLES).optional(), page: pageQuery, page_size: pageSize(20) }),
    responses: {
      200: { description: 'Accounts, newest first', schema: pageOf(customerSchema, 'CustomerPage') },
      401: { description: 'No token', schema: errorSchemas.message },
      403: { description: 'Not finance, support or admin', schema: errorSchemas.message },
      404: { description: 'Page past the last', schema: errorSchemas.detail },
    },
    handler: async ({ query, req, user }) => {
      const pr = pageRequest(query.page, query.page_size);
      const { count, rows } = await members.searchCustomers({ search: query.search || undefined, role: query.role }, { offset: pr.offset, limit: pr.pageSize }, user ?? null);
      const results = rows.map((r) => ({ id: r.id, username: r.username, email: r.email, phone: r.phone, created_at: r.createdAt.toISOString(), role: r.role }));
      return { body: toPage(req, deps.publicUrl, pr, count, results) };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/customersprivacy',
    summary: '회원 아이디, 이름, 휴대전화, 나이 조회 (masked; ?unmask=true for admins, audited)',
    tags: ['Customers'],
    auth: rolesAllowed('members', 'read'),
    query: z.object({ search: searchField, unmask: looseBool.optional().default(false), page: pageQuery, page_size: pageSize(20) }),
    responses: {
      200: { description: 'Members (role user), newest first', schema: pageOf(privacySchema, 'CustomerPrivacyPage') },
      401: { description: 'No token', schema: errorSchemas.message },
      403: { description: 'Not finance, support or admin, or unmask asked by someone who is not an admin', schema: errorSchemas.message },
      404: { description: 'Page past the last', schema: errorSchemas.detail },
    },
    handler: async ({ query, user, req, lang }) => {
      const pr = pageRequest(query.page, query.page_size);
      const viewer = { actor: { id: user!.id, email: user!.email }, role: user!.role };
      const { count, rows } = await members.privacyPage({ search: query.search || undefined }, { offset: pr.offset, limit: pr.pageSize }, { unmask: query.unmask, viewer });
      return { body: toPage(req, deps.publicUrl, pr, count, rows) };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/customersprivacy/count',
    summary: '가입한 회원들 수 조회 (members only, staff not counted)',
    tags: ['Customers'],
    auth: rolesAllowed('members', 'read'),
    responses: {
      200: { description: 'How many members', schema: z.object({ count: z.number() }).openapi('MemberCount') },
      401: { description: 'No token', schema: errorSchemas.message },
      403: { description: 'Not finance, support or admin', schema: errorSchemas.message },
    },
    handler: async () => ({ body: { count: await members.memberCount() } }),
  });
}

function progressJson(p: { contentId: number; positionSeconds: number; durationSeconds: number; updatedAt: Date }, movie: MovieView | null) {
  return {
    content: p.contentId,
    position: p.positionSeconds,
    duration: p.durationSeconds,
    progress: p.durationSeconds > 0 ? Math.min(1, Math.round((p.positionSeconds / p.durationSeconds) * 1000) / 1000) : 0,
    updated_at: p.updatedAt.toISOString(),
    movie: movie ? movieCard(movie) : null,
  };
}
