// Cinemas (seed 004's Cinema model), their showtimes, members' favourite cinemas and cinema reviews.
import { BaseEntity, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Movie } from '../catalog/movie.entity.js';
import { User } from '../users/user.entity.js';

export const CINEMA_TYPES = ['CGV', '메가박스', '롯데시네마', '기타'] as const;
export type CinemaType = (typeof CINEMA_TYPES)[number];

/**
 * A cinema. x is the longitude and y the latitude (WGS 84 degrees), stored as doubles so a
 * bounding box is an index range on (y, x); the API answers them as strings, as the seed does.
 */
@Entity({ name: 'cinemas' })
@Index('ix_cinemas_geo', ['y', 'x'])
@Index('ix_cinemas_area', ['area'])
export class Cinema extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** 시/도, e.g. 서울. */
  @Column({ type: 'varchar', length: 20 })
  region!: string;

  /** 구, e.g. 강남구 (the area search works on it). */
  @Column({ type: 'varchar', length: 20 })
  area!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The chain's own code of the cinema (CGV theaterCode, 메가박스 brchNo, …). */
  @Column({ type: 'varchar', length: 20, nullable: true })
  code!: string | null;

  @Column({ type: 'varchar', length: 30, nullable: true })
  tel!: string | null;

  @Column({ type: 'varchar', length: 300 })
  address!: string;

  /** Longitude. */
  @Column({ type: 'double' })
  x!: number;

  /** Latitude. */
  @Column({ type: 'double' })
  y!: number;

  @Column({ type: 'varchar', length: 500, nullable: true })
  url!: string | null;

  /** Public transport directions (the seed's `public`). */
  @Column({ name: 'public', type: 'text', nullable: true })
  publicTransport!: string | null;

  @Column({ type: 'text', nullable: true })
  parking!: string | null;

  @Column({ type: 'varchar', length: 20 })
  type!: CinemaType;

  @Column({ type: 'varchar', length: 500, nullable: true })
  img!: string | null;

  /** Number of reviews and their score sum in half stars, kept atomically by the cinemas service. */
  @Column({ name: 'rating_count', type: 'int', default: 0 })
  ratingCount!: number;

  @Column({ name: 'rating_sum_half', type: 'int', default: 0 })
  ratingSumHalf!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

/**
 * One screening: a movie at a cinema on a local date and time (wall clock of the cinema, no
 * offset). One screening per screen (`info`) and start time; the unique index also serves the
 * "a cinema's showtimes of a day, by start" query.
 */
@Entity({ name: 'showtimes' })
@Index('uq_showtimes_slot', ['cinemaId', 'date', 'startTime', 'info'], { unique: true })
@Index('ix_showtimes_movie_date', ['movieId', 'date'])
@Index('ix_showtimes_date_movie', ['date', 'movieId'])
export class Showtime extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'cinema_id', type: 'int' })
  cinemaId!: number;

  @ManyToOne(() => Cinema, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cinema_id' })
  cinema?: Cinema;

  @Column({ name: 'movie_id', type: 'int' })
  movieId!: number;

  @ManyToOne(() => Movie, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'movie_id' })
  movie?: Movie;

  /** Screen and format, e.g. "2D | 2관 6층". */
  @Column({ type: 'varchar', length: 100, default: '' })
  info!: string;

  @Column({ type: 'date' })
  date!: string;

  /** HH:MM:SS */
  @Column({ name: 'start_time', type: 'time' })
  startTime!: string;

  /** HH:MM:SS; may be earlier than the start (a screening past midnight). */
  @Column({ name: 'end_time', type: 'time', nullable: true })
  endTime!: string | null;

  @Column({ name: 'total_seats', type: 'int', nullable: true })
  totalSeats!: number | null;

  /** Free seats (0 when booking is closed). */
  @Column({ type: 'int', nullable: true })
  seats!: number | null;

  /** Booking page. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  url!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

/** A member's favourite cinema (POST/PATCH cinema/{id}/pick/ toggles it, GET reads it). */
@Entity({ name: 'cinema_picks' })
@Index('ix_cinema_picks_cinema', ['cinemaId'])
export class CinemaPick extends BaseEntity {
  @PrimaryColumn({ name: 'user_id', type: 'int' })
  userId!: number;

  @PrimaryColumn({ name: 'cinema_id', type: 'int' })
  cinemaId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @ManyToOne(() => Cinema, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cinema_id' })
  cinema?: Cinema;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}

/** One review (score and optional comment) per member per cinema. */
@Entity({ name: 'cinema_ratings' })
@Index('uq_cinema_ratings_user_cinema', ['userId', 'cinemaId'], { unique: true })
@Index('ix_cinema_ratings_cinema_updated', ['cinemaId', 'updatedAt'])
export class CinemaRating extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'cinema_id', type: 'int' })
  cinemaId!: number;

  @ManyToOne(() => Cinema, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'cinema_id' })
  cinema?: Cinema;

  /** The score in half stars: 1 (0.5) … 10 (5.0). */
  @Column({ name: 'score_half', type: 'smallint' })
  scoreHalf!: number;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
