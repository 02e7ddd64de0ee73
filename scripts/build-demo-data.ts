// `npm run demo:build [-- --out <dir>]`: writes data/demo/ from SHARED_DATA_DIR/wouldyouci (see
// scripts/lib/demo-data.ts for what is kept and what is left out).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { demoDataDirOf, sharedDataDirOf } from '../src/config.js';
import { buildDemoData, demoJson } from './lib/demo-data.js';

const at = process.argv.indexOf('--out');
const out = at > 0 && process.argv[at + 1] ? path.resolve(process.argv[at + 1]!) : demoDataDirOf();
const shared = sharedDataDirOf();
mkdirSync(out, { recursive: true });
for (const [file, value] of Object.entries(buildDemoData(shared))) writeFileSync(path.join(out, file), demoJson(value));
writeFileSync(path.join(out, 'LICENSE.wouldyouci'), readFileSync(path.join(shared, 'wouldyouci', 'LICENSE.wouldyouci')));
console.log(`demo data written to ${out} from ${path.join(shared, 'wouldyouci')}`);
