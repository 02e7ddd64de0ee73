// A thread started from the TypeScript sources (src/threads.ts, under tsx, jest or the benches):
// tsx's ESM hooks are registered in this thread, then its module is imported as the ES module it is
// (as the transpiled build runs it: imports are bindings, not CommonJS getters).
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';

register();
await import(pathToFileURL(workerData.entry).href);
