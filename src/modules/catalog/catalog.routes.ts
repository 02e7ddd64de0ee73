// Catalog API: seed 000 sections 1 and 5 (genres, genre movies, production companies) and
// seed 004's movie endpoints (detail, pick, score). Writes need catalog or admin; reads are public.
import { z } from 'zod';
import type { AuthUser } from '../../http/auth.js';
import { pageRequest, toPage } from '../../http/pagination.js';
import { can, rolesAllowed } from '../access/rbac.js';
import { joinedAnswer, keptWhileSame, readCacheHeaders, serialise, type JoinedAnswer, type Serialised } from '../../http/conditional.js';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import { idParam, looseBool, pageQuery } from '../../http/validation.js';
import type { Actor } from '../audit/audit.service.js';
import type { AgeGate } from '../age/age.service.js';
import { averageScore, type CatalogService, type MovieInput, type MovieView } from './catalog.service.js';
import { genreBody, manufacturerBody, manufacturerInput, movieBody, movieInput } from './catalog.schemas.js';
import { PARTNERSHIP_STATUSES, type Manufacturer } from './manufacturer.entity.js';

export { movieBody };
import { WATCH_GRADES } from './movie.entity.js';
import { movieCardSchema, movieCardsJson, posterJson, posterSchema, runningTimeText } from './movie-card.js';

const PAGE_SIZE = 20;

const actorOf = (u: AuthUser | undefined): Actor | null => (u ? { id: u.id, email: u.email } : null);

// ---- schemas (request bodies: catalog.schemas.ts) --------------------------------------------

const movieFields = {
  id: z.number().int(),
  name: z.string(),
  name_eng: z.string().nullable(),
  watch_grade: z.string().nullable(),
  running_time: z.string().nullable().openapi({ example: '139분' }),
  summary: z.string().nullable(),
  open_date: z.string().nullable().openapi({ example: '2017-12-20' }),
  trailer: z.string().nullable(),
  poster: posterSchema,
  directors: z.array(z.string()),
  genres: z.array(z.string()),
  actors: z.array(z.string()),
  country: z.string().nullable(),
  manufacturer: z.object({ id: z.number(), name: z.string() }).nullable(),
  score: z.number(),
};
const movieSummary = z.object(movieFields).openapi('Movie');
const movieDetail = z
  .object({
    has_score: z.boolean(),
    pick_movies: z.boolean(),
    is_showing: z.boolean(),
    predicted_score: z.number(),
    recommend_movies: z.array(movieCardSchema).openapi({ description: 'The signed-in member’s stored top recommendations (at most 10, not this movie, age-gated); [] when anonymous or nothing is stored' }),
    ...movieFields,
  })
  .openapi('MovieDetail');

/** How many stored recommendations the detail reads to still have 10 after the age gate. */
const RECOMMEND_POOL = 30;
const RECOMMEND_SHOWN = 10;

const pageOf = (item: z.ZodType, name: string) =>
  z.object({ count: z.number(), next: z.string().nullable(), previous: z.string().nullable(), results: z.array(item) }).openapi(name);

/**
 * Views come from the catalog's read cache and are replaced (never changed) when their movie
 * changes: their JSON, and the serialised anonymous detail, are kept with them.
 */
const jsonOfView = new WeakMap<MovieView, ReturnType<typeof movieJsonOf>>();
const anonymousDetailOfView = new WeakMap<MovieView, [notShowing?: Serialised, showing?: Serialised]>();

function movieJson(v: MovieView) {
  let json = jsonOfView.get(v);
  if (!json) jsonOfView.set(v, (json = movieJsonOf(v)));
  return json;
}

/** The seed 004 detail of an anonymous viewer (no per-member fields), serialised once per view and is_showing. */
function anonymousDetail(v: MovieView, showing: boolean): Serialised {
  const kept = anonymousDetailOfView.get(v) ?? [];
  const slot = showing ? 1 : 0;
  let out = kept[slot];
  if (!out) {
    out = serialise({ has_score: false, pick_movies: false, is_showing: showing, predicted_score: 0, recommend_movies: [], ...movieJson(v) });
    kept[slot] = out;
    anonymousDetailOfView.set(v, kept);
  }
  return out;
}

