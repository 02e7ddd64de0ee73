// Catalog imports against live databases: the MovieLens importer (a small hand-written folder
// with tricky CSV) and the demo catalog seed (the repository's data/demo/), both idempotent; then
// the embedded SQLite mode with the first-start seed. (The import of the real ml-latest-small is in
// test/data/, `npm run test:data`.)
//
// The numbers below were counted from data/demo/ itself (see data/demo/README.md): genres.json 29
// genres; people.json 47 people; movies.json 57 movies (21 full records, 36 titles only) with 34
// genre links and 47 credits (directors and actors of the 10 movies that have them).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { fileURLToPath } from 'node:url';
import { IsNull, Not, type DataSource } from 'typeorm';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieCredit, MovieGenre } from '../../src/modules/catalog/movie.entity.js';
import { Person } from '../../src/modules/catalog/person.entity.js';
import { catalogSnapshot, genresOfMovielens } from '../support/catalog-snapshot.js';
import { createTestApp, createTestContext, type TestContext } from '../support/context.js';

function tempDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'mq-ml-'));
}

// A MovieLens-format folder written by hand: BOM, CRLF, quoted commas, doubled quotes, a line break
// inside quotes, "(no genres listed)", a year range, no year, a trailing space, a repeated and a bad id.
const TRICKY_MOVIES =
  '\uFEFFmovieId,title,genres\r\n' +
  '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\r\n' +
  '11,"American President, The (1995)",Comedy|Drama|Romance\r\n' +
  '7789,"11\'09""01 - September 11 (2002)",Drama\r\n' +
  '27008,From Dusk Till Dawn 2: Texas Blood Money (1999) ,Comedy|Crime|Horror\r\n' +
  '40697,Babylon 5,Sci-Fi\r\n' +
  '171749,Death Note: Desu nôto (2006–2007),(no genres listed)\r\n' +
  '500,"Line\r\nBreak, ""The"" (2001)",Drama|Drama|Comedy\r\n' +
  '11,Duplicate id (1999),Drama\r\n' +
  'x12,Bad id (1999),Drama\r\n' +
  '13,Short row\r\n';

