// `npm install` / `npm ci`: prepares the first `npm start` from the installed packages only (no
// network), so it does not spend seconds compiling:
//   1. the server's TypeScript transpiled into .build/ (scripts/build-server.mjs, esbuild);
//   2. the AdminJS component bundle (.adminjs/, `npm run admin:bundle`).
// Skipped when the sources are not there yet (the Dockerfile installs the packages before it copies
// the sources, then runs `npm run build:start` itself). A failure does not fail the install: `npm
// start` then builds what is missing (the server copy at start, the panel bundle when it first loads).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const tsx = path.join('node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
if (!existsSync(path.join('admin', 'bundle-cli.ts')) || !existsSync(path.join('src', 'main.ts')) || !existsSync(tsx)) {
  console.log('postinstall: sources or tsx not there yet; nothing is prebuilt now');
  process.exit(0);
}
try {
  const { ensureServerBuild } = await import('./build-server.mjs');
  await ensureServerBuild({ force: true });
} catch (err) {
  console.warn(`postinstall: the server was not transpiled (${err?.message ?? err}); \`npm start\` will do it`);
}
const r = spawnSync(tsx, [path.join('admin', 'bundle-cli.ts')], { stdio: 'inherit', shell: process.platform === 'win32' });
if (r.status !== 0) console.warn('postinstall: the AdminJS bundle was not built; run `npm run admin:bundle` (or the panel builds it when it first loads)');
