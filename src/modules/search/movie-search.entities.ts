// The movie search index (owned by the search module, written only by MovieSearchService through
// the catalog's MovieTitleIndex port). One term per searchable title of a movie (its name and, when
// different, its English name) with the normalised form, the 초성 string and the length; one gram
// row per distinct padded bigram of a movie's normalised titles. Rows follow their movie: the
// catalog's writes replace them in the same transaction, and a deleted movie's rows go with it
// (ON DELETE CASCADE, so even a raw row delete cannot leave them behind).
import { BaseEntity, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Movie, type WatchGrade } from '../catalog/movie.entity.js';

export const TERM_FIELDS = ['name', 'name_eng'] as const;
export type TermField = (typeof TERM_FIELDS)[number];

@Entity({ name: 'movie_search_terms' })
// Covering indexes: a prefix lookup sorts its matches by length and popularity and filters them
// by grade from the index alone (no row reads), which keeps one-letter prefixes cheap.
@Index('ix_movie_search_terms_norm_cover', ['norm', 'len', 'popularity', 'watchGrade'])
@Index('ix_movie_search_terms_choseong_cover', ['choseong', 'norm', 'len', 'popularity', 'watchGrade'])
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

@Entity({ name: 'movie_search_grams' })
@Index('ix_movie_search_grams_movie', ['movieId'])
export class MovieSearchGram extends BaseEntity {
  /** A padded bigram of a normalised title ("^신", "신과", …, "벌$"). */
  @PrimaryColumn({ type: 'varchar', length: 4 })
  gram!: string;

  @PrimaryColumn({ name: 'movie_id', type: 'int' })
  movieId!: number;

  @ManyToOne(() => Movie, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'movie_id' })
  movie?: Movie;
}

/**
 * How many movies have each gram (document frequency), kept with the grams in the same
 * transactions: a query looks up only its rarest grams. Approximate after a raw row delete in the
 * panel (the cascade does not count down); search.reindex recomputes it.
 */
@Entity({ name: 'movie_search_gram_df' })
export class MovieSearchGramDf extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 4 })
  gram!: string;

  @Column({ type: 'int' })
  df!: number;
}

/**
 * The deletion neighbourhood of a movie's short Korean titles (text/typos.ts): each normalised
 * title of at most VARIANT_MAX_CHARS characters under itself and under every string left by
 * deleting one of its characters. A query looks up itself and its one-character deletions: the
 * titles one syllable wrong, missing or extra.
 */
@Entity({ name: 'movie_search_variants' })
@Index('ix_movie_search_variants_movie', ['movieId'])
export class MovieSearchVariant extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 48 })
  variant!: string;

  @PrimaryColumn({ name: 'movie_id', type: 'int' })
  movieId!: number;

  @ManyToOne(() => Movie, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'movie_id' })
  movie?: Movie;
}