const TRICKY_EXPECTED = [
  { movielensId: 1, name: 'Toy Story', genres: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'] },
  { movielensId: 11, name: 'American President, The', genres: ['Comedy', 'Drama', 'Romance'] },
  { movielensId: 500, name: 'Line\r\nBreak, "The"', genres: ['Comedy', 'Drama'] },
  { movielensId: 7789, name: '11\'09"01 - September 11', genres: ['Drama'] },
  { movielensId: 27008, name: 'From Dusk Till Dawn 2: Texas Blood Money', genres: ['Comedy', 'Crime', 'Horror'] },
  { movielensId: 40697, name: 'Babylon 5', genres: ['Sci-Fi'] },
  { movielensId: 171749, name: 'Death Note: Desu nôto', genres: [] },
];

function writeTrickyFolder(dir: string, movies = TRICKY_MOVIES) {
  writeFileSync(path.join(dir, 'movies.csv'), movies, 'utf8');
  writeFileSync(path.join(dir, 'links.csv'), 'movieId,imdbId,tmdbId\n1,0114709,862\n11,0112346,9087\n', 'utf8');
  writeFileSync(path.join(dir, 'ratings.csv'), 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,11,3.5,964981247\n2,7789,5.0,964982224\n', 'utf8');
}

async function expectTrickyImported(ds: DataSource) {
  const rows = await ds.getRepository(Movie).find({ order: { movielensId: 'ASC' } });
  const got = [];
  for (const r of rows) got.push({ movielensId: r.movielensId, name: r.name, genres: await genresOfMovielens(ds, r.movielensId!) });
  expect(got).toEqual(TRICKY_EXPECTED);
  for (const r of rows) {
    expect(r.nameEng).toBe(r.name);
    // The year is a release year, not an opening date: nothing false is stored.
    expect(r.openDate).toBeNull();
  }
  expect((await ds.getRepository(Genre).find({ order: { name: 'ASC' } })).map((g) => g.name)).toEqual([
    'Adventure',
    'Animation',
    'Children',
    'Comedy',
    'Crime',
    'Drama',
    'Fantasy',
    'Horror',
    'Romance',
    'Sci-Fi',
  ]);
}

describe('MovieLens import (MariaDB)', () => {
  let ctx: TestContext;
  const dirs: string[] = [];
  beforeAll(async () => {
    ctx = await createTestContext({ redis: false });
  });
  afterAll(async () => {
    await ctx.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('parses a hand-written folder with tricky CSV exactly, in batches, and reports the bad rows', async () => {
    const dir = tempDir();
    dirs.push(dir);
    writeTrickyFolder(dir);
    const report = await ctx.rt.services.catalogImport.importMovieLens(dir, { batchSize: 2 });
    expect(report).toEqual({
      movies: { inserted: 7, updated: 0, unchanged: 0 },
      genres: { inserted: 10, unchanged: 0 },
      links: 2,
      ratingsSeen: 3,
      skipped: 3,
      issues: [
        { file: 'movies.csv', line: 10, reason: 'movieId 11 repeats line 3' },
        { file: 'movies.csv', line: 11, reason: 'movieId "x12" is not a positive whole number' },
        { file: 'movies.csv', line: 12, reason: 'expected 3 columns, got 2' },
      ],
    });
    await expectTrickyImported(ctx.rt.ds);
  });

  it('a second run changes nothing; an edited file updates only the movies it changed', async () => {
    const dir = dirs[0]!;
    const before = await catalogSnapshot(ctx.rt.ds);
    const audits = await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'import' });
    await new Promise((r) => setTimeout(r, 20)); // a rewrite would show in updated_at (microseconds)
    const again = await ctx.rt.services.catalogImport.importMovieLens(dir, { batchSize: 3 });
    expect(again.movies).toEqual({ inserted: 0, updated: 0, unchanged: 7 });
    expect(again.genres).toEqual({ inserted: 0, unchanged: 10 });
    expect(await catalogSnapshot(ctx.rt.ds)).toEqual(before);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'import' })).toBe(audits);

    // Toy Story loses Fantasy and gains IMAX; Babylon 5 gets its year; a new movie appears.
    const edited = TRICKY_MOVIES.replace('Adventure|Animation|Children|Comedy|Fantasy', 'Adventure|Animation|Children|Comedy|IMAX')
      .replace('40697,Babylon 5,', '40697,Babylon 5 (1994),')
      .concat('999,New One (2018),Drama\r\n');
    writeTrickyFolder(dir, edited);
    const changed = await ctx.rt.services.catalogImport.importMovieLens(dir);
    expect(changed.movies).toEqual({ inserted: 1, updated: 1, unchanged: 6 });
    expect(changed.genres).toEqual({ inserted: 1, unchanged: 9 }); // the 10 genres of the file, IMAX new
    expect(await genresOfMovielens(ctx.rt.ds, 1)).toEqual(['Adventure', 'Animation', 'Children', 'Comedy', 'IMAX']);
    const after = await catalogSnapshot(ctx.rt.ds);
    const updatedAt = (s: typeof before, ml: number) => s.movies.find((m) => m.movielensId === ml)!.updatedAt.getTime();
    expect(updatedAt(after, 1)).toBeGreaterThan(updatedAt(before, 1));
    for (const ml of [11, 500, 7789, 27008, 40697, 171749]) expect(updatedAt(after, ml)).toBe(updatedAt(before, ml));
    expect(after.movies.find((m) => m.movielensId === 999)).toEqual(expect.objectContaining({ name: 'New One' }));
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'import' })).toBe(audits + 1);
  });

  it('rejects a folder without movies.csv and a movies.csv without the MovieLens header', async () => {
    const dir = tempDir();
    dirs.push(dir);
    await expect(ctx.rt.services.catalogImport.importMovieLens(dir)).rejects.toThrow(/no movies\.csv/);
    writeFileSync(path.join(dir, 'movies.csv'), 'id,name\n1,x\n');
    await expect(ctx.rt.services.catalogImport.importMovieLens(dir)).rejects.toThrow(/no "movieId" column/);
  });
});

