// `GET themes` (seed 000 §11): the dashboard overview as JSON for the PC and mobile dashboard
// apps. The blocks a caller gets follow the RBAC table (finance: revenue, subscriptions, refunds,
// sign-ups; admins: everything), the same rule the admin dashboard applies.
import { z } from 'zod';
import { HttpError } from '../../http/errors.js';
import { rolesAllowed } from '../access/rbac.js';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import { MAX_RANGE_DAYS, sectionsFor, StatisticsRangeError, type StatisticsService } from './statistics.service.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Give a day as YYYY-MM-DD.');
const themesQuery = z.object({
  from: day.optional().openapi({ description: 'First day in the service time zone (default: 30 days before `to`)', example: '2026-11-01' }),
  to: day.optional().openapi({ description: `Last day, included (default: yesterday in the service time zone); at most ${MAX_RANGE_DAYS} days after \`from\``, example: '2026-11-30' }),
});

const totals = z.object({ payments: z.number(), gross: z.number(), refunds: z.number(), refunded: z.number(), net: z.number() });
const overviewSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    sections: z.array(z.string()),
    computed_days: z.number().openapi({ description: 'Days of the range with a snapshot; the others are null in the day series' }),
    days: z.number(),
    time_zone: z.string().optional().openapi({ description: 'The service time zone whose calendar days these are' }),
    today: z.string().optional(),
    partial_day: z.string().nullable().optional().openapi({ description: 'Today when in the range: read live, partial' }),
    last_computed_at: z.string().nullable().optional(),
    kpis: z.unknown().optional().openapi({ description: 'KPI cards of the range and of the same-length period before it' }),
    signups: z.object({ total: z.number(), days: z.array(z.object({ day: z.string(), signups: z.number().nullable() })) }).optional(),
    revenue: z
      .array(
        z.object({
          currency: z.string(),
          totals,
          days: z.array(z.object({ day: z.string(), gross: z.number().nullable(), refunded: z.number().nullable(), net: z.number().nullable() })),
          by_method: z.array(totals.extend({ method_type: z.string() })),
          by_product: z.array(totals.extend({ product: z.string() })),
        }),
      )
      .optional()
      .openapi({ description: 'Per currency; amounts in minor units' }),
    subscriptions: z
      .object({
        by_plan: z.array(z.object({ plan: z.string(), new: z.number(), cancel_requests: z.number(), ended: z.number(), active: z.number() })),
        days: z.array(z.object({ day: z.string(), new: z.number().nullable(), ended: z.number().nullable(), active: z.number().nullable() })),
      })
      .optional(),
    refunds: z.object({ pending: z.array(z.object({ currency: z.string(), count: z.number(), amount: z.number() })) }).optional(),
    contents: z
      .object({
        totals: z.object({ views: z.number(), watch_seconds: z.number() }),
        days: z.array(z.object({ day: z.string(), views: z.number().nullable(), watch_seconds: z.number().nullable() })),
        top: z.array(z.object({ content_id: z.number(), movie_id: z.number().nullable(), title: z.string().nullable(), views: z.number(), watch_seconds: z.number() })),
      })
      .optional(),
    catalog: z.object({ movies: z.number(), genres: z.number(), people: z.number(), manufacturers: z.number(), contents: z.record(z.string(), z.number()), cinemas: z.number(), showtimes_bookable: z.number().openapi({ description: 'Showtimes today … today+2 (service time zone)' }) }).optional(),
  })
  .openapi('DashboardOverview');

/** A checked range or a 400 naming the field. */
export function rangeOrBadRequest(input: { from?: unknown; to?: unknown }, statistics: Pick<StatisticsService, 'range'>): { from: string; to: string } {
  try {
    return statistics.range(input);
  } catch (err) {
    if (err instanceof StatisticsRangeError) throw new HttpError(400, { [err.field]: [err.message] });
    throw err;
  }
}

export function statisticsRoutes(ctx: RouteContext, d: { statistics: StatisticsService }): void {
  defineRoute(ctx, {
    method: 'get',
    path: '/themes',
    summary: '관리자 대시보드 통계 (PC/모바일 대시보드 앱): the daily snapshots over a range',
    tags: ['Statistics'],
    auth: rolesAllowed('themes', 'read'),
    query: themesQuery,
    responses: {
      200: { description: 'The overview blocks the caller may see', schema: overviewSchema },
      400: { description: 'A bad day or range', schema: errorSchemas.validation },
      401: { description: 'No token', schema: errorSchemas.message },
      403: { description: 'Not finance or admin', schema: errorSchemas.message },
    },
    handler: async ({ query, user }) => {
      const range = rangeOrBadRequest(query, d.statistics);
      return { body: await d.statistics.overview(range, sectionsFor(user?.role)) };
    },
  });
}
