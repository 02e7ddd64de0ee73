// `npm run routes`: writes docs/routes.md from the routes the app registers (`-- --check`: exits 1
// when the file is out of date). Builds the app on a throw-away embedded database.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { routeIndexMarkdown } from '../src/http/route-index.js';
import type { RouteIndexEntry } from '../src/http/route.js';
import { createRuntime } from '../src/runtime.js';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const file = path.join(root, 'docs', 'routes.md');
const dir = mkdtempSync(path.join(os.tmpdir(), 'mq-routes-'));
try {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dir, SQLITE_FILE: path.join(dir, 'routes.sqlite'), LOG_LEVEL: 'silent', JWT_SECRET: 'routes-index-only', SESSION_SECRET: 'routes-index-only' });
  const rt = await createRuntime(config, { migrate: true, schedule: false });
  const app = await buildApp(rt, { admin: false });
  const text = routeIndexMarkdown(app.locals.routeIndex as RouteIndexEntry[]);
  await rt.close();
  if (process.argv.includes('--check')) {
    const current = readFileSync(file, 'utf8');
    if (current !== text) {
      console.error('docs/routes.md is out of date: run `npm run routes`');
      process.exitCode = 1;
    } else console.log('docs/routes.md is up to date');
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${path.relative(root, file)} (${text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| method')).length} routes)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
