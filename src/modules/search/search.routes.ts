// Seed 004 "Search": the search page (search/) and the cinema search by area (search/cinema/…).
import { z } from 'zod';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import { averageScore } from '../catalog/catalog.service.js';
import type { Cinema } from '../cinemas/cinema.entities.js';
import { latitude, longitude } from '../cinemas/cinemas.routes.js';
import { cinemaCard } from '../cinemas/cinemas.service.js';
import type { AgeGate } from '../age/age.service.js';
import type { SearchHome, SearchService } from './search.service.js';
import type { MovieSearchResult } from './movie-search.service.js';
import { joinedAnswer, keptPer, keptSerialisation, serialisedOfParts, utf8, type Serialised } from '../../http/conditional.js';
import { movieCardSchema, movieCardsSized, posterJson, posterSchema, runningTimeText } from '../catalog/movie-card.js';

const words = z.string().trim().max(100);
/** Movie search words: required, not blank (percent-encoded Korean arrives decoded). */
const movieWords = z.string().trim().min(1).max(100);

const movieHit = movieCardSchema;
const movieSearch = z
  .object({ meta: z.object({ search_result: z.number(), similar_result: z.number() }), search_result: z.array(movieHit), similar_result: z.array(movieHit) })
  .openapi('MovieSearch');

const cinemaHit = z.object({ id: z.number(), name: z.string(), address: z.string(), type: z.string(), img: z.string().nullable() }).openapi('CinemaSearchHit');
const cinemaSearch = z
  .object({ meta: z.object({ search_result: z.number(), similar_result: z.number() }), search_result: z.array(cinemaHit), similar_result: z.array(cinemaHit) })
  .openapi('CinemaSearch');
const homeSchema = z
  .object({
    meta: z.object({ near_cinema: z.number(), popular_movies: z.number(), comming_soon: z.number() }),
    near_cinema: z.array(
      z.object({ id: z.number(), name: z.string(), type: z.string(), img: z.string().nullable(), address: z.string(), tel: z.string().nullable(), x: z.string(), y: z.string(), url: z.string().nullable(), distance: z.number() }),
    ),
    popular_movies: z.array(
      z.object({ id: z.number(), name: z.string(), name_eng: z.string().nullable(), poster: posterSchema, watch_grade: z.string().nullable(), score: z.number(), ratings_count: z.number() }),
    ),
    comming_soon: z.array(
      z.object({
        id: z.number(),
        name: z.string(),
        poster: posterSchema,
        watch_grade: z.string().nullable(),
        open_date: z.string().nullable(),
        running_time: z.string().nullable(),
        pick_users_count: z.number(),
        genres: z.array(z.string()),
        directors: z.array(z.string()),
        actors: z.array(z.string()),
      }),
    ),
  })
  .openapi('SearchHome');

/** The answers' serialisations, kept with the search's cached answers (the same object while it stands). */
const titlesJson = keptSerialisation<readonly string[]>((titles) => JSON.stringify(titles));
// JSON.stringify of { meta, search_result, similar_result }, the cards from their kept text, lengths
// and digests (the text around them is ASCII: its length in bytes is its length).
const moviesJson = keptPer<MovieSearchResult, Serialised>(({ searchResult, similarResult }) => {
  const found = movieCardsSized(searchResult);
  const similar = movieCardsSized(similarResult);
  const text = `{"meta":{"search_result":${searchResult.length},"similar_result":${similarResult.length}},"search_result":${found.json},"similar_result":${similar.json}}`;
  const length = text.length - found.json.length - similar.json.length + found.bytes + similar.bytes;
  return serialisedOfParts(text, length, `${found.digests}|\n${similar.digests}`);
});


/** `,"popular_movies":[…]` as UTF-8, kept with the kept list. */
const popularJson = keptPer((movies: SearchHome['popular']) =>
  utf8(`,"popular_movies":${JSON.stringify(movies.map((m) => ({ id: m.id, name: m.name, name_eng: m.nameEng, poster: posterJson(m.poster), watch_grade: m.watchGrade, score: averageScore(m), ratings_count: m.ratingCount })))}`),
);
/** `,"comming_soon":[…]}` as UTF-8 (the answer's end), kept with the kept list. */
const comingSoonJson = keptPer((movies: SearchHome['comingSoon']) =>
  utf8(`,"comming_soon":${JSON.stringify(
    movies.map(({ view, pickCount }) => ({
      id: view.movie.id,
      name: view.movie.name,
      poster: posterJson(view.movie.poster),
      watch_grade: view.movie.watchGrade,
      open_date: view.movie.openDate,
      running_time: runningTimeText(view.movie.runningTime),
      pick_users_count: pickCount,
      genres: view.genres,
      directors: view.directors,
      actors: view.actors,
    })),
  )}}`),
);

