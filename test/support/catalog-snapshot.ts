// What a catalog import could change, read straight from the tables: shared by the import tests on
// the demo files (test/api/import.test.ts) and on the real MovieLens data (test/data/).
import type { DataSource } from 'typeorm';
import { Genre } from '../../src/modules/catalog/genre.entity.js';
import { Movie, MovieCredit, MovieGenre } from '../../src/modules/catalog/movie.entity.js';
import { Person } from '../../src/modules/catalog/person.entity.js';

/** Everything an import could change: row counts, and every movie's id, names, updated_at and genres. */
export async function catalogSnapshot(ds: DataSource) {
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

/** The genre names of the movie imported from a MovieLens id, sorted. */
export async function genresOfMovielens(ds: DataSource, movielensId: number): Promise<string[]> {
  const movie = await ds.getRepository(Movie).findOneByOrFail({ movielensId });
  const rows = await ds.getRepository(MovieGenre).find({ where: { movieId: movie.id }, relations: { genre: true } });
  return rows.map((r) => r.genre!.name).sort();
}
