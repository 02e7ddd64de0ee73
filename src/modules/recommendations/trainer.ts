// Where the CPU-heavy part of a training runs. `threadTrainer` (the default in every process) runs it
// in a node:worker_threads thread, so the process's event loop — the API's, in the embedded mode —
// keeps answering while the models are fitted; `inlineTrainer` runs it on the caller's thread.
// Both take typed-array input and give back the packed bundle (bytes ready for the ModelStore).
import { startThread } from '../../threads.js';
import { packBundle, trainBundle, type BundleOptions, type TrainingInput } from './engine/index.js';

export interface Trainer {
  train(input: TrainingInput, options: BundleOptions, onProgress?: (fraction: number) => void): Promise<Uint8Array>;
}

export const inlineTrainer: Trainer = {
  async train(input, options, onProgress) {
    return packBundle(trainBundle(input, options, onProgress));
  },
};

export type ThreadMessage = { progress: number } | { bytes: Uint8Array } | { error: string };

export function threadTrainer(): Trainer {
  return {
    train(input, options, onProgress) {
      const transfer = [input.ratings.users, input.ratings.items, input.ratings.scores, input.events.users, input.events.items, input.events.weights].map((a) => a.buffer as ArrayBuffer);
      const unique = [...new Set(transfer)].filter((b) => b.byteLength > 0);
      return new Promise((resolve, reject) => {
        const worker = startThread(import.meta.url, './train-thread', { workerData: { input, options }, transferList: unique });
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
