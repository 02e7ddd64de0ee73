// Benchmark of the recommendation models: rating error and top-10 quality on one split.
//
//   npm run bench:recs -- [--ratings FILE] [--json] [--sweep] [--fold-in] [--synthetic N[,N…]] [--synthetic-models ease,hybrid] [--synthetic-only]
//
// FILE is a MovieLens ratings file, `ratings.csv` (userId,movieId,rating,timestamp with a header) or
// tab-separated `u.data` (user item rating timestamp); default ../shared/data/ml-latest-small/ratings.csv.
// Split: each rating goes to the held-out 20 % with a seeded PRNG (seed 42). For every model: RMSE and
// MAE on the held-out ratings (rating models only), P@10, R@10, NDCG@10 against each member's held-out
// ratings ≥ 4.0 with candidates = training items the member has not rated in training, catalogue
// coverage of the lists, training time and the peak RSS of the process that trained it (one child
// process per model). `--sweep` adds the EASE variants the served model was chosen from.
// `--synthetic N` trains the served ranking model (and the hybrid up to 5M) on N synthetic ratings.
// With --json the last line is one JSON object:
//   {"data", "ratings", "models": [{"name","kind","rmse","mae","p_at_10","r_at_10","ndcg_at_10","coverage","train_s","peak_rss_mib"[,"served"]}], …}
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { trainModel } from '../src/modules/recommendations/engine/index.js';
import { InteractionsBuilder, RANKING_DEFAULTS, trainRanking } from '../src/modules/recommendations/engine/ranking.js';
import { MiB, maxRssBytes } from './lib/measure.js';
import { evalSet, evaluateSpec, foldInCurve, splitMask, trainSpec, type ModelResult, type ModelSpec } from './lib/rank-eval.js';
import { readRatingsFile } from './lib/ratings-file.js';
import { generateSynthetic, syntheticRatings } from './lib/synthetic.js';

/** The served ranking model: what the worker trains (engine defaults). */
export const SERVED: ModelSpec = { name: 'ease', kind: 'ranking', ranking: { kind: 'ease' }, served: true };
const MODELS: ModelSpec[] = [
  { name: 'popularity', kind: 'baseline', ranking: { kind: 'popularity' } },
  { name: 'baseline', kind: 'rating', algorithm: 'baseline' },
  { name: 'hybrid', kind: 'rating', algorithm: 'hybrid' },
  SERVED,
];
const SWEEP: ModelSpec[] = [
  ...[50, 100, 400, 800].map((lambda): ModelSpec => ({ name: `ease λ=${lambda}`, kind: 'ranking', ranking: { lambda } })),
  ...[500, 1000, 2000, 3000].map((maxItems): ModelSpec => ({ name: `ease n≤${maxItems}`, kind: 'ranking', ranking: { maxItems } })),
  { name: 'ease binary', kind: 'ranking', ranking: {}, weighting: 'binary' },
];
const TARGETS = { rankingVsPopularity: 1.6, hybridRmse: 0.834 };

type Task = { kind: 'model'; spec: ModelSpec; file: string } | { kind: 'foldin'; file: string } | { kind: 'synthetic'; model: 'ease' | 'hybrid'; ratings: number };

interface SyntheticResult {
  model: string;
  ratings: number;
  users: number;
  items: number;
  generate_s: number;
  train_s: number;
  peak_rss_mib: number;
  modelled_items?: number;
}

// ---- child side --------------------------------------------------------------------------------

async function runModel(task: Extract<Task, { kind: 'model' }>): Promise<ModelResult> {
  const d = await readRatingsFile(task.file);
  const isTest = splitMask(d.length);
  const trained = trainSpec(task.spec, d, isTest);
  const peak = maxRssBytes() / MiB;
  const r = evaluateSpec(task.spec, trained, d, isTest, evalSet(d, isTest));
  return { ...r, train_s: trained.seconds, peak_rss_mib: peak };
}

function syntheticShape(ratings: number): { users: number; items: number } {
  // Roughly MovieLens-20M's shape (138k members, 27k movies for 20M ratings), scaled.
  return { users: Math.max(2000, Math.round(ratings / 145)), items: Math.max(2000, Math.min(27_000, Math.round(ratings / 740))) };
}