const hitJson = (c: Cinema) => ({ id: c.id, name: c.name, address: c.address, type: c.type, img: c.img });

export interface SearchRouteDeps {
  search: SearchService;
  /** The age gate: movies the viewer may not see are left out of popular / coming soon. */
  age: AgeGate;
}

export function searchRoutes(ctx: RouteContext, deps: SearchRouteDeps): void {
  const { search } = deps;

  defineRoute(ctx, {
    method: 'get',
    path: '/search',
    summary: '검색페이지: 근처 영화관 (2 km), 상영중 인기 영화 10개, 한 달 이내 개봉 예정작 (x/y optional)',
    tags: ['Search'],
    auth: 'required',
    query: z
      .object({ x: longitude.optional(), y: latitude.optional() })
      .superRefine((q, c) => {
        // A position is both coordinates or neither.
        if (q.x !== undefined && q.y === undefined) c.addIssue({ code: 'custom', message: 'i18n:required', path: ['y'] });
        if (q.y !== undefined && q.x === undefined) c.addIssue({ code: 'custom', message: 'i18n:required', path: ['x'] });
      }),
    responses: {
      200: { description: 'The search page', schema: homeSchema },
      400: { description: 'A non-numeric coordinate, or only one of x and y', schema: errorSchemas.validation },
      401: { description: 'No or invalid token', schema: errorSchemas.message },
    },
    handler: async ({ query, user }) => {
      const point = query.x !== undefined && query.y !== undefined ? { x: query.x, y: query.y } : null;
      const home = await search.home(point, deps.age.visibleGrades(await deps.age.viewer(user)));
      const near = home.near.map(({ cinema, distance }) => ({ ...cinemaCard(cinema), distance }));
      // JSON.stringify of { meta, near_cinema, popular_movies, comming_soon }: the two movie lists' UTF-8 kept with the kept lists.
      const head = `{"meta":${JSON.stringify({ near_cinema: near.length, popular_movies: home.popular.length, comming_soon: home.comingSoon.length })},"near_cinema":${JSON.stringify(near)}`;
      return { json: joinedAnswer(head, [popularJson(home.popular), comingSoonJson(home.comingSoon)]) };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/search/movie',
    summary: '영화 검색 자동완성: 최대 10개 제목 (공백·대소문자 무시, 초성 검색, 영문 제목; 정확히 일치 → 앞부분 일치 → 포함 순)',
    tags: ['Search'],
    auth: 'optional',
    query: z.object({ words: movieWords }),
    responses: {
      200: { description: 'Titles, most relevant first', schema: z.array(z.string()).openapi({ example: ['해리 포터와 마법사의 돌', '해리 포터와 비밀의 방'] }) },
      400: { description: 'Missing or blank words, or longer than 100 characters', schema: errorSchemas.validation },
    },
    handler: async ({ query, user }) => ({ json: titlesJson(await search.movieTitles(query.words, deps.age.visibleGrades(await deps.age.viewer(user)))) }),
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/search/movie/:words',
    summary: '영화 검색 (search_result: 정확히 일치 → 앞부분 → 포함, 같으면 평점 수 순; similar_result: 오타를 허용한 비슷한 제목, search_result와 겹치지 않음)',
    tags: ['Search'],
    auth: 'optional',
    params: z.object({ words: movieWords }),
    responses: {
      200: { description: 'Movies', schema: movieSearch },
      400: { description: 'Blank words, or longer than 100 characters', schema: errorSchemas.validation },
    },
    handler: async ({ params, user }) => {
      return { json: moviesJson(await search.movies(params.words, deps.age.visibleGrades(await deps.age.viewer(user)))) };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/search/cinema',
    summary: '지역별 영화관 검색 자동완성 (구 names containing the words, those starting with them first)',
    tags: ['Search'],
    query: z.object({ words }),
    responses: { 200: { description: 'Area names', schema: z.array(z.string()).openapi({ example: ['강남구', '강서구', '강북구', '강동구'] }) }, 400: { description: 'Missing words', schema: errorSchemas.validation } },
    handler: async ({ query }) => ({ body: await search.areas(query.words) }),
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/search/cinema/:words',
    summary: '지역별 영화관 검색 (search_result: cinemas of the matching 구; similar_result: other cinemas whose name matches)',
    tags: ['Search'],
    params: z.object({ words }),
    responses: { 200: { description: 'Cinemas', schema: cinemaSearch }, 400: { description: 'Words longer than 100 characters', schema: errorSchemas.validation } },
    handler: async ({ params }) => {
      const { byArea, byName } = await search.cinemasFor(params.words);
      return { body: { meta: { search_result: byArea.length, similar_result: byName.length }, search_result: byArea.map(hitJson), similar_result: byName.map(hitJson) } };
    },
  });
}
