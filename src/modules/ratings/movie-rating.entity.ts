import { BaseEntity, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Movie } from '../catalog/movie.entity.js';
import { User } from '../users/user.entity.js';

/** One rating (score and optional comment) per user per movie. */
@Entity({ name: 'movie_ratings' })
@Index('uq_movie_ratings_user_movie', ['userId', 'movieId'], { unique: true })
@Index('ix_movie_ratings_movie_updated', ['movieId', 'updatedAt'])
export class MovieRating extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ name: 'movie_id', type: 'int' })
  movieId!: number;

  @ManyToOne(() => Movie, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'movie_id' })
  movie?: Movie;

  /** The score in half stars: 1 (0.5) … 10 (5.0). */
  @Column({ name: 'score_half', type: 'smallint' })
  scoreHalf!: number;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  /** Moderation: a hidden review keeps its score but its comment is not shown. */
  @Column({ type: 'boolean', default: false })
  hidden!: boolean;

  @Column({ name: 'hidden_reason', type: 'varchar', length: 300, nullable: true })
  hiddenReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
