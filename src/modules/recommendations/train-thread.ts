// The training thread (see trainer.ts): fits the bundle from the transferred typed arrays, posts
// progress now and then, and transfers the packed bytes back.
import { parentPort, workerData } from 'node:worker_threads';
import { packBundle, trainBundle, type BundleOptions, type TrainingInput } from './engine/index.js';

const { input, options } = workerData as { input: TrainingInput; options: BundleOptions };
let last = -1;
try {
  const bytes = packBundle(
    trainBundle(input, options, (f) => {
      const pct = Math.floor(f * 100);
      if (pct !== last) {
        last = pct;
        parentPort!.postMessage({ progress: f });
      }
    }),
  );
  const out = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  parentPort!.postMessage({ bytes: out }, [out.buffer as ArrayBuffer]);
} catch (err) {
  parentPort!.postMessage({ error: String(err instanceof Error ? err.stack ?? err.message : err) });
}
