// Issue 16, search quality: cases generated from the repository's demo titles (data/demo/, seeded
// as a fresh install does), asked through the API as the client asks them, on MariaDB and on the
// embedded SQLite database. One wrong, missing or extra syllable in a title of 3+ syllables finds
// the title in the first 10 results at least 95 % of the time; prefixes, spaces removed or added,
// 초성 and English names find it every time. (The same on the real Korean titles of the shared data:
// test/data/search-typos-korean.test.ts, npm run test:data.)
import type { Express } from 'express';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import { seedDemoCatalogIfEmpty } from '../../src/demo/seed.js';
import { createTestApp, type TestContext } from '../support/context.js';
import { LITERAL_KINDS, measure, report, searchCases, TYPO_KINDS, type SearchCase } from '../support/search-cases.js';

async function demoCases(ctx: TestContext): Promise<SearchCase[]> {
  const seeded = await seedDemoCatalogIfEmpty(ctx.rt.services, ctx.config.demoDataDir);
  expect(seeded.catalog.status).toBe('seeded');
  // What an anonymous caller may see (the age gate hides 청소년 관람불가).
  const movies = (await ctx.rt.ds.getRepository(Movie).find({ order: { id: 'ASC' } })).filter((m) => m.watchGrade !== '청소년 관람불가');
  expect(movies.length).toBeGreaterThan(40);
  return searchCases(movies.map((m) => ({ id: m.id, name: m.name, nameEng: m.nameEng })));
}

describe.each([
  ['MariaDB', { dialect: 'mysql' as const }],
  ['SQLite', { dialect: 'sqlite' as const, redis: false }],
])('search cases from the demo titles on %s', (label, opts) => {
  let ctx: TestContext & { app: Express };
  let cases: SearchCase[];
  beforeAll(async () => {
    ctx = await createTestApp(opts);
    cases = await demoCases(ctx);
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
  });

  it('finds the title for one wrong, missing or extra syllable ≥ 95 %, and for every prefix, spacing, 초성 and English name', async () => {
    const rates = await measure(ctx.app, cases);
    console.log(report(`demo titles, ${label}`, rates));
    for (const kind of TYPO_KINDS) {
      expect(rates.get(kind)!.cases).toBeGreaterThan(30);
      expect({ kind, rate: rates.get(kind)!.rate >= 0.95 }).toEqual({ kind, rate: true });
    }
    for (const kind of LITERAL_KINDS) {
      expect(rates.get(kind)!.cases).toBeGreaterThan(kind === 'english' ? 5 : 20);
      expect({ kind, misses: rates.get(kind)!.misses.map((m) => m.query) }).toEqual({ kind, misses: [] });
    }
  }, 120_000);
});
