// Seed 004 cinema endpoints: the map (box and centre), a cinema's showtimes, the cinema detail,
// favourite toggle, cinema reviews, and the cinemas showing a movie.
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { HttpError, ValidationError } from '../../http/errors.js';
import { keptPer, keptWhileSame, serialisedBytes, utf8, type Serialised } from '../../http/conditional.js';
import { gradesKey } from '../catalog/catalog.service.js';
import { langOf, t } from '../../http/i18n.js';
import { pageRequest, toPage } from '../../http/pagination.js';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import { fieldErrors, idParam, pageQuery } from '../../http/validation.js';
import type { AgeGate } from '../age/age.service.js';
import { scoreField } from '../ratings/ratings.routes.js';
import { fromHalf } from '../ratings/ratings.service.js';
import type { Cinema, CinemaRating } from './cinema.entities.js';
import { cinemaCard, cinemaScore, type CinemaDetail, type CinemasService, type ShowtimeWithMovie } from './cinemas.service.js';
import type { MovieView } from '../catalog/catalog.service.js';
import { isIsoDate, normalizeTime } from './local-time.js';
import { movieCard, movieCardSchema } from '../catalog/movie-card.js';

// ---- schemas ---------------------------------------------------------------------------------------

/** A decimal number in a query string ("127.033311"); missing → required, anything else → not a number. */
const decimal = z
  .string()
  .trim()
  .regex(/^[-+]?(\d+(\.\d*)?|\.\d+)$/, 'i18n:number')
  .transform(Number);
export const longitude = decimal.pipe(z.number().min(-180).max(180)).openapi({ example: '127.033311' });
export const latitude = decimal.pipe(z.number().min(-90).max(90)).openapi({ example: '37.5611326' });

const localDate = z.string().trim().refine(isIsoDate, 'i18n:date');
const timeOfDay = z
  .string()
  .trim()
  .transform((v, ctx) => {
    const time = normalizeTime(v);
    if (!time) {
      ctx.addIssue({ code: 'custom', message: 'i18n:time' });
      return z.NEVER;
    }
    return time;
  });

const mapCardSchema = z
  .object({ id: z.number(), name: z.string(), type: z.string(), img: z.string().nullable(), address: z.string(), tel: z.string().nullable(), x: z.string(), y: z.string(), url: z.string().nullable() })
  .openapi('CinemaCard');
const mapResult = z.object({ meta: z.object({ total: z.number() }), documents: z.array(mapCardSchema) }).openapi('CinemaMap');
const nearResult = z.object({ meta: z.object({ total: z.number() }), documents: z.array(mapCardSchema.extend({ distance: z.number().openapi({ description: 'metres' }) })) }).openapi('CinemaNear');

const showtimeSchema = z
  .object({
    movie: movieCardSchema,
    info: z.string(),
    date: z.string().openapi({ example: '2020-05-25' }),
    start_time: z.string().openapi({ example: '18:30:00' }),
    end_time: z.string().nullable(),
    total_seats: z.string().nullable(),
    seats: z.string().nullable(),
    url: z.string().nullable(),
  })
  .openapi('Showtime');
const userRef = z.object({ id: z.number(), username: z.string() });
const ratingItem = z.object({ id: z.number(), comment: z.string().nullable(), score: z.number(), updated_at: z.string(), user: userRef });
const detailSchema = z
  .object({
    score: z.number(),
    has_score: z.boolean(),
    pick_cinemas: z.boolean(),
    id: z.number(),
    name: z.string(),
    type: z.string(),
    img: z.string().nullable(),
    address: z.string(),
    url: z.string().nullable(),
    tel: z.string().nullable(),
    public: z.string().nullable(),
    parking: z.string().nullable(),
    onscreens: z.array(showtimeSchema),
    cinema_ratings: z.array(ratingItem),
  })
  .openapi('CinemaDetail');
