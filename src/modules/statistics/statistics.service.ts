// Daily statistics snapshots and the overview the dashboard and `GET themes` show.
//
// computeDay(day) aggregates one UTC day from the owning modules' read models (revenue and
// subscriptions from commerce, views from the watch events, sign-ups from users) — each a range
// on an indexed timestamp, so a run reads that day's rows, never the whole history — and replaces
// the day's snapshot rows in one transaction: re-running a day gives the same rows, and a day with
// late data is recomputed the same way (nightly job, or "Recompute" in the panel).
//
// overview(range, sections) reads only the snapshot tables (plus two live figures: pending
// refunds and catalog counts), so the dashboard's numbers are the snapshot tables' numbers.
import type { DataSource, EntityManager } from 'typeorm';
import { Between } from 'typeorm';
import type { ContentViewsRow } from '../members/watch-stats.js';
import type { RevenueRow, SubscriptionDayRow } from '../commerce/revenue-stats.js';
import { can } from '../access/rbac.js';
import type { Role } from '../users/user.entity.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { IntentWriter } from '../../../jobs/outbox.js';
import { DailySignupStat } from './daily-signup-stat.entity.js';
import { DailyContentViewStat, DailyRevenueStat, DailySubscriptionStat, StatDay } from './statistics.entities.js';
import { chunks } from '../../db/batch.js';

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** Longest range the overview answers and a recompute accepts (days). */
export const MAX_RANGE_DAYS = 366;
/** Default overview: the last 30 complete days. */
export const DEFAULT_RANGE_DAYS = 30;
export const TOP_CONTENTS = 10;
/** The nightly job recomputes this many days before yesterday too (late viewing events). */
export const LATE_DATA_DAYS = 1;

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function isDay(day: unknown): day is string {
  return typeof day === 'string' && DAY_RE.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && utcDay(new Date(`${day}T00:00:00Z`)) === day;
}

/** [start, end) of a UTC day given as YYYY-MM-DD. */
export function dayBounds(day: string): { from: Date; to: Date } {
  if (!isDay(day)) throw new RangeError(`not a day: ${day}`);
  const from = new Date(`${day}T00:00:00Z`);
  return { from, to: new Date(from.getTime() + DAY_MS) };
}

export function previousUtcDay(now = new Date()): string {
  return utcDay(new Date(now.getTime() - DAY_MS));
}

