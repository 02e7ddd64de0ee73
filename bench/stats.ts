// Statistics benchmark (issue 7): daily snapshots over 1M payments and 5M watch events.
//
//   npm run bench:stats [-- --payments 1000000 --events 5000000 --days 60 --users 10000 --contents 5000 --keep 1]
//
// Creates a scratch MariaDB database on TEST_DATABASE_URL (default mariadb://root@127.0.0.1:3306),
// applies the migrations (createRuntime, as `npm start`), then generates the data in SQL — INSERT …
// SELECT from MariaDB's SEQUENCE engine (seq_1_to_N) with deterministic pseudo-random values from
// CRC32(seq) — spread over --days days ending yesterday (UTC), in row-id order as a live system
// writes them: users (60 % older than the window), 3 payment methods per member (card / PayPal /
// bank transfer), payments (subscriptions on the seeded monthly and yearly plans with their paid
// periods, single-movie purchases, some in USD; paid, partially refunded, refunded, failed,
// cancelled), completed refunds of the refunded ones plus requested and rejected ones,
// subscription events, movies and contents, and the watch events (popularity skewed towards a few
// contents). ANALYZE TABLE after loading so the plans are the ones a real database gets.
//
// Then, each in a fresh child process (so its peak memory is its own, and nothing is cached in
// Node between runs), through the StatisticsService that buildServices() wires:
//   1. computeDay(yesterday)             one full day, ~1/days of the data;
//   2. computeRange(yesterday-29, yesterday)   a 30-day recompute;
//   3. overview(the same 30 days, every section)   what the dashboard and `GET themes` read.
// Before that, EXPLAIN and ANALYZE (MariaDB's executed EXPLAIN: actual rows read, r_rows) of each
// query computeDay runs for yesterday — the SQL comes from the read models' own query builders —
// with the index each must use; a full scan or another index is flagged loudly.
// Prints a table and, as the last line, one JSON object with every number. The scratch database is
// dropped at the end unless --keep 1.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { Between, type DataSource } from 'typeorm';
import { loadConfig, testEnv } from '../src/config.js';
import { createScratchMysql, type ScratchDb } from '../src/db/scratch.js';
import { revenueQueries, subscriptionQueries } from '../src/modules/commerce/revenue-stats.js';
import { contentViewsQuery } from '../src/modules/members/watch-stats.js';
import { addDays, dayBounds, previousUtcDay, SECTIONS } from '../src/modules/statistics/statistics.service.js';
import { User } from '../src/modules/users/user.entity.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { adminListTimings } from './lib/admin-lists.js';
import { fmt, table } from './lib/http-load.js';
import { MiB, PeakMemory, collectGarbage, maxRssBytes } from './lib/measure.js';
import { parseFlags } from './lib/args.js';

interface Args {
  payments: number;
  events: number;
  days: number;
  users: number;
  contents: number;
  /** Rows per INSERT … SELECT statement. */
  chunk: number;
  /** 1: keep the scratch database (for EXPLAIN and experiments). */
  keep: number;
  /** Audit log rows (the panel's audit list is timed on them). */
  audit: number;
}

const RANGE_DAYS = 30;

// ---- data generation (SQL) ----------------------------------------------------------------------

/** A pseudo-random 32-bit value of a row, independent per salt k (deterministic). */
const h = (k: number, col = 'seq') => `CAST(CRC32(${col} + ${k * 1_000_000_000}) AS SIGNED)`;

interface LoadStep {
  table: string;
  rows: number;
  seconds: number;
}

