// Daily statistics snapshots and the overview the dashboard and `GET themes` show.
//
// Days are calendar days of the service's time zone (config SERVICE_TIME_ZONE, Asia/Seoul by
// default): a payment at 23:30 UTC counts on the next KST day. computeDay(day) aggregates one day from the owning modules' read models (revenue and
// subscriptions from commerce, views from the watch events, sign-ups from users) — each a range
// on an indexed timestamp, so a run reads that day's rows, never the whole history — and replaces
// the day's snapshot rows in one transaction: re-running a day gives the same rows, and a day with
// late data is recomputed the same way (nightly job, or "Recompute" in the panel).
//
// overview(range, sections) reads only the snapshot tables (plus two live figures: pending
// refunds and catalog counts), so the dashboard's numbers are the snapshot tables' numbers.
import type { BaseEntity, DataSource, EntityManager } from 'typeorm';
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

/** The offset of a zone from UTC at an instant, in ms (Asia/Seoul: +9 h). */
function zoneOffsetMs(zone: string, at: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(at))
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour) % 24, Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant a calendar day begins in a zone (its local midnight), DST included. */
function zoneMidnight(day: string, zone: string): Date {
  const wall = Date.parse(`${day}T00:00:00Z`);
  let at = wall - zoneOffsetMs(zone, wall);
  // A zone whose offset changes that night: the offset at the first guess may be the other one.
  at = wall - zoneOffsetMs(zone, at);
  return new Date(at);
}

/** [start, end) of a day given as YYYY-MM-DD, in a time zone (default UTC). */
export function dayBounds(day: string, zone = 'UTC'): { from: Date; to: Date } {
  if (!isDay(day)) throw new RangeError(`not a day: ${day}`);
  if (zone === 'UTC') {
    const from = new Date(`${day}T00:00:00Z`);
    return { from, to: new Date(from.getTime() + DAY_MS) };
  }
  return { from: zoneMidnight(day, zone), to: zoneMidnight(addDays(day, 1), zone) };
}

