// Benchmark of the recommendation engine.
//
//   npx tsx bench/recommend.ts [--data <dir with ratings.csv>] [--no-synthetic] [--synthetic-ratings N]
//
// 1. MovieLens ml-latest-small (read from SHARED_DATA_DIR/ml-latest-small — default ../shared/data —
//    or --data): a seeded random 20 % of the ratings is held out, every algorithm is trained on the rest
//    through the same trainModel() the worker runs, and RMSE / MAE / training time / memory are printed.
// 2. A synthetic 1M-rating set (10k users × 5k items, latent rank 8, seeded): training time and memory
//    of the chosen model at scale.
// Each run happens in a fresh child process so that its peak memory is its own. The last line of the
// output is one JSON object with every number.
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  evaluate,
  serializeModel,
  trainModel,
  type Algorithm,
  type Rating,
  type RecommenderModel,
} from '../src/modules/recommendations/engine/index.js';
import { Random } from '../src/modules/recommendations/engine/random.js';
import { sharedDataDirOf } from '../src/config.js';
import { MiB, PeakMemory, collectGarbage, maxRssBytes } from './lib/measure.js';
import { hasMovieLens, loadMovieLensRatings, randomSplit, ratingsCsvPath } from './lib/movielens.js';
import { generateSynthetic, syntheticRatings } from './lib/synthetic.js';

const CHOSEN: Algorithm = 'hybrid';
const ALGORITHMS: { algorithm: Algorithm; label: string }[] = [
  { algorithm: 'baseline', label: 'baseline (μ + b_u + b_i)' },
  { algorithm: 'mf', label: 'plain biased MF (SGD)' },
  { algorithm: 'svdpp', label: 'SVD++' },
  { algorithm: 'knn', label: 'item-KNN on baseline' },
  { algorithm: 'hybrid', label: 'hybrid (chosen)' },
];
const SPLIT = { testFraction: 0.2, seed: 42 };
const MODEL_SEED = 42;
const TARGETS = { rmse: 0.84, trainSeconds: 5, syntheticSeconds: 30, syntheticPeakBytes: 1024 * MiB };

type Task =
  | { kind: 'movielens'; algorithm: Algorithm; dataDir: string }
  | { kind: 'synthetic'; algorithm: Algorithm; users: number; items: number; ratings: number; heldOut: number };

interface RunResult {
  algorithm: Algorithm;
  trainRatings: number;
  testRatings: number;
  rmse: number;
  mae: number;
  trainSeconds: number;
  /** kernel high-water mark of the whole child process (runtime + data + training) */
  peakRssMiB: number;
  /** peak RSS sampled during training */
  trainingPeakRssMiB: number;
  /** peak process.memoryUsage().heapUsed sampled during training (excludes typed-array storage) */
  trainingPeakHeapUsedMiB: number;
  /** peak growth of V8 heap + ArrayBuffers during training */
  trainingAllocMiB: number;
  modelJsonMiB: number;
  recommendMs: number;
  extra?: Record<string, number>;
}

// ---- child side --------------------------------------------------------------------------------

function recommendLatency(model: RecommenderModel, train: Iterable<Rating>, users: number): number {
  const rated = new Map<number, Set<number>>();
  for (const r of train) {
    let s = rated.get(r.userId);
    if (!s) rated.set(r.userId, (s = new Set()));
    s.add(r.itemId);
  }
  const ids = [...rated.keys()].slice(0, users);
  const t0 = performance.now();
  for (const id of ids) model.recommend(id, rated.get(id)!, 10);
  return (performance.now() - t0) / Math.max(1, ids.length);
}

function measureTraining(train: () => Iterable<Rating>, algorithm: Algorithm): { model: RecommenderModel; seconds: number; peak: PeakMemory } {
  collectGarbage();
  const peak = new PeakMemory();
  const t0 = performance.now();
  const model = trainModel(train(), { algorithm, seed: MODEL_SEED, onProgress: peak.sample });
  const seconds = (performance.now() - t0) / 1000;
  peak.sample();
  return { model, seconds, peak };
}

