// A node:worker_threads thread running a module of this tree: from the TypeScript sources (tsx,
// jest, the benches) the thread registers tsx's require hook first and then loads the module; from
// the transpiled build (`npm start`: .build/) it loads the .js beside the caller. Used by the
// recommendations' trainer (a training per thread) and the movie search (its terms held and
// queried off the event loop).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const TS_BOOTSTRAP = `const { workerData } = require('node:worker_threads'); require(workerData.tsx).register(); require(workerData.entry);`;

/**
 * Starts the module `name` (a sibling of `callerUrl`, without extension: './train-thread') in a new
 * thread. The module reads `options.workerData` as its workerData (from the sources with the
 * bootstrap's `entry` and `tsx` beside its keys).
 */
export function startThread(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  const fromSources = callerUrl.endsWith('.ts');
  const url = new URL(`${name}${fromSources ? '.ts' : '.js'}`, callerUrl);
  if (!fromSources) return new Worker(url, options);
  const tsx = createRequire(import.meta.url).resolve('tsx/cjs/api');
  return new Worker(TS_BOOTSTRAP, { ...options, eval: true, workerData: { ...(options.workerData as object), entry: fileURLToPath(url), tsx } });
}
