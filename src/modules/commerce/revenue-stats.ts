// Read model over payments, refunds and subscription events for the statistics snapshots. Every
// query is a range on an indexed timestamp (paid_at, completed_at, subscription_events.at,
// period_end), so a day's aggregation reads that day's rows only, never the whole history.
import type { EntityManager } from 'typeorm';
import { num } from '../../db/data-source.js';
import { Payment, Plan, Refund, SubscriptionEvent } from './commerce.entities.js';

/** Captured payments that still count as revenue on the day they were captured (refunds are counted on their own day). */
const CAPTURED = ['paid', 'partially_refunded', 'refunded'] as const;
/** Statuses of a subscription payment whose period still runs (a fully refunded one ended it). */
const RUNNING = ['paid', 'partially_refunded'] as const;

/** The product of a payment: its plan code, or `item` for a single-movie purchase. */
/** A subscription's plan code (joined as `pl`). */
const PLAN_CODE = "COALESCE(pl.code, 'unknown')";
const PRODUCT = "CASE WHEN p.kind = 'item' THEN 'item' ELSE COALESCE(pl.code, 'plan') END";

export interface RevenueRow {
  currency: string;
  methodType: string;
  product: string;
  payments: number;
  gross: number;
  refunds: number;
  refunded: number;
}

/**
 * The two queries of revenueBetween (captured payments by paid_at, completed refunds by
 * completed_at), as query builders: the benchmark reads their SQL for EXPLAIN.
 */
export function revenueQueries(m: EntityManager, from: Date, to: Date) {
  const captured = m
    .createQueryBuilder(Payment, 'p')
    .innerJoin('payment_methods', 'pm', 'pm.id = p.method_id')
    .leftJoin('plans', 'pl', 'pl.id = p.plan_id')
    .select(['p.currency AS currency', 'pm.type AS methodType', `${PRODUCT} AS product`, 'COUNT(*) AS n', 'SUM(p.amount_total) AS amount'])
    .where('p.paid_at >= :from AND p.paid_at < :to', { from, to })
    .andWhere('p.status IN (:...captured)', { captured: CAPTURED })
    .groupBy('p.currency')
    .addGroupBy('pm.type')
    .addGroupBy(PRODUCT);
  const refunded = m
    .createQueryBuilder(Refund, 'r')
    .innerJoin('payments', 'p', 'p.id = r.payment_id')
    .innerJoin('payment_methods', 'pm', 'pm.id = p.method_id')
    .leftJoin('plans', 'pl', 'pl.id = p.plan_id')
    .select(['r.currency AS currency', 'pm.type AS methodType', `${PRODUCT} AS product`, 'COUNT(*) AS n', 'SUM(r.amount) AS amount'])
    .where('r.completed_at >= :from AND r.completed_at < :to', { from, to })
    .andWhere("r.status = 'completed'")
    .groupBy('r.currency')
    .addGroupBy('pm.type')
    .addGroupBy(PRODUCT);
  return { captured, refunded };
}

