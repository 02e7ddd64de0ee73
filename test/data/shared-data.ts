// The big external data of `npm run test:data` (MovieLens ml-latest-small, the Korean ratings of the
// wouldyouci crawl): read from SHARED_DATA_DIR (default ../shared/data). A missing folder fails the
// suite with a line saying what to set — never a silent skip.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sharedDataDirOf } from '../../src/config.js';

/** The path of `parts` under SHARED_DATA_DIR; throws when it is not there. */
export function sharedData(...parts: string[]): string {
  const file = path.join(sharedDataDirOf(), ...parts);
  if (!existsSync(file)) {
    throw new Error(`npm run test:data needs ${file}: set SHARED_DATA_DIR to the folder holding ml-latest-small/ and wouldyouci/ (see docs/operations.md)`);
  }
  return file;
}