function runSynthetic(task: Extract<Task, { kind: 'synthetic' }>): SyntheticResult {
  const shape = syntheticShape(task.ratings);
  const t0 = performance.now();
  const data = generateSynthetic({ ...shape, ratings: task.ratings, seed: 7 });
  const generateSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let modelled: number | undefined;
  if (task.model === 'ease') {
    // What the worker does: events streamed into typed arrays, then the model.
    const b = new InteractionsBuilder(data.length);
    for (let k = 0; k < data.length; k++) b.add(data.users[k]! + 1, data.items[k]! + 1, 1);
    // The generator's arrays are not needed any more (the worker never holds them).
    (data as { users: Int32Array }).users = new Int32Array(0);
    (data as { items: Int32Array }).items = new Int32Array(0);
    (data as { expected: Float32Array }).expected = new Float32Array(0);
    const model = trainRanking(b.build(), {});
    modelled = model.info.modelled;
  } else {
    trainModel(syntheticRatings(data), { algorithm: 'hybrid', seed: 42 });
  }
  return { model: task.model, ratings: task.ratings, ...shape, generate_s: generateSeconds, train_s: (performance.now() - t1) / 1000, peak_rss_mib: maxRssBytes() / MiB, modelled_items: modelled };
}

// ---- parent side -------------------------------------------------------------------------------

function runChild<T>(task: Task): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify(task)], {
      execArgv: [...process.execArgv, '--max-old-space-size=4096'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: T | undefined;
    child.on('message', (m) => (result = m as T));
    child.on('error', reject);
    child.on('exit', (code) => (result !== undefined && code === 0 ? resolve(result) : reject(new Error(`bench child ${JSON.stringify(task)} exited with ${code}`))));
  });
}

