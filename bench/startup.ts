// Start-up benchmark (issue 15): how long `npm start` takes to give its first answer on a fresh
// install, and when the admin panel and the demo's week of activity are ready.
//
//   npm run bench:startup [-- --runs 5 --timeout 120]
//
// Each run starts `npm start` in its own fresh data folder (DATA_DIR: a new SQLite file, secrets,
// uploads; embedded mode, DEMO on) on a free port, and polls GET / every 20 ms from the moment of
// the spawn. Measured from the spawn: the first answer (HTTP 200 of GET /), GET /movie/85579/
// answering the demo movie (catalog seeded before the first answer), "admin panel ready" and
// "demo week of activity ready" in the log (JSON lines: stdout is not a terminal). The AdminJS bundle
// must have been built (`npm run admin:bundle`, done at install): a start that builds it is not a
// fresh install's start. Prints each run, the medians, and one JSON line with every number.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFlags } from './lib/args.js';
import { fmt, table } from './lib/http-load.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = parseFlags(process.argv.slice(2), { usage: 'usage: npm run bench:startup [-- --runs 5 --timeout 120]', defaults: { runs: 5, timeout: 120 } });

interface Run {
  firstAnswerMs: number;
  demoMovieMs: number;
  listeningMs: number | null;
  adminReadyMs: number | null;
  activityReadyMs: number | null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function status(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    // npm → sh → node: the whole process group.
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      child.kill('SIGTERM');
    }
    setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 10_000).unref();
  });
}

async function once(): Promise<Run> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mq-startup-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_FORMAT: 'json', LOG_LEVEL: 'info', NODE_ENV: 'development' };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'SQLITE_FILE', 'DEMO', 'PUBLIC_URL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD']) delete env[k];
  const t0 = performance.now();
  const child = spawn('npm', ['start', '--silent'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { firstAnswerMs: NaN, demoMovieMs: NaN, listeningMs: null, adminReadyMs: null, activityReadyMs: null };
  let log = '';
  const onLine = (line: string) => {
    let msg = '';
    try {
      msg = String((JSON.parse(line) as { msg?: unknown }).msg ?? '');
    } catch {
      return;
    }
    const t = performance.now() - t0;
    if (msg.startsWith('Marquee is up')) run.listeningMs ??= t;
    if (msg === 'admin panel ready') run.adminReadyMs ??= t;
    if (msg.startsWith('demo week of activity ready')) run.activityReadyMs ??= t;
  };
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffered += d.toString('utf8');
    let i;
    while ((i = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      log += `${line}\n`;
      onLine(line);
    }
  });
  child.stderr!.on('data', (d: Buffer) => (log += d.toString('utf8')));
  const deadline = t0 + args.timeout * 1000;
  try {
    while (performance.now() < deadline && child.exitCode === null) {
      if ((await status(`${base}/`)) === 200) {
        run.firstAnswerMs = performance.now() - t0;
        break;
      }
      await sleep(20);
    }
    if (Number.isNaN(run.firstAnswerMs)) throw new Error(`no answer from ${base}/ within ${args.timeout} s:\n${log.slice(-3000)}`);
    if ((await status(`${base}/movie/85579/`)) !== 200) throw new Error('the demo movie 85579 is not served after the first answer');
    run.demoMovieMs = performance.now() - t0;
    while (performance.now() < deadline && (run.adminReadyMs === null || run.activityReadyMs === null) && child.exitCode === null) await sleep(100);
    return run;
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (!existsSync(path.join(ROOT, '.adminjs', 'bundle.js'))) {
  console.error('no AdminJS bundle: run `npm run admin:bundle` first (npm install does it)');
  process.exit(2);
}
const runs: Run[] = [];
for (let k = 1; k <= args.runs; k++) {
  const r = await once();
  runs.push(r);
  console.log(`run ${k}: first answer ${fmt(r.firstAnswerMs / 1000, 2)} s, admin ready ${r.adminReadyMs === null ? '-' : fmt(r.adminReadyMs / 1000, 1)} s, week of activity ready ${r.activityReadyMs === null ? '-' : fmt(r.activityReadyMs / 1000, 1)} s`);
}
const median = (xs: Array<number | null>) => {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2]! : (v[v.length / 2 - 1]! + v[v.length / 2]!) / 2;
};
const med = {
  firstAnswerMs: median(runs.map((r) => r.firstAnswerMs)),
  listeningMs: median(runs.map((r) => r.listeningMs)),
  adminReadyMs: median(runs.map((r) => r.adminReadyMs)),
  activityReadyMs: median(runs.map((r) => r.activityReadyMs)),
};
const s = (ms: number | null) => (ms === null ? '-' : `${fmt(ms / 1000, 2)} s`);
console.log(
  table(
    ['median of ' + runs.length + ' fresh starts', 'from the spawn of `npm start`'],
    [
      ['first answer (GET / → 200; demo catalog, cinemas, showtimes in place)', s(med.firstAnswerMs)],
      ['"Marquee is up" logged', s(med.listeningMs)],
      ['admin panel ready', s(med.adminReadyMs)],
      ['week of activity ready', s(med.activityReadyMs)],
    ],
  ),
);
console.log(JSON.stringify({ bench: 'startup', cpus: os.cpus().length, load: os.loadavg().map((x) => Math.round(x * 100) / 100), runs, median: med }));
