import {
  BaseEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { Genre } from './genre.entity.js';
import { Manufacturer } from './manufacturer.entity.js';
import { Person } from './person.entity.js';

export const WATCH_GRADES = ['전체 관람가', '12세 관람가', '15세 관람가', '청소년 관람불가'] as const;
export type WatchGrade = (typeof WATCH_GRADES)[number];

@Entity({ name: 'movies' })
@Index('ix_movies_open_date', ['openDate'])
export class Movie extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('ix_movies_name')
  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ name: 'name_eng', type: 'varchar', length: 200, nullable: true })
  nameEng!: string | null;

  @Column({ type: 'text', nullable: true })
  summary!: string | null;

  @Column({ name: 'open_date', type: 'date', nullable: true })
  openDate!: string | null;

  /** Minutes; shown as the seed shows it ("139분"). */
  @Column({ name: 'running_time', type: 'int', nullable: true })
  runningTime!: number | null;

  @Index('ix_movies_watch_grade')
  @Column({ name: 'watch_grade', type: 'varchar', length: 20, nullable: true })
  watchGrade!: WatchGrade | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  trailer!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  poster!: string | null;

  /** ISO 3166-1 alpha-2 country of production (top 10 by country). */
  @Index('ix_movies_country')
  @Column({ type: 'varchar', length: 2, nullable: true })
  country!: string | null;

  @Column({ name: 'manufacturer_id', type: 'int', nullable: true })
  manufacturerId!: number | null;

  @ManyToOne(() => Manufacturer, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'manufacturer_id' })
  manufacturer?: Manufacturer | null;

  /** Number of ratings and their sum in half-star units (score × 2), kept atomically by the ratings service. */
  @Column({ name: 'rating_count', type: 'int', default: 0 })
  ratingCount!: number;

  @Column({ name: 'rating_sum_half', type: 'int', default: 0 })
  ratingSumHalf!: number;

  /** MovieLens movieId of an imported movie (idempotent re-imports). */
  @Index('uq_movies_movielens_id', { unique: true })
  @Column({ name: 'movielens_id', type: 'int', nullable: true })
  movielensId!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

/** Movie ↔ genre (explicit join entity so the admin panel can show and edit it). */
@Entity({ name: 'movie_genres' })
@Index('ix_movie_genres_genre', ['genreId', 'movieId'])
export class MovieGenre extends BaseEntity {
  @PrimaryColumn({ name: 'movie_id', type: 'int' })
  movieId!: number;

  @PrimaryColumn({ name: 'genre_id', type: 'int' })
  genreId!: number;

  @ManyToOne(() => Movie, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'movie_id' })
  movie?: Movie;

  @ManyToOne(() => Genre, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'genre_id' })
  genre?: Genre;
}

export const CREDIT_ROLES = ['director', 'actor'] as const;
export type CreditRole = (typeof CREDIT_ROLES)[number];

/** Movie ↔ person as director or actor, in billing order. */
@Entity({ name: 'movie_credits' })
@Index('ix_movie_credits_person', ['personId'])
export class MovieCredit extends BaseEntity {
  @PrimaryColumn({ name: 'movie_id', type: 'int' })
  movieId!: number;

  @PrimaryColumn({ name: 'person_id', type: 'int' })
  personId!: number;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  role!: CreditRole;

  @Column({ type: 'int', default: 0 })
  position!: number;

  /** The part an actor plays (e.g. "박사장"); null for directors or when unknown. */
  @Column({ name: 'character_name', type: 'varchar', length: 200, nullable: true })
  character!: string | null;

  @ManyToOne(() => Movie, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'movie_id' })
  movie?: Movie;

  @ManyToOne(() => Person, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'person_id' })
  person?: Person;
}

/** A member's "want to watch" pick (PATCH movie/{id}/pick/ toggles it). */
@Entity({ name: 'movie_picks' })
@Index('ix_movie_picks_movie', ['movieId'])
export class MoviePick extends BaseEntity {
  @PrimaryColumn({ name: 'user_id', type: 'int' })
  userId!: number;

  @PrimaryColumn({ name: 'movie_id', type: 'int' })
  movieId!: number;

  @ManyToOne(() => Movie, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'movie_id' })
  movie?: Movie;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
