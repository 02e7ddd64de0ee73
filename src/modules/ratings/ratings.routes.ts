// Seed 004 rating endpoints: onboarding (user/rating/…, user/login/rating/) and movie reviews
// (movie/rating/…), with the seed's exact messages.
import type { RequestHandler } from 'express';
import type { AgeGate } from '../age/age.service.js';
import { z } from 'zod';
import { smallMovieCard, smallMovieCardSchema } from '../catalog/movie-card.js';
import { HttpError, ValidationError } from '../../http/errors.js';
import { langOf, t } from '../../http/i18n.js';
import { pageRequest, toPage } from '../../http/pagination.js';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import { fieldErrors, idParam, pageQuery } from '../../http/validation.js';
import { fromHalf, RATINGS_FOR_RECOMMENDATIONS, type RatingsService } from './ratings.service.js';
import type { MovieRating } from './movie-rating.entity.js';

/** 0.5–5.0 in steps of 0.5; numbers or numeric strings. */
export const scoreField = z
  .union([z.number(), z.string().regex(/^\d+(\.\d+)?$/, 'i18n:number').transform(Number)])
  .pipe(
    z
      .number()
      .min(0.5)
      .max(5)
      .refine((n) => Number.isInteger(n * 2), 'i18n:halfStep'),
  );

const ratingBody = z.object({ movie: idParam, score: scoreField, comment: z.string().max(1000).nullable().optional() }).openapi('MovieRatingWrite');
const bulkBody = z.object({ data: z.array(z.object({ movie: idParam, score: scoreField })).min(1).max(200) }).openapi('BulkRatings');

/**
 * Seed 004 answers a bulk entry without movie or score with the entry's fields as keys —
 * `{"movie": [...], "score": [...]}`, not `data.0.score` — each message once. Errors of `data`
 * itself (missing, not a list, empty, too long) or of an entry that is not an object stay under `data`.
 */
export function flattenEntryErrors(errors: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, messages] of Object.entries(errors)) {
    const entry = /^data\.\d+(?:\.(.+))?$/.exec(key);
    const field = entry ? (entry[1] ?? 'data') : key;
    for (const msg of messages) (out[field] ??= []).includes(msg) || out[field].push(msg);
  }
  return out;
}

/** Validates the bulk body first so its 400 has the seed's flat keys (the route's own check then passes). */
const bulkBodyInSeedShape: RequestHandler = (req, _res, next) => {
  const input = req.body ?? {};
  const result = bulkBody.safeParse(input);
  if (result.success) return next();
  next(new ValidationError(flattenEntryErrors(fieldErrors(result.error.issues, input, langOf(req)))));
};
const movieCard = smallMovieCardSchema;
const pageOf = (item: z.ZodType, name: string) => z.object({ count: z.number(), next: z.string().nullable(), previous: z.string().nullable(), results: z.array(item) }).openapi(name);

const iso = (d: Date) => d.toISOString();
const ratingJson = (r: MovieRating) => ({ id: r.id, comment: r.comment, movie: r.movieId, score: fromHalf(r.scoreHalf), created_at: iso(r.createdAt), updated_at: iso(r.updatedAt) });

export interface RatingsRouteDeps {
  ratings: RatingsService;
  /** The age gate (onboarding leaves out what the member may not see). */
  age: AgeGate;
  publicUrl: string;
  onboardingMinYear: number;
}

