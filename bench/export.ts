// CSV export benchmark (issue 14 §5): GET /admin/export/payments.csv over 100k payments, as finance.
//
//   npm run bench:export [-- --payments 100000 --large 300000 --users 2000 --keep 0]
//
// Creates a scratch MariaDB database on TEST_DATABASE_URL (default mariadb://root@127.0.0.1:3306),
// applies the migrations (createRuntime, as `npm start`), generates the members and payments in SQL
// (INSERT … SELECT from MariaDB's SEQUENCE engine), builds the app with the panel (buildApp, as
// `npm start`, sessions in the database), listens on a local port, signs a finance account in
// through the panel's login form and downloads the CSV over HTTP, reading the body as it arrives.
//
// Measured in this process (server and client are one process, so its RSS is the server's plus a
// client that keeps nothing): wall time, rows/s, and the peak RSS growth over the resting RSS
// before the request (sampled every 10 ms), and the peak growth of the V8 heap and of external
// memory (Buffers). Three sizes — a tenth of the table (a filter), the
// table at `--payments` rows, then the table grown to `--large` rows (0: skip) — show whether
// memory grows with the rows (it should not: the export streams pages). Once more at `--payments`
// rows through entities and BaseRecords (exportSettings.rawRows off: the path of a list with a
// `find` of its own, such as the masked member lookup). The baseline, last in the
// same run: `--payments` rows loaded at once through the repository (what an export that is not
// streamed would hold), its time and RSS growth.
// Prints a table and, as the last line, one JSON object with every number.
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { exportSettings } from '../admin/export.js';
import { buildApp } from '../src/app.js';
import { loadConfig, testEnv } from '../src/config.js';
import { createScratchMysql, type ScratchDb } from '../src/db/scratch.js';
import { Payment } from '../src/modules/commerce/commerce.entities.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { parseFlags } from './lib/args.js';
import { fmt, table } from './lib/http-load.js';
import { MiB, collectGarbage } from './lib/measure.js';

interface Args {
  payments: number;
  large: number;
  users: number;
  keep: number;
}

const args = parseFlags<Args>(process.argv.slice(2), {
  usage: 'usage: npm run bench:export [-- --payments 100000 --large 300000 --users 2000 --keep 0]',
  defaults: { payments: 100_000, large: 300_000, users: 2_000, keep: 0 },
  min: { keep: 0, large: 0 },
});

/** The members (first call) and payments `first`…`last` (ids in that order). */
async function generate(conn: mysql.Connection, a: Args, first: number, last: number): Promise<void> {
  const [[plans]] = (await conn.query("SELECT MAX(IF(code = 'monthly', id, NULL)) AS monthly FROM plans")) as unknown as [[{ monthly: number }]];
  if (!plans?.monthly) throw new Error('the monthly plan is missing (SeedPlans migration)');
  const U = a.users;
  if (first === 1) {
    await conn.query(
      `INSERT INTO users (id, username, email, password_hash, role, full_name, phone, created_at, updated_at)
       SELECT seq, CONCAT('bench', seq), CONCAT('bench', seq, '@example.com'), 'x', 'user', CONCAT('벤치 회원 ', seq), CONCAT('010-', LPAD(seq % 10000, 4, '0'), '-', LPAD(seq, 4, '0')), '2026-01-01', '2026-01-01'
       FROM seq_1_to_${U}`,
    );
    await conn.query(`INSERT INTO payment_methods (id, user_id, type, gateway_token, brand, masked, created_at) SELECT seq, seq, 'card', CONCAT('tok_', seq), 'Visa', '****4242', '2026-01-01' FROM seq_1_to_${U}`);
  }
  const chunk = 20_000;
  for (let from = first; from <= last; from += chunk) {
    const to = Math.min(last, from + chunk - 1);
    // Every tenth payment failed (the filtered export); times one minute apart, in id order.
    await conn.query(
      `INSERT INTO payments (user_id, kind, plan_id, method_id, status, amount_list, amount_discount, amount_coupon, amount_total, currency, refunded_amount, gateway, gateway_ref, failure_reason, approved_at, paid_at, version, created_at, updated_at)
       SELECT 1 + seq % ${U}, 'subscription', ${plans.monthly}, 1 + seq % ${U}, IF(seq % 10 = 0, 'failed', 'paid'), 9900, 0, 0, 9900, 'KRW', 0, 'sandbox', CONCAT('sbx_', seq), IF(seq % 10 = 0, 'card_declined', NULL),
              TIMESTAMPADD(MINUTE, seq, '2026-01-01'), IF(seq % 10 = 0, NULL, TIMESTAMPADD(MINUTE, seq, '2026-01-01')), 1, TIMESTAMPADD(MINUTE, seq, '2026-01-01'), TIMESTAMPADD(MINUTE, seq, '2026-01-01')
       FROM seq_${from}_to_${to}`,
    );
  }
  await conn.query('ANALYZE TABLE users, payment_methods, payments');
}

