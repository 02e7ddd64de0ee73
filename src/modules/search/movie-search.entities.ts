// The movie search index (owned by the search module, written only by MovieSearchService through
// the catalog's MovieTitleIndex port). One term per searchable title of a movie (its name and, when
// different, its English name) with the normalised form, the 초성 string and the length. What a
// query looks up besides (grams, deletion variants, their frequencies) is derived from `norm` in
// memory (title-memory.ts). Rows follow their movie: the catalog's writes replace them in the same
// transaction, and a deleted movie's rows go with it (ON DELETE CASCADE, so even a raw row delete
// cannot leave them behind).
import { BaseEntity, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Movie, type WatchGrade } from '../catalog/movie.entity.js';

export const TERM_FIELDS = ['name', 'name_eng'] as const;
export type TermField = (typeof TERM_FIELDS)[number];

@Entity({ name: 'movie_search_terms' })
// Read by movie (the primary key: a refresh) or whole (a load): queries look the terms up in memory.
export class MovieSearchTerm extends BaseEntity {
  @PrimaryColumn({ name: 'movie_id', type: 'int' })
  movieId!: number;

  @PrimaryColumn({ type: 'varchar', length: 8 })
  field!: TermField;

  /** The title as the catalog has it (what autocomplete shows). */
  @Column({ type: 'varchar', length: 200 })
  title!: string;

  /** normalise(title): lower case, no spaces or punctuation. */
  @Column({ type: 'varchar', length: 200 })
  norm!: string;

  /** choseong(norm): every syllable replaced by its initial consonant. */
  @Column({ type: 'varchar', length: 200 })
  choseong!: string;

  /** Characters of norm (shorter titles are closer to an exact match among prefix candidates). */
  @Column({ type: 'int' })
  len!: number;

  /**
   * The movie's rating count (ranks equally relevant titles): set when the movie is indexed and
   * moved with every rating in the rating's transaction (CatalogService.adjustRatingCounters).
   */
  @Column({ type: 'int', default: 0 })
  popularity!: number;

  /** The movie's watch grade, kept with the term so the age gate filters in the same query. */
  @Column({ name: 'watch_grade', type: 'varchar', length: 20, nullable: true })
  watchGrade!: WatchGrade | null;

  @ManyToOne(() => Movie, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'movie_id' })
  movie?: Movie;
}