export function addDays(day: string, n: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** Every day from `from` to `to`, both included. */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export class StatisticsRangeError extends Error {
  constructor(
    readonly field: 'from' | 'to',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A checked range: both days valid, from ≤ to, at most MAX_RANGE_DAYS long. Missing ends default
 * to the DEFAULT_RANGE_DAYS complete days before `now`.
 */
export function statisticsRange(input: { from?: unknown; to?: unknown }, now = new Date()): { from: string; to: string } {
  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  if (given(input.from) && !isDay(input.from)) throw new StatisticsRangeError('from', 'Give a day as YYYY-MM-DD.');
  if (given(input.to) && !isDay(input.to)) throw new StatisticsRangeError('to', 'Give a day as YYYY-MM-DD.');
  const to = given(input.to) ? (input.to as string) : given(input.from) ? addDays(input.from as string, DEFAULT_RANGE_DAYS - 1) : previousUtcDay(now);
  const from = given(input.from) ? (input.from as string) : addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) throw new StatisticsRangeError('to', 'The end of the range is before its start.');
  if (daysOf(from, to).length > MAX_RANGE_DAYS) throw new StatisticsRangeError('to', `A range is at most ${MAX_RANGE_DAYS} days.`);
  return { from, to };
}

/** What statistics read from the modules that own the data (wired in src/runtime.ts). */
export interface StatisticsSources {
  signupsBetween(from: Date, to: Date): Promise<number>;
  revenueBetween(m: EntityManager, from: Date, to: Date): Promise<RevenueRow[]>;
  subscriptionsBetween(m: EntityManager, from: Date, to: Date): Promise<SubscriptionDayRow[]>;
  contentViewsBetween(m: EntityManager, from: Date, to: Date): Promise<ContentViewsRow[]>;
  pendingRefunds(m: EntityManager): Promise<Array<{ currency: string; count: number; amount: number }>>;
  contentTitles(ids: readonly number[]): Promise<Map<number, string>>;
  catalogFigures(): Promise<CatalogFigures>;
}

/** Live catalog figures of the dashboard (not snapshots): the catalog, contents by status, cinemas and bookable showtimes. */
export interface CatalogFigures {
  movies: number;
  genres: number;
  people: number;
  manufacturers: number;
  contents: Record<string, number>;
  cinemas: number;
  showtimes_bookable: number;
}

export interface DaySnapshot {
  day: string;
  signups: number;
  revenue: number;
  subscriptions: number;
  contents: number;
  durationMs: number;
}

/** The blocks of the overview; which ones a viewer gets follows the RBAC table. */
export const SECTIONS = ['signups', 'revenue', 'subscriptions', 'refunds', 'contents', 'catalog'] as const;
export type Section = (typeof SECTIONS)[number];

/** Sign-ups for every staff role; money for finance (and admins); views and catalog for catalog staff (and admins). */
export function sectionsFor(role: Role | string | null | undefined): Section[] {
  const out: Section[] = [];
  if (can(role, 'dashboard.members', 'read')) out.push('signups');
  if (can(role, 'dashboard.revenue', 'read')) out.push('revenue', 'subscriptions', 'refunds');
  if (can(role, 'dashboard.catalog', 'read')) out.push('contents', 'catalog');
  return out;
}

type Totals = { payments: number; gross: number; refunds: number; refunded: number; net: number };
const zero = (): Totals => ({ payments: 0, gross: 0, refunds: 0, refunded: 0, net: 0 });
const addTo = (t: Totals, r: Totals) => {
  t.payments += r.payments;
  t.gross += r.gross;
  t.refunds += r.refunds;
  t.refunded += r.refunded;
  t.net += r.net;
};

export interface Overview {
  from: string;
  to: string;
  sections: Section[];
  /** The days of the range that have a snapshot (others are null in the day series). */
  computed_days: number;
  days: number;
  signups?: { total: number; days: Array<{ day: string; signups: number | null }> };
  revenue?: Array<{
    currency: string;
    totals: Totals;
    days: Array<{ day: string; gross: number | null; refunded: number | null; net: number | null }>;
    by_method: Array<{ method_type: string } & Totals>;
    by_product: Array<{ product: string } & Totals>;
  }>;
  subscriptions?: {
    /** Per plan: new, cancellation requests and ended over the range; active at the end of its last computed day. */
    by_plan: Array<{ plan: string; new: number; cancel_requests: number; ended: number; active: number }>;
    days: Array<{ day: string; new: number | null; ended: number | null; active: number | null }>;
  };
  refunds?: { pending: Array<{ currency: string; count: number; amount: number }> };
  contents?: {
    totals: { views: number; watch_seconds: number };
    days: Array<{ day: string; views: number | null; watch_seconds: number | null }>;
    top: Array<{ content_id: number; movie_id: number | null; title: string | null; views: number; watch_seconds: number }>;
  };
  catalog?: CatalogFigures;
}

export interface StatisticsDeps {
  outbox: IntentWriter;
  audit: Pick<AuditService, 'record'>;
}

export class StatisticsService {
  constructor(
    private readonly ds: DataSource,
    private readonly sources: StatisticsSources,
    private readonly deps: StatisticsDeps,
  ) {}

  /**
   * A staff member asks for a range to be recomputed (late data): the range is checked, the
   * `statistics.recompute` job's intent written (one job per range until it starts) with the audit entry.
   */
  async requestRecompute(actor: Actor, input: { from?: unknown; to?: unknown }): Promise<{ jobId: string; from: string; to: string; days: number }> {
    if (!isDay(input.from)) throw new StatisticsRangeError('from', 'Give a day as YYYY-MM-DD.');
    if (!isDay(input.to)) throw new StatisticsRangeError('to', 'Give a day as YYYY-MM-DD.');
    const { from, to } = statisticsRange(input);
    if (to > utcDay(new Date())) throw new StatisticsRangeError('to', 'A day that has not begun has nothing to compute.');
    const jobId = await this.ds.transaction(async (m) => {
      const id = await this.deps.outbox.add(m, 'statistics.recompute', { from, to, requestedBy: actor.id }, { dedupId: `stats-recompute-${from}-${to}` });
      await this.deps.audit.record({ actor, action: 'statistics.recompute', resource: 'statistics', recordId: `${from}..${to}`, after: { from, to, job_id: id } }, m);
      return id;
    });
    return { jobId, from, to, days: daysOf(from, to).length };
  }

  private async signupsBetween(fromDay: string, toDay: string): Promise<DailySignupStat[]> {
    return this.ds.getRepository(DailySignupStat).find({ where: { day: Between(fromDay, toDay) }, order: { day: 'ASC' } });
  }

  /** Every snapshot of one UTC day, replaced in one transaction. */
  async computeDay(day: string, opts: { requestedBy?: number | null } = {}): Promise<DaySnapshot> {
    const { from, to } = dayBounds(day);
    const started = Date.now();
    const signups = await this.sources.signupsBetween(from, to);
    return this.ds.transaction(async (m) => {
      const [revenue, subscriptions, views] = [await this.sources.revenueBetween(m, from, to), await this.sources.subscriptionsBetween(m, from, to), await this.sources.contentViewsBetween(m, from, to)];
      await m.delete(DailyRevenueStat, { day });
      await m.delete(DailySubscriptionStat, { day });
      await m.delete(DailyContentViewStat, { day });
      for (const part of chunks(revenue, 500)) {
        await m.insert(DailyRevenueStat, part.map((r) => ({ day, currency: r.currency, methodType: r.methodType, product: r.product, payments: r.payments, gross: r.gross, refunds: r.refunds, refunded: r.refunded, net: r.gross - r.refunded })));
      }
      for (const part of chunks(subscriptions, 500)) {
        await m.insert(DailySubscriptionStat, part.map((r) => ({ day, planCode: r.planCode, newCount: r.started, cancelRequests: r.cancelRequests, endedCount: r.ended, activeAtEnd: r.active })));
      }
      for (const part of chunks(views, 1000)) {
        await m.insert(DailyContentViewStat, part.map((r) => ({ day, contentId: r.contentId, movieId: r.movieId, views: r.views, watchSeconds: r.watchSeconds })));
      }
      await m.getRepository(DailySignupStat).upsert({ day, signups, computedAt: new Date() }, ['day']);
      const durationMs = Date.now() - started;
      await m.getRepository(StatDay).upsert({ day, computedAt: new Date(), durationMs, requestedBy: opts.requestedBy ?? null }, ['day']);
      return { day, signups, revenue: revenue.length, subscriptions: subscriptions.length, contents: views.length, durationMs };
    });
  }

  /** Recomputes every day of a checked range, oldest first; reports progress after each day. */
  async computeRange(from: string, to: string, opts: { requestedBy?: number | null; onProgress?: (fraction: number) => Promise<void> | void } = {}): Promise<DaySnapshot[]> {
    const range = statisticsRange({ from, to });
    const days = daysOf(range.from, range.to);
    const out: DaySnapshot[] = [];
    for (const [i, day] of days.entries()) {
      out.push(await this.computeDay(day, { requestedBy: opts.requestedBy }));
      await opts.onProgress?.((i + 1) / days.length);
    }
    return out;
  }

  /** The snapshot tables over a range, as the dashboard and `GET themes` show them. */
  async overview(range: { from: string; to: string }, sections: readonly Section[]): Promise<Overview> {
    const { from, to } = range;
    const days = daysOf(from, to);
    const computed = new Set((await this.ds.getRepository(StatDay).find({ select: { day: true }, where: { day: Between(from, to) } })).map((d) => d.day));
    // A day whose sign-ups were snapshotted by the older sign-ups job counts for that series too.
    const signupRows = sections.includes('signups') ? await this.signupsBetween(from, to) : [];
    const out: Overview = { from, to, sections: [...sections], computed_days: computed.size, days: days.length };
    const known = <T>(day: string, v: T): T | null => (computed.has(day) ? v : null);

    if (sections.includes('signups')) {
      const byDay = new Map(signupRows.map((r) => [r.day, r.signups]));
      out.signups = { total: [...byDay.values()].reduce((s, n) => s + n, 0), days: days.map((day) => ({ day, signups: byDay.get(day) ?? null })) };
    }

    if (sections.includes('revenue')) {
      const rows = await this.ds.getRepository(DailyRevenueStat).find({ where: { day: Between(from, to) } });
      const currencies = [...new Set(rows.map((r) => r.currency))].sort();
      out.revenue = currencies.map((currency) => {
        const mine = rows.filter((r) => r.currency === currency);
        const totals = zero();
        const perDay = new Map<string, Totals>();
        const perMethod = new Map<string, Totals>();
        const perProduct = new Map<string, Totals>();
        for (const r of mine) {
          const t: Totals = { payments: r.payments, gross: r.gross, refunds: r.refunds, refunded: r.refunded, net: r.net };
          addTo(totals, t);
          for (const [map, key] of [[perDay, r.day], [perMethod, r.methodType], [perProduct, r.product]] as const) {
            if (!map.has(key)) map.set(key, zero());
            addTo(map.get(key)!, t);
          }
        }
        return {
          currency,
          totals,
          days: days.map((day) => {
            const t = perDay.get(day) ?? zero();
            return { day, gross: known(day, t.gross), refunded: known(day, t.refunded), net: known(day, t.net) };
          }),
          by_method: [...perMethod].sort(([a], [b]) => a.localeCompare(b)).map(([method_type, t]) => ({ method_type, ...t })),
          by_product: [...perProduct].sort(([a], [b]) => a.localeCompare(b)).map(([product, t]) => ({ product, ...t })),
        };
      });
    }

    if (sections.includes('subscriptions')) {
      const rows = await this.ds.getRepository(DailySubscriptionStat).find({ where: { day: Between(from, to) } });
      const lastDay = [...computed].sort().at(-1);
      const plans = new Map<string, { plan: string; new: number; cancel_requests: number; ended: number; active: number }>();
      const perDay = new Map<string, { new: number; ended: number; active: number }>();
      for (const r of rows) {
        if (!plans.has(r.planCode)) plans.set(r.planCode, { plan: r.planCode, new: 0, cancel_requests: 0, ended: 0, active: 0 });
        const p = plans.get(r.planCode)!;
        p.new += r.newCount;
        p.cancel_requests += r.cancelRequests;
        p.ended += r.endedCount;
        if (r.day === lastDay) p.active = r.activeAtEnd;
        if (!perDay.has(r.day)) perDay.set(r.day, { new: 0, ended: 0, active: 0 });
        const d = perDay.get(r.day)!;
        d.new += r.newCount;
        d.ended += r.endedCount;
        d.active += r.activeAtEnd;
      }
      out.subscriptions = {
        by_plan: [...plans.values()].sort((a, b) => a.plan.localeCompare(b.plan)),
        days: days.map((day) => {
          const d = perDay.get(day) ?? { new: 0, ended: 0, active: 0 };
          return { day, new: known(day, d.new), ended: known(day, d.ended), active: known(day, d.active) };
        }),
      };
    }

    if (sections.includes('refunds')) out.refunds = { pending: await this.sources.pendingRefunds(this.ds.manager) };

    if (sections.includes('contents')) {
      const repo = this.ds.getRepository(DailyContentViewStat);
      const perDay = await repo
        .createQueryBuilder('v')
        .select(['v.day AS day', 'SUM(v.views) AS views', 'SUM(v.watch_seconds) AS seconds'])
        .where({ day: Between(from, to) })
        .groupBy('v.day')
        .getRawMany<{ day: string; views: unknown; seconds: unknown }>();
      const byDay = new Map(perDay.map((r) => [r.day, { views: Number(r.views), seconds: Number(r.seconds) }]));
      const top = await repo
        .createQueryBuilder('v')
        .select(['v.content_id AS contentId', 'MAX(v.movie_id) AS movieId', 'SUM(v.views) AS views', 'SUM(v.watch_seconds) AS seconds'])
        .where({ day: Between(from, to) })
        .groupBy('v.content_id')
        .orderBy('views', 'DESC')
        .addOrderBy('seconds', 'DESC')
        .addOrderBy('contentId', 'ASC')
        .limit(TOP_CONTENTS)
        .getRawMany<{ contentId: unknown; movieId: unknown; views: unknown; seconds: unknown }>();
      const titles = await this.sources.contentTitles(top.map((r) => Number(r.contentId)));
      out.contents = {
        totals: { views: perDay.reduce((s, r) => s + Number(r.views), 0), watch_seconds: perDay.reduce((s, r) => s + Number(r.seconds), 0) },
        days: days.map((day) => ({ day, views: known(day, byDay.get(day)?.views ?? 0), watch_seconds: known(day, byDay.get(day)?.seconds ?? 0) })),
        top: top.map((r) => ({ content_id: Number(r.contentId), movie_id: r.movieId === null || r.movieId === undefined ? null : Number(r.movieId), title: titles.get(Number(r.contentId)) ?? null, views: Number(r.views), watch_seconds: Number(r.seconds) })),
      };
    }

    if (sections.includes('catalog')) out.catalog = await this.sources.catalogFigures();
    return out;
  }
}