/** The movie's fields as UTF-8 JSON after the opening brace, led by a comma (the tail of every signed-in detail), per view. */
const movieTailOfView = new WeakMap<MovieView, Buffer>();

function movieTail(v: MovieView): Buffer {
  let tail = movieTailOfView.get(v);
  if (tail === undefined) movieTailOfView.set(v, (tail = Buffer.from(`,${JSON.stringify(movieJson(v)).slice(1)}`, 'utf8')));
  return tail;
}

/** recommend_movies as UTF-8 JSON, kept with the member's state while the same views make it (the list is the same on every movie the member opens). */
const recommendedCardsOf = keptWhileSame<object, Buffer>();

export interface MemberDetailFields {
  hasScore: boolean;
  picked: boolean;
  showing: boolean;
  predictedScore: number;
  recommended: MovieView[];
}

/**
 * The signed-in detail, `JSON.stringify({ has_score, pick_movies, is_showing, predicted_score,
 * recommend_movies, ...movieJson(view) })` byte for byte, joined from kept UTF-8 parts: the
 * movie's fields per view, the recommended cards per `owner` (the member's kept state; a fresh
 * object keeps nothing) — only the four flags are written per request.
 */
export function memberDetailJson(view: MovieView, f: MemberDetailFields, owner: object = {}): JoinedAnswer {
  const head = `{"has_score":${f.hasScore},"pick_movies":${f.picked},"is_showing":${f.showing},"predicted_score":${JSON.stringify(f.predictedScore)},"recommend_movies":`;
  const cards = recommendedCardsOf(owner, f.recommended, () => Buffer.from(movieCardsJson(f.recommended), 'utf8'));
  return joinedAnswer(head, [cards, movieTail(view)]);
}

/**
 * A genre page's serialised JSON, kept with the cached page while its views are the same objects
 * (a changed movie replaces its view) and the links are built for the same base URL.
 */
const serialisedPages = new WeakMap<object, { views: MovieView[]; links: string; out: Serialised }>();
const serialisedGenreLists = new WeakMap<object, { links: string; out: Serialised }>();

function genrePageJson(cached: object | undefined, views: MovieView[], page: () => { next: string | null; previous: string | null; count: number }): Serialised {
  const p = page();
  const links = `${p.next}\u0000${p.previous}`;
  const kept = cached ? serialisedPages.get(cached) : undefined;
  if (kept && kept.links === links && kept.views.length === views.length && kept.views.every((v, k) => v === views[k])) return kept.out;
  const out = serialise({ ...p, results: views.map(movieJson) });
  if (cached) serialisedPages.set(cached, { views, links, out });
  return out;
}

function movieJsonOf(v: MovieView) {
  const m = v.movie;
  return {
    id: m.id,
    name: m.name,
    name_eng: m.nameEng,
    watch_grade: m.watchGrade,
    running_time: runningTimeText(m.runningTime),
    summary: m.summary,
    open_date: m.openDate,
    trailer: m.trailer,
    poster: posterJson(m.poster),
    directors: v.directors,
    genres: v.genres,
    actors: v.actors,
    country: m.country,
    manufacturer: v.manufacturer,
    score: averageScore(m),
  };
}

const genreJson = z.object({ id: z.number(), name: z.string() }).openapi('Genre');
const genreParams = z.object({ genre_num: idParam });
const genreMovieParams = z.object({ genre_num: idParam, movie_num: idParam });
const movieParams = z.object({ movie_id: idParam });
const pageOnly = z.object({ page: pageQuery });

const manufacturerJson = z
  .object({
    id: z.number(),
    name: z.string(),
    partnership_status: z.enum(PARTNERSHIP_STATUSES),
    works_count: z.number().optional(),
    contact_person: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    email: z.string().nullable().optional(),
    address: z.string().nullable().optional(),
    partnership_notes: z.string().nullable().optional(),
    partnership_started_on: z.string().nullable().optional(),
    partnership_ended_on: z.string().nullable().optional(),
  })
  .openapi('Manufacturer');

const seesContacts = (u: AuthUser | undefined) => can(u?.role, 'manufacturers', 'contact');

