// The MovieLens importer on the real ml-latest-small (SHARED_DATA_DIR/ml-latest-small), against
// live MariaDB: counted from the files themselves (not from this code) — movies.csv has 9,742
// movies; 20 distinct genre tokens of which one is "(no genres listed)" (34 movies), so 19 genres
// and 22,050 movie–genre links; ratings.csv has 100,836 rows; links.csv 9,742.
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieGenre } from '../../src/modules/catalog/movie.entity.js';
import { catalogSnapshot, genresOfMovielens } from '../support/catalog-snapshot.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { sharedData } from './shared-data.js';

describe('MovieLens import of the real ml-latest-small (MariaDB)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ redis: false });
  });
  afterAll(async () => {
    await ctx.close();
  });

  it('imports the 9,742 movies and 19 genres of movies.csv; a second run changes nothing', async () => {
    const dir = sharedData('ml-latest-small');
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
    expect(await genresOfMovielens(ds, 1)).toEqual(['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy']);

    const before = await catalogSnapshot(ds);
    const second = await ctx.rt.services.catalogImport.importMovieLens(dir, { countRatings: false });
    expect(second).toEqual({
      movies: { inserted: 0, updated: 0, unchanged: 9742 },
      genres: { inserted: 0, unchanged: 19 },
      links: 9742,
      ratingsSeen: null,
      skipped: 0,
      issues: [],
    });
    expect(await catalogSnapshot(ds)).toEqual(before);
  }, 120_000); // 9,742 movies imported and compared twice: well past the default 30 s on a busy machine
});
