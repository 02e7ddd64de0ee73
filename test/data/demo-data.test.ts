// data/demo/ is exactly what `npm run demo:build` writes from SHARED_DATA_DIR/wouldyouci: the
// committed demo data set has not drifted from its source and its rules (facts only, the license
// beside it).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { demoDataDirOf } from '../../src/config.js';
import { buildDemoData, demoJson } from '../../scripts/lib/demo-data.js';
import { sharedData } from './shared-data.js';

const demoDir = demoDataDirOf({});

describe('the demo data set', () => {
  it('equals what the build script writes from the source', () => {
    const built = buildDemoData(path.dirname(sharedData('wouldyouci')));
    for (const [file, value] of Object.entries(built)) {
      expect({ file, text: readFileSync(path.join(demoDir, file), 'utf8') }).toEqual({ file, text: demoJson(value) });
    }
    expect(readFileSync(path.join(demoDir, 'LICENSE.wouldyouci'), 'utf8')).toBe(readFileSync(sharedData('wouldyouci', 'LICENSE.wouldyouci'), 'utf8'));
  });

  it('holds no synopsis, poster, trailer, photo or transport text of the source', () => {
    const source = ['movie_fixture_10.json', 'new_movie_13.json'].flatMap((f) => JSON.parse(readFileSync(sharedData('wouldyouci', f), 'utf8').replace(/^\uFEFF/, '')) as Array<{ fields: Record<string, unknown> }>);
    const all = readFileSync(path.join(demoDir, 'movies.json'), 'utf8') + readFileSync(path.join(demoDir, 'cinemas.json'), 'utf8') + readFileSync(path.join(demoDir, 'showtimes.json'), 'utf8');
    for (const { fields } of source) {
      for (const key of ['summary', 'poster', 'trailer']) {
        const v = fields[key];
        if (typeof v === 'string' && v.trim().length > 10) expect(all.includes(v.trim().slice(0, 40))).toBe(false);
      }
    }
    expect(all).not.toMatch(/pstatic\.net|youtube\.com|img\.cgv|# 지하철|주차/);
  });
});
