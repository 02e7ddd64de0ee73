// Catalog imports against live databases: the MovieLens importer (real ml-latest-small movies.csv,
// and a small hand-written folder with tricky CSV) and the Korean demo catalog seed (wouldyouci
// fixtures), both idempotent; then the embedded SQLite mode with the first-start seed.
//
// The numbers below were counted from the files themselves (not from this code):
// - ml-latest-small/movies.csv: 9,742 movies; 20 distinct genre tokens of which one is
//   "(no genres listed)" (34 movies), so 19 genres and 22,050 movie–genre links; ratings.csv has
//   100,836 rows; links.csv 9,742.
// - wouldyouci: genre.json 29 genres; people_fixture.json 59 people; movie_fixture_10.json 10 movies
//   and new_movie_13.json 13 records, one of them the "정보 없음" placeholder (pk 1) → 22 movies with
//   41 genre links. Their directors/actors reference 85 people: the 47 of movie_fixture_10.json are in
//   people_fixture.json (12 more people there are referenced by no movie); the 38 of new_movie_13.json
//   are not, so those 12 movies have genres but no credits.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieCredit, MovieGenre } from '../../src/modules/catalog/movie.entity.js';
import { Person } from '../../src/modules/catalog/person.entity.js';
import { createTestApp, createTestContext, type TestContext } from '../support/context.js';

/** Everything an import could change: row counts, and every movie's id, names, updated_at and genres. */
async function snapshot(ds: DataSource) {
  const movies = await ds.getRepository(Movie).find({ select: { id: true, name: true, nameEng: true, movielensId: true, updatedAt: true }, order: { id: 'ASC' } });
  const links = await ds.getRepository(MovieGenre).find({ order: { movieId: 'ASC', genreId: 'ASC' } });
  return {
    movies,
    links: links.map((l) => `${l.movieId}:${l.genreId}`),
    genres: await ds.getRepository(Genre).count(),
    people: await ds.getRepository(Person).count(),
    credits: await ds.getRepository(MovieCredit).count(),
  };
}

async function genresOf(ds: DataSource, movielensId: number): Promise<string[]> {
  const movie = await ds.getRepository(Movie).findOneByOrFail({ movielensId });
  const rows = await ds.getRepository(MovieGenre).find({ where: { movieId: movie.id }, relations: { genre: true } });
  return rows.map((r) => r.genre!.name).sort();
}

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
  for (const r of rows) got.push({ movielensId: r.movielensId, name: r.name, genres: await genresOf(ds, r.movielensId!) });
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
    const before = await snapshot(ctx.rt.ds);
    const audits = await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'import' });
    await new Promise((r) => setTimeout(r, 20)); // a rewrite would show in updated_at (microseconds)
    const again = await ctx.rt.services.catalogImport.importMovieLens(dir, { batchSize: 3 });
    expect(again.movies).toEqual({ inserted: 0, updated: 0, unchanged: 7 });
    expect(again.genres).toEqual({ inserted: 0, unchanged: 10 });
    expect(await snapshot(ctx.rt.ds)).toEqual(before);
    expect(await ctx.rt.ds.getRepository(AuditEntry).countBy({ action: 'import' })).toBe(audits);

    // Toy Story loses Fantasy and gains IMAX; Babylon 5 gets its year; a new movie appears.
    const edited = TRICKY_MOVIES.replace('Adventure|Animation|Children|Comedy|Fantasy', 'Adventure|Animation|Children|Comedy|IMAX')
      .replace('40697,Babylon 5,', '40697,Babylon 5 (1994),')
      .concat('999,New One (2018),Drama\r\n');
    writeTrickyFolder(dir, edited);
    const changed = await ctx.rt.services.catalogImport.importMovieLens(dir);
    expect(changed.movies).toEqual({ inserted: 1, updated: 1, unchanged: 6 });
    expect(changed.genres).toEqual({ inserted: 1, unchanged: 9 }); // the 10 genres of the file, IMAX new
    expect(await genresOf(ctx.rt.ds, 1)).toEqual(['Adventure', 'Animation', 'Children', 'Comedy', 'IMAX']);
    const after = await snapshot(ctx.rt.ds);
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