/** The calendar day (YYYY-MM-DD) of an instant in a zone. */
export function dayIn(zone: string, at: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
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

/**
 * A refused range: the field, the English message (the API answers it as it is) and a stable code
 * with its values, by which the panel says it in the staff member's language (admin/locale: statsRange_<code>).
 */
export class StatisticsRangeError extends Error {
  constructor(
    readonly field: 'from' | 'to',
    message: string,
    readonly code: 'day' | 'order' | 'length' | 'future',
    readonly vars: Record<string, number> = {},
  ) {
    super(message);
  }
}

/**
 * A checked range: both days valid, from ≤ to, at most MAX_RANGE_DAYS long. Missing ends default
 * to the DEFAULT_RANGE_DAYS days ending on `lastDay` (default: the UTC day before today; the
 * service passes its own zone's days, StatisticsService.range).
 */
export function statisticsRange(input: { from?: unknown; to?: unknown }, lastDay: string = previousUtcDay()): { from: string; to: string } {
  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  if (given(input.from) && !isDay(input.from)) throw new StatisticsRangeError('from', 'Give a day as YYYY-MM-DD.', 'day');
  if (given(input.to) && !isDay(input.to)) throw new StatisticsRangeError('to', 'Give a day as YYYY-MM-DD.', 'day');
  const to = given(input.to) ? (input.to as string) : given(input.from) ? addDays(input.from as string, DEFAULT_RANGE_DAYS - 1) : lastDay;
  const from = given(input.from) ? (input.from as string) : addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) throw new StatisticsRangeError('to', 'The end of the range is before its start.', 'order');
  if (daysOf(from, to).length > MAX_RANGE_DAYS) throw new StatisticsRangeError('to', `A range is at most ${MAX_RANGE_DAYS} days.`, 'length', { max: MAX_RANGE_DAYS });
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
  /** Every plan (active or not): the MRR's monthly price per plan code. */
  plans(): Promise<Array<{ code: string; interval: 'month' | 'year'; price: number; currency: string }>>;
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

/** Figures of one period for the dashboard's KPI cards (computed here, once). */
export interface KpiSet {
  from: string;
  to: string;
  /** Members with a paid subscription at the end of the period's last known day (null: no day known). */
  active_subscribers: number | null;
  /** Per currency: monthly recurring revenue of those subscriptions, money of the period, refund rate, ARPU. */
  money: Array<{
    currency: string;
    /** Σ over plans of active subscriptions × the plan's price per month (a yearly price / 12), rounded. */
    mrr: number;
    gross: number;
    refunded: number;
    net: number;
    /** refunded ÷ gross of the period (4 decimals); null without gross. */
    refund_rate: number | null;
    /** net ÷ active subscribers (rounded); null without subscribers. */
    arpu: number | null;
  }>;
}

export interface Overview {
  from: string;
  to: string;
  sections: Section[];
  /** The service's time zone: every day here is a calendar day there. */
  time_zone: string;
  /** Today in that zone. */
  today: string;
  /** Today when the range holds it: its numbers are live (read now, not a snapshot) and partial. */
  partial_day: string | null;
  /** The days of the range that have a snapshot, or are today (others are null in the day series). */
  computed_days: number;
  days: number;
  /** When the newest snapshot of the range was computed (a dashboard waiting for a recompute polls this). */
  last_computed_at: string | null;
  signups?: { total: number; days: Array<{ day: string; signups: number | null }> };
  revenue?: Array<{
    currency: string;
    totals: Totals;
    days: Array<{ day: string; gross: number | null; refunded: number | null; net: number | null }>;
    by_method: Array<{ method_type: string } & Totals>;
    by_product: Array<{ product: string } & Totals>;
  }>;
  /** With the revenue blocks: this period's KPIs and the same-length period just before it. */
  kpis?: { current: KpiSet; previous: KpiSet };
  subscriptions?: {
    /** Per plan: new, cancellation requests and ended over the range; active at its last computed day. */
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
  /** The zone whose calendar days the snapshots are (config serviceTimeZone); default UTC. */
  timeZone?: string;
  /** The clock (tests); default the real time. */
  clock?: () => Date;
}

type RevenueDayRow = Omit<DailyRevenueStat, keyof BaseEntity>;
type SubscriptionDayStat = Omit<DailySubscriptionStat, keyof BaseEntity>;
type ViewDayRow = Omit<DailyContentViewStat, keyof BaseEntity>;

/** One day's numbers, as the snapshot tables hold them (computed from the owning modules' read models). */
interface DayRows {
  signups: number;
  revenue: RevenueDayRow[];
  subscriptions: SubscriptionDayStat[];
  views: ViewDayRow[];
}

/** The rows of a range: the snapshot tables' days, with today's read live. */
interface PeriodRows {
  days: string[];
  known: Set<string>;
  partial: string | null;
  lastComputedAt: Date | null;
  signups: Map<string, number>;
  revenue: RevenueDayRow[];
  subscriptions: SubscriptionDayStat[];
  views: ViewDayRow[];
}

const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);

/** The job id of the first start's backfill (one intent until it runs). */
export const BACKFILL_DEDUP_ID = 'stats-backfill-first-start';

export class StatisticsService {
  readonly timeZone: string;
  private readonly clock: () => Date;

  constructor(
    private readonly ds: DataSource,
    private readonly sources: StatisticsSources,
    private readonly deps: StatisticsDeps,
  ) {
    this.timeZone = deps.timeZone ?? 'UTC';
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Today in the service's zone. */
  today(): string {
    return dayIn(this.timeZone, this.clock());
  }

  /** [start, end) of a day of the service's zone. */
  bounds(day: string): { from: Date; to: Date } {
    return dayBounds(day, this.timeZone);
  }

  /**
   * A checked range of the service's days. Missing ends: the DEFAULT_RANGE_DAYS days ending today
   * (`withToday`, the dashboard: today live and partial) or yesterday (complete days only).
   */
  range(input: { from?: unknown; to?: unknown }, opts: { withToday?: boolean } = {}): { from: string; to: string } {
    const today = this.today();
    return statisticsRange(input, opts.withToday ? today : addDays(today, -1));
  }

  /** The day before today in the service's zone (the nightly job's day). */
  yesterday(): string {
    return addDays(this.today(), -1);
  }

  /**
   * A staff member asks for a range to be recomputed (late data): the range is checked, the
   * `statistics.recompute` job's intent written (one job per range until it starts) with the audit entry.
   */
  async requestRecompute(actor: Actor, input: { from?: unknown; to?: unknown }): Promise<{ jobId: string; from: string; to: string; days: number }> {
    if (!isDay(input.from)) throw new StatisticsRangeError('from', 'Give a day as YYYY-MM-DD.', 'day');
    if (!isDay(input.to)) throw new StatisticsRangeError('to', 'Give a day as YYYY-MM-DD.', 'day');
    const { from, to } = statisticsRange(input);
    if (to > this.today()) throw new StatisticsRangeError('to', 'A day that has not begun has nothing to compute.', 'future');
    const jobId = await this.ds.transaction(async (m) => {
      const id = await this.deps.outbox.add(m, 'statistics.recompute', { from, to, requestedBy: actor.id }, { dedupId: `stats-recompute-${from}-${to}` });
      await this.deps.audit.record({ actor, action: 'statistics.recompute', resource: 'statistics', recordId: `${from}..${to}`, after: { from, to, job_id: id } }, m);
      return id;
    });
    return { jobId, from, to, days: daysOf(from, to).length };
  }

  /**
   * The first start of an install computes the last DEFAULT_RANGE_DAYS complete days once, so a
   * fresh dashboard never shows "0 of 30 days computed": when no day has a snapshot yet, the
   * `statistics.recompute` intent is written (deduplicated, so replicas starting together and a
   * restart before it ran queue one). Returns the range queued, or null when there was nothing to do.
   */
  async backfillIfEmpty(): Promise<{ jobId: string; from: string; to: string } | null> {
    return this.ds.transaction(async (m) => {
      if (await m.getRepository(StatDay).exists()) return null;
      const { from, to } = this.range({});
      const jobId = await this.deps.outbox.add(m, 'statistics.recompute', { from, to, requestedBy: null }, { dedupId: BACKFILL_DEDUP_ID });
      return { jobId, from, to };
    });
  }

  private async signupsBetween(fromDay: string, toDay: string): Promise<DailySignupStat[]> {
    return this.ds.getRepository(DailySignupStat).find({ where: { day: Between(fromDay, toDay) }, order: { day: 'ASC' } });
  }

  /** One day's numbers from the owning modules (`until`: the end instant for "active at the end"). */
  private async dayRows(m: EntityManager, day: string, until?: Date): Promise<DayRows> {
    const { from, to } = this.bounds(day);
    const end = until && until < to ? until : to;
    const signups = await this.sources.signupsBetween(from, end);
    const [revenue, subscriptions, views] = [await this.sources.revenueBetween(m, from, end), await this.sources.subscriptionsBetween(m, from, end), await this.sources.contentViewsBetween(m, from, end)];
    return {
      signups,
      revenue: revenue.map((r) => ({ day, currency: r.currency, methodType: r.methodType, product: r.product, payments: r.payments, gross: r.gross, refunds: r.refunds, refunded: r.refunded, net: r.gross - r.refunded })),
      subscriptions: subscriptions.map((r) => ({ day, planCode: r.planCode, newCount: r.started, cancelRequests: r.cancelRequests, endedCount: r.ended, activeAtEnd: r.active })),
      views: views.map((r) => ({ day, contentId: r.contentId, movieId: r.movieId, views: r.views, watchSeconds: r.watchSeconds })),
    };
  }

  /** Every snapshot of one day of the service's zone, replaced in one transaction. */
  async computeDay(day: string, opts: { requestedBy?: number | null } = {}): Promise<DaySnapshot> {
    this.bounds(day); // a bad day fails before any work
    const started = Date.now();
    return this.ds.transaction(async (m) => {
      const rows = await this.dayRows(m, day);
      await m.delete(DailyRevenueStat, { day });
      await m.delete(DailySubscriptionStat, { day });
      await m.delete(DailyContentViewStat, { day });
      for (const part of chunks(rows.revenue, 500)) await m.insert(DailyRevenueStat, part);
      for (const part of chunks(rows.subscriptions, 500)) await m.insert(DailySubscriptionStat, part);
      for (const part of chunks(rows.views, 1000)) await m.insert(DailyContentViewStat, part);
      await m.getRepository(DailySignupStat).upsert({ day, signups: rows.signups, computedAt: new Date() }, ['day']);
      const durationMs = Date.now() - started;
      await m.getRepository(StatDay).upsert({ day, computedAt: new Date(), durationMs, requestedBy: opts.requestedBy ?? null }, ['day']);
      return { day, signups: rows.signups, revenue: rows.revenue.length, subscriptions: rows.subscriptions.length, contents: rows.views.length, durationMs };
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

  /** The snapshot rows of a range; today (when in it) is read live from the modules and marked partial. */
  private async periodRows(from: string, to: string, need: { signups?: boolean; revenue?: boolean; subscriptions?: boolean; views?: boolean }): Promise<PeriodRows> {
    const days = daysOf(from, to);
    const between = { day: Between(from, to) };
    const stats = await this.ds.getRepository(StatDay).find({ select: { day: true, computedAt: true }, where: between });
    const known = new Set(stats.map((d) => d.day));
    const lastComputedAt = stats.reduce<Date | null>((a, d) => (!a || d.computedAt > a ? d.computedAt : a), null);
    const today = this.today();
    const partial = from <= today && today <= to ? today : null;
    const notToday = <T extends { day: string }>(rows: T[]) => (partial ? rows.filter((r) => r.day !== partial) : rows);
    // A day whose sign-ups were snapshotted by the older sign-ups job counts for that series too.
    const signups = new Map(need.signups ? notToday(await this.signupsBetween(from, to)).map((r) => [r.day, r.signups] as const) : []);
    const plainRows = <T extends object>(rows: T[]) => rows.map((r) => ({ ...r }));
    const revenue: RevenueDayRow[] = need.revenue ? notToday(plainRows(await this.ds.getRepository(DailyRevenueStat).find({ where: between }))) : [];
    const subscriptions: SubscriptionDayStat[] = need.subscriptions ? notToday(plainRows(await this.ds.getRepository(DailySubscriptionStat).find({ where: between }))) : [];
    const views: ViewDayRow[] = need.views ? notToday(plainRows(await this.ds.getRepository(DailyContentViewStat).find({ where: between }))) : [];
    if (partial) {
      const live = await this.dayRows(this.ds.manager, partial, this.clock());
      known.add(partial);
      if (need.signups) signups.set(partial, live.signups);
      revenue.push(...live.revenue);
      subscriptions.push(...live.subscriptions);
      views.push(...live.views);
    }
    return { days, known, partial, lastComputedAt, signups, revenue, subscriptions, views };
  }

  /** Active subscribers at the period's last known day, per plan. */
  private activeByPlan(p: PeriodRows): Map<string, number> | null {
    const lastDay = [...p.known].sort().at(-1);
    if (!lastDay) return null;
    const out = new Map<string, number>();
    for (const r of p.subscriptions) if (r.day === lastDay) out.set(r.planCode, (out.get(r.planCode) ?? 0) + r.activeAtEnd);
    return out;
  }

  /** The KPI cards of one period (the same numbers whichever period: one function). */
  private kpisOf(p: PeriodRows, plans: Map<string, { interval: 'month' | 'year'; price: number; currency: string }>): KpiSet {
    const active = this.activeByPlan(p);
    const subscribers = active ? [...active.values()].reduce((a, n) => a + n, 0) : null;
    const money = new Map<string, { mrr: number; gross: number; refunded: number; net: number }>();
    const of = (c: string) => money.get(c) ?? money.set(c, { mrr: 0, gross: 0, refunded: 0, net: 0 }).get(c)!;
    for (const r of p.revenue) {
      const t = of(r.currency);
      t.gross += r.gross;
      t.refunded += r.refunded;
      t.net += r.net;
    }
    for (const [code, n] of active ?? []) {
      const plan = plans.get(code);
      if (plan) of(plan.currency).mrr += (n * plan.price) / (plan.interval === 'year' ? 12 : 1);
    }
    return {
      from: p.days[0]!,
      to: p.days.at(-1)!,
      active_subscribers: subscribers,
      money: [...money]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, t]) => ({ currency, mrr: Math.round(t.mrr), gross: t.gross, refunded: t.refunded, net: t.net, refund_rate: ratio(t.refunded, t.gross), arpu: subscribers ? Math.round(t.net / subscribers) : null })),
    };
  }

  /** The snapshot tables over a range (today live and partial), as the dashboard and `GET themes` show them. */
  async overview(range: { from: string; to: string }, sections: readonly Section[]): Promise<Overview> {
    const { from, to } = range;
    const has = (s: Section) => sections.includes(s);
    const p = await this.periodRows(from, to, { signups: has('signups'), revenue: has('revenue'), subscriptions: has('subscriptions') || has('revenue'), views: has('contents') });
    const { days, known: computed } = p;
    const out: Overview = {
      from,
      to,
      sections: [...sections],
      time_zone: this.timeZone,
      today: this.today(),
      partial_day: p.partial,
      computed_days: computed.size,
      days: days.length,
      last_computed_at: p.lastComputedAt ? p.lastComputedAt.toISOString() : null,
    };
    const known = <T>(day: string, v: T): T | null => (computed.has(day) ? v : null);

    if (has('signups')) {
      out.signups = { total: [...p.signups.values()].reduce((s, n) => s + n, 0), days: days.map((day) => ({ day, signups: p.signups.get(day) ?? null })) };
    }

    if (has('revenue')) {
      const rows = p.revenue;
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
      const n = days.length;
      const prev = await this.periodRows(addDays(from, -n), addDays(from, -1), { revenue: true, subscriptions: true });
      const plans = new Map((await this.sources.plans()).map((pl) => [pl.code, pl]));
      out.kpis = { current: this.kpisOf(p, plans), previous: this.kpisOf(prev, plans) };
    }

    if (has('subscriptions')) {
      const lastDay = [...computed].sort().at(-1);
      const plans = new Map<string, { plan: string; new: number; cancel_requests: number; ended: number; active: number }>();
      const perDay = new Map<string, { new: number; ended: number; active: number }>();
      for (const r of p.subscriptions) {
        if (!plans.has(r.planCode)) plans.set(r.planCode, { plan: r.planCode, new: 0, cancel_requests: 0, ended: 0, active: 0 });
        const pl = plans.get(r.planCode)!;
        pl.new += r.newCount;
        pl.cancel_requests += r.cancelRequests;
        pl.ended += r.endedCount;
        if (r.day === lastDay) pl.active = r.activeAtEnd;
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

    if (has('refunds')) out.refunds = { pending: await this.sources.pendingRefunds(this.ds.manager) };

    if (has('contents')) {
      const byDay = new Map<string, { views: number; seconds: number }>();
      const byContent = new Map<number, { movieId: number | null; views: number; seconds: number }>();
      for (const r of p.views) {
        const d = byDay.get(r.day) ?? byDay.set(r.day, { views: 0, seconds: 0 }).get(r.day)!;
        d.views += r.views;
        d.seconds += r.watchSeconds;
        const c = byContent.get(r.contentId) ?? byContent.set(r.contentId, { movieId: null, views: 0, seconds: 0 }).get(r.contentId)!;
        c.views += r.views;
        c.seconds += r.watchSeconds;
        if (r.movieId != null && (c.movieId == null || r.movieId > c.movieId)) c.movieId = r.movieId;
      }
      const top = [...byContent]
        .sort(([ia, a], [ib, b]) => b.views - a.views || b.seconds - a.seconds || ia - ib)
        .slice(0, TOP_CONTENTS);
      const titles = await this.sources.contentTitles(top.map(([id]) => id));
      const totals = [...byDay.values()].reduce((t, d) => ({ views: t.views + d.views, watch_seconds: t.watch_seconds + d.seconds }), { views: 0, watch_seconds: 0 });
      out.contents = {
        totals,
        days: days.map((day) => ({ day, views: known(day, byDay.get(day)?.views ?? 0), watch_seconds: known(day, byDay.get(day)?.seconds ?? 0) })),
        top: top.map(([id, c]) => ({ content_id: id, movie_id: c.movieId, title: titles.get(id) ?? null, views: c.views, watch_seconds: c.seconds })),
      };
    }

    if (has('catalog')) out.catalog = await this.sources.catalogFigures();
    return out;
  }
}