export function ratingsRoutes(ctx: RouteContext, deps: RatingsRouteDeps): void {
  const { ratings } = deps;

  defineRoute(ctx, {
    method: 'get',
    path: '/user/login/rating',
    summary: 'rating 10개 이상 했는지 확인',
    tags: ['Ratings'],
    auth: 'required',
    responses: { 200: { description: 'Whether the member has 10+ ratings, and how many', schema: z.object({ rating_tf: z.boolean(), rating_cnt: z.number() }) } },
    handler: async ({ user }) => {
      const n = await ratings.countForUser(user!.id);
      return { body: { rating_tf: n >= RATINGS_FOR_RECOMMENDATIONS, rating_cnt: n } };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/user/rating/page',
    summary: '영화 취향 파악용 영화 목록 (unrated, no 청소년 관람불가, recent, most rated first)',
    tags: ['Ratings'],
    auth: 'required',
    query: z.object({ page: pageQuery, page_size: z.coerce.number().int().min(1).max(60).default(20) }),
    responses: { 200: { description: 'Movies to rate', schema: pageOf(movieCard, 'OnboardingPage') }, 404: { description: 'Page past the last', schema: errorSchemas.detail } },
    handler: async ({ query, user, req }) => {
      const pr = pageRequest(query.page, query.page_size);
      const grades = deps.age.visibleGrades(await deps.age.viewer(user));
      const { count, rows } = await ratings.onboardingPage(user!.id, deps.onboardingMinYear, { offset: pr.offset, limit: pr.pageSize }, grades);
      return { body: toPage(req, deps.publicUrl, pr, count, rows.map(smallMovieCard)) };
    },
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/user/rating',
    summary: '영화 취향 별점 일괄 입력 (already-rated movies are skipped)',
    tags: ['Ratings'],
    auth: 'required',
    before: [bulkBodyInSeedShape],
    body: bulkBody,
    responses: { 203: { description: 'Stored (no body)' }, 400: { description: 'Missing or invalid movie/score', schema: errorSchemas.validation } },
    handler: async ({ body, user, lang }) => {
      await ratings.createMany(user!.id, body.data);
      return { status: 203 };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/user/rating',
    summary: '유저 평점 목록',
    tags: ['Ratings'],
    auth: 'required',
    responses: { 200: { description: 'The member’s ratings', schema: z.array(z.object({ id: z.number(), movie: movieCard.nullable(), score: z.number() })) } },
    handler: async ({ user }) => ({ body: (await ratings.listForUser(user!.id)).map(({ rating, movie }) => ({ id: rating.id, movie: movie && smallMovieCard(movie), score: fromHalf(rating.scoreHalf) })) }),
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/movie/rating',
    summary: '영화 리뷰 남기기 (one per member per movie)',
    tags: ['Ratings'],
    auth: 'required',
    body: ratingBody,
    responses: {
      201: { description: 'Created', schema: z.object({ id: z.number(), comment: z.string().nullable(), movie: z.number(), score: z.number(), created_at: z.string(), updated_at: z.string() }) },
      400: { description: 'Missing/invalid movie or score', schema: errorSchemas.validation },
      403: { description: '이미 평가한 영화입니다.', schema: errorSchemas.message },
    },
    handler: async ({ body, user, lang }) => ({ status: 201, body: ratingJson(await ratings.create(user!.id, body)) }),
  });

  const ratingParams = z.object({ rating_id: idParam });

  defineRoute(ctx, {
    method: 'patch',
    path: '/movie/rating/:rating_id(\\d+)',
    summary: '영화 리뷰 수정 (author only; movie and score required)',
    tags: ['Ratings'],
    auth: 'required',
    params: ratingParams,
    body: ratingBody,
    responses: {
      200: { description: 'Updated', schema: z.object({ id: z.number(), user: z.object({ id: z.number(), username: z.string() }), comment: z.string().nullable(), score: z.number(), created_at: z.string(), updated_at: z.string(), movie: z.number() }) },
      400: { description: 'Invalid fields, or {"message": "권한이 없습니다."} for another member’s review', schema: errorSchemas.validation },
      404: { description: 'No such rating', schema: errorSchemas.detail },
    },
    handler: async ({ params, body, user, lang }) => {
      const r = await ratings.update(user!.id, params.rating_id, body);
      return { body: { id: r.id, user: { id: user!.id, username: user!.username }, comment: r.comment, score: fromHalf(r.scoreHalf), created_at: iso(r.createdAt), updated_at: iso(r.updatedAt), movie: r.movieId } };
    },
  });

  defineRoute(ctx, {
    method: 'delete',
    path: '/movie/rating/:rating_id(\\d+)',
    summary: '영화 리뷰 삭제 (author only)',
    tags: ['Ratings'],
    auth: 'required',
    params: ratingParams,
    responses: { 204: { description: 'Deleted' }, 400: { description: '권한이 없습니다.', schema: errorSchemas.message }, 404: { description: 'No such rating', schema: errorSchemas.detail } },
    handler: async ({ params, user, lang }) => {
      await ratings.remove(user!.id, params.rating_id);
      return { status: 204 };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/movie/rating/page',
    summary: '영화 리뷰 가져오기 (?movie= required; 10 per page, page_size ≤ 50)',
    tags: ['Ratings'],
    auth: 'required',
    query: z.object({ movie: z.string().optional(), page: pageQuery, page_size: z.coerce.number().int().min(1).max(50).default(10) }),
    responses: {
      200: { description: 'Reviews, newest first', schema: pageOf(z.object({ id: z.number(), comment: z.string().nullable(), score: z.number(), updated_at: z.string(), user: z.object({ id: z.number(), username: z.string() }) }), 'ReviewPage') },
      404: { description: 'Missing or unknown movie, or page past the last', schema: errorSchemas.detail },
    },
    handler: async ({ query, req, lang }) => {
      // The seed answers a missing ?movie= with 404 {"detail": "찾을 수 없습니다."}.
      const movieId = query.movie && /^\d+$/.test(query.movie) ? Number(query.movie) : null;
      if (!movieId) throw new HttpError(404, { detail: t(lang, 'notFound') });
      const pr = pageRequest(query.page, query.page_size);
      const { count, rows } = await ratings.pageForMovie(movieId, { offset: pr.offset, limit: pr.pageSize });
      return {
        body: toPage(req, deps.publicUrl, pr, count, rows.map(({ rating, user }) => ({ id: rating.id, comment: rating.comment, score: fromHalf(rating.scoreHalf), updated_at: iso(rating.updatedAt), user }))),
      };
    },
  });
}