describe('MovieLens import of the real ml-latest-small (MariaDB)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ redis: false });
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('imports the 9,742 movies and 19 genres of movies.csv; a second run changes nothing', async () => {
    const dir = path.join(ctx.config.sharedDataDir, 'ml-latest-small');
    const ds = ctx.rt.ds;
    const first = await ctx.rt.services.catalogImport.importMovieLens(dir);
    expect(first).toEqual({
      movies: { inserted: 9742, updated: 0, unchanged: 0 },
      genres: { inserted: 19, unchanged: 0 },
      links: 9742,
      ratingsSeen: 100836,
      skipped: 0,
      issues: [],
    });
    expect(await ds.getRepository(Movie).count()).toBe(9742);
    expect(await ds.getRepository(Genre).count()).toBe(19);
    expect(await ds.getRepository(MovieGenre).count()).toBe(22050);
    expect(await ds.getRepository(Genre).existsBy({ name: '(no genres listed)' })).toBe(false);
    const withoutGenres = await ds
      .getRepository(Movie)
      .createQueryBuilder('m')
      .where((qb) => `NOT EXISTS ${qb.subQuery().select('1').from(MovieGenre, 'mg').where('mg.movie_id = m.id').getQuery()}`)
      .getCount();
    expect(withoutGenres).toBe(34);
    expect(await ds.getRepository(Movie).findOneByOrFail({ movielensId: 11 })).toEqual(expect.objectContaining({ name: 'American President, The', nameEng: 'American President, The', openDate: null }));
    expect((await ds.getRepository(Movie).findOneByOrFail({ movielensId: 7789 })).name).toBe('11\'09"01 - September 11');
    expect((await ds.getRepository(Movie).findOneByOrFail({ movielensId: 6016 })).name).toBe('City of God (Cidade de Deus)');
    expect(await genresOf(ds, 1)).toEqual(['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy']);

    const before = await snapshot(ds);
    const second = await ctx.rt.services.catalogImport.importMovieLens(dir, { countRatings: false });
    expect(second).toEqual({
      movies: { inserted: 0, updated: 0, unchanged: 9742 },
      genres: { inserted: 0, unchanged: 19 },
      links: 9742,
      ratingsSeen: null,
      skipped: 0,
      issues: [],
    });
    expect(await snapshot(ds)).toEqual(before);
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

  it('loads 29 genres, 59 people and 22 movies with their genres and credits in order, keeping the fixture ids', async () => {
    const report = await ctx.rt.services.catalogImport.seedDemo(ctx.config.sharedDataDir);
    expect(report).toEqual({
      dir: path.join(ctx.config.sharedDataDir, 'wouldyouci'),
      genres: { inserted: 29, unchanged: 0 },
      people: { inserted: 59, unchanged: 0 },
      movies: { inserted: 22, unchanged: 0 },
      genreLinks: 41,
      credits: 47,
      creditsSkipped: 38,
      placeholders: 1,
      issues: [],
    });
    const ds = ctx.rt.ds;
    expect(await ds.getRepository(Movie).count()).toBe(22);
    expect(await ds.getRepository(Genre).count()).toBe(29);
    expect(await ds.getRepository(Person).count()).toBe(59);
    expect(await ds.getRepository(MovieGenre).count()).toBe(41);
    expect(await ds.getRepository(MovieCredit).count()).toBe(47);
    expect(await ds.getRepository(Movie).existsBy({ name: '정보 없음' })).toBe(false);
    expect(await ds.getRepository(Genre).findOneByOrFail({ id: 1 })).toEqual(expect.objectContaining({ name: '드라마' }));
    expect(await ds.getRepository(Genre).findOneByOrFail({ id: 29 })).toEqual(expect.objectContaining({ name: '공연실황' }));
    expect(await ds.getRepository(Person).findOneByOrFail({ id: 1640 })).toEqual(expect.objectContaining({ name: '우디 앨런' }));

    // The seed's example movie, through the catalog service: credits in the fixture's billing order.
    const view = await ctx.rt.services.catalog.movieView(85579, 'ko');
    expect(view.movie).toEqual(
      expect.objectContaining({ id: 85579, name: '신과함께-죄와 벌', nameEng: 'Along With the Gods: The Two Worlds', watchGrade: '12세 관람가', runningTime: 139, openDate: '2017-12-20', trailer: 'https://www.youtube.com/embed/sD7dmu-IWNw', movielensId: null }),
    );
    expect(view.movie.summary).toMatch(/^저승 법에 의하면, 모든 인간은 사후 49일 동안/);
    expect(view.directors).toEqual(['김용화']);
    expect(view.actors).toEqual(['하정우', '차태현', '주지훈', '김향기', '김동욱']);
    expect(view.genres.sort()).toEqual(['드라마', '판타지']);
    const rainy = await ctx.rt.services.catalog.movieView(152691, 'ko');
    expect(rainy.actors).toEqual(['티모시 샬라메', '엘르 패닝', '셀레나 고메즈', '주드 로', '리브 슈라이버']);
    expect(rainy.genres).toEqual(['로맨스']);

    // new_movie_13.json: trailer beside `fields`, "110분 " with a space, a year-only open date, no grade.
    const mystery = await ctx.rt.services.catalog.movieView(29061, 'ko');
    expect(mystery.movie).toEqual(expect.objectContaining({ name: '미스터리 트레인', runningTime: 110, openDate: null, trailer: 'https://www.youtube.com/embed/F7BUSeTjaWI', watchGrade: '15세 관람가' }));
    expect(mystery.directors).toEqual([]);
    expect(mystery.genres).toEqual(['드라마']);
    expect((await ds.getRepository(Movie).findOneByOrFail({ id: 182465 })).watchGrade).toBeNull();
    expect((await ds.getRepository(Movie).findOneByOrFail({ id: 193101 })).poster).toBeNull();

    // And over HTTP, in the seed's shape.
    const res = await request(ctx.app).get('/movie/152691/').expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({ id: 152691, name: '레이니 데이 인 뉴욕', name_eng: 'A Rainy Day in New York', watch_grade: '15세 관람가', running_time: '92분', open_date: '2020-05-06', directors: ['우디 앨런'], genres: ['로맨스'] }),
    );
  });

  it('seeding again changes nothing, and seedDemoIfEmpty leaves a non-empty catalog alone', async () => {
    const ds = ctx.rt.ds;
    const before = await snapshot(ds);
    const audits = await ds.getRepository(AuditEntry).count();
    await new Promise((r) => setTimeout(r, 20));
    const again = await ctx.rt.services.catalogImport.seedDemo(ctx.config.sharedDataDir);
    expect(again).toEqual(expect.objectContaining({ genres: { inserted: 0, unchanged: 29 }, people: { inserted: 0, unchanged: 59 }, movies: { inserted: 0, unchanged: 22 }, genreLinks: 0, credits: 0, issues: [] }));
    expect(await ctx.rt.services.catalogImport.seedDemoIfEmpty(ctx.config.sharedDataDir)).toEqual({ status: 'not-empty', movies: 22 });
    expect(await snapshot(ds)).toEqual(before);
    expect(await ds.getRepository(AuditEntry).count()).toBe(audits);
  });

  it('keeps what staff changed, and does not take an id that belongs to another movie', async () => {
    const ds = ctx.rt.ds;
    await ds.getRepository(Movie).update({ id: 151728 }, { name: '코코 (더빙)' });
    await ds.getRepository(MovieCredit).delete({ movieId: 85579, role: 'actor' });
    const report = await ctx.rt.services.catalogImport.seedDemo(ctx.config.sharedDataDir);
    expect(report.movies).toEqual({ inserted: 0, unchanged: 21 });
    expect(report.issues).toEqual([{ file: 'movie_fixture_10.json', line: 151728, reason: 'movie id 151728 already belongs to "코코 (더빙)"' }]);
    expect((await ds.getRepository(Movie).findOneByOrFail({ id: 151728 })).name).toBe('코코 (더빙)');
    expect(await ds.getRepository(MovieCredit).countBy({ movieId: 85579, role: 'actor' })).toBe(0);
    expect(await ds.getRepository(Movie).count()).toBe(22);
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
    const missing = await svc.seedDemoIfEmpty(path.join(os.tmpdir(), 'no-such-shared-data'));
    expect(missing).toEqual({ status: 'missing', dir: path.join(os.tmpdir(), 'no-such-shared-data', 'wouldyouci'), files: ['genre.json', 'people_fixture.json', 'movie_fixture_10.json', 'new_movie_13.json'] });
    expect(await ctx.rt.ds.getRepository(Movie).count()).toBe(0);

    const seeded = await svc.seedDemoIfEmpty(ctx.config.sharedDataDir);
    expect(seeded.status).toBe('seeded');
    expect(seeded.status === 'seeded' && seeded.report).toEqual(
      expect.objectContaining({ genres: { inserted: 29, unchanged: 0 }, people: { inserted: 59, unchanged: 0 }, movies: { inserted: 22, unchanged: 0 }, genreLinks: 41, credits: 47, creditsSkipped: 38 }),
    );
    const view = await ctx.rt.services.catalog.movieView(85579, 'ko');
    expect(view.actors).toEqual(['하정우', '차태현', '주지훈', '김향기', '김동욱']);
    const before = await snapshot(ctx.rt.ds);
    expect(await svc.seedDemoIfEmpty(ctx.config.sharedDataDir)).toEqual({ status: 'not-empty', movies: 22 });
    expect((await svc.seedDemo(ctx.config.sharedDataDir)).movies).toEqual({ inserted: 0, unchanged: 22 });
    expect(await snapshot(ctx.rt.ds)).toEqual(before);
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
      expect(await genresOf(ctx.rt.ds, e.movielensId)).toEqual(e.genres);
    }
    const before = await snapshot(ctx.rt.ds);
    expect((await svc.importMovieLens(dir)).movies).toEqual({ inserted: 0, updated: 0, unchanged: 7 });
    expect(await snapshot(ctx.rt.ds)).toEqual(before);
    expect(await ctx.rt.ds.getRepository(Movie).count()).toBe(29);
  });
});
