// Throughput through nginx with two API processes, then one (the cluster of `npm run cluster`).
//
//   npx tsx bench/cluster.ts [-- --duration 10 --connections 32 --movies 200]
//
// Starts the cluster (no workers), creates a genre and N movies through the API, then runs
// autocannon against nginx on the hot reads — GET /movie/<random id>/ and GET /movie/genre/ —
// first with both API processes in the upstream, then with API 2 stopped (the health check marks
// it down). Also samples the replica lag (/readyz) under a write burst. Prints one JSON line last.
import os from 'node:os';
import autocannon from 'autocannon';
import { Cluster } from '../scripts/cluster.js';
import { parseFlags } from './lib/args.js';

const args = parseFlags(process.argv.slice(2), { usage: 'npx tsx bench/cluster.ts [--duration 10] [--connections 32] [--movies 200]', defaults: { duration: 10, connections: 32, movies: 200 } });
const cluster = new Cluster({ apis: 2, workers: 0, log: (l) => console.log(`[cluster] ${l}`) });
process.on('exit', () => cluster.killAllNow());

async function json(method: string, p: string, token?: string, body?: unknown): Promise<any> {
  const r = await fetch(cluster.baseUrl + p, { method, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `JWT ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
  return r.json();
}

async function run(title: string, ids: number[]) {
  const result = await autocannon({
    url: cluster.baseUrl,
    connections: args.connections,
    duration: args.duration,
    requests: [
      {
        setupRequest: (req: any) => ({ ...req, path: Math.random() < 0.8 ? `/movie/${ids[Math.floor(Math.random() * ids.length)]}/` : '/movie/genre/' }),
      },
    ],
  });
  const row = { title, reqPerSec: Math.round(result.requests.average), p50ms: result.latency.p50, p99ms: result.latency.p99, non2xx: result.non2xx, errors: result.errors, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) };
  console.log(JSON.stringify(row));
  return row;
}

try {
  await cluster.start();
  const { username } = await (async () => {
    const u = `bench${Date.now().toString(36)}`;
    await json('POST', '/user/signup/', undefined, { username: u, password: 'correct-horse-9', email: `${u}@example.com` });
    return { username: u };
  })();
  void username;
  // The admin's username is in the admin:create log line; the API logs in by username.
  const { readFileSync } = await import('node:fs');
  const adminUser = /username ([^)]+)\)/.exec(readFileSync(`${cluster.dir}/admin-create.log`, 'utf8'))![1];
  const token = (await json('POST', '/user/login/', undefined, { username: adminUser, password: cluster.adminPassword })).token;
  const genre = await json('POST', '/movie/genre/', token, { name: `Bench${Date.now()}` });
  const ids: number[] = [];
  for (let i = 0; i < args.movies; i++) ids.push((await json('POST', `/movie/genres/${genre.id}/movies/`, token, { name: `Bench movie ${i}`, summary: 'x'.repeat(200) })).id);
  // Replica lag under a write burst (writes through the API, lag from /readyz).
  const lags: number[] = [];
  const burst = (async () => {
    for (let i = 0; i < 200; i++) await json('PUT', `/movie/genres/${genre.id}/movies/${ids[i % ids.length]}/`, token, { name: `Bench movie ${i} v2` });
  })();
  const sampler = (async () => {
    const until = Date.now() + 60_000;
    let done = false;
    void burst.then(() => (done = true));
    while (!done && Date.now() < until) {
      const r = await (await fetch(`${cluster.apiUrl(0)}/readyz`)).json();
      if (typeof r.replica?.lagSeconds === 'number') lags.push(r.replica.lagSeconds);
      await new Promise((res) => setTimeout(res, 250));
    }
  })();
  await Promise.all([burst, sampler]);
  await new Promise((r) => setTimeout(r, 2000));
  const two = await run('2 API processes', ids);
  cluster.kill(cluster.apis[1], 'SIGTERM');
  await cluster.apis[1].exited;
  const until = Date.now() + 10_000;
  while (!cluster.downPorts().includes(cluster.ports.apis[1]) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  const one = await run('1 API process', ids);
  const sorted = [...lags].sort((a, b) => a - b);
  const lag = { samples: lags.length, p50: sorted[Math.floor(sorted.length / 2)] ?? null, max: sorted[sorted.length - 1] ?? null };
  console.log(JSON.stringify({ cpus: os.cpus().length, duration: args.duration, connections: args.connections, movies: args.movies, two, one, replicaLagUnderWrites: lag }));
} finally {
  await cluster.stop();
}