const ratingBody = z.object({ cinema: idParam, score: scoreField, comment: z.string().max(1000).nullable().optional() }).openapi('CinemaRatingWrite');
const ratingCreated = z.object({ id: z.number(), comment: z.string().nullable(), cinema: z.number(), score: z.number(), created_at: z.string(), updated_at: z.string() });
const ratingUpdated = ratingCreated.extend({ user: userRef });
const onscreenCard = z.object({ id: z.number(), area: z.string(), name: z.string(), address: z.string(), type: z.string(), img: z.string().nullable(), url: z.string().nullable() });

// ---- JSON shapes ---------------------------------------------------------------------------------------

const iso = (d: Date) => d.toISOString();

const seatText = (n: number | null) => (n == null ? null : String(n));

function showtimeJson({ showtime: s, movie }: ShowtimeWithMovie) {
  return { movie: movieCard(movie), info: s.info, date: s.date, start_time: s.startTime, end_time: s.endTime, total_seats: seatText(s.totalSeats), seats: seatText(s.seats), url: s.url };
}

const ratingJson = (r: CinemaRating) => ({ id: r.id, comment: r.comment, cinema: r.cinemaId, score: fromHalf(r.scoreHalf), created_at: iso(r.createdAt), updated_at: iso(r.updatedAt) });
const onscreenJson = (c: Cinema) => ({ id: c.id, area: c.area, name: c.name, address: c.address, type: c.type, img: c.img, url: c.url });

// ---- the cinema detail's JSON, from kept text ------------------------------------------------------
// The detail's public part (the cinema row, the day's showtimes, the reviews) is kept per process
// (CinemasService.detailCache) and the movies' views by the catalog's read cache; each is replaced,
// never changed, when it changes. Their JSON text is kept with them, and a request writes only the
// member's fields and the list of the showtimes still to come that the viewer may see.

/** The cinema's fields of the detail as UTF-8 (`,"id":…,"parking":…,"onscreens":[`), per row. */
const cinemaFieldsBytes = keptPer((c: Cinema) => utf8(`,${JSON.stringify({ id: c.id, name: c.name, type: c.type, img: c.img, address: c.address, url: c.url, tel: c.tel, public: c.publicTransport, parking: c.parking }).slice(1, -1)},"onscreens":[`));
/** A showtime with its movie's card as UTF-8, per showtime row while its movie's view is the same. */
const showtimeBytes = keptWhileSame<object, Buffer>();
/** `],"cinema_ratings":[…]}` as UTF-8, per kept list. */
const ratingsBytes = keptPer((ratings: CinemaDetail['ratings']) =>
  utf8(`],"cinema_ratings":${JSON.stringify(ratings.map(({ rating, user: u }) => ({ id: rating.id, comment: rating.comment, score: fromHalf(rating.scoreHalf), updated_at: iso(rating.updatedAt), user: u })))}}`),
);
const COMMA = Buffer.from(',');

/**
 * `JSON.stringify` of seed 004's cinema detail (score, has_score, pick_cinemas, the cinema's
 * fields, onscreens, cinema_ratings) byte for byte, joined from kept UTF-8 parts; `visible`: the
 * age gate of the showtimes' movies.
 */
export function cinemaDetailJson(d: CinemaDetail, visible: (v: MovieView) => boolean): Buffer {
  const parts: Buffer[] = [Buffer.from(`{"score":${JSON.stringify(d.score)},"has_score":${d.hasScore},"pick_cinemas":${d.picked}`, 'latin1'), cinemaFieldsBytes(d.cinema)];
  let first = true;
  for (const x of d.onscreens) {
    if (!visible(x.movie)) continue;
    if (!first) parts.push(COMMA);
    parts.push(showtimeBytes(x.showtime, [x.movie], () => utf8(JSON.stringify(showtimeJson(x)))));
    first = false;
  }
  parts.push(ratingsBytes(d.ratings));
  return Buffer.concat(parts);
}

/** A cinema detail's answer (bytes and ETag), kept with the day's public detail while made of the same parts. */
const detailAnswerOf = keptWhileSame<object, Serialised>();

