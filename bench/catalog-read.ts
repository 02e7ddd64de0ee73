// Read benchmark of the public catalog API.
//
//   npm run bench:catalog [-- --duration 10 --connections 64 --movies 10000 --warmup 2]
//
// Builds the app (the same createRuntime → buildApp as `npm start`, API only) against a scratch
// MariaDB database on TEST_DATABASE_URL (default mariadb://root@127.0.0.1:3306), loads N generated
// movies with genres and credits in batches, listens on 127.0.0.1 and measures with autocannon:
//   1. a bare Express hello-world in the same process (the ceiling of this machine and Node),
//   2. GET /movie/<random id>/                       (seed 004 movie detail),
//   3. GET /movie/genres/<random genre>/movies/       (seed 000 movies of a genre, first page).
// The load generator runs in a child process so that it does not share the server's event loop.
// Prints req/s, p50/p99 latency and errors (connection errors, timeouts and non-2xx answers) for
// each, and each endpoint's ratio to hello-world; the scratch database is dropped at the end.
// Loopback traffic only. The last line of the output is one JSON object with every number.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import express from 'express';
import { buildApp } from '../src/app.js';
import { loadConfig, testEnv } from '../src/config.js';
import { createScratchMysql, type ScratchDb } from '../src/db/scratch.js';
import { GENRES, loadCatalog, PEOPLE } from './lib/catalog-data.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { parseFlags } from './lib/args.js';

interface Args {
  duration: number;
  connections: number;
  movies: number;
  warmup: number;
  /** Which endpoints to load (hello-world always runs: it is the baseline). */
  only: Array<'detail' | 'genre'>;
}

type TargetKind = 'hello' | 'detail' | 'genre';

interface LoadTask {
  kind: TargetKind;
  url: string;
  maxMovieId: number;
  genres: number;
  duration: number;
  connections: number;
  warmup: number;
}

interface LoadResult {
  kind: TargetKind;
  reqPerSec: number;
  totalRequests: number;
  latencyP50: number;
  latencyP99: number;
  latencyAvg: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

// ---- load generator (child process) -------------------------------------------------------------------

async function runLoad(task: LoadTask): Promise<LoadResult> {
  const randomInt = (max: number) => 1 + Math.floor(Math.random() * max);
  const path =
    task.kind === 'hello' ? () => '/' : task.kind === 'detail' ? () => `/movie/${randomInt(task.maxMovieId)}/` : () => `/movie/genres/${randomInt(task.genres)}/movies/`;
  const opts = (duration: number) => ({
    url: task.url,
    connections: task.connections,
    duration,
    timeout: 10,
    requests: [{ method: 'GET', setupRequest: (req: { path?: string }) => ({ ...req, path: path() }) }],
  });
  if (task.warmup > 0) await autocannon(opts(task.warmup));
  const r = await autocannon(opts(task.duration));
  const statusCodes: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = Number(v.count);
  return {
    kind: task.kind,
    reqPerSec: r.requests.average,
    totalRequests: r.requests.total,
    latencyP50: r.latency.p50,
    latencyP99: r.latency.p99,
    latencyAvg: r.latency.average,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
  };
}

function loadInChild(task: LoadTask): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--load', JSON.stringify(task)], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | undefined;
    child.on('message', (m) => (result = m as LoadResult));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`load generator for ${task.kind} exited with ${code}`))));
  });
}

// ---- data -------------------------------------------------------------------------------------------------

// ---- parent -------------------------------------------------------------------------------------------

function parseArgs(argv: string[]): Args {
  return parseFlags<Args>(argv, {
    usage: 'usage: npm run bench:catalog [-- --duration S --connections N --movies N --warmup S --only detail,genre]',
    defaults: { duration: 10, connections: 64, movies: 10_000, warmup: 2, only: ['detail', 'genre'] },
    min: { warmup: 0 },
    lists: { only: ['detail', 'genre'] },
  });
}

function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    server.on('error', reject);
  });
}