/** Samples this process's RSS every 10 ms while `run` runs; returns its result, the time and the peak RSS growth. */
async function measure<T>(run: () => Promise<T>): Promise<{ result: T; ms: number; peakGrowthMiB: number; retainedMiB: number; peakHeapTotalGrowthMiB: number; peakExternalGrowthMiB: number }> {
  collectGarbage();
  await new Promise((r) => setTimeout(r, 200));
  const m0 = process.memoryUsage();
  const rest = m0.rss;
  const restHeap = m0.heapUsed;
  let peak = rest;
  let peakHeapTotal = m0.heapTotal;
  let peakExternal = m0.external;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    if (m.rss > peak) peak = m.rss;
    if (m.heapTotal > peakHeapTotal) peakHeapTotal = m.heapTotal;
    if (m.external > peakExternal) peakExternal = m.external;
  }, 10);
  const t0 = performance.now();
  try {
    const result = await run();
    const ms = performance.now() - t0;
    const r = process.memoryUsage().rss;
    if (r > peak) peak = r;
    // What is still held once the garbage is collected (a leak would show here; garbage headroom would not).
    collectGarbage();
    const retainedMiB = (process.memoryUsage().heapUsed - restHeap) / MiB;
    return { result, ms, peakGrowthMiB: (peak - rest) / MiB, retainedMiB, peakHeapTotalGrowthMiB: (peakHeapTotal - m0.heapTotal) / MiB, peakExternalGrowthMiB: (peakExternal - m0.external) / MiB };
  } finally {
    clearInterval(timer);
  }
}

/** Downloads the CSV, counting lines as they arrive (nothing kept). */
async function download(url: string, cookie: string, _host: string): Promise<{ rows: number; bytes: number; bom: boolean; status: number }> {
  const res = await fetch(url, { headers: { cookie } });
  if (!res.body || !String(res.headers.get('content-type')).startsWith('text/csv')) throw new Error(`export: ${res.status} ${res.headers.get('content-type')} (${res.url})`);
  let rows = -1; // the header line
  let bytes = 0;
  let first: Uint8Array | null = null;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    if (!first && chunk.length) first = chunk;
    bytes += chunk.length;
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) rows++;
  }
  return { rows, bytes, status: res.status, bom: !!first && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf };
}

