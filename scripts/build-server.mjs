// Transpiles the server's TypeScript (src/, admin/, jobs/, migrations/) into .build/, file by file
// with esbuild (no bundling, same layout, ESM), so `npm start` and `npm run worker` run plain Node
// and skip compiling a few hundred files on every start (issue 15: first answer ≤ 2 s).
//
//   node scripts/build-server.mjs           build when a source changed since the last build
//   node scripts/build-server.mjs --force   build anyway
//   node scripts/build-server.mjs --check   exit 1 when .build/ is missing or stale (no build)
//
// Types are not checked here (`npm run typecheck` does that); the AdminJS components (.tsx) are
// bundled by `npm run admin:bundle`, not here. Exported `ensureServerBuild` is used by
// scripts/start.mjs.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BUILD_DIR = path.join(ROOT, '.build');
const STAMP = path.join(BUILD_DIR, '.stamp.json');
const SOURCE_DIRS = ['src', 'admin', 'jobs', 'migrations'];

function sources() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      // .tsx (the panel's React components) belong to the AdminJS bundle; plain .ts next to them
      // (admin/components/format.ts) is shared with the server and transpiled too.
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of SOURCE_DIRS) if (existsSync(path.join(ROOT, d))) walk(path.join(ROOT, d));
  return out.sort();
}

/** What the build was made from: every source's path, size and mtime, and the build script itself. */
function fingerprint(files) {
  const parts = files.map((f) => {
    const s = statSync(f);
    return `${path.relative(ROOT, f)}:${s.size}:${s.mtimeMs}`;
  });
  parts.push(`script:${statSync(fileURLToPath(import.meta.url)).mtimeMs}`);
  return parts.join('\n');
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')).fingerprint;
  } catch {
    return null;
  }
}

/** True when .build/ holds a transpiled copy of the current sources. */
export function serverBuildFresh() {
  return readStamp() === fingerprint(sources());
}

/** Builds .build/ when it is missing or stale. Returns 'fresh' | 'built'. */
export async function ensureServerBuild({ force = false, quiet = false } = {}) {
  const files = sources();
  const fp = fingerprint(files);
  if (!force && readStamp() === fp) return 'fresh';
  const started = Date.now();
  const esbuild = await import('esbuild');
  // Built beside .build/ and then swapped in, so a process starting at the same moment never
  // imports from a half-written folder.
  const tmp = `${BUILD_DIR}-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  await esbuild.build({
    entryPoints: files,
    outdir: tmp,
    outbase: ROOT,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'inline',
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    logLevel: 'error',
  });
  writeFileSync(path.join(tmp, path.basename(STAMP)), JSON.stringify({ fingerprint: fp, builtAt: new Date().toISOString(), files: files.length }));
  const old = `${tmp}-old`;
  if (existsSync(BUILD_DIR)) renameSync(BUILD_DIR, old);
  renameSync(tmp, BUILD_DIR);
  rmSync(old, { recursive: true, force: true });
  if (!quiet) console.log(`server build: ${files.length} files transpiled into .build/ in ${Date.now() - started} ms`);
  return 'built';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args.includes('--check')) {
    const fresh = serverBuildFresh();
    console.log(fresh ? 'server build: fresh' : 'server build: missing or stale');
    process.exit(fresh ? 0 : 1);
  }
  await ensureServerBuild({ force: args.includes('--force') });
}