/** Gross captured and refunded money in [from, to), by currency, method type and product. */
export async function revenueBetween(m: EntityManager, from: Date, to: Date): Promise<RevenueRow[]> {
  const q = revenueQueries(m, from, to);
  const captured = await q.captured.getRawMany<{ currency: string; methodType: string; product: string; n: unknown; amount: unknown }>();
  const refunded = await q.refunded.getRawMany<{ currency: string; methodType: string; product: string; n: unknown; amount: unknown }>();

  const rows = new Map<string, RevenueRow>();
  const rowOf = (r: { currency: string; methodType: string; product: string }) => {
    const key = `${r.currency}\u0000${r.methodType}\u0000${r.product}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { currency: r.currency, methodType: r.methodType, product: r.product, payments: 0, gross: 0, refunds: 0, refunded: 0 }));
    return row;
  };
  for (const r of captured) Object.assign(rowOf(r), { payments: num(r.n), gross: num(r.amount) });
  for (const r of refunded) Object.assign(rowOf(r), { refunds: num(r.n), refunded: num(r.amount) });
  return [...rows.values()];
}

export interface SubscriptionDayRow {
  planCode: string;
  started: number;
  cancelRequests: number;
  ended: number;
  /** Members whose paid period covers the instant `to` (the end of the day). */
  active: number;
}

/**
 * The two queries of subscriptionsBetween (events of the day by subscription_events.at, members
 * active at `to` by period_end), as query builders: the benchmark reads their SQL for EXPLAIN.
 */
/** The longest period a plan's payment can buy (calendar months and years in UTC, addInterval). */
const MAX_PERIOD_DAYS: Record<Plan['interval'], number> = { month: 31, year: 366 };

/**
 * The queries of subscriptionsBetween: the day's events, and per plan the members whose paid
 * period covers `to`. That second one is a range on (plan_id, period_end) bounded by the plan's
 * longest period — period_end in (to, to + max period] — so it reads about one row per member
 * active then, however much history there is (without the upper bound, a day far back would read
 * every later period). The benchmark reads their SQL for EXPLAIN.
 */
export async function subscriptionQueries(m: EntityManager, from: Date, to: Date) {
  const events = m
    .createQueryBuilder(SubscriptionEvent, 'e')
    .leftJoin('plans', 'pl', 'pl.id = e.plan_id')
    .select([`${PLAN_CODE} AS planCode`, 'e.kind AS kind', 'COUNT(*) AS n'])
    .where('e.at >= :from AND e.at < :to', { from, to })
    .andWhere('e.kind IN (:...kinds)', { kinds: ['started', 'cancel_requested', 'cancelled', 'expired', 'suspended'] })
    .groupBy(PLAN_CODE)
    .addGroupBy('e.kind');
  const plans = await m.find(Plan, { select: { id: true, code: true, interval: true }, order: { id: 'ASC' } });
  const active = plans.map((plan) => ({
    planCode: plan.code,
    qb: m
      .createQueryBuilder(Payment, 'p')
      .select('COUNT(DISTINCT p.user_id) AS n')
      .where('p.plan_id = :plan', { plan: plan.id })
      .andWhere('p.period_end > :to AND p.period_end <= :until', { to, until: new Date(to.getTime() + MAX_PERIOD_DAYS[plan.interval] * 86_400_000) })
      .andWhere('p.period_start <= :to', { to })
      .andWhere("p.kind = 'subscription'")
      .andWhere('p.status IN (:...running)', { running: RUNNING }),
  }));
  return { events, active };
}

/** New, cancelled and ended subscriptions in [from, to) and the active ones at `to`, by plan. */
export async function subscriptionsBetween(m: EntityManager, from: Date, to: Date): Promise<SubscriptionDayRow[]> {
  const q = await subscriptionQueries(m, from, to);
  const events = await q.events.getRawMany<{ planCode: string; kind: string; n: unknown }>();
  const active: Array<{ planCode: string; n: unknown }> = [];
  for (const a of q.active) active.push({ planCode: a.planCode, n: (await a.qb.getRawOne<{ n: unknown }>())?.n });

  const rows = new Map<string, SubscriptionDayRow>();
  const rowOf = (planCode: string) => {
    let row = rows.get(planCode);
    if (!row) rows.set(planCode, (row = { planCode, started: 0, cancelRequests: 0, ended: 0, active: 0 }));
    return row;
  };
  for (const e of events) {
    const row = rowOf(e.planCode);
    if (e.kind === 'started') row.started += num(e.n);
    else if (e.kind === 'cancel_requested') row.cancelRequests += num(e.n);
    else row.ended += num(e.n);
  }
  for (const a of active) if (num(a.n) > 0) rowOf(a.planCode).active = num(a.n);
  return [...rows.values()];
}

/** Refunds waiting for finance now: how many and how much, per currency. */
export async function pendingRefunds(m: EntityManager): Promise<Array<{ currency: string; count: number; amount: number }>> {
  const rows = await m
    .createQueryBuilder(Refund, 'r')
    .select(['r.currency AS currency', 'COUNT(*) AS n', 'SUM(r.amount) AS amount'])
    .where("r.status = 'requested'")
    .groupBy('r.currency')
    .getRawMany<{ currency: string; n: unknown; amount: unknown }>();
  return rows.map((r) => ({ currency: r.currency, count: num(r.n), amount: num(r.amount) }));
}