function runMovieLens(task: Extract<Task, { kind: 'movielens' }>): RunResult {
  const { train, test } = randomSplit(loadMovieLensRatings(task.dataDir), SPLIT.testFraction, SPLIT.seed);
  const { model, seconds, peak } = measureTraining(() => train, task.algorithm);
  const peakRss = maxRssBytes();
  const e = evaluate(model, test);
  return {
    algorithm: task.algorithm,
    trainRatings: train.length,
    testRatings: test.length,
    rmse: e.rmse,
    mae: e.mae,
    trainSeconds: seconds,
    peakRssMiB: peakRss / MiB,
    trainingPeakRssMiB: peak.peakRss / MiB,
    trainingPeakHeapUsedMiB: peak.peakHeapUsed / MiB,
    trainingAllocMiB: peak.trainingBytes / MiB,
    modelJsonMiB: JSON.stringify(serializeModel(model)).length / MiB,
    recommendMs: recommendLatency(model, train, 200),
  };
}

function runSynthetic(task: Extract<Task, { kind: 'synthetic' }>): RunResult {
  const t0 = performance.now();
  const data = generateSynthetic({ users: task.users, items: task.items, ratings: task.ratings + task.heldOut, seed: 7 });
  const generateSeconds = (performance.now() - t0) / 1000;
  const rng = new Random(11);
  const isTest = new Uint8Array(data.length);
  for (let held = 0; held < task.heldOut; ) {
    const k = rng.int(data.length);
    if (!isTest[k]) {
      isTest[k] = 1;
      held++;
    }
  }
  const trainIter = () => syntheticRatings(data, 0, data.length, (k) => isTest[k] === 1);
  const { model, seconds, peak } = measureTraining(trainIter, task.algorithm);
  const peakRss = maxRssBytes();
  const test = [...syntheticRatings(data, 0, data.length, (k) => isTest[k] === 0)];
  const e = evaluate(model, test);
  // Noise floor: the generating model's own expected score against the observed (rounded, noisy) one.
  let se = 0;
  for (let k = 0; k < data.length; k++) if (isTest[k]) se += (Math.min(5, Math.max(0.5, data.expected[k]!)) - data.scores[k]!) ** 2;
  const baseline = evaluate(trainModel(trainIter(), { algorithm: 'baseline' }), test);
  return {
    algorithm: task.algorithm,
    trainRatings: task.ratings,
    testRatings: task.heldOut,
    rmse: e.rmse,
    mae: e.mae,
    trainSeconds: seconds,
    peakRssMiB: peakRss / MiB,
    trainingPeakRssMiB: peak.peakRss / MiB,
    trainingPeakHeapUsedMiB: peak.peakHeapUsed / MiB,
    trainingAllocMiB: peak.trainingBytes / MiB,
    modelJsonMiB: JSON.stringify(serializeModel(model)).length / MiB,
    recommendMs: recommendLatency(model, trainIter(), 200),
    extra: { generateSeconds, noiseFloorRmse: Math.sqrt(se / task.heldOut), baselineRmse: baseline.rmse },
  };
}

// ---- parent side -------------------------------------------------------------------------------

function runChild(task: Task): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', JSON.stringify(task)], {
      execArgv: [...process.execArgv, '--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: RunResult | undefined;
    child.on('message', (m) => (result = m as RunResult));
    child.on('error', reject);
    child.on('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`bench child for ${task.kind}/${task.algorithm} exited with ${code}`))));
  });
}

function parseArgs(argv: string[]): { dataDir: string; synthetic: boolean; syntheticRatings: number } {
  let dataDir = path.join(sharedDataDirOf(), 'ml-latest-small');
  let synthetic = true;
  let syntheticRatings = 1_000_000;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--data') dataDir = argv[++k] ?? dataDir;
    else if (a.startsWith('--data=')) dataDir = a.slice('--data='.length);
    else if (a === '--no-synthetic') synthetic = false;
    else if (a === '--synthetic-ratings') syntheticRatings = Number(argv[++k]);
    else if (a === '--help' || a === '-h') {
      console.log('usage: npx tsx bench/recommend.ts [--data <dir>] [--no-synthetic] [--synthetic-ratings N]');
      process.exit(0);
    } else if (!a.startsWith('-')) dataDir = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!(Number.isInteger(syntheticRatings) && syntheticRatings > 0)) throw new Error('--synthetic-ratings must be a positive integer');
  return { dataDir, synthetic, syntheticRatings };
}

const f = (x: number, d = 4) => (Number.isFinite(x) ? x.toFixed(d) : '-');