async function generate(conn: mysql.Connection, args: Args, start: string, end: string): Promise<LoadStep[]> {
  const steps: LoadStep[] = [];
  const span = args.days * 86_400;
  const [[plans]] = (await conn.query("SELECT MAX(IF(code = 'monthly', id, NULL)) AS monthly, MAX(IF(code = 'yearly', id, NULL)) AS yearly FROM plans")) as unknown as [[{ monthly: number; yearly: number }]];
  if (!plans?.monthly || !plans.yearly) throw new Error('the monthly and yearly plans are missing (SeedPlans migration)');
  const U = args.users;
  const M = Math.max(1, Math.floor(args.contents * 0.8));
  const C = args.contents;
  /** Seconds since `start` of row `seq` of `n`: row-id order is time order, with a few minutes of jitter. */
  const at = (n: number, k: number) => `TIMESTAMPADD(SECOND, LEAST(${span - 1}, FLOOR((seq - 1) * ${span} / ${n}) + ${h(k)} % 300), '${start}')`;

  const step = async (tableName: string, n: number, sqlFor: (from: number, to: number) => string) => {
    const t0 = performance.now();
    for (let from = 1; from <= n; from += args.chunk) {
      const to = Math.min(n, from + args.chunk - 1);
      await conn.query(sqlFor(from, to));
    }
    const [[{ c }]] = (await conn.query(`SELECT COUNT(*) AS c FROM \`${tableName}\``)) as unknown as [[{ c: number }]];
    const seconds = (performance.now() - t0) / 1000;
    steps.push({ table: tableName, rows: Number(c), seconds });
    console.log(`  ${tableName}: ${Number(c)} rows in ${fmt(seconds, 1)} s`);
  };
  const fromSeq = (from: number, to: number) => `FROM seq_${from}_to_${to}`;

  // Members: 60 % joined before the window, the rest during it (sign-ups per day).
  await step('users', U, (a, b) =>
    `INSERT INTO users (id, username, email, password_hash, role, created_at, updated_at)
     SELECT seq, CONCAT('bench', seq), CONCAT('bench', seq, '@example.com'), 'x', 'user',
            IF(${h(1)} % 10 < 6, TIMESTAMPADD(SECOND, -1 - ${h(2)} % (365 * 86400), '${start}'), ${at(U, 3)}), '${start}'
     ${fromSeq(a, b)}`,
  );
  // Three methods per member (ids u, u + U, u + 2U): 70 % card, 20 % PayPal, 10 % bank transfer.
  await step('payment_methods', 3 * U, (a, b) =>
    `INSERT INTO payment_methods (id, user_id, type, gateway_token, brand, masked, created_at)
     SELECT seq, 1 + (seq - 1) % ${U}, ELT(1 + (${h(1)} % 10 >= 7) + (${h(1)} % 10 >= 9), 'card', 'paypal', 'bank_transfer'),
            CONCAT('tok_', seq), 'Bench', '**** 4242', '${start}'
     ${fromSeq(a, b)}`,
  );
  await step('movies', M, (a, b) => `INSERT INTO movies (id, name, name_eng) SELECT seq, CONCAT('벤치 영화 ', seq), CONCAT('Bench movie ', seq) ${fromSeq(a, b)}`);
  // Contents: 90 % of a movie, 10 % without one (trailers, extras).
  await step('contents', C, (a, b) =>
    `INSERT INTO contents (id, movie_id, title, storage_key, size_bytes, sha256, mime_type, status, created_at)
     SELECT seq, IF(seq % 10 = 0, NULL, 1 + (seq - 1) % ${M}), CONCAT('Content ', seq), CONCAT('bench/', seq, '.mp4'),
            100000000 + ${h(1)} % 900000000, SHA2(seq, 256), 'video/mp4', 'ready', '${start}'
     ${fromSeq(a, b)}`,
  );

  // Subscriptions follow the members: 60 % of the members subscribe (80 % monthly, 20 % yearly), one
  // running period at a time — a monthly subscriber pays on the same day every month from the first
  // payment (70 % of them joined in the first month of the window, the rest any time), a yearly one
  // once. Statuses per payment: 94 % paid, 1 % partially refunded, 2 % refunded, 3 % failed.
  // The rest of --payments are single-movie purchases (5 % in USD): 85 % paid, 2 % partially
  // refunded, 3 % refunded, 6 % failed, 4 % cancelled. Ids are in time order within each kind.
  const P = args.payments;
  const K = Math.ceil(args.days / 28);
  const captured = "status IN ('paid', 'partially_refunded', 'refunded')";
  const money = (ref: string) => `amount_list, discount, amount_list - discount, currency,
            CASE status WHEN 'refunded' THEN amount_list - discount WHEN 'partially_refunded' THEN (amount_list - discount) DIV 2 ELSE 0 END,
            'sandbox', IF(status = 'failed', NULL, ${ref}), IF(status = 'failed', 'card_declined', NULL)`;
  const columns = `user_id, kind, plan_id, item_movie_id, subscription_id, method_id, status, amount_list, amount_discount, amount_total, currency,
                   refunded_amount, gateway, gateway_ref, failure_reason, period_start, period_end, approved_at, paid_at, cancelled_at, version, created_at, updated_at`;
  const s0 = performance.now();
  await conn.query(
    `INSERT INTO payments (${columns})
     SELECT user_id, 'subscription', plan_id, NULL, user_id, method_id, status, ${money("CONCAT('sbx_s', user_id, '_', k)")},
            IF(${captured}, TIMESTAMPADD(SECOND, 2, created), NULL),
            IF(${captured}, IF(plan_id = ${plans.monthly}, TIMESTAMPADD(MONTH, 1, TIMESTAMPADD(SECOND, 2, created)), TIMESTAMPADD(YEAR, 1, TIMESTAMPADD(SECOND, 2, created))), NULL),
            IF(${captured}, TIMESTAMPADD(SECOND, 1, created), NULL), IF(${captured}, TIMESTAMPADD(SECOND, 2, created), NULL), NULL, 1, created, created
     FROM (
       SELECT u.seq AS user_id, k.seq AS k, u.plan_id, u.seq + ${U} * (u.h % 3) AS method_id, IF(u.plan_id = ${plans.monthly}, 9900, 99000) AS amount_list, 0 AS discount, 'KRW' AS currency,
              TIMESTAMPADD(MONTH, k.seq, u.first_at) AS created,
              CASE WHEN ${h(14, 'u.seq * 100 + k.seq')} % 100 < 94 THEN 'paid' WHEN ${h(14, 'u.seq * 100 + k.seq')} % 100 < 95 THEN 'partially_refunded'
                   WHEN ${h(14, 'u.seq * 100 + k.seq')} % 100 < 97 THEN 'refunded' ELSE 'failed' END AS status
       FROM (
         SELECT seq, ${h(12)} AS h, IF(${h(11)} % 100 < 80, ${plans.monthly}, ${plans.yearly}) AS plan_id,
                TIMESTAMPADD(SECOND, ${h(12)} % IF(${h(11)} % 100 < 80 AND ${h(13)} % 10 < 7, ${Math.min(30, args.days) * 86_400}, ${span}), '${start}') AS first_at
         FROM seq_1_to_${U} WHERE ${h(10)} % 10 < 6
       ) u
       JOIN seq_0_to_${K} k ON u.plan_id = ${plans.monthly} OR k.seq = 0
       WHERE TIMESTAMPADD(MONTH, k.seq, u.first_at) < '${end}'
     ) x
     ORDER BY created`,
  );
  const [[{ c: subs }]] = (await conn.query("SELECT COUNT(*) AS c FROM payments WHERE kind = 'subscription'")) as unknown as [[{ c: number }]];
  const S = Number(subs);
  if (S >= P) throw new Error(`--payments ${P} is not more than the ${S} subscription payments of ${U} members`);
  steps.push({ table: 'payments (subscriptions)', rows: S, seconds: (performance.now() - s0) / 1000 });
  console.log(`  payments (subscriptions): ${S} rows in ${fmt(steps.at(-1)!.seconds, 1)} s`);
  const I = P - S;
  await step('payments', I, (a, b) =>
    `INSERT INTO payments (id, ${columns})
     SELECT ${S} + seq, user_id, 'item', NULL, item_movie_id, NULL, method_id, status, ${money(`CONCAT('sbx_', ${S} + seq)`)},
            NULL, NULL, IF(${captured}, TIMESTAMPADD(SECOND, 1, created), NULL), IF(${captured}, TIMESTAMPADD(SECOND, 2, created), NULL),
            IF(status = 'cancelled', TIMESTAMPADD(SECOND, 60, created), NULL), 1, created, created
     FROM (
       SELECT x.*, IF(has_discount = 1, amount_list DIV 10, 0) AS discount FROM (
         SELECT seq, 1 + ${h(1)} % ${U} AS user_id, 1 + ${h(3)} % ${M} AS item_movie_id,
                1 + ${h(1)} % ${U} + ${U} * ((${h(2)} DIV 100) % 3) AS method_id,
                IF(${h(3)} % 20 = 0, 299 + (${h(3)} DIV 20) % 10 * 100, 1000 + (${h(3)} DIV 20) % 15 * 500) AS amount_list,
                IF(${h(3)} % 20 = 0, 'USD', 'KRW') AS currency,
                IF(${h(5)} % 10 = 0, 1, 0) AS has_discount,
                CASE WHEN ${h(4)} % 1000 < 850 THEN 'paid' WHEN ${h(4)} % 1000 < 870 THEN 'partially_refunded' WHEN ${h(4)} % 1000 < 900 THEN 'refunded'
                     WHEN ${h(4)} % 1000 < 960 THEN 'failed' ELSE 'cancelled' END AS status,
                ${at(I, 6)} AS created
         ${fromSeq(a, b)}
       ) x
     ) y`,
  );

  // Refunds: every refunded / partially refunded payment has a completed refund (within 3 days of the
  // payment, never in the future); 0.5 % of paid payments have one waiting and 0.4 % a rejected one.
  const t0 = performance.now();
  for (let from = 1; from <= P; from += args.chunk) {
    const to = Math.min(P, from + args.chunk - 1);
    await conn.query(
      `INSERT INTO refunds (code, payment_id, user_id, amount, currency, reason, status, rule, gateway_ref, completed_at, created_at, updated_at)
       SELECT CONCAT('rf', id, ELT(1 + (status = 'paid') + (status = 'paid' AND id % 200 <> 0), 'c', 'q', 'j')), id, user_id,
              IF(status = 'paid', amount_total, refunded_amount), currency, 'bench', ELT(1 + (status = 'paid') + (status = 'paid' AND id % 200 <> 0), 'completed', 'requested', 'rejected'),
              IF(kind = 'subscription', 'prorated', 'full_7d_unwatched'), IF(status = 'paid', NULL, CONCAT('sbx_rf_', id)),
              IF(status = 'paid', NULL, LEAST(UTC_TIMESTAMP(), TIMESTAMPADD(MINUTE, 30 + ${h(7, 'id')} % (72 * 60), paid_at))),
              TIMESTAMPADD(MINUTE, 10, paid_at), TIMESTAMPADD(MINUTE, 10, paid_at)
       FROM payments
       WHERE id BETWEEN ${from} AND ${to} AND (status IN ('refunded', 'partially_refunded') OR (status = 'paid' AND (id % 200 = 0 OR id % 250 = 1)))`,
    );
  }
  {
    const [[{ c }]] = (await conn.query('SELECT COUNT(*) AS c FROM refunds')) as unknown as [[{ c: number }]];
    const seconds = (performance.now() - t0) / 1000;
    steps.push({ table: 'refunds', rows: Number(c), seconds });
    console.log(`  refunds: ${Number(c)} rows in ${fmt(seconds, 1)} s`);
  }

  // Subscription events of the subscription payments: started at a member's first captured payment,
  // renewed at the others; 8 % of the subscribers ask to cancel during their last period and half
  // of those are cancelled at its end (when that has passed); expired when a payment is refunded
  // (2 h later), suspended at a failed renewal. Never later than now.
  const t1 = performance.now();
  // The subscription payments are the ids 1..S: a primary-key range, not a scan of the purchases.
  const sub = `FROM payments p WHERE p.id <= ${S} AND p.kind = 'subscription'`;
  await conn.query(
    `INSERT INTO subscription_events (subscription_id, user_id, plan_id, kind, at)
     SELECT p.user_id, p.user_id, p.plan_id, IF(p.id = f.first_id, 'started', 'renewed'), p.paid_at
     FROM payments p JOIN (SELECT user_id, MIN(id) AS first_id ${sub} AND p.paid_at IS NOT NULL GROUP BY user_id) f ON f.user_id = p.user_id
     WHERE p.id <= ${S} AND p.kind = 'subscription' AND p.paid_at IS NOT NULL
     UNION ALL
     SELECT p.user_id, p.user_id, p.plan_id, 'cancel_requested', LEAST(UTC_TIMESTAMP(), TIMESTAMPADD(SECOND, ${h(9, 'p.id')} % TIMESTAMPDIFF(SECOND, p.period_start, p.period_end), p.period_start))
     FROM payments p JOIN (SELECT user_id, MAX(id) AS last_id ${sub} AND p.status = 'paid' GROUP BY user_id) l ON l.last_id = p.id
     WHERE ${h(9, 'p.user_id')} % 100 < 8
     UNION ALL
     SELECT p.user_id, p.user_id, p.plan_id, 'cancelled', p.period_end
     FROM payments p JOIN (SELECT user_id, MAX(id) AS last_id ${sub} AND p.status = 'paid' GROUP BY user_id) l ON l.last_id = p.id
     WHERE ${h(9, 'p.user_id')} % 100 < 4 AND p.period_end < UTC_TIMESTAMP()
     UNION ALL
     SELECT p.user_id, p.user_id, p.plan_id, 'expired', LEAST(UTC_TIMESTAMP(), TIMESTAMPADD(HOUR, 2, p.paid_at)) ${sub} AND p.status = 'refunded'
     UNION ALL
     SELECT p.user_id, p.user_id, p.plan_id, 'suspended', TIMESTAMPADD(HOUR, 1, p.created_at) ${sub} AND p.status = 'failed'
     ORDER BY 5`,
  );
  {
    const [[{ c }]] = (await conn.query('SELECT COUNT(*) AS c FROM subscription_events')) as unknown as [[{ c: number }]];
    const seconds = (performance.now() - t1) / 1000;
    steps.push({ table: 'subscription_events', rows: Number(c), seconds });
    console.log(`  subscription_events: ${Number(c)} rows in ${fmt(seconds, 1)} s`);
  }

  // Watch events: member h1, content skewed to the popular ones (square of a uniform), 10 s – 10 min
  // watched since the member's previous event.
  const E = args.events;
  await step('watch_events', E, (a, b) =>
    `INSERT INTO watch_events (id, user_id, content_id, movie_id, position_seconds, watched_seconds, created_at)
     SELECT seq, user_id, content_id, IF(content_id % 10 = 0, NULL, 1 + (content_id - 1) % ${M}), position_seconds, watched_seconds, created
     FROM (
       SELECT seq, 1 + ${h(1)} % ${U} AS user_id, 1 + FLOOR(${C} * POW(${h(2)} / 4294967296, 2)) AS content_id,
              ${h(3)} % 7200 AS position_seconds, 10 + ${h(4)} % 590 AS watched_seconds, ${at(E, 5)} AS created
       ${fromSeq(a, b)}
     ) x`,
  );
  void end;
  // Audit entries over the window, as staff and the services write them (the admin list timings).
  if (args.audit > 0) {
    await step('audit_log', args.audit, (a, b) =>
      `INSERT INTO audit_log (actor_id, actor_email, action, resource, record_id, diff, reason, created_at)
       SELECT 1 + ${h(30)} % 20, CONCAT('staff', 1 + ${h(30)} % 20, '@marquee.test'),
              ELT(1 + ${h(31)} % 4, 'create', 'update', 'delete', 'refund.approve'),
              ELT(1 + ${h(32)} % 6, 'movies', 'payments', 'refunds', 'users', 'coupons', 'genres'),
              CAST(1 + ${h(33)} % 100000 AS CHAR), NULL, NULL, ${at(args.audit, 34)}
       ${fromSeq(a, b)}`,
    );
  }
  return steps;
}

