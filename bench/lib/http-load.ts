// HTTP load helpers for the bench scripts: a bare Express hello-world (the machine's ceiling),
// listening on 127.0.0.1, and autocannon in a child process (so the load generator does not share
// the server's event loop) with a path chosen per request from a list, and a result table.
import { fork } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import express from 'express';
import { listenWithAppServer } from '../../src/http/server.js';

export interface LoadTask {
  label: string;
  url: string;
  /** Request paths, picked round-robin from a random start (every connection cycles through them). */
  paths: string[];
  /** Tokens sent as `Authorization: JWT …`, picked with the path (request k: paths[k], auth[k]). */
  auth?: string[];
  duration: number;
  connections: number;
  warmup: number;
}

export interface LoadResult {
  label: string;
  reqPerSec: number;
  totalRequests: number;
  latencyP50: number;
  latencyP90: number;
  latencyP99: number;
  latencyAvg: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

export function listen(app: express.Express): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
    server.on('error', reject);
  });
}

export const closeServer = (s: Server | undefined) => new Promise<void>((resolve) => (s ? s.close(() => resolve()) : resolve()));

/**
 * The baseline: Express answering "hello world", nothing else. `appServer`: listening as the app
 * does (src/http/server.ts: requests made with Express's prototypes), a reference beside the baseline.
 */
export async function helloWorld(opts: { appServer?: boolean } = {}): Promise<{ server: Server; url: string }> {
  const bare = express();
  if (opts.appServer) listenWithAppServer(bare);
  bare.disable('x-powered-by');
  bare.get('/', (_req, res) => {
    res.send('hello world');
  });
  return listen(bare);
}

async function runLoad(task: LoadTask): Promise<LoadResult> {
  let next = Math.floor(Math.random() * task.paths.length);
  const setup = (req: { path?: string; headers?: Record<string, string> }) => {
    const k = next++;
    const out = { ...req, path: task.paths[k % task.paths.length]! };
    return task.auth?.length ? { ...out, headers: { ...req.headers, authorization: `JWT ${task.auth[k % task.auth.length]}` } } : out;
  };
  const opts = (duration: number) => ({
    url: task.url,
    connections: task.connections,
    duration,
    timeout: 10,
    requests: [{ method: 'GET', setupRequest: setup }],
  });
  if (task.warmup > 0) await autocannon(opts(task.warmup));
  const r = await autocannon(opts(task.duration));
  const statusCodes: Record<string, number> = {};
  for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) statusCodes[code] = Number(v.count);
  return {
    label: task.label,
    reqPerSec: r.requests.average,
    totalRequests: r.requests.total,
    latencyP50: r.latency.p50,
    latencyP90: r.latency.p90,
    latencyP99: r.latency.p99,
    latencyAvg: r.latency.average,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
  };
}

const SELF = fileURLToPath(import.meta.url);

/** Runs autocannon for one target in a child process. */
export function loadInChild(task: LoadTask): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(SELF, ['--http-load'], { execArgv: process.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let result: LoadResult | undefined;
    child.on('message', (m) => (result = m as LoadResult));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`load generator for ${task.label} exited with ${code}`))));
    // The task goes over IPC: path lists can be longer than a command line.
    child.send(task);
  });
}

export const fmt = (x: number, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '-');

/** A fixed-width table, first column left-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

if (process.argv[2] === '--http-load' && path.resolve(process.argv[1] ?? '') === SELF) {
  process.once('message', (task) => {
    runLoad(task as LoadTask)
      .then((r) => process.send!(r, () => process.exit(0)))
      .catch((err) => {
        console.error(err);
        process.exit(1);
      });
  });
}