function table(rows: { label: string; r: RunResult }[]): string {
  const header = ['model', 'RMSE', 'MAE', 'train s', 'peak RSS MiB', 'peak heapUsed MiB', 'train alloc MiB', 'model JSON MiB', 'recommend ms'];
  const body = rows.map(({ label, r }) => [
    label,
    f(r.rmse),
    f(r.mae),
    f(r.trainSeconds, 2),
    f(r.peakRssMiB, 0),
    f(r.trainingPeakHeapUsedMiB, 0),
    f(r.trainingAllocMiB, 1),
    f(r.modelJsonMiB, 1),
    f(r.recommendMs, 1),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((v, c) => (c === 0 ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const machine = { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', totalMemMiB: Math.round(os.totalmem() / MiB) };
  console.log(`recommendation engine bench — node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}`);
  const report: Record<string, unknown> = { bench: 'recommend', machine, targets: TARGETS };

  if (hasMovieLens(args.dataDir)) {
    console.log(`\nMovieLens: ${ratingsCsvPath(args.dataDir)}; random ${SPLIT.testFraction * 100} % held out (split seed ${SPLIT.seed}), model seed ${MODEL_SEED}`);
    const rows: { label: string; r: RunResult }[] = [];
    for (const { algorithm, label } of ALGORITHMS) {
      const r = await runChild({ kind: 'movielens', algorithm, dataDir: args.dataDir });
      rows.push({ label, r });
      process.stdout.write(`  ${label}: RMSE ${f(r.rmse)} in ${f(r.trainSeconds, 2)} s\n`);
    }
    const first = rows[0]!.r;
    console.log(`\n${first.trainRatings} training / ${first.testRatings} held-out ratings\n`);
    console.log(table(rows));
    const chosen = rows.find((x) => x.r.algorithm === CHOSEN)!.r;
    const mf = rows.find((x) => x.r.algorithm === 'mf')!.r;
    const checks = {
      rmseTarget: chosen.rmse <= TARGETS.rmse,
      beatsPlainMf: chosen.rmse < mf.rmse,
      trainTimeTarget: chosen.trainSeconds <= TARGETS.trainSeconds,
    };
    console.log(
      `\nchosen (${CHOSEN}): RMSE ${f(chosen.rmse)} ${checks.rmseTarget ? '≤' : '>'} ${TARGETS.rmse}, ` +
        `${f(((mf.rmse - chosen.rmse) / mf.rmse) * 100, 1)} % below plain MF, trained in ${f(chosen.trainSeconds, 2)} s ` +
        `(${checks.trainTimeTarget ? 'within' : 'OVER'} ${TARGETS.trainSeconds} s)`,
    );
    report.movielens = { dataDir: args.dataDir, split: SPLIT, modelSeed: MODEL_SEED, results: rows.map((x) => x.r), checks };
  } else {
    console.warn(`\nMovieLens ratings not found at ${ratingsCsvPath(args.dataDir)}; pass --data <dir>. Skipping that part.`);
    report.movielens = null;
  }

  if (args.synthetic) {
    const spec = { users: 10_000, items: 5_000, ratings: args.syntheticRatings, heldOut: 10_000 };
    console.log(`\nSynthetic: ${spec.ratings} training ratings (+${spec.heldOut} held out), ${spec.users} users × ${spec.items} items, latent rank 8, seeded`);
    const r = await runChild({ kind: 'synthetic', algorithm: CHOSEN, ...spec });
    console.log('');
    console.log(table([{ label: `${CHOSEN} on synthetic`, r }]));
    const checks = { timeTarget: r.trainSeconds <= TARGETS.syntheticSeconds, memoryTarget: r.peakRssMiB * MiB <= TARGETS.syntheticPeakBytes };
    console.log(
      `\ntrained in ${f(r.trainSeconds, 2)} s (${checks.timeTarget ? 'within' : 'OVER'} ${TARGETS.syntheticSeconds} s), ` +
        `peak RSS ${f(r.peakRssMiB, 0)} MiB (${checks.memoryTarget ? 'within' : 'OVER'} 1024 MiB); ` +
        `held-out RMSE ${f(r.rmse)} vs baseline ${f(r.extra!.baselineRmse!)} and noise floor ${f(r.extra!.noiseFloorRmse!)}; ` +
        `data generated in ${f(r.extra!.generateSeconds!, 2)} s`,
    );
    report.synthetic = { spec, result: r, checks };
  }

  console.log('\n' + JSON.stringify(report));
}

if (process.argv[2] === '--child') {
  const task = JSON.parse(process.argv[3]!) as Task;
  const result = task.kind === 'movielens' ? runMovieLens(task) : runSynthetic(task);
  process.send!(result, () => process.exit(0));
} else {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
