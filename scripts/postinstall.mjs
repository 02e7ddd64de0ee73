// `npm install` / `npm ci`: builds the AdminJS component bundle (.adminjs/) right away, from the
// installed packages only (no network), so the first `npm start` does not spend seconds on it.
// Skipped when the admin sources are not there yet (the Dockerfile installs the packages before it
// copies the sources, then runs `npm run admin:bundle` itself). A failure does not fail the install:
// the panel then builds its bundle when it first loads.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const tsx = path.join('node_modules', '.bin', process.platform === 'win32' ? 'tsx.cmd' : 'tsx');
if (!existsSync(path.join('admin', 'bundle-cli.ts')) || !existsSync(tsx)) {
  console.log('postinstall: admin sources or tsx not there yet; the AdminJS bundle is not built now');
  process.exit(0);
}
const r = spawnSync(tsx, [path.join('admin', 'bundle-cli.ts')], { stdio: 'inherit', shell: process.platform === 'win32' });
if (r.status !== 0) console.warn('postinstall: the AdminJS bundle was not built; run `npm run admin:bundle` (or the panel builds it when it first loads)');