async function main() {
  const te = testEnv();
  const machine = { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown' };
  let scratch: ScratchDb | undefined;
  let rt: Runtime | undefined;
  let server: Server | undefined;
  let conn: mysql.Connection | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mq-bench-export-'));
  try {
    scratch = await createScratchMysql(te.mysqlUrl, 'mq_bench_export');
    const dbUrl = scratch.db.type === 'mysql' ? scratch.db.url : '';
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: dbUrl, DATA_DIR: dataDir, JWT_SECRET: randomBytes(24).toString('hex'), SESSION_SECRET: randomBytes(24).toString('hex'), LOG_LEVEL: 'silent', STAFF_MFA_ROLES: '' });
    rt = await createRuntime(config, { migrate: true, schedule: false });
    const db = (conn = await mysql.createConnection(dbUrl.replace(/^mariadb:/, 'mysql:')));
    await db.query("SET SESSION time_zone = '+00:00'");
    const grow = async (first: number, last: number) => {
      const g0 = performance.now();
      await generate(db, args, first, last);
      return (performance.now() - g0) / 1000;
    };
    const generateSeconds = await grow(1, args.payments);
    console.log(`export bench — node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}; ${args.payments} payments generated in ${fmt(generateSeconds, 1)} s (scratch ${scratch.name})`);

    const app = await buildApp(rt, { admin: true });
    server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const port = (server.address() as AddressInfo).port;
    const base = `http://127.0.0.1:${port}`;
    const host = `127.0.0.1:${port}`;
    const email = `finance-bench-${Date.now()}@marquee.test`;
    const password = 'bench-pass-123';
    await rt.services.users.ensureStaff(email, password, 'finance');
    const login = await fetch(`${base}/admin/login`, { method: 'POST', redirect: 'manual', headers: { origin: base, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ email, password }).toString() });
    const cookie = (login.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    if (login.status !== 302 || !cookie) throw new Error(`panel login: ${login.status}`);

    const runs: Array<{ what: string; rows: number; ms: number; rowsPerSecond: number; peakGrowthMiB: number; retainedMiB: number; peakHeapTotalGrowthMiB: number; peakExternalGrowthMiB: number; bytes?: number }> = [];
    const exportRun = async (what: string, query: string) => {
      const m = await measure(() => download(`${base}/admin/export/payments.csv?${query}`, cookie, host));
      if (m.result.status !== 200 || !m.result.bom) throw new Error(`${what}: status ${m.result.status}, BOM ${m.result.bom}`);
      const run = { what, rows: m.result.rows, ms: m.ms, rowsPerSecond: m.result.rows / (m.ms / 1000), peakGrowthMiB: m.peakGrowthMiB, retainedMiB: m.retainedMiB, peakHeapTotalGrowthMiB: m.peakHeapTotalGrowthMiB, peakExternalGrowthMiB: m.peakExternalGrowthMiB, bytes: m.result.bytes };
      runs.push(run);
      return run;
    };
    // Warm-up (JIT, connection pool, first page of each query).
    await download(`${base}/admin/export/payments.csv?filters.status=failed&sortBy=createdAt&direction=desc`, cookie, host);
    const tenth = await exportRun('export, status=failed (a tenth)', 'filters.status=failed&sortBy=createdAt&direction=desc');
    const full = await exportRun('export, all payments (createdAt desc)', 'sortBy=createdAt&direction=desc');
    await exportRun('export, all payments (id asc)', 'sortBy=id&direction=asc');
    // The path of a list with a find of its own (member lookup, movies): entities → BaseRecords.
    exportSettings.rawRows = false;
    try {
      await exportRun('export through records (id asc)', 'sortBy=id&direction=asc');
    } finally {
      exportSettings.rawRows = true;
    }
    let large: (typeof runs)[number] | null = null;
    if (args.large > args.payments) {
      const s = await grow(args.payments + 1, args.large);
      console.log(`grown to ${args.large} payments in ${fmt(s, 1)} s`);
      large = await exportRun('export, all payments (createdAt desc)', 'sortBy=createdAt&direction=desc');
      await exportRun('export, all payments (id asc)', 'sortBy=id&direction=asc');
    }
    // Baseline, last (its RSS is not all given back): `--payments` rows held at once (one repository read, no CSV) — what a non-streamed export keeps.
    const ds = rt.ds;
    const whole = await measure(async () => (await ds.getRepository(Payment).find({ order: { createdAt: 'DESC', id: 'DESC' }, take: args.payments })).length);
    runs.push({ what: 'baseline: one find() of all rows', rows: whole.result, ms: whole.ms, rowsPerSecond: whole.result / (whole.ms / 1000), peakGrowthMiB: whole.peakGrowthMiB, retainedMiB: whole.retainedMiB, peakHeapTotalGrowthMiB: whole.peakHeapTotalGrowthMiB, peakExternalGrowthMiB: whole.peakExternalGrowthMiB });

    console.log(
      table(
        ['run', 'rows', 's', 'rows/s', 'peak RSS growth MiB', 'peak V8 heap growth MiB', 'peak external growth MiB', 'heap retained after GC MiB'],
        runs.map((r) => [r.what, String(r.rows), fmt(r.ms / 1000, 2), fmt(r.rowsPerSecond, 0), fmt(r.peakGrowthMiB, 1), fmt(r.peakHeapTotalGrowthMiB, 1), fmt(r.peakExternalGrowthMiB, 1), fmt(r.retainedMiB, 1)]),
      ),
    );
    const summary = {
      bench: 'export',
      machine,
      payments: args.payments,
      large: large ? args.large : null,
      runs,
      fullExportSeconds: full.ms / 1000,
      withinTenSeconds: full.ms <= 10_000,
      memoryRatioFullToTenth: tenth.peakGrowthMiB > 0 ? full.peakGrowthMiB / tenth.peakGrowthMiB : null,
      memoryRatioLargeToFull: large && full.peakGrowthMiB > 0 ? large.peakGrowthMiB / full.peakGrowthMiB : null,
      largeSecondsPer100k: large ? large.ms / 1000 / (large.rows / 100_000) : null,
      memoryRatioExportToBaseline: whole.peakGrowthMiB > 0 ? full.peakGrowthMiB / whole.peakGrowthMiB : null,
    };
    console.log(`full export: ${fmt(summary.fullExportSeconds, 2)} s (${summary.withinTenSeconds ? 'within' : 'OVER'} the 10 s target), ${fmt(full.rowsPerSecond, 0)} rows/s, peak RSS growth ${fmt(full.peakGrowthMiB, 1)} MiB (a tenth of the rows: ${fmt(tenth.peakGrowthMiB, 1)} MiB; ${large ? `${large.rows} rows: ${fmt(large.ms / 1000, 2)} s, ${fmt(large.peakGrowthMiB, 1)} MiB; ` : ''}holding all rows at once: ${fmt(whole.peakGrowthMiB, 1)} MiB)`);
    console.log(JSON.stringify(summary));
  } finally {
    if (conn) await conn.end().catch(() => undefined);
    if (server) await new Promise((r) => server!.close(r));
    if (rt) await rt.close();
    if (scratch && !args.keep) await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
