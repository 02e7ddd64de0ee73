// Where the repository is, whether this code runs from the TypeScript sources (tsx, jest) or from
// the transpiled copy in .build/ (`npm start`, see scripts/build-server.mjs): the nearest folder
// above this file that holds package.json. Files the product reads at run time (data/demo/, the
// AdminJS component sources) are found from here, whatever the working directory.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  let dir = from;
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(from, '..');
    dir = up;
  }
}

export const REPO_ROOT = findRoot(path.dirname(fileURLToPath(import.meta.url)));
