// The admin panel's page loads in Chromium on loopback (issue 14 §8).
//
//   npm run bench:panel [-- --loads 10 --json]
//
// Builds the app as `npm start` does in embedded mode (a scratch SQLite database, no Redis), with
// the panel, serves it on 127.0.0.1 and loads, with Debian's Chromium (playwright-core):
//   - the login page, logged out;
//   - the dashboard, logged in (its data request included),
// N times each, "cold" (a new browser context each time: empty cache) and "warm" (one context,
// the page visited again: the immutable assets come from the cache). Per load: the time from
// navigation to the end of the last request before the network went quiet ("network idle",
// without Playwright's 500 ms quiet window), the bytes on the wire (encoded bodies + headers) of
// JavaScript and of everything, and the requests that went to another host (must be none).
//
// Baseline in the same run ("AdminJS as shipped"): the dashboard with its script tags pointed back
// at AdminJS's own asset URLs (/admin/frontend/assets/*.bundle.js: uncompressed, max-age=0), which
// the panel still serves. (The login page is Marquee's own now, with no script: its "before" is
// AdminJS's login page, measured on the tree before issue 14 — docs/benchmarks.md.) Printed: median and p90 per page and mode, the ratio to the
// baseline, and with --json one JSON line.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createScratchSqlite } from '../src/db/scratch.js';
import { createRuntime } from '../src/runtime.js';
import { parseFlags } from './lib/args.js';

const args = parseFlags(
  process.argv.slice(2).filter((a) => a !== '--json'),
  { usage: 'usage: npm run bench:panel [-- --loads 10 --json]', defaults: { loads: 10 } },
);
const json = process.argv.includes('--json');