const close = (s: Server | undefined) => new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));
const fmt = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const te = testEnv();
  let scratch: ScratchDb | undefined;
  let rt: Runtime | undefined;
  let api: Server | undefined;
  let hello: Server | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mq-bench-'));
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await close(api);
    await close(hello);
    if (rt) await rt.close();
    if (scratch) await scratch.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    scratch = await createScratchMysql(te.mysqlUrl, 'mq_bench');
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: scratch.db.type === 'mysql' ? scratch.db.url : '',
      DATA_DIR: dataDir,
      JWT_SECRET: randomBytes(24).toString('hex'),
      SESSION_SECRET: randomBytes(24).toString('hex'),
      LOG_LEVEL: 'silent',
    });
    rt = await createRuntime(config, { migrate: true, schedule: false });
    const t0 = Date.now();
    const loaded = await loadCatalog(rt.ds, args.movies);
    const loadSeconds = (Date.now() - t0) / 1000;
    console.log(`scratch database ${scratch.name}: ${args.movies} movies, ${GENRES} genres, ${PEOPLE} people, ${loaded.genreLinks} genre links, ${loaded.credits} credits loaded in ${loadSeconds.toFixed(1)} s`);

    const app = await buildApp(rt, { admin: false });
    const apiAt = await listen(app);
    api = apiAt.server;
    const bare = express();
    bare.disable('x-powered-by');
    bare.get('/', (_req, res) => {
      res.send('hello world');
    });
    const helloAt = await listen(bare);
    hello = helloAt.server;

    // One request of each kind first: a missing route shows up here, not only as non-2xx counts.
    for (const p of ['/movie/1/', '/movie/genres/1/movies/']) {
      const res = await fetch(apiAt.url + p);
      if (res.status !== 200) console.warn(`warning: GET ${p} answered ${res.status} — its requests will count as errors`);
    }

    const common = { maxMovieId: args.movies, genres: GENRES, duration: args.duration, connections: args.connections, warmup: args.warmup };
    const targets: Array<{ kind: TargetKind; label: string; url: string }> = [
      { kind: 'hello', label: 'express hello-world', url: helloAt.url },
      ...(args.only.includes('detail') ? [{ kind: 'detail' as const, label: 'GET /movie/{id}/', url: apiAt.url }] : []),
      ...(args.only.includes('genre') ? [{ kind: 'genre' as const, label: 'GET /movie/genres/{id}/movies/', url: apiAt.url }] : []),
    ];
    console.log(`autocannon: ${args.connections} connections, ${args.warmup} s warm-up + ${args.duration} s per target, ${os.cpus().length} CPUs, Node ${process.version}`);
    const results: Array<{ label: string; r: LoadResult }> = [];
    for (const t of targets) {
      const r = await loadInChild({ ...common, kind: t.kind, url: t.url });
      results.push({ label: t.label, r });
      console.log(`  ${t.label}: ${fmt(r.reqPerSec)} req/s`);
    }

    const base = results[0]!.r.reqPerSec;
    const header = ['target', 'req/s', 'p50 ms', 'p99 ms', 'avg ms', 'errors', 'non-2xx', 'timeouts', 'vs hello'];
    const body = results.map(({ label, r }) => [label, fmt(r.reqPerSec), fmt(r.latencyP50), fmt(r.latencyP99), fmt(r.latencyAvg, 1), String(r.errors), String(r.non2xx), String(r.timeouts), `${fmt((r.reqPerSec / base) * 100, 1)} %`]);
    const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
    const line = (cells: string[]) => cells.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ');
    console.log('');
    console.log(line(header));
    for (const row of body) console.log(line(row));
    console.log('');
    console.log(JSON.stringify({ args, cpus: os.cpus().length, node: process.version, loadSeconds, results: results.map(({ label, r }) => ({ label, ...r, ratioToHello: r.reqPerSec / base })) }));
  } finally {
    await cleanup();
  }
}

if (process.argv[2] === '--load') {
  const task = JSON.parse(process.argv[3]!) as LoadTask;
  runLoad(task)
    .then((r) => process.send!(r, () => process.exit(0)))
    .catch((err) => {
      console.error(err);
      process.exit(1);
    });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