// ---- query plans --------------------------------------------------------------------------------

interface PlanRow {
  table: string;
  type: string;
  key: string | null;
  rows: number;
  rRows: number | null;
  extra: string;
}

interface QueryPlan {
  day: string;
  query: string;
  /** The alias of the table the query ranges over, and the index it must use. */
  table: string;
  expectedKey: string;
  key: string | null;
  type: string;
  /** Rows the optimizer expected to read from the main table / rows it actually read (ANALYZE). */
  estimatedRows: number;
  rowsRead: number | null;
  /** Rows in the ranged table: rowsRead / tableRows is the share a day's query reads. */
  tableRows: number;
  resultRows: number;
  ms: number;
  ok: boolean;
  plan: PlanRow[];
  sql: string;
}

async function explainDay(ds: DataSource, day: string, tableRows: Record<string, number>): Promise<QueryPlan[]> {
  const { from, to } = dayBounds(day);
  const m = ds.manager;
  const rev = revenueQueries(m, from, to);
  const sub = await subscriptionQueries(m, from, to);
  // users.countCreatedBetween() is a repository count over the same range: its equivalent here.
  const signups = ds.getRepository(User).createQueryBuilder('u').select('COUNT(*) AS n').where({ createdAt: Between(from, new Date(to.getTime() - 1)) });
  const queries = [
    { query: 'revenue: captured payments', table: 'p', tableName: 'payments', expectedKey: 'ix_payments_paid_at', qb: rev.captured },
    { query: 'revenue: completed refunds', table: 'r', tableName: 'refunds', expectedKey: 'ix_refunds_completed_at', qb: rev.refunded },
    { query: 'subscriptions: events', table: 'e', tableName: 'subscription_events', expectedKey: 'ix_subscription_events_at', qb: sub.events },
    ...sub.active.map((a) => ({ query: `subscriptions: active at day end (${a.planCode})`, table: 'p', tableName: 'payments', expectedKey: 'ix_payments_plan_period_end', qb: a.qb })),
    { query: 'contents: views per content', table: 'e', tableName: 'watch_events', expectedKey: 'ix_watch_events_created', qb: contentViewsQuery(m, from, to) },
    { query: 'sign-ups (equivalent count)', table: 'u', tableName: 'users', expectedKey: 'ix_users_created_at', qb: signups },
  ];
  const out: QueryPlan[] = [];
  for (const q of queries) {
    const [sql, params] = q.qb.getQueryAndParameters();
    const explain = (await ds.query(`EXPLAIN ${sql}`, params)) as Array<Record<string, unknown>>;
    const t0 = performance.now();
    const analyzed = (await ds.query(`ANALYZE ${sql}`, params)) as Array<Record<string, unknown>>;
    const ms = performance.now() - t0;
    const result = (await ds.query(sql, params)) as unknown[];
    // MariaDB writes a rowid filter as type "range|filter", key "main|filter", rows "6678 (52%)".
    const plan: PlanRow[] = explain.map((r, i) => ({
      table: String(r.table),
      type: String(r.type),
      key: (r.key as string | null) ?? null,
      rows: parseFloat(String(r.rows)),
      rRows: analyzed[i]?.r_rows === null || analyzed[i]?.r_rows === undefined ? null : parseFloat(String(analyzed[i]!.r_rows)),
      extra: String(r.Extra ?? ''),
    }));
    const main = plan.find((p) => p.table === q.table) ?? plan[0]!;
    const key = main.key?.split('|')[0] ?? null;
    const type = main.type.split('|')[0]!;
    // A full scan of any table but the two small lookup tables, or the ranged table on another index, is wrong.
    const ok = key === q.expectedKey && (type === 'range' || type === 'ref') && !plan.some((p) => (p.type === 'ALL' || p.type === 'index') && !['pl', 'pm'].includes(p.table));
    out.push({ day, query: q.query, table: q.table, expectedKey: q.expectedKey, key: main.key, type: main.type, estimatedRows: main.rows, rowsRead: main.rRows, tableRows: tableRows[q.tableName] ?? 0, resultRows: result.length, ms, ok, plan, sql });
  }
  return out;
}