/** Contact details and negotiation notes are for staff; the public sees name and status. */
function manufacturerOut(mf: Manufacturer, viewer: AuthUser | undefined, worksCount?: number) {
  const base = { id: mf.id, name: mf.name, partnership_status: mf.partnershipStatus, ...(worksCount === undefined ? {} : { works_count: worksCount }) };
  if (!seesContacts(viewer)) return base;
  return {
    ...base,
    contact_person: mf.contactPerson,
    phone: mf.phone,
    email: mf.email,
    address: mf.address,
    partnership_notes: mf.partnershipNotes,
    partnership_started_on: mf.partnershipStartedOn,
    partnership_ended_on: mf.partnershipEndedOn,
  };
}

const authErrors = {
  401: { description: 'No or invalid token', schema: errorSchemas.message },
  403: { description: 'Role not allowed', schema: errorSchemas.message },
};

export interface CatalogRouteDeps {
  catalog: CatalogService;
  /** The ratings module answers has_score (routes may call several services; services stay apart). */
  ratings: { hasRated(userId: number, movieId: number): Promise<boolean> };
  recommendations: {
    /** pick, has_score, predicted score and recommended ids of a movie detail, from the member's kept state. */
    memberDetail(userId: number, movieId: number, pool: number): Promise<{ picked: boolean; rated: boolean; predictedScore: number; recommendedIds: number[]; state: object }>;
  };
  /** The cinemas module answers is_showing (a showtime today … today+2). */
  showtimes: { isShowing(movieId: number): Promise<boolean> };
  /** The age gate (seed 000 §10): hidden grades in lists, 403 on detail. */
  age: AgeGate;
  publicUrl: string;
}