describe('demo catalog seed (MariaDB)', () => {
  let ctx: TestContext & { app: import('express').Express };
  beforeAll(async () => {
    ctx = await createTestApp({ redis: false });
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('loads 29 genres, 47 people and 57 movies with their genres and credits in order, keeping the ids of the files', async () => {
    expect(ctx.config.demoDataDir).toBe(path.resolve(fileURLToPath(new URL('../../data/demo/', import.meta.url))));
    const report = await ctx.rt.services.catalogImport.seedDemo(ctx.config.demoDataDir);
    expect(report).toEqual({
      dir: ctx.config.demoDataDir,
      genres: { inserted: 29, unchanged: 0 },
      people: { inserted: 47, unchanged: 0 },
      movies: { inserted: 57, unchanged: 0 },
      genreLinks: 34,
      credits: 47,
      issues: [],
    });
    const ds = ctx.rt.ds;
    expect(await ds.getRepository(Movie).count()).toBe(57);
    expect(await ds.getRepository(Genre).count()).toBe(29);
    expect(await ds.getRepository(Person).count()).toBe(47);
    expect(await ds.getRepository(MovieGenre).count()).toBe(34);
    expect(await ds.getRepository(MovieCredit).count()).toBe(47);
    expect(await ds.getRepository(Genre).findOneByOrFail({ id: 1 })).toEqual(expect.objectContaining({ name: '드라마' }));
    expect(await ds.getRepository(Genre).findOneByOrFail({ id: 29 })).toEqual(expect.objectContaining({ name: '공연실황' }));
    expect(await ds.getRepository(Person).findOneByOrFail({ id: 1640 })).toEqual(expect.objectContaining({ name: '우디 앨런' }));

    // The seed's example movie, through the catalog service: credits in the fixture's billing order.
    const view = await ctx.rt.services.catalog.movieView(85579);
    expect(view.movie).toEqual(
      expect.objectContaining({ id: 85579, name: '신과함께-죄와 벌', nameEng: 'Along With the Gods: The Two Worlds', watchGrade: '12세 관람가', runningTime: 139, openDate: '2017-12-20', trailer: null, poster: null, movielensId: null }),
    );
    // Our own one line, not the source's synopsis.
    expect(view.movie.summary).toBe('죽은 소방관이 저승 차사들과 함께 49일 동안 일곱 번의 재판을 받는 판타지 드라마.');
    expect(view.directors).toEqual(['김용화']);
    expect(view.actors).toEqual(['하정우', '차태현', '주지훈', '김향기', '김동욱']);
    expect(view.genres.sort()).toEqual(['드라마', '판타지']);
    const rainy = await ctx.rt.services.catalog.movieView(152691);
    expect(rainy.actors).toEqual(['티모시 샬라메', '엘르 패닝', '셀레나 고메즈', '주드 로', '리브 슈라이버']);
    expect(rainy.genres).toEqual(['로맨스']);

    // A record without a full opening date or credits; a title-only record (the source named another work).
    const mystery = await ctx.rt.services.catalog.movieView(29061);
    expect(mystery.movie).toEqual(expect.objectContaining({ name: '미스터리 트레인', runningTime: 110, openDate: null, watchGrade: '15세 관람가' }));
    expect(mystery.directors).toEqual([]);
    expect(mystery.genres).toEqual(['드라마']);
    expect(await ds.getRepository(Movie).findOneByOrFail({ id: 193101 })).toEqual(expect.objectContaining({ name: '신세계', nameEng: null, openDate: null, runningTime: null, watchGrade: null, summary: null }));
    // Nothing of the source's third-party content: no synopsis, poster or trailer anywhere.
    expect(await ds.getRepository(Movie).countBy({ poster: Not(IsNull()) })).toBe(0);
    expect(await ds.getRepository(Movie).countBy({ trailer: Not(IsNull()) })).toBe(0);

    // And over HTTP, in the seed's shape.
    const res = await request(ctx.app).get('/movie/152691/').expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({ id: 152691, name: '레이니 데이 인 뉴욕', name_eng: 'A Rainy Day in New York', watch_grade: '15세 관람가', running_time: '92분', open_date: '2020-05-06', directors: ['우디 앨런'], genres: ['로맨스'] }),
    );
    // A movie without a poster is "" (the seed's web client shows it with an image component).
    expect(res.body.poster).toBe('');
  });

  it('seeding again changes nothing, and seedDemoIfEmpty leaves a non-empty catalog alone', async () => {
    const ds = ctx.rt.ds;
    const before = await catalogSnapshot(ds);
    const audits = await ds.getRepository(AuditEntry).count();
    await new Promise((r) => setTimeout(r, 20));
    const again = await ctx.rt.services.catalogImport.seedDemo(ctx.config.demoDataDir);
    expect(again).toEqual(expect.objectContaining({ genres: { inserted: 0, unchanged: 29 }, people: { inserted: 0, unchanged: 47 }, movies: { inserted: 0, unchanged: 57 }, genreLinks: 0, credits: 0, issues: [] }));
    expect(await ctx.rt.services.catalogImport.seedDemoIfEmpty(ctx.config.demoDataDir)).toEqual({ status: 'not-empty', movies: 57 });
    expect(await catalogSnapshot(ds)).toEqual(before);
    expect(await ds.getRepository(AuditEntry).count()).toBe(audits);
  });

  it('keeps what staff changed, and does not take an id that belongs to another movie', async () => {
    const ds = ctx.rt.ds;
    await ds.getRepository(Movie).update({ id: 151728 }, { name: '코코 (더빙)' });
    await ds.getRepository(MovieCredit).delete({ movieId: 85579, role: 'actor' });
    const report = await ctx.rt.services.catalogImport.seedDemo(ctx.config.demoDataDir);
    expect(report.movies).toEqual({ inserted: 0, unchanged: 56 });
    expect(report.issues).toEqual([{ file: 'movies.json', line: 151728, reason: 'movie id 151728 already belongs to "코코 (더빙)"' }]);
    expect((await ds.getRepository(Movie).findOneByOrFail({ id: 151728 })).name).toBe('코코 (더빙)');
    expect(await ds.getRepository(MovieCredit).countBy({ movieId: 85579, role: 'actor' })).toBe(0);
    expect(await ds.getRepository(Movie).count()).toBe(57);
  });
});

describe('embedded mode (SQLite): first-start seed and import', () => {
  let ctx: TestContext;
  const dirs: string[] = [];
  beforeAll(async () => {
    ctx = await createTestContext({ dialect: 'sqlite', redis: false });
  });
  afterAll(async () => {
    await ctx.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('seedDemoIfEmpty: missing folder → nothing; empty catalog → the demo; then nothing more', async () => {
    const svc = ctx.rt.services.catalogImport;
    const missing = await svc.seedDemoIfEmpty(path.join(os.tmpdir(), 'no-such-demo-data'));
    expect(missing).toEqual({ status: 'missing', dir: path.join(os.tmpdir(), 'no-such-demo-data'), files: ['genres.json', 'people.json', 'movies.json'] });
    expect(await ctx.rt.ds.getRepository(Movie).count()).toBe(0);

    const seeded = await svc.seedDemoIfEmpty(ctx.config.demoDataDir);
    expect(seeded.status).toBe('seeded');
    expect(seeded.status === 'seeded' && seeded.report).toEqual(
      expect.objectContaining({ genres: { inserted: 29, unchanged: 0 }, people: { inserted: 47, unchanged: 0 }, movies: { inserted: 57, unchanged: 0 }, genreLinks: 34, credits: 47, issues: [] }),
    );
    const view = await ctx.rt.services.catalog.movieView(85579);
    expect(view.actors).toEqual(['하정우', '차태현', '주지훈', '김향기', '김동욱']);
    const before = await catalogSnapshot(ctx.rt.ds);
    expect(await svc.seedDemoIfEmpty(ctx.config.demoDataDir)).toEqual({ status: 'not-empty', movies: 57 });
    expect((await svc.seedDemo(ctx.config.demoDataDir)).movies).toEqual({ inserted: 0, unchanged: 57 });
    expect(await catalogSnapshot(ctx.rt.ds)).toEqual(before);
  });

  it('imports the tricky MovieLens folder on SQLite too, idempotently', async () => {
    // Its own genres live beside the demo's: compare only what the import wrote.
    const dir = tempDir();
    dirs.push(dir);
    writeTrickyFolder(dir);
    const svc = ctx.rt.services.catalogImport;
    expect((await svc.importMovieLens(dir)).movies).toEqual({ inserted: 7, updated: 0, unchanged: 0 });
    const ml = await ctx.rt.ds.getRepository(Movie).find({ where: { movielensId: TRICKY_EXPECTED[0]!.movielensId } });
    expect(ml).toHaveLength(1);
    for (const e of TRICKY_EXPECTED) {
      expect((await ctx.rt.ds.getRepository(Movie).findOneByOrFail({ movielensId: e.movielensId })).name).toBe(e.name);
      expect(await genresOfMovielens(ctx.rt.ds, e.movielensId)).toEqual(e.genres);
    }
    const before = await catalogSnapshot(ctx.rt.ds);
    expect((await svc.importMovieLens(dir)).movies).toEqual({ inserted: 0, updated: 0, unchanged: 7 });
    expect(await catalogSnapshot(ctx.rt.ds)).toEqual(before);
    expect(await ctx.rt.ds.getRepository(Movie).count()).toBe(64);
  });
});