// ---- child side: one measurement in a fresh process ----------------------------------------------

type Task = { kind: 'day'; day: string } | { kind: 'range'; from: string; to: string } | { kind: 'overview'; from: string; to: string };

interface TaskResult {
  kind: Task['kind'];
  seconds: number;
  /** RSS after the runtime was built, before the measured call. */
  baselineRssMiB: number;
  /** Kernel high-water mark of the whole child process. */
  peakRssMiB: number;
  /** Peak RSS / heapUsed sampled every 20 ms during the call. */
  sampledPeakRssMiB: number;
  sampledPeakHeapUsedMiB: number;
  days: number;
  /** Snapshot rows written (computeDay / computeRange) or day series and top list sizes (overview). */
  detail: Record<string, number>;
}

async function runTask(dbUrl: string, task: Task): Promise<TaskResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mq-bench-stats-'));
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: dbUrl, DATA_DIR: dataDir, JWT_SECRET: randomBytes(24).toString('hex'), SESSION_SECRET: randomBytes(24).toString('hex'), LOG_LEVEL: 'silent' });
  const rt = await createRuntime(config, { migrate: false, schedule: false });
  try {
    const stats = rt.services.statistics;
    collectGarbage();
    const peak = new PeakMemory();
    const timer = setInterval(peak.sample, 20);
    const t0 = performance.now();
    let days = 1;
    let detail: Record<string, number>;
    if (task.kind === 'day') {
      const s = await stats.computeDay(task.day);
      detail = { signups: s.signups, revenueRows: s.revenue, subscriptionRows: s.subscriptions, contentRows: s.contents };
    } else if (task.kind === 'range') {
      const list = await stats.computeRange(task.from, task.to);
      days = list.length;
      const slowest = Math.max(...list.map((s) => s.durationMs));
      detail = { revenueRows: list.reduce((n, s) => n + s.revenue, 0), subscriptionRows: list.reduce((n, s) => n + s.subscriptions, 0), contentRows: list.reduce((n, s) => n + s.contents, 0), slowestDayMs: slowest };
    } else {
      const o = await stats.overview({ from: task.from, to: task.to }, SECTIONS);
      days = o.days;
      detail = { computedDays: o.computed_days, currencies: o.revenue?.length ?? 0, plans: o.subscriptions?.by_plan.length ?? 0, top: o.contents?.top.length ?? 0, titled: o.contents?.top.filter((t) => t.title !== null).length ?? 0, views: o.contents?.totals.views ?? 0 };
    }
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(timer);
    peak.sample();
    return { kind: task.kind, seconds, baselineRssMiB: peak.before.rss / MiB, peakRssMiB: maxRssBytes() / MiB, sampledPeakRssMiB: peak.peakRss / MiB, sampledPeakHeapUsedMiB: peak.peakHeapUsed / MiB, days, detail };
  } finally {
    await rt.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const SELF = fileURLToPath(import.meta.url);

function runChild(dbUrl: string, task: Task): Promise<TaskResult> {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, ['--child', dbUrl, JSON.stringify(task)], { execArgv: [...process.execArgv, '--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: TaskResult | undefined;
    child.on('message', (m) => (result = m as TaskResult));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`bench child for ${task.kind} exited with ${code}`))));
  });
}