export function catalogRoutes(ctx: RouteContext, deps: CatalogRouteDeps): void {
  const { catalog } = deps;

  // ---- genres (seed 000 §1) ----
  defineRoute(ctx, {
    method: 'get',
    path: '/movie/genre',
    summary: 'OTT에 등록된 장르 목록',
    tags: ['Genres'],
    query: pageOnly,
    responses: { 200: { description: 'Genres with their movie counts', schema: pageOf(genreJson.extend({ movie_count: z.number() }), 'GenrePage') }, 404: { description: 'Page past the last', schema: errorSchemas.detail } },
    handler: async ({ query, req }) => {
      const pr = pageRequest(query.page, PAGE_SIZE);
      const list = await catalog.listGenres({ offset: pr.offset, limit: pr.pageSize });
      // The list object is the cached one (replaced when genres change): its JSON is kept with it, per base URL.
      const page = toPage(req, deps.publicUrl, pr, list.count, [] as Array<{ id: number; name: string; movie_count: number }>);
      const links = `${page.next}\u0000${page.previous}`;
      let kept = serialisedGenreLists.get(list);
      if (!kept || kept.links !== links) {
        kept = { links, out: serialise({ ...page, results: list.rows.map((g) => ({ id: g.id, name: g.name, movie_count: g.movieCount })) }) };
        serialisedGenreLists.set(list, kept);
      }
      return { json: kept.out, headers: readCacheHeaders(undefined) };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/movie/genre/count',
    summary: 'OTT에 등록된 장르의 수',
    tags: ['Genres'],
    responses: { 200: { description: 'Number of genres', schema: z.object({ count: z.number() }) } },
    handler: async () => ({ body: { count: await catalog.countGenres() } }),
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/movie/genre',
    summary: '장르 등록',
    tags: ['Genres'],
    auth: rolesAllowed('genres', 'create'),
    body: genreBody,
    responses: { 201: { description: 'Created', schema: genreJson }, 400: { description: 'Invalid or duplicate name', schema: errorSchemas.validation }, ...authErrors },
    handler: async ({ body, user, lang }) => {
      const g = await catalog.createGenre(body.name, actorOf(user));
      return { status: 201, body: { id: g.id, name: g.name } };
    },
  });

  defineRoute(ctx, {
    method: 'put',
    path: '/movie/genre/:genre_num',
    summary: '장르 수정 (장르 번호)',
    tags: ['Genres'],
    auth: rolesAllowed('genres', 'update'),
    params: genreParams,
    body: genreBody,
    responses: { 200: { description: 'Renamed', schema: genreJson }, 400: { description: 'Invalid or duplicate name', schema: errorSchemas.validation }, ...authErrors, 404: { description: 'No such genre', schema: errorSchemas.detail } },
    handler: async ({ params, body, user, lang }) => {
      const g = await catalog.renameGenre(params.genre_num, body.name, actorOf(user));
      return { body: { id: g.id, name: g.name } };
    },
  });

  defineRoute(ctx, {
    method: 'delete',
    path: '/movie/genre/:genre_num',
    summary: '장르 삭제 (영화가 있으면 409; 관리자는 ?force=true)',
    tags: ['Genres'],
    auth: rolesAllowed('genres', 'delete'),
    params: genreParams,
    query: z.object({ force: looseBool.optional().default(false) }),
    responses: {
      204: { description: 'Deleted' },
      ...authErrors,
      404: { description: 'No such genre', schema: errorSchemas.detail },
      409: { description: 'The genre still has movies', schema: z.object({ message: z.string(), movie_count: z.number() }) },
    },
    handler: async ({ params, query, user, lang }) => {
      await catalog.deleteGenre(params.genre_num, { force: query.force, actorRole: user!.role }, actorOf(user));
      return { status: 204 };
    },
  });

  // ---- movies of a genre (seed 000 §1) ----
  defineRoute(ctx, {
    method: 'get',
    path: '/movie/genres/:genre_num/movies',
    summary: '특정 장르에 속한 영화 목록 (movies the viewer’s age does not allow are left out)',
    tags: ['Genres'],
    auth: 'optional',
    params: genreParams,
    query: pageOnly,
    responses: { 200: { description: 'Movies, newest first', schema: pageOf(movieSummary, 'MoviePage') }, 404: { description: 'No such genre, or page past the last', schema: errorSchemas.detail } },
    handler: async ({ params, query, req, lang, user }) => {
      const pr = pageRequest(query.page, PAGE_SIZE);
      const grades = deps.age.visibleGrades(await deps.age.viewer(user));
      const { count, views, cached } = await catalog.moviesInGenre(params.genre_num, { offset: pr.offset, limit: pr.pageSize }, grades);
      // Serialised (with its ETag: 304 when the client has it) once per cached page, views and base URL.
      const json = genrePageJson(cached, views, () => {
        const { count: n, next, previous } = toPage(req, deps.publicUrl, pr, count, []);
        return { count: n, next, previous };
      });
      return { json, headers: readCacheHeaders(user) };
    },
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/movie/genres/:genre_num/movies',
    summary: '특정 장르에 새로운 영화 등록',
    tags: ['Genres'],
    auth: rolesAllowed('movies', 'create'),
    params: genreParams,
    body: movieBody,
    responses: { 201: { description: 'Created', schema: movieSummary }, 400: { description: 'Invalid fields', schema: errorSchemas.validation }, ...authErrors, 404: { description: 'No such genre', schema: errorSchemas.detail } },
    handler: async ({ params, body, user, lang }) => {
      await catalog.getGenre(params.genre_num);
      const view = await catalog.createMovie(movieInput(body, params.genre_num), actorOf(user));
      return { status: 201, body: movieJson(view) };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/movie/genres/:genre_num/movies/:movie_num',
    summary: '특정 장르의 특정 영화 상세',
    tags: ['Genres'],
    auth: 'optional',
    params: genreMovieParams,
    responses: { 200: { description: 'The movie', schema: movieSummary }, 403: { description: 'Age restricted (청소년 관람불가 unverified, or under age)', schema: errorSchemas.message }, 404: { description: 'No such genre, or the movie is not in it', schema: errorSchemas.detail } },
    handler: async ({ params, lang, user }) => {
      const view = await catalog.movieInGenre(params.genre_num, params.movie_num);
      deps.age.assertCanView(await deps.age.viewer(user), view.movie.watchGrade);
      return { body: movieJson(view) };
    },
  });

  defineRoute(ctx, {
    method: 'put',
    path: '/movie/genres/:genre_num/movies/:movie_num',
    summary: '특정 장르의 특정 영화 정보 수정 (omitted fields are cleared; genres/directors/actors replaced only when given)',
    tags: ['Genres'],
    auth: rolesAllowed('movies', 'update'),
    params: genreMovieParams,
    body: movieBody,
    responses: { 200: { description: 'Updated', schema: movieSummary }, 400: { description: 'Invalid fields', schema: errorSchemas.validation }, ...authErrors, 404: { description: 'No such genre/movie', schema: errorSchemas.detail } },
    handler: async ({ params, body, user, lang }) => {
      await catalog.movieInGenre(params.genre_num, params.movie_num);
      const input = movieInput(body);
      if (input.genreIds && !input.genreIds.includes(params.genre_num)) input.genreIds = [params.genre_num, ...input.genreIds];
      return { body: movieJson(await catalog.updateMovie(params.movie_num, input, actorOf(user))) };
    },
  });

  defineRoute(ctx, {
    method: 'delete',
    path: '/movie/genres/:genre_num/movies/:movie_num',
    summary: '특정 장르에서 영화 삭제 (the movie leaves the genre; the movie itself stays)',
    tags: ['Genres'],
    auth: rolesAllowed('movie-genres', 'delete'),
    params: genreMovieParams,
    responses: { 204: { description: 'Removed from the genre' }, ...authErrors, 404: { description: 'No such genre, or the movie is not in it', schema: errorSchemas.detail } },
    handler: async ({ params, user, lang }) => {
      await catalog.getGenre(params.genre_num);
      await catalog.removeMovieFromGenre(params.genre_num, params.movie_num, actorOf(user));
      return { status: 204 };
    },
  });

  // ---- movie detail, pick, score (seed 004) ----
  defineRoute(ctx, {
    method: 'get',
    path: '/movie/:movie_id(\\d+)',
    summary: '영화 상세정보',
    tags: ['Movies'],
    auth: 'optional',
    params: movieParams,
    responses: {
      200: { description: 'Seed 004 movie detail', schema: movieDetail },
      403: { description: 'Age restricted (청소년 관람불가 unverified, or under age)', schema: errorSchemas.message },
      404: { description: 'No such movie', schema: errorSchemas.detail },
    },
    handler: async ({ params, user, lang }) => {
      const view = await catalog.movieView(params.movie_id);
      const viewer = await deps.age.viewer(user);
      // The age gate on every request, cached projection or not.
      deps.age.assertCanView(viewer, view.movie.watchGrade);
      if (!user) return { json: anonymousDetail(view, await deps.showtimes.isShowing(params.movie_id)), headers: readCacheHeaders(undefined) };
      const { picked, rated, predictedScore: predicted, recommendedIds, state } = await deps.recommendations.memberDetail(user.id, params.movie_id, RECOMMEND_POOL);
      const recommended = (await catalog.viewsOf(recommendedIds)).filter((v) => deps.age.canView(viewer, v.movie.watchGrade)).slice(0, RECOMMEND_SHOWN);
      const showing = await deps.showtimes.isShowing(params.movie_id);
      return { json: memberDetailJson(view, { hasScore: rated, picked, showing, predictedScore: predicted, recommended }, state), headers: readCacheHeaders(user) };
    },
  });

  defineRoute(ctx, {
    method: 'patch',
    path: '/movie/:movie_id(\\d+)/pick',
    summary: '보고싶은 영화 등록 토글 (the body is ignored)',
    tags: ['Movies'],
    auth: 'required',
    params: movieParams,
    responses: { 200: { description: 'Picked or not now', schema: z.object({ pick_movies: z.boolean() }) }, 401: authErrors[401], 404: { description: 'No such movie', schema: errorSchemas.detail } },
    handler: async ({ params, user, lang }) => {
      await deps.age.assertMovieVisible(await deps.age.viewer(user), params.movie_id);
      return { body: { pick_movies: await catalog.togglePick(user!.id, params.movie_id) } };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/movie/:movie_id(\\d+)/score',
    summary: '영화 평균 평점',
    tags: ['Movies'],
    auth: 'optional',
    params: movieParams,
    responses: {
      200: { description: 'Average score (0–5, two decimals; 0 without ratings)', schema: z.object({ score: z.number() }) },
      403: { description: 'Age restricted', schema: errorSchemas.message },
      404: { description: 'No such movie', schema: errorSchemas.detail },
    },
    handler: async ({ params, lang, user }) => {
      await deps.age.assertMovieVisible(await deps.age.viewer(user), params.movie_id);
      return { body: { score: await catalog.score(params.movie_id) } };
    },
  });

  // ---- production companies (seed 000 §5) ----
  const mfParams = z.object({ manufacturer_id: idParam });

  defineRoute(ctx, {
    method: 'get',
    path: '/manufacturers',
    summary: '제작사 목록 (contact details for staff only)',
    tags: ['Manufacturers'],
    auth: 'optional',
    query: z.object({ page: pageQuery, search: z.string().trim().max(100).optional(), status: z.enum(PARTNERSHIP_STATUSES).optional() }),
    responses: { 200: { description: 'Companies', schema: pageOf(manufacturerJson, 'ManufacturerPage') } },
    handler: async ({ query, req, user }) => {
      const pr = pageRequest(query.page, PAGE_SIZE);
      const { count, rows } = await catalog.listManufacturers({ search: query.search || undefined, status: query.status }, { offset: pr.offset, limit: pr.pageSize });
      return { body: toPage(req, deps.publicUrl, pr, count, rows.map((r) => manufacturerOut(r.manufacturer, user, r.worksCount))) };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/manufacturers/:manufacturer_id',
    summary: '특정 제작사 정보 (with its works)',
    tags: ['Manufacturers'],
    auth: 'optional',
    params: mfParams,
    responses: {
      200: { description: 'The company and its movies', schema: manufacturerJson.extend({ works: z.array(z.object({ id: z.number(), name: z.string(), open_date: z.string().nullable() })) }) },
      404: { description: 'No such company', schema: errorSchemas.detail },
    },
    handler: async ({ params, user, lang }) => {
      const { manufacturer, works } = await catalog.getManufacturer(params.manufacturer_id);
      return { body: { ...manufacturerOut(manufacturer, user, works.length), works: works.map((w) => ({ id: w.id, name: w.name, open_date: w.openDate })) } };
    },
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/manufacturers',
    summary: '새로운 제작사 등록',
    tags: ['Manufacturers'],
    auth: rolesAllowed('manufacturers', 'create'),
    body: manufacturerBody,
    responses: { 201: { description: 'Created', schema: manufacturerJson }, 400: { description: 'Invalid fields', schema: errorSchemas.validation }, ...authErrors },
    handler: async ({ body, user, lang }) => ({ status: 201, body: manufacturerOut(await catalog.createManufacturer(manufacturerInput(body), actorOf(user)), user, 0) }),
  });

  defineRoute(ctx, {
    method: 'put',
    path: '/manufacturers/:manufacturer_id',
    summary: '제작사 정보 수정',
    tags: ['Manufacturers'],
    auth: rolesAllowed('manufacturers', 'update'),
    params: mfParams,
    body: manufacturerBody,
    responses: { 200: { description: 'Updated', schema: manufacturerJson }, 400: { description: 'Invalid fields', schema: errorSchemas.validation }, ...authErrors, 404: { description: 'No such company', schema: errorSchemas.detail } },
    handler: async ({ params, body, user, lang }) => ({ body: manufacturerOut(await catalog.updateManufacturer(params.manufacturer_id, manufacturerInput(body), actorOf(user)), user) }),
  });

  defineRoute(ctx, {
    method: 'delete',
    path: '/manufacturers/:manufacturer_id',
    summary: '제작사 삭제 (its movies stay, without a company)',
    tags: ['Manufacturers'],
    auth: rolesAllowed('manufacturers', 'delete'),
    params: mfParams,
    responses: { 204: { description: 'Deleted' }, ...authErrors, 404: { description: 'No such company', schema: errorSchemas.detail } },
    handler: async ({ params, user, lang }) => {
      await catalog.deleteManufacturer(params.manufacturer_id, actorOf(user));
      return { status: 204 };
    },
  });

}