interface Load {
  ms: number;
  jsBytes: number;
  totalBytes: number;
  requests: number;
  external: string[];
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** One navigation, measured. `ready` waits for the page's own content. */
async function measure(page: Page, url: string, ready: (p: Page) => Promise<unknown>): Promise<Load> {
  const finished: Array<Promise<{ at: number; bytes: number; js: boolean }>> = [];
  const external: string[] = [];
  const onRequest = (req: Request) => {
    const host = new URL(req.url()).hostname;
    if (host !== '127.0.0.1' && host !== 'localhost' && !req.url().startsWith('data:')) external.push(req.url());
  };
  const onFinished = (req: Request) => {
    const at = performance.now();
    finished.push(
      req
        .sizes()
        .then((s) => ({ at, bytes: s.responseBodySize + s.responseHeadersSize, js: req.resourceType() === 'script' }))
        .catch(() => ({ at, bytes: 0, js: false })),
    );
  };
  page.on('request', onRequest);
  page.on('requestfinished', onFinished);
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  await ready(page);
  await page.waitForLoadState('networkidle');
  page.off('request', onRequest);
  page.off('requestfinished', onFinished);
  const done = await Promise.all(finished);
  const last = Math.max(...done.map((d) => d.at));
  return {
    ms: last - t0,
    jsBytes: done.filter((d) => d.js).reduce((n, d) => n + d.bytes, 0),
    totalBytes: done.reduce((n, d) => n + d.bytes, 0),
    requests: done.length,
    external,
  };
}

/** Baseline: the panel's HTML with its scripts at AdminJS's own (uncompressed, max-age=0) URLs. */
async function asShipped(context: BrowserContext, origin: string): Promise<void> {
  await context.route(
    (url) => url.origin === origin && url.pathname.startsWith('/admin') && !url.pathname.startsWith('/admin/api') && !url.pathname.startsWith('/admin/assets') && !url.pathname.startsWith('/admin/frontend'),
    async (route) => {
      const res = await route.fetch();
      const type = res.headers()['content-type'] ?? '';
      if (!type.startsWith('text/html')) return route.fulfill({ response: res });
      const html = (await res.text()).replace(/\/admin\/assets\/[0-9a-f]+\/([\w.-]+\.bundle\.js)/g, '/admin/frontend/assets/$1');
      return route.fulfill({ response: res, body: html, headers: { ...res.headers(), 'content-encoding': 'identity' } });
    },
  );
}

async function main() {
  const scratch = createScratchSqlite();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mq-bench-panel-'));
  const config = loadConfig({
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    ...(scratch.db.type === 'sqlite' ? { SQLITE_FILE: scratch.db.file } : {}),
    JWT_SECRET: randomBytes(24).toString('hex'),
    SESSION_SECRET: randomBytes(24).toString('hex'),
    LOG_LEVEL: 'silent',
    STAFF_MFA_ROLES: '',
  });
  const rt = await createRuntime(config, { migrate: true, schedule: false, relay: false });
  const app = await buildApp(rt, { admin: true });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const email = `bench-${randomBytes(3).toString('hex')}@marquee.test`;
  const password = 'bench-pass-123';
  await rt.services.users.ensureStaff(email, password, 'admin');

  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-quic'] });
    // A logged-in session to reuse in the dashboard's new contexts.
    const loginCtx = await browser.newContext();
    const lp = await loginCtx.newPage();
    await lp.goto(`${origin}/admin/login`);
    await lp.fill('input[name="email"]', email);
    await lp.fill('input[name="password"]', password);
    await Promise.all([lp.waitForURL(`${origin}/admin`), lp.locator('form button').first().click()]);
    const loggedIn = await loginCtx.storageState();
    await loginCtx.close();

    const pages = {
      login: { url: `${origin}/admin/login`, state: undefined, ready: (p: Page) => p.locator('input[name="email"]').waitFor() },
      dashboard: { url: `${origin}/admin`, state: loggedIn, ready: (p: Page) => p.getByTestId('marquee-dashboard').waitFor({ timeout: 30_000 }) },
    } as const;
    const results: Record<string, Record<string, Load[]>> = {};
    for (const variant of ['served', 'as-shipped'] as const) {
      for (const [name, spec] of Object.entries(pages)) {
        // The login page no longer loads AdminJS at all (admin/login-page.ts): no script to point back.
        if (variant === 'as-shipped' && name === 'login') continue;
        const key = `${name} ${variant}`;
        results[key] = { cold: [], warm: [] };
        // one warm-up load (server-side caches, compressed copies), not counted
        for (let k = -1; k < args.loads; k++) {
          const ctx = await browser.newContext({ storageState: spec.state });
          if (variant === 'as-shipped') await asShipped(ctx, origin);
          const page = await ctx.newPage();
          const cold = await measure(page, spec.url, spec.ready);
          const warm = await measure(page, spec.url, spec.ready);
          if (k >= 0) {
            results[key]!.cold!.push(cold);
            results[key]!.warm!.push(warm);
          }
          await ctx.close();
        }
      }
    }

    const rows: Array<Record<string, string | number>> = [];
    for (const [key, modes] of Object.entries(results)) {
      for (const [mode, loads] of Object.entries(modes)) {
        const ms = loads.map((l) => l.ms);
        rows.push({
          page: key,
          mode,
          medianMs: Math.round(median(ms)),
          p90Ms: Math.round(quantile(ms, 0.9)),
          jsKB: Math.round(median(loads.map((l) => l.jsBytes)) / 1024),
          totalKB: Math.round(median(loads.map((l) => l.totalBytes)) / 1024),
          requests: Math.round(median(loads.map((l) => l.requests))),
          external: loads.reduce((n, l) => n + l.external.length, 0),
        });
      }
    }
    for (const r of rows) {
      if (String(r.page).endsWith('served')) {
        const base = rows.find((b) => b.page === String(r.page).replace('served', 'as-shipped') && b.mode === r.mode);
        r.vsShipped = base ? `${((Number(r.medianMs) / Number(base.medianMs)) * 100).toFixed(0)} %` : '';
      }
    }
    console.log(`panel page loads on loopback, ${args.loads} loads each (Chromium ${browser.version()}):`);
    console.table(rows);
    const served = rows.filter((r) => String(r.page).endsWith('served') && r.mode === 'cold');
    const ok = served.every((r) => Number(r.medianMs) <= 500 && Number(r.jsKB) <= 1024 && r.external === 0);
    console.log(ok ? 'goal met: cold median ≤ 500 ms, ≤ 1 MB of JavaScript, no external request' : 'goal NOT met (cold median ≤ 500 ms, ≤ 1 MB JavaScript, no external request)');
    if (json) console.log(JSON.stringify({ loads: args.loads, rows }));
  } finally {
    await browser?.close();
    await new Promise((r) => server.close(r));
    await rt.close();
    await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
