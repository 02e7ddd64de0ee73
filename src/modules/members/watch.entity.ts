import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Where a member is in a content (one row per member and content; the history list). */
@Entity({ name: 'watch_progress' })
@Index('ix_watch_progress_user_updated', ['userId', 'updatedAt'])
export class WatchProgress extends BaseEntity {
  @PrimaryColumn({ name: 'user_id', type: 'int' })
  userId!: number;

  @PrimaryColumn({ name: 'content_id', type: 'int' })
  contentId!: number;

  @Column({ name: 'movie_id', type: 'int', nullable: true })
  movieId!: number | null;

  @Column({ name: 'position_seconds', type: 'int' })
  positionSeconds!: number;

  @Column({ name: 'duration_seconds', type: 'int' })
  durationSeconds!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

/** Append-only viewing events (statistics: views and watch time per content per day). */
@Entity({ name: 'watch_events' })
@Index('ix_watch_events_created', ['createdAt'])
@Index('ix_watch_events_content_created', ['contentId', 'createdAt'])
export class WatchEvent extends BaseEntity {
  // int, not bigint: SQLite's AUTOINCREMENT needs an INTEGER key (2^31 events is years of viewing here).
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ name: 'content_id', type: 'int' })
  contentId!: number;

  @Column({ name: 'movie_id', type: 'int', nullable: true })
  movieId!: number | null;

  @Column({ name: 'position_seconds', type: 'int' })
  positionSeconds!: number;

  /** Seconds watched since the previous event of this member and content. */
  @Column({ name: 'watched_seconds', type: 'int' })
  watchedSeconds!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