const authError = { 401: { description: 'No or invalid token', schema: errorSchemas.message } };

export interface CinemasRouteDeps {
  cinemas: CinemasService;
  /** The age gate: showtimes of movies the viewer may not see are left out; onscreen answers 403. */
  age: AgeGate;
  publicUrl: string;
}

export function cinemasRoutes(ctx: RouteContext, deps: CinemasRouteDeps): void {
  const { cinemas } = deps;
  const cinemaParams = z.object({ cinema_id: idParam });

  defineRoute(ctx, {
    method: 'get',
    path: '/cinema/map',
    summary: '위치 기반 주변 영화관 조회 (a longitude/latitude box; x = 경도, y = 위도)',
    tags: ['Cinemas'],
    query: z.object({ x1: longitude, y1: latitude, x2: longitude, y2: latitude }),
    responses: { 200: { description: 'Cinemas in the box, by id', schema: mapResult }, 400: { description: 'A missing or non-numeric corner, or a box wider than MAP_MAX_BOX_DEGREES', schema: errorSchemas.validation } },
    handler: async ({ query, lang }) => {
      const rows = await cinemas.inBox(query);
      return { body: { meta: { total: rows.length }, documents: rows.map(cinemaCard) } };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/cinema/map/center',
    summary: '중심 좌표 반경 2km 내 영화관 (nearest first)',
    tags: ['Cinemas'],
    query: z.object({ x: longitude, y: latitude }),
    responses: { 200: { description: 'Cinemas within 2 km, with their distance in metres', schema: nearResult }, 400: { description: 'Missing or non-numeric x / y', schema: errorSchemas.validation } },
    handler: async ({ query }) => {
      const rows = await cinemas.near(query.x, query.y);
      return { body: { meta: { total: rows.length }, documents: rows.map(({ cinema, distance }) => ({ ...cinemaCard(cinema), distance })) } };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/cinema/map/:cinema_id(\\d+)/movie',
    summary: '상영중인 영화 빠른 시간 순 (date: today … today+2, default today; start_time default now)',
    tags: ['Cinemas'],
    auth: 'optional',
    params: cinemaParams,
    query: z.object({ date: localDate.optional(), start_time: timeOfDay.optional() }),
    responses: {
      200: { description: 'Showtimes from the start time on, soonest first', schema: z.object({ meta: z.object({ total: z.number() }), documents: z.array(showtimeSchema) }).openapi('ShowtimeList') },
      400: { description: 'Bad date or time, or a date outside the 3-day window', schema: errorSchemas.validation },
      404: { description: 'No such cinema', schema: errorSchemas.detail },
    },
    handler: async ({ params, query, lang, user }) => {
      const viewer = await deps.age.viewer(user);
      const rows = (await cinemas.showtimesAt(params.cinema_id, { date: query.date, startTime: query.start_time })).filter((r) => deps.age.canView(viewer, r.movie.movie.watchGrade));
      return { body: { meta: { total: rows.length }, documents: rows.map(showtimeJson) } };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/cinema/:cinema_id(\\d+)',
    summary: '영화관 상세정보 (cinema, today’s remaining showtimes, latest 10 reviews)',
    tags: ['Cinemas'],
    auth: 'required',
    params: cinemaParams,
    responses: { 200: { description: 'Seed 004 cinema detail', schema: detailSchema }, ...authError, 404: { description: 'No such cinema', schema: errorSchemas.detail } },
    handler: async ({ params, user, lang }) => {
      const d = await cinemas.detail(params.cinema_id, user!.id);
      const viewer = await deps.age.viewer(user);
      // The answer is the same while it is made of the same parts: the day's public detail (the
      // cinema, its score and reviews), the member's two flags, the grades the viewer sees and the
      // remaining showtimes with their movies' kept views (a showtime passing, a movie's change).
      const parts: unknown[] = [d.hasScore, d.picked, gradesKey(deps.age.visibleGrades(viewer))];
      for (const x of d.onscreens) parts.push(x.showtime, x.movie);
      return { json: detailAnswerOf(d.source, parts, () => serialisedBytes(cinemaDetailJson(d, (v) => deps.age.canView(viewer, v.movie.watchGrade)))) };
    },
  });

  // The seed's web client reads it on the cinema's reviews tab (after a review, too), like GET movie/{id}/score.
  defineRoute(ctx, {
    method: 'get',
    path: '/cinema/:cinema_id(\\d+)/score',
    summary: '영화관 평균 평점',
    tags: ['Cinemas'],
    auth: 'optional',
    params: cinemaParams,
    responses: {
      200: { description: 'Average score (0–5, two decimals; 0 without reviews)', schema: z.object({ score: z.number() }) },
      404: { description: 'No such cinema', schema: errorSchemas.detail },
    },
    handler: async ({ params, lang }) => ({ body: { score: cinemaScore(await cinemas.get(params.cinema_id)) } }),
  });

  // The seed documents the toggle as GET; its web client sends PATCH with a bare `1` body. A GET must
  // not change state (crawlers, prefetch, retries), so GET answers whether the cinema is picked and
  // POST or PATCH toggles it (like PATCH movie/{id}/pick/); the body is ignored.
  const pickResponses = { 200: { description: 'Picked or not now', schema: z.object({ pick_cinemas: z.boolean() }) }, ...authError, 404: { description: 'No such cinema', schema: errorSchemas.detail } };
  defineRoute(ctx, {
    method: 'get',
    path: '/cinema/:cinema_id(\\d+)/pick',
    summary: '자주가는 영화관 여부 (read only; the toggle is POST/PATCH)',
    tags: ['Cinemas'],
    auth: 'required',
    params: cinemaParams,
    responses: pickResponses,
    handler: async ({ params, user, lang }) => ({ body: { pick_cinemas: await cinemas.isPicked(user!.id, params.cinema_id) } }),
  });
  for (const method of ['post', 'patch'] as const) {
    defineRoute(ctx, {
      method,
      path: '/cinema/:cinema_id(\\d+)/pick',
      summary: '자주가는 영화관 등록 토글',
      tags: ['Cinemas'],
      auth: 'required',
      params: cinemaParams,
      responses: pickResponses,
      handler: async ({ params, user, lang }) => ({ body: { pick_cinemas: await cinemas.togglePick(user!.id, params.cinema_id) } }),
    });
  }

  // Seed 004 answers a missing score and an unknown cinema together ({"score": […], "cinema": […]}).
  const ratingCheck: RequestHandler = async (req, _res, next) => {
    try {
      const lang = langOf(req);
      const input: unknown = req.body ?? {};
      const parsed = ratingBody.safeParse(input);
      const errors = parsed.success ? {} : fieldErrors(parsed.error.issues, input, lang);
      const id = idParam.safeParse(typeof input === 'object' && input ? (input as { cinema?: unknown }).cinema : undefined);
      if (id.success && !errors.cinema && !(await cinemas.exists(id.data))) errors.cinema = [t(lang, 'badPk', { v: id.data })];
      next(Object.keys(errors).length ? new ValidationError(errors) : undefined);
    } catch (err) {
      next(err);
    }
  };

  defineRoute(ctx, {
    method: 'post',
    path: '/cinema/rating',
    summary: '영화관 리뷰 남기기 (one per member per cinema)',
    tags: ['Cinemas'],
    auth: 'required',
    before: [ratingCheck],
    body: ratingBody,
    responses: {
      201: { description: 'Created', schema: ratingCreated },
      400: { description: 'Missing/invalid cinema or score', schema: errorSchemas.validation },
      ...authError,
      403: { description: '이미 평가한 영화입니다.', schema: errorSchemas.message },
    },
    handler: async ({ body, user, lang }) => ({ status: 201, body: ratingJson(await cinemas.createRating(user!.id, body)) }),
  });

  const ratingParams = z.object({ rating_id: idParam });

  defineRoute(ctx, {
    method: 'patch',
    path: '/cinema/rating/:rating_id(\\d+)',
    summary: '영화관 리뷰 수정 (author only; cinema and score required)',
    tags: ['Cinemas'],
    auth: 'required',
    params: ratingParams,
    body: ratingBody,
    responses: {
      200: { description: 'Updated', schema: ratingUpdated },
      400: { description: 'Invalid fields, or {"message": "권한이 없습니다."} for another member’s review', schema: errorSchemas.validation },
      ...authError,
      404: { description: 'No such review', schema: errorSchemas.detail },
    },
    handler: async ({ params, body, user, lang }) => {
      const r = await cinemas.updateRating(user!.id, params.rating_id, body);
      return { body: { id: r.id, user: { id: user!.id, username: user!.username }, comment: r.comment, score: fromHalf(r.scoreHalf), created_at: iso(r.createdAt), updated_at: iso(r.updatedAt), cinema: r.cinemaId } };
    },
  });

  defineRoute(ctx, {
    method: 'delete',
    path: '/cinema/rating/:rating_id(\\d+)',
    summary: '영화관 리뷰 삭제 (author only)',
    tags: ['Cinemas'],
    auth: 'required',
    params: ratingParams,
    responses: { 204: { description: 'Deleted' }, 400: { description: '권한이 없습니다.', schema: errorSchemas.message }, ...authError, 404: { description: 'No such review', schema: errorSchemas.detail } },
    handler: async ({ params, user, lang }) => {
      await cinemas.removeRating(user!.id, params.rating_id);
      return { status: 204 };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/cinema/rating/page',
    summary: '영화관 리뷰 가져오기 (?cinema= required; 10 per page, page_size ≤ 50)',
    tags: ['Cinemas'],
    auth: 'required',
    query: z.object({ cinema: z.string().optional(), page: pageQuery, page_size: z.coerce.number().int().min(1).max(50).default(10) }),
    responses: {
      200: { description: 'Reviews, newest first', schema: z.object({ count: z.number(), next: z.string().nullable(), previous: z.string().nullable(), results: z.array(ratingItem) }).openapi('CinemaReviewPage') },
      ...authError,
      404: { description: 'Missing cinema, or page past the last', schema: errorSchemas.detail },
    },
    handler: async ({ query, req, lang }) => {
      // The seed answers a missing ?cinema= with 404 {"detail": "찾을 수 없습니다."}.
      const cinemaId = query.cinema && /^\d{1,9}$/.test(query.cinema) ? Number(query.cinema) : null;
      if (!cinemaId) throw new HttpError(404, { detail: t(lang, 'notFound') });
      const pr = pageRequest(query.page, query.page_size);
      const { count, rows } = await cinemas.ratingsPage(cinemaId, { offset: pr.offset, limit: pr.pageSize });
      return {
        body: toPage(req, deps.publicUrl, pr, count, rows.map(({ rating, user }) => ({ id: rating.id, comment: rating.comment, score: fromHalf(rating.scoreHalf), updated_at: iso(rating.updatedAt), user }))),
      };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/movie/:movie_id(\\d+)/onscreen',
    summary: '상영중인 영화 영화관 정보 찾기 (showtimes today … today+2)',
    tags: ['Cinemas'],
    auth: 'required',
    params: z.object({ movie_id: idParam }),
    responses: {
      200: { description: 'Distinct areas and the cinemas, by id', schema: z.object({ area: z.array(z.string()), data: z.array(onscreenCard) }).openapi('MovieOnscreen') },
      ...authError,
      403: { description: 'Age restricted', schema: errorSchemas.message },
      404: { description: 'No such movie', schema: errorSchemas.detail },
    },
    handler: async ({ params, lang, user }) => {
      await deps.age.assertMovieVisible(await deps.age.viewer(user), params.movie_id);
      const { areas, cinemas: rows } = await cinemas.cinemasShowing(params.movie_id);
      return { body: { area: areas, data: rows.map(onscreenJson) } };
    },
  });
}
