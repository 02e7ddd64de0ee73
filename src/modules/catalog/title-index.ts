// The catalog's port to a title index (the search module implements it; src/runtime.ts wires it).
// Every path that creates, renames, regrades or deletes movies calls it inside its own
// transaction, so the index commits or rolls back with the movie.
import type { EntityManager } from 'typeorm';
import type { WatchGrade } from './movie.entity.js';

/** What an index needs of a movie. */
export interface IndexedTitle {
  id: number;
  name: string;
  nameEng: string | null;
  watchGrade: WatchGrade | null;
  /** Rating count now (the index ranks equally relevant titles by it). */
  ratingCount: number;
}

export interface MovieTitleIndex {
  /** (Re)index these movies: their index rows are replaced. */
  upsert(m: EntityManager, movies: readonly IndexedTitle[]): Promise<void>;
  /** Forget these movies. */
  remove(m: EntityManager, ids: readonly number[]): Promise<void>;
  /** A movie's rating count changed by `delta` (an atomic increment in the rating's transaction). */
  adjustPopularity(m: EntityManager, movieId: number, delta: number): Promise<void>;
}

/** No index (the default until the composition root plugs one in). */
export const NO_TITLE_INDEX: MovieTitleIndex = Object.freeze({
  upsert: async () => {},
  remove: async () => {},
  adjustPopularity: async () => {},
});