// ---- parent side --------------------------------------------------------------------------------

function parseArgs(argv: string[]): Args {
  const args = parseFlags<Args>(argv, {
    usage: 'usage: npm run bench:stats [-- --payments N --events N --days N --users N --contents N --audit N --chunk N --keep 1]',
    defaults: { payments: 1_000_000, events: 5_000_000, days: 60, users: 10_000, contents: 5_000, chunk: 250_000, keep: 0, audit: 1_000_000 },
    min: { keep: 0 },
  });
  if (args.days < RANGE_DAYS) {
    console.error(`--days must be ≥ ${RANGE_DAYS} (the recompute covers ${RANGE_DAYS} days)`);
    process.exit(2);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const te = testEnv();
  const machine = { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', totalMemMiB: Math.round(os.totalmem() / MiB) };
  let scratch: ScratchDb | undefined;
  let rt: Runtime | undefined;
  let conn: mysql.Connection | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mq-bench-stats-'));
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    if (conn) await conn.end().catch(() => undefined);
    if (rt) await rt.close();
    if (scratch && !args.keep) await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    scratch = await createScratchMysql(te.mysqlUrl, 'mq_bench_stats');
    if (scratch.db.type !== 'mysql') throw new Error('the statistics benchmark needs MariaDB/MySQL');
    const dbUrl = scratch.db.url;
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: dbUrl, DATA_DIR: dataDir, JWT_SECRET: randomBytes(24).toString('hex'), SESSION_SECRET: randomBytes(24).toString('hex'), LOG_LEVEL: 'silent' });
    rt = await createRuntime(config, { migrate: true, schedule: false });
    const [server] = (await rt.ds.query('SELECT VERSION() AS version, @@innodb_buffer_pool_size AS bufferPool')) as [{ version: string; bufferPool: unknown }];
    const dbServer = { version: server.version, bufferPoolMiB: Number(server.bufferPool) / MiB };

    const yesterday = previousUtcDay();
    const end = addDays(yesterday, 1);
    const start = addDays(end, -args.days);
    console.log(`statistics bench — node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}; MariaDB ${dbServer.version}, buffer pool ${fmt(dbServer.bufferPoolMiB)} MiB`);
    console.log(`scratch database ${scratch.name}: generating ${args.payments} payments and ${args.events} watch events over ${args.days} days (${start} – ${yesterday}), ${args.users} members, ${args.contents} contents`);

    conn = await mysql.createConnection(dbUrl.replace(/^mariadb:/, 'mysql:'));
    await conn.query("SET SESSION time_zone = '+00:00', unique_checks = 0, foreign_key_checks = 0");
    const g0 = performance.now();
    const load = await generate(conn, args, `${start} 00:00:00`, `${end} 00:00:00`);
    const generateSeconds = (performance.now() - g0) / 1000;
    const a0 = performance.now();
    await conn.query('ANALYZE TABLE users, payment_methods, plans, payments, refunds, subscription_events, contents, watch_events, audit_log');
    const analyzeSeconds = (performance.now() - a0) / 1000;
    console.log(`generated in ${fmt(generateSeconds, 1)} s; ANALYZE TABLE ${fmt(analyzeSeconds, 1)} s`);

    // What one day holds: the rows computeDay has to read at least.
    const { from, to } = dayBounds(yesterday);
    const count = async (sql: string, ...params: unknown[]) => Number(((await rt!.ds.query(sql, params)) as Array<{ n: unknown }>)[0]!.n);
    const perDay = {
      payments: await count('SELECT COUNT(*) AS n FROM payments WHERE paid_at >= ? AND paid_at < ?', from, to),
      refunds: await count('SELECT COUNT(*) AS n FROM refunds WHERE completed_at >= ? AND completed_at < ?', from, to),
      subscriptionEvents: await count('SELECT COUNT(*) AS n FROM subscription_events WHERE at >= ? AND at < ?', from, to),
      watchEvents: await count('SELECT COUNT(*) AS n FROM watch_events WHERE created_at >= ? AND created_at < ?', from, to),
      signups: await count('SELECT COUNT(*) AS n FROM users WHERE created_at >= ? AND created_at < ?', from, to),
      subscriptionPaymentsEndingAfter: await count("SELECT COUNT(*) AS n FROM payments WHERE kind = 'subscription' AND period_end > ?", to),
    };
    console.log(`\n${yesterday} holds ${perDay.payments} captured-or-not payments paid, ${perDay.refunds} refunds completed, ${perDay.subscriptionEvents} subscription events, ${perDay.watchEvents} watch events, ${perDay.signups} sign-ups; ${perDay.subscriptionPaymentsEndingAfter} subscription payments have a period ending after the day`);

    // Plans of each query of computeDay, for yesterday and for the oldest day of the 30-day recompute.
    const rangeFrom = addDays(yesterday, -(RANGE_DAYS - 1));
    const tableRows = Object.fromEntries(load.map((l) => [l.table, l.rows]));
    const plans = [...(await explainDay(rt.ds, yesterday, tableRows)), ...(await explainDay(rt.ds, rangeFrom, tableRows))];
    /** A day should read about 1/days of a table; more than a quarter of it is a scan in all but name. */
    const WIDE = 0.25;
    const share = (p: QueryPlan) => (p.rowsRead ?? p.estimatedRows) / Math.max(1, p.tableRows);
    const verdict = (p: QueryPlan) => (!p.ok ? '!! FULL SCAN / WRONG INDEX' : share(p) > WIDE ? `!! reads ${fmt(share(p) * 100)} % of the table` : 'ok');
    console.log(`\nEXPLAIN / ANALYZE of the queries of computeDay (rows: optimizer's estimate; read: ANALYZE r_rows, the rows actually read)\n`);
    console.log(
      table(
        ['day', 'query', 'type', 'key', 'expected key', 'rows', 'read', '% of table', 'result', 'ms', 'plan'],
        plans.map((p) => [p.day, p.query, p.type, p.key ?? 'NULL', p.expectedKey, fmt(p.estimatedRows), p.rowsRead === null ? '-' : fmt(p.rowsRead), fmt(share(p) * 100, 1), String(p.resultRows), fmt(p.ms, 1), verdict(p)]),
      ),
    );
    for (const p of plans) {
      console.log(`\n  ${p.day} ${p.query}:`);
      for (const r of p.plan) console.log(`    ${r.table.padEnd(4)} ${r.type.padEnd(12)} key=${String(r.key).padEnd(28)} rows=${fmt(r.rows).padStart(8)} r_rows=${r.rRows === null ? '-' : fmt(r.rRows).padStart(8)}  ${r.extra}`);
    }
    const bad = plans.filter((p) => !p.ok);
    const wide = plans.filter((p) => p.ok && share(p) > WIDE);
    if (bad.length || wide.length) {
      const bar = '!'.repeat(100);
      console.log(`\n${bar}`);
      for (const p of bad) console.log(`!! FULL SCAN / WRONG INDEX: ${p.query} on ${p.day}: ${p.type} on ${p.key ?? 'no index'} (expected a range on ${p.expectedKey}), ${fmt(p.rowsRead ?? p.estimatedRows)} of ${p.tableRows} rows read`);
      for (const p of wide) console.log(`!! WIDE RANGE: ${p.query} on ${p.day}: ${p.key} reads ${fmt(p.rowsRead ?? p.estimatedRows)} of ${p.tableRows} rows (${fmt(share(p) * 100)} %) for one day`);
      console.log(bar);
    }
    // The parent's connections are not needed by the children; close them so they do not hold memory in the server.
    await conn.end();
    conn = undefined;

    // The measurements, each in a fresh process.
    console.log('');
    const day = await runChild(dbUrl, { kind: 'day', day: yesterday });
    console.log(`  computeDay(${yesterday}): ${fmt(day.seconds, 2)} s, peak RSS ${fmt(day.peakRssMiB)} MiB`);
    const range = await runChild(dbUrl, { kind: 'range', from: rangeFrom, to: yesterday });
    console.log(`  computeRange(${rangeFrom}, ${yesterday}): ${fmt(range.seconds, 2)} s, peak RSS ${fmt(range.peakRssMiB)} MiB`);
    const overview = await runChild(dbUrl, { kind: 'overview', from: rangeFrom, to: yesterday });
    console.log(`  overview(${rangeFrom} – ${yesterday}, all sections): ${fmt(overview.seconds * 1000, 1)} ms, peak RSS ${fmt(overview.peakRssMiB)} MiB`);
    const rowsPerDay = perDay.payments + perDay.refunds + perDay.subscriptionEvents + perDay.watchEvents + perDay.signups;
    const results = [
      { label: `computeDay (1 day)`, r: day },
      { label: `computeRange (${RANGE_DAYS} days)`, r: range },
      { label: `overview (${RANGE_DAYS} days, all sections)`, r: overview },
    ];
    console.log('');
    console.log(
      table(
        ['operation', 'days', 'wall s', 's per day', 'RSS before MiB', 'peak RSS MiB', 'peak heapUsed MiB', 'detail'],
        results.map(({ label, r }) => [label, String(r.days), fmt(r.seconds, 2), r.kind === 'overview' ? '-' : fmt(r.seconds / r.days, 2), fmt(r.baselineRssMiB), fmt(r.peakRssMiB), fmt(r.sampledPeakHeapUsedMiB), Object.entries(r.detail).map(([k, v]) => `${k} ${v}`).join(', ')]),
      ),
    );
    // The panel's lists on these tables (issue 16: ≤ 300 ms server time, no full COUNT(*) per page).
    const adminLists = await adminListTimings(rt);
    console.log(`\nadmin lists (the panel's resource classes: count + page of 10, median of 5)\n`);
    console.log(table(['admin list', 'rows', 'page 1 ms', 'filtered ms', 'page 2,000 ms', 'filter'], adminLists.map((a) => [a.resource, fmt(a.rows), fmt(a.firstPageMs, 1), fmt(a.filteredMs, 1), fmt(a.deepPageMs, 1), a.filter])));
    console.log(`\nrows per day: ${rowsPerDay} (+ the active-subscription range: ${perDay.subscriptionPaymentsEndingAfter}); generation ${fmt(generateSeconds, 1)} s. Other processes share this machine and database server: the times are noisy.`);
    console.log('');
    console.log(JSON.stringify({ bench: 'stats', args, machine, dbServer, window: { start, end: yesterday }, generateSeconds, analyzeSeconds, load, perDay, rowsPerDay, plans: plans.map((p) => ({ ...p, share: share(p) })), fullScans: bad.map((p) => `${p.day} ${p.query}`), wideRanges: wide.map((p) => `${p.day} ${p.query}`), results: { computeDay: day, computeRange: range, overview }, adminLists }));
  } finally {
    await cleanup();
  }
}

if (process.argv[2] === '--child') {
  runTask(process.argv[3]!, JSON.parse(process.argv[4]!) as Task)
    .then((r) => process.send!(r, () => process.exit(0)))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
