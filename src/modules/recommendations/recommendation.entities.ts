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

/**
 * One trained model version (the hybrid rating model and the EASE ranking model, packed together):
 * every process serves the latest `ready` version, loaded once per version. Its bytes are in
 * rec_model_chunks (a BLOB per chunk: MySQL's BLOB holds 64 KiB, and no packet grows past a chunk).
 */
@Entity({ name: 'rec_models' })
@Index('ix_rec_models_status', ['status', 'id'])
export class RecModel extends BaseEntity {
  /** The version. */
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'run_id', type: 'int', nullable: true })
  runId!: number | null;

  /** 'writing' while its chunks go in; 'ready' once complete (only ready versions are served). */
  @Column({ type: 'varchar', length: 10, default: 'writing' })
  status!: 'writing' | 'ready';

  @Column({ type: 'int' })
  bytes!: number;

  @Column({ type: 'int' })
  chunks!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}

@Entity({ name: 'rec_model_chunks' })
export class RecModelChunk extends BaseEntity {
  @PrimaryColumn({ name: 'model_id', type: 'int' })
  modelId!: number;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @Column({ type: 'blob' })
  data!: Buffer;
}

/**
 * A named lease across processes (two trainings never run at once, whichever worker or API process
 * starts them). Taken by inserting the row, or by taking over an expired one; renewed while held.
 */
@Entity({ name: 'rec_locks' })
export class RecLock extends BaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  name!: string;

  @Column({ type: 'varchar', length: 64 })
  holder!: string;

  /** Epoch milliseconds. */
  @Column({ name: 'expires_at_ms', type: 'double' })
  expiresAtMs!: number;
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
