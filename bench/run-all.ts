// Every benchmark, one after the other, each in its own child process (`npm run bench`).
//
//   npm run bench [-- --quick] [-- --only catalog,search,recs,stats]
//
// Runs bench:catalog, bench:search, bench:recs and bench:stats with their own defaults (the sizes
// docs/benchmarks.md's numbers come from). --quick passes smaller sizes for a fast smoke run (a few
// minutes in all; the numbers are not comparable with the full runs). Each bench's output goes
// straight through; at the end a summary shows each one's exit code, wall time and the last JSON
// line it printed (kept in the summary's own JSON line). Exits non-zero when one of them failed.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, table } from './lib/http-load.js';

interface Bench {
  name: string;
  script: string;
  /** Size flags of a smoke run (each bench's own flags). */
  quick: string[];
}

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BENCHES: Bench[] = [
  { name: 'catalog', script: 'catalog-read.ts', quick: ['--movies', '2000', '--duration', '3', '--warmup', '1', '--connections', '16'] },
  { name: 'search', script: 'search.ts', quick: ['--movies', '10000', '--duration', '3', '--warmup', '1', '--connections', '16', '--queries', '500'] },
  { name: 'recs', script: 'recommend.ts', quick: ['--synthetic', '100000', '--synthetic-only'] },
  { name: 'stats', script: 'stats.ts', quick: ['--payments', '100000', '--events', '500000', '--days', '35'] },
];

interface Outcome {
  name: string;
  args: string[];
  code: number | null;
  signal: string | null;
  seconds: number;
  /** The last line of the output that parses as a JSON object (every bench ends with one). */
  report: unknown;
}

function parseArgs(argv: string[]): { quick: boolean; only: string[] } {
  let quick = false;
  let only = BENCHES.map((b) => b.name);
  const usage = `usage: npm run bench [-- --quick] [--only ${BENCHES.map((b) => b.name).join(',')}]`;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--quick') quick = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      only = (a.includes('=') ? a.slice('--only='.length) : (argv[++k] ?? '')).split(',').filter(Boolean);
      const unknown = only.filter((n) => !BENCHES.some((b) => b.name === n));
      if (!only.length || unknown.length) {
        console.error(`--only takes ${BENCHES.map((b) => b.name).join(', ')}\n${usage}`);
        process.exit(2);
      }
    } else if (a === '--help' || a === '-h') {
      console.log(usage);
      process.exit(0);
    } else {
      console.error(`unknown argument ${a}\n${usage}`);
      process.exit(2);
    }
  }
  return { quick, only };
}

function run(b: Bench, args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    // The same Node and loader flags as this process (tsx), output passed through and kept for the JSON line.
    const child = spawn(process.execPath, [...process.execArgv, path.join(HERE, b.script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let tail = '';
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-1_000_000);
    });
    const done = (code: number | null, signal: string | null) => {
      let report: unknown = null;
      for (const line of tail.split('\n').reverse()) {
        const s = line.trim();
        if (!s.startsWith('{')) continue;
        try {
          report = JSON.parse(s);
          break;
        } catch {
          // not the report line
        }
      }
      resolve({ name: b.name, args, code, signal, seconds: (performance.now() - t0) / 1000, report });
    };
    child.on('error', (err) => {
      console.error(`bench ${b.name} did not start: ${err.message}`);
      done(null, null);
    });
    child.on('exit', (code, signal) => done(code, signal));
  });
}

async function main() {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const selected = BENCHES.filter((b) => only.includes(b.name));
  const outcomes: Outcome[] = [];
  let stopping = false;
  process.once('SIGINT', () => (stopping = true));
  for (const b of selected) {
    if (stopping) break;
    const args = quick ? b.quick : [];
    console.log(`\n==== bench:${b.name} ${args.join(' ')}`.trimEnd() + ' ' + '='.repeat(Math.max(4, 80 - b.name.length - args.join(' ').length)));
    outcomes.push(await run(b, args));
  }
  const ok = (o: Outcome) => o.code === 0;
  console.log(`\n==== summary${quick ? ' (quick sizes)' : ''} ${'='.repeat(60)}`);
  console.log(
    table(
      ['bench', 'result', 'wall s', 'args'],
      outcomes.map((o) => [`bench:${o.name}`, ok(o) ? 'ok' : o.signal ? `FAILED (${o.signal})` : `FAILED (exit ${o.code})`, fmt(o.seconds, 1), o.args.join(' ') || '(defaults)']),
    ),
  );
  const failed = outcomes.filter((o) => !ok(o));
  const skipped = selected.length - outcomes.length;
  if (skipped) console.log(`${skipped} not run (interrupted)`);
  console.log('');
  console.log(JSON.stringify({ bench: 'all', quick, results: outcomes }));
  if (failed.length || skipped) process.exitCode = 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
