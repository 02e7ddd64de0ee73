// Where the CPU-heavy part of a training runs. `threadTrainer` (the default in every process) runs it
// in a node:worker_threads thread, so the process's event loop — the API's, in the embedded mode —
// keeps answering while the models are fitted; `inlineTrainer` runs it on the caller's thread.
// Both take typed-array input and give back the packed bundle (bytes ready for the ModelStore).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { packBundle, trainBundle, type BundleOptions, type TrainingInput } from './engine/index.js';

export interface Trainer {
  train(input: TrainingInput, options: BundleOptions, onProgress?: (fraction: number) => void): Promise<Uint8Array>;
}

export const inlineTrainer: Trainer = {
  async train(input, options, onProgress) {
    return packBundle(trainBundle(input, options, onProgress));
  },
};

const TS_BOOTSTRAP = `const { workerData } = require('node:worker_threads'); require(workerData.tsx).register(); require(workerData.entry);`;

export type ThreadMessage = { progress: number } | { bytes: Uint8Array } | { error: string };

export function threadTrainer(): Trainer {
  return {
    train(input, options, onProgress) {
      const url = new URL(import.meta.url.endsWith('.ts') ? './train-thread.ts' : './train-thread.js', import.meta.url);
      const transfer = [input.ratings.users, input.ratings.items, input.ratings.scores, input.events.users, input.events.items, input.events.weights].map((a) => a.buffer as ArrayBuffer);
      const unique = [...new Set(transfer)].filter((b) => b.byteLength > 0);
      return new Promise((resolve, reject) => {
        // From TypeScript sources (tsx, jest) the thread registers tsx's require hook, then loads its entry.
        const worker = url.pathname.endsWith('.ts')
          ? new Worker(TS_BOOTSTRAP, { eval: true, workerData: { input, options, entry: fileURLToPath(url), tsx: createRequire(import.meta.url).resolve('tsx/cjs/api') }, transferList: unique })
          : new Worker(url, { workerData: { input, options }, transferList: unique });
        let settled = false;
        worker.on('message', (m: ThreadMessage) => {
          if ('progress' in m) onProgress?.(m.progress);
          else if ('bytes' in m) {
            settled = true;
            resolve(m.bytes);
          } else {
            settled = true;
            reject(new Error(m.error));
          }
        });
        worker.on('error', (err) => {
          if (!settled) reject(err);
          settled = true;
        });
        worker.on('exit', (code) => {
          if (!settled) reject(new Error(`training thread exited with ${code}`));
          settled = true;
        });
      });
    },
  };
}
