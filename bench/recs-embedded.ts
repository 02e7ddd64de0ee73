// Does a training hold up the embedded API? (issue 17 §6: "no API request waits more than 50 ms")
//
//   npx tsx bench/recs-embedded.ts [--ratings N] [--users N] [--items N]
//
// Builds the embedded runtime (SQLite, in-process jobs) on a scratch file, seeds synthetic ratings
// through RatingsService, serves the API on 127.0.0.1, and while GET /movie/top10/?country=KR is asked
// every 20 ms runs a full recommendations training: once with the training thread (what the product
// does) and once inline on the API thread (the old behaviour), reporting request latency and the
// event loop's longest stall (perf_hooks) for each. The last line is a JSON report.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createScratchSqlite } from '../src/db/scratch.js';
import { Movie } from '../src/modules/catalog/movie.entity.js';
import { RecommendationsService } from '../src/modules/recommendations/recommendations.service.js';
import { inlineTrainer, threadTrainer } from '../src/modules/recommendations/trainer.js';
import { User } from '../src/modules/users/user.entity.js';
import { createRuntime } from '../src/runtime.js';
import { generateSynthetic } from './lib/synthetic.js';

function arg(name: string, dflt: number): number {
  const k = process.argv.indexOf(name);
  return k >= 0 ? Number(process.argv[k + 1]) : dflt;
}

const RATINGS = arg('--ratings', 60_000);
const USERS = arg('--users', 600);
const ITEMS = arg('--items', 2_000);

const scratch = createScratchSqlite();
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'mq-recs-embedded-'));
const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, JWT_SECRET: randomBytes(24).toString('hex'), SESSION_SECRET: randomBytes(24).toString('hex'), LOG_LEVEL: 'silent', SQLITE_FILE: (scratch.db as { file: string }).file });
const rt = await createRuntime(config, { migrate: true, schedule: false, relay: false });
try {
  const t0 = performance.now();
  const movies = rt.ds.getRepository(Movie);
  const movieIds: number[] = [];
  for (let i = 0; i < ITEMS; i += 500) {
    const saved = await movies.save(Array.from({ length: Math.min(500, ITEMS - i) }, (_, k) => movies.create({ name: `영화 ${i + k}`, country: 'KR', openDate: '2019-01-01' })));
    movieIds.push(...saved.map((m) => m.id));
  }
  const users = rt.ds.getRepository(User);
  const userIds: number[] = [];
  for (let i = 0; i < USERS; i += 500) {
    const saved = await users.save(Array.from({ length: Math.min(500, USERS - i) }, (_, k) => users.create({ username: `bench${i + k}`, email: `bench${i + k}@example.com`, passwordHash: 'x', role: 'user' })));
    userIds.push(...saved.map((u) => u.id));
  }
  const data = generateSynthetic({ users: USERS, items: ITEMS, ratings: RATINGS, seed: 7 });
  const byUser = new Map<number, Array<{ movie: number; score: number }>>();
  for (let k = 0; k < data.length; k++) (byUser.get(data.users[k]!) ?? byUser.set(data.users[k]!, []).get(data.users[k]!)!).push({ movie: movieIds[data.items[k]!]!, score: data.scores[k]! });
  for (const [u, list] of byUser) await rt.services.ratings.createMany(userIds[u]!, list);
  console.log(`seeded ${RATINGS} ratings (${USERS} members × ${ITEMS} movies) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const app = await buildApp(rt, { admin: false });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/movie/top10/?country=KR`;

  async function measure(label: string, work: () => Promise<unknown>) {
    const latencies: number[] = [];
    let stop = false;
    const pinger = (async () => {
      while (!stop) {
        const s = performance.now();
        await (await fetch(url)).arrayBuffer();
        latencies.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const s = performance.now();
    await work();
    const seconds = (performance.now() - s) / 1000;
    h.disable();
    stop = true;
    await pinger;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!;
    const out = { label, train_s: seconds, requests: latencies.length, p50_ms: q(0.5), p99_ms: q(0.99), max_ms: latencies[latencies.length - 1]!, loop_stall_max_ms: h.max / 1e6, load: os.loadavg()[0] };
    console.log(`${label}: training ${seconds.toFixed(1)} s; ${out.requests} requests p50 ${out.p50_ms.toFixed(1)} ms, p99 ${out.p99_ms.toFixed(1)} ms, max ${out.max_ms.toFixed(1)} ms; event-loop stall max ${out.loop_stall_max_ms.toFixed(1)} ms (load ${out.load.toFixed(2)})`);
    return out;
  }

  const idle = await measure('idle', () => new Promise((r) => setTimeout(r, 3000)));
  const threaded = await measure('training in a worker thread', () => new RecommendationsService(rt.ds, rt.services.ratings, rt.services.catalog, { trainer: threadTrainer() }).trainAll());
  const inline = await measure('training inline (old behaviour)', () => new RecommendationsService(rt.ds, rt.services.ratings, rt.services.catalog, { trainer: inlineTrainer }).trainAll());
  server.close();
  console.log(JSON.stringify({ bench: 'recs-embedded', ratings: RATINGS, users: USERS, items: ITEMS, idle, threaded, inline }));
} finally {
  await rt.close();
  await scratch.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
