// `npm start` / `npm run worker`: runs a server entry from the transpiled copy in .build/ (plain
// Node, nothing compiled at start), building that copy first when a source changed since the last
// build (esbuild, about half a second; `npm install` builds it in postinstall). When the build
// cannot be made (esbuild missing), the TypeScript sources run through tsx as before.
//
//   node scripts/start.mjs [entry.ts]     default src/main.ts
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD_DIR, ensureServerBuild } from './build-server.mjs';

const entry = process.argv[2] ?? 'src/main.ts';
process.argv.splice(2, 1);
let target;
try {
  await ensureServerBuild({ quiet: true });
  target = path.join(BUILD_DIR, entry.replace(/\.ts$/, '.js'));
} catch (err) {
  console.warn(`start: running the TypeScript sources through tsx (no server build: ${err?.message ?? err})`);
  const { register } = await import('tsx/esm/api');
  register();
  target = path.resolve(entry);
}
await import(pathToFileURL(target).href);
