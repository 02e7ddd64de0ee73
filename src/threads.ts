// A node:worker_threads thread running a module of this tree: from the TypeScript sources (tsx,
// jest, the benches) the thread registers tsx's ESM hooks first and then imports the module
// (thread-bootstrap.mjs: as an ES module, as the build runs it; through tsx's CommonJS hook every
// imported name was a getter call, 7 % of the search thread's time); from the transpiled build
// (`npm start`: .build/) it loads the .js beside the caller. Used by the
// recommendations' trainer (a training per thread) and the movie search (its terms held and
// queried off the event loop).
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const TS_BOOTSTRAP = new URL('./thread-bootstrap.mjs', import.meta.url);

/**
 * Starts the module `name` (a sibling of `callerUrl`, without extension: './train-thread') in a new
 * thread. The module reads `options.workerData` as its workerData (from the sources with the
 * bootstrap's `entry` beside its keys).
 */
export function startThread(callerUrl: string, name: string, options: WorkerOptions = {}): Worker {
  const fromSources = callerUrl.endsWith('.ts');
  const url = new URL(`${name}${fromSources ? '.ts' : '.js'}`, callerUrl);
  if (!fromSources) return new Worker(url, options);
  return new Worker(TS_BOOTSTRAP, { ...options, workerData: { ...(options.workerData as object), entry: fileURLToPath(url) } });
}
