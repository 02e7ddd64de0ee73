// Seed 000 §7: the member's auto-displayed preference shelf and the top 10 per country.
import { z } from 'zod';
import { smallMovieCard, smallMovieCardSchema } from '../catalog/movie-card.js';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import { idParam } from '../../http/validation.js';
import type { AgeViewer } from '../age/age.policy.js';
import type { AgeGate } from '../age/age.service.js';
import { gradesKey, type CatalogService, type MovieView } from '../catalog/catalog.service.js';
import { readCacheHeaders, serialise, type Serialised } from '../../http/conditional.js';
import type { RecommendationsService } from './recommendations.service.js';
import type { AutoDisplay, Top10Entry } from './recommendation.entities.js';

const card = smallMovieCardSchema;
const entry = z.object({ display_no: z.number(), position: z.number(), origin: z.enum(['recommendation', 'member']), edited: z.boolean(), movie: card.nullable() }).openapi('AutoDisplayEntry');

export interface RecommendationsRouteDeps {
  recommendations: RecommendationsService;
  catalog: CatalogService;
  /** The age gate: entries of movies the viewer may not see are left out. */
  age: AgeGate;
}

export function recommendationsRoutes(ctx: RouteContext, deps: RecommendationsRouteDeps): void {
  const { recommendations, catalog } = deps;

  /**
   * Small cards of the movies the viewer may see, from the movies' public projections (the
   * catalog's read cache): a deleted movie or one the age gate hides has no card (its entry is left out).
   */
  function visibleCards(viewer: AgeViewer, views: readonly MovieView[]) {
    const cards = new Map<number, ReturnType<typeof smallMovieCard>>();
    for (const { movie } of views) if (deps.age.canView(viewer, movie.watchGrade)) cards.set(movie.id, smallMovieCard(movie));
    return cards;
  }

  /**
   * A top 10 answer serialised once per kept list (the service's cache replaces the list on a
   * recompute), visible grade set and movie views (a changed movie is a new view).
   */
  const keptTop10 = new WeakMap<readonly Top10Entry[], Map<string, { views: MovieView[]; out: Serialised }>>();

  async function top10Json(country: string, viewer: AgeViewer): Promise<Serialised> {
    const all = await recommendations.top10(country);
    const views = await catalog.viewsOf(all.map((r) => r.movieId));
    const key = gradesKey(deps.age.visibleGrades(viewer));
    let byGrades = keptTop10.get(all);
    const kept = byGrades?.get(key);
    if (kept && kept.views.length === views.length && kept.views.every((v, k) => v === views[k])) return kept.out;
    const cards = visibleCards(viewer, views);
    const rows = all.filter((r) => cards.has(r.movieId));
    const out = serialise({
      country,
      computed_at: rows[0]?.computedAt.toISOString() ?? null,
      results: rows.map((r) => ({ rank: r.rank, score: r.ratingX100 / 100, rating_count: r.ratingCount, views: r.views, movie: cards.get(r.movieId) ?? null })),
    });
    if (!byGrades) keptTop10.set(all, (byGrades = new Map()));
    byGrades.set(key, { views, out });
    return out;
  }

  async function shelfJson(all: AutoDisplay[], viewer: AgeViewer) {
    const cards = visibleCards(viewer, await catalog.viewsOf(all.map((r) => r.movieId)));
    const rows = all.filter((r) => cards.has(r.movieId));
    return rows.map((r) => ({ display_no: r.id, position: r.position, origin: r.origin, edited: r.edited, movie: cards.get(r.movieId) ?? null }));
  }

  defineRoute(ctx, {
    method: 'get',
    path: '/autodisplay',
    summary: '사용자 선호 목록 자동 진열 (generated from the member’s recommendations)',
    tags: ['Recommendations'],
    auth: 'required',
    responses: { 200: { description: 'The shelf, in display order', schema: z.array(entry) }, 401: { description: 'No token', schema: errorSchemas.message } },
    handler: async ({ user }) => ({ body: await shelfJson(await recommendations.shelf(user!.id), await deps.age.viewer(user)) }),
  });

  const params = z.object({ display_no: idParam });

  defineRoute(ctx, {
    method: 'put',
    path: '/autodisplay/:display_no',
    summary: '사용자 선호 목록 수정 (position and/or movie; edits survive the next retrain)',
    tags: ['Recommendations'],
    auth: 'required',
    params,
    body: z
      .object({ position: z.coerce.number().int().min(1).max(1000).optional(), movie: idParam.optional() })
      .refine((b) => b.position !== undefined || b.movie !== undefined, { message: 'i18n:missingData', path: ['position'] })
      .openapi('AutoDisplayEdit'),
    responses: { 200: { description: 'The edited entry', schema: entry }, 400: { description: 'Invalid fields', schema: errorSchemas.validation }, 404: { description: 'Not the member’s entry', schema: errorSchemas.detail } },
    handler: async ({ params, body, user, lang }) => {
      const viewer = await deps.age.viewer(user);
      if (body.movie !== undefined) await deps.age.assertMovieVisible(viewer, body.movie);
      const row = await recommendations.editEntry(user!.id, params.display_no, body);
      const [json] = await shelfJson([row], viewer);
      return { body: json ?? { display_no: row.id, position: row.position, origin: row.origin, edited: row.edited, movie: null } };
    },
  });

  defineRoute(ctx, {
    method: 'delete',
    path: '/autodisplay/:display_no',
    summary: '사용자 선호 목록 삭제 (stays removed across retrains)',
    tags: ['Recommendations'],
    auth: 'required',
    params,
    responses: { 204: { description: 'Removed' }, 404: { description: 'Not the member’s entry', schema: errorSchemas.detail } },
    handler: async ({ params, user, lang }) => {
      await recommendations.removeEntry(user!.id, params.display_no);
      return { status: 204 };
    },
  });

  defineRoute(ctx, {
    method: 'get',
    path: '/movie/top10',
    summary: '나라별 탑 10 (best-rated and most-watched, computed nightly)',
    tags: ['Recommendations'],
    auth: 'optional',
    query: z.object({ country: z.string().regex(/^[A-Za-z]{2}$/, 'i18n:badCountry').transform((c) => c.toUpperCase()) }),
    responses: {
      200: {
        description: 'Up to 10 movies',
        schema: z.object({ country: z.string(), computed_at: z.string().nullable(), results: z.array(z.object({ rank: z.number(), score: z.number(), rating_count: z.number(), views: z.number(), movie: card.nullable() })) }),
      },
      400: { description: 'Missing or invalid country', schema: errorSchemas.validation },
    },
    handler: async ({ query, user }) => ({ json: await top10Json(query.country, await deps.age.viewer(user)), headers: readCacheHeaders(user) }),
  });
}
