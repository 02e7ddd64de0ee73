// The AdminJS component bundle is built once (at install/build time, `npm run admin:bundle`) and
// reused at start-up; it is rebuilt only when a component source or AdminJS itself changed.
// (AdminJS otherwise bundles on every start: its issues #924 and #1187.)
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type AdminJS from 'adminjs';
import { setAdminBundleEnv } from '../src/config.js';

const OUT_DIR = path.resolve('.adminjs');
const BUNDLE = path.join(OUT_DIR, 'bundle.js');
const STAMP = path.join(OUT_DIR, 'marquee-bundle.sha256');

/** AdminJS's version (its package.json is not exported, so it is read from beside its entry). */
function adminVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.resolve('adminjs')));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}

export function componentsHash(componentDir: string): string {
  const h = createHash('sha256').update(adminVersion());
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else h.update(entry.name).update(readFileSync(full));
    }
  };
  walk(componentDir);
  // The registry that maps component names to these files is part of the bundle too.
  const registry = path.join(componentDir, '..', 'components.ts');
  if (existsSync(registry)) h.update('components.ts').update(readFileSync(registry));
  return h.digest('hex');
}

export function bundleIsFresh(hash: string): boolean {
  return existsSync(BUNDLE) && existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === hash;
}

/** Builds the bundle when stale; afterwards AdminJS is told to skip bundling. Returns whether it built. */
export async function ensureBundle(admin: AdminJS, hash: string): Promise<boolean> {
  let built = false;
  if (!bundleIsFresh(hash)) {
    mkdirSync(OUT_DIR, { recursive: true });
    setAdminBundleEnv({ skipBundle: false, production: true });
    await admin.initialize();
    writeFileSync(STAMP, hash);
    built = true;
  }
  setAdminBundleEnv({ skipBundle: true, production: true });
  return built;
}
