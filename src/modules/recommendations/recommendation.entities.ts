import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One training run of the recommender (full nightly retrain or a member's refresh). */
@Entity({ name: 'rec_runs' })
export class RecRun extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ type: 'varchar', length: 10 })
  kind!: 'full' | 'user';

  @Column({ type: 'varchar', length: 10, default: 'running' })
  status!: 'running' | 'done' | 'failed';

  /** 0–100, as reported to BullMQ's updateProgress. */
  @Column({ type: 'int', default: 0 })
  progress!: number;

  @Column({ type: 'varchar', length: 20, nullable: true })
  algorithm!: string | null;

  @Column({ type: 'int', default: 0 })
  ratings!: number;

  @Column({ type: 'int', default: 0 })
  users!: number;

  @Column({ type: 'int', default: 0 })
  items!: number;

  @Column({ name: 'global_mean', type: 'double', nullable: true })
  globalMean!: number | null;

  @Column({ name: 'user_id', type: 'int', nullable: true })
  userId!: number | null;

  @Column({ name: 'duration_ms', type: 'int', nullable: true })
  durationMs!: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error!: string | null;

  @CreateDateColumn({ name: 'started_at', type: 'datetime' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'datetime', nullable: true })
  finishedAt!: Date | null;
}

/** A member's stored top recommended (unrated) movies with predicted scores. */
@Entity({ name: 'user_recommendations' })
@Index('ix_user_recommendations_rank', ['userId', 'rank'])
export class UserRecommendation extends BaseEntity {
  @PrimaryColumn({ name: 'user_id', type: 'int' })
  userId!: number;

  @PrimaryColumn({ name: 'movie_id', type: 'int' })
  movieId!: number;

  @Column({ type: 'int' })
  rank!: number;

  /** Predicted score × 100 on the 0.5–5 scale. */
  @Column({ name: 'predicted_x100', type: 'int' })
  predictedX100!: number;

  @Column({ name: 'run_id', type: 'int' })
  runId!: number;
}

/** Baseline biases (μ + b_u + b_i) of the latest full run, for predictions outside a member's top list. */
@Entity({ name: 'rec_biases' })
export class RecBias extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 4 })
  kind!: 'user' | 'item';

  @PrimaryColumn({ name: 'ref_id', type: 'int' })
  refId!: number;

  @Column({ type: 'double' })
  bias!: number;
}

/** Seed 000 §7 "auto display": a member's preference shelf, generated from recommendations. */
@Entity({ name: 'auto_display' })
@Index('uq_auto_display_user_movie', ['userId', 'movieId'], { unique: true })
@Index('ix_auto_display_user_position', ['userId', 'position'])
export class AutoDisplay extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ name: 'movie_id', type: 'int' })
  movieId!: number;

  @Column({ type: 'int' })
  position!: number;

  /** 'recommendation' rows are replaced by the next retrain unless the member edited them. */
  @Column({ type: 'varchar', length: 20, default: 'recommendation' })
  origin!: 'recommendation' | 'member';

  @Column({ type: 'boolean', default: false })
  edited!: boolean;

  /** Removed by the member: stays hidden across retrains. */
  @Column({ type: 'boolean', default: false })
  removed!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

/** Top 10 per country (scheduled job): best-rated and most-watched. */
@Entity({ name: 'top10_by_country' })
export class Top10Entry extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 2 })
  country!: string;

  @PrimaryColumn({ type: 'int' })
  rank!: number;

  @Column({ name: 'movie_id', type: 'int' })
  movieId!: number;

  /** Bayesian average rating × 100. */
  @Column({ name: 'rating_x100', type: 'int' })
  ratingX100!: number;

  @Column({ name: 'rating_count', type: 'int' })
  ratingCount!: number;

  @Column({ type: 'int' })
  views!: number;

  @Column({ name: 'computed_at', type: 'datetime' })
  computedAt!: Date;
}