interface Args {
  file: string;
  json: boolean;
  sweep: boolean;
  synthetic: number[];
  syntheticOnly: boolean;
  foldIn: boolean;
  syntheticModels: Array<'ease' | 'hybrid'>;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { file: fileURLToPath(new URL('../../shared/data/ml-latest-small/ratings.csv', import.meta.url)), json: false, sweep: false, synthetic: [], syntheticOnly: false, foldIn: false, syntheticModels: ['ease', 'hybrid'] };
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    const value = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++k];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--ratings' || a.startsWith('--ratings=')) args.file = value();
    else if (a === '--json') args.json = true;
    else if (a === '--sweep') args.sweep = true;
    else if (a === '--synthetic' || a.startsWith('--synthetic=')) args.synthetic = value().split(',').map((s) => Number(s.replace(/_/g, '')));
    else if (a === '--synthetic-only') args.syntheticOnly = true;
    else if (a === '--fold-in') args.foldIn = true;
    else if (a === '--synthetic-models' || a.startsWith('--synthetic-models=')) args.syntheticModels = value().split(',') as Array<'ease' | 'hybrid'>;
    else if (a === '--help' || a === '-h') {
      console.log('usage: npm run bench:recs -- [--ratings FILE] [--json] [--sweep] [--fold-in] [--synthetic N[,N…]] [--synthetic-models ease,hybrid] [--synthetic-only]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  if (args.synthetic.some((n) => !(Number.isInteger(n) && n > 0))) throw new Error('--synthetic takes positive integers');
  return args;
}

const f = (x: number | null | undefined, d = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(d));

function table(rows: ModelResult[]): string {
  const header = ['model', 'kind', 'RMSE', 'MAE', 'P@10', 'R@10', 'NDCG@10', 'coverage', 'train s', 'peak RSS MiB'];
  const body = rows.map((r) => [r.name + (r.served ? ' (served)' : ''), r.kind, f(r.rmse), f(r.mae), f(r.p_at_10), f(r.r_at_10), f(r.ndcg_at_10), f(r.coverage, 3), f(r.train_s, 2), f(r.peak_rss_mib, 0)]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((v, c) => (c <= 1 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const load = os.loadavg().map((x) => Number(x.toFixed(2)));
  console.log(`recommendation bench — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${load.join(' ')}`);
  const report: Record<string, unknown> = { data: args.file, ratings: 0, models: [] as ModelResult[] };
  if (!args.syntheticOnly) {
    if (!existsSync(args.file)) throw new Error(`no ratings file at ${args.file}; pass --ratings FILE`);
    const d = await readRatingsFile(args.file);
    report.ratings = d.length;
    console.log(`${args.file}: ${d.length} ratings (${d.format}); 80/20 split, seed 42; relevant = held-out ≥ 4.0; ease defaults λ=${RANKING_DEFAULTS.lambda}, ≤${RANKING_DEFAULTS.maxItems} items\n`);
    const rows: ModelResult[] = [];
    for (const spec of [...MODELS, ...(args.sweep ? SWEEP : [])]) {
      const r = await runChild<ModelResult>({ kind: 'model', spec, file: args.file });
      rows.push(r);
      if (!args.json) console.log(`  ${r.name}: P@10 ${f(r.p_at_10)} NDCG@10 ${f(r.ndcg_at_10)} RMSE ${f(r.rmse)} in ${f(r.train_s, 2)} s`);
    }
    report.models = rows;
    console.log('\n' + table(rows));
    const pop = rows.find((r) => r.name === 'popularity')!;
    const served = rows.find((r) => r.served)!;
    const hybrid = rows.find((r) => r.name === 'hybrid')!;
    const checks = {
      p_at_10: served.p_at_10 / pop.p_at_10,
      ndcg_at_10: served.ndcg_at_10 / pop.ndcg_at_10,
      ranking_target_met: served.p_at_10 >= TARGETS.rankingVsPopularity * pop.p_at_10 && served.ndcg_at_10 >= TARGETS.rankingVsPopularity * pop.ndcg_at_10,
      hybrid_rmse_target_met: (hybrid.rmse ?? Infinity) <= TARGETS.hybridRmse,
    };
    console.log(
      `\nserved (${served.name}) vs popularity: P@10 ×${f(checks.p_at_10, 2)}, NDCG@10 ×${f(checks.ndcg_at_10, 2)} (target ×${TARGETS.rankingVsPopularity}: ${checks.ranking_target_met ? 'met' : 'NOT met'}); ` +
        `hybrid RMSE ${f(hybrid.rmse)} (target ≤ ${TARGETS.hybridRmse}: ${checks.hybrid_rmse_target_met ? 'met' : 'NOT met'})`,
    );
  }
  if (args.foldIn) {
    const curve = await runChild<Array<{ k: number; hybrid: number; biasOnly: number; pairs: number }>>({ kind: 'foldin', file: args.file });
    console.log('\nfold-in of members left out of training (10 %, seed 42): RMSE on their other ratings');
    for (const c of curve) console.log(`  k=${String(c.k).padStart(2)}: hybrid ${f(c.hybrid)}  bias-only ${f(c.biasOnly)}  (${c.pairs} pairs) → ${c.hybrid <= c.biasOnly ? 'hybrid' : 'bias-only'}`);
    report.fold_in = curve;
  }
  if (args.synthetic.length) {
    const out: SyntheticResult[] = [];
    for (const n of args.synthetic) {
      for (const model of args.syntheticModels) {
        if (model === 'hybrid' && n > 5_000_000) continue;
        const r = await runChild<SyntheticResult>({ kind: 'synthetic', model, ratings: n });
        out.push(r);
        console.log(`synthetic ${n} ratings (${r.users} members × ${r.items} items): ${model} trained in ${f(r.train_s, 1)} s, peak RSS ${f(r.peak_rss_mib, 0)} MiB${r.modelled_items ? `, ${r.modelled_items} items modelled` : ''} (generated in ${f(r.generate_s, 1)} s; load ${os.loadavg()[0]!.toFixed(2)})`);
      }
    }
    report.synthetic = out;
  }
  // The last line is the JSON report (always: bench/run-all.ts reads it; --json only quietens the progress lines).
  console.log(JSON.stringify(report));
}

if (process.argv[2] === '--child') {
  const task = JSON.parse(process.argv[3]!) as Task;
  const run =
    task.kind === 'model'
      ? runModel(task)
      : task.kind === 'foldin'
        ? readRatingsFile(task.file).then((d) => foldInCurve(d, [1, 2, 3, 5, 10, 20, 40]))
        : Promise.resolve(runSynthetic(task));
  run.then(
    (result) => process.send!(result, () => process.exit(0)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
