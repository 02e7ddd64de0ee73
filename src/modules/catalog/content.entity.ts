import { BaseEntity, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Movie } from './movie.entity.js';

export const CONTENT_STATUSES = ['processing', 'ready', 'invalid', 'unavailable'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

/** A playable asset of a movie: the stored file, its probe metadata and its validity window. */
@Entity({ name: 'contents' })
@Index('ix_contents_status_valid_until', ['status', 'validUntil'])
export class Content extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('ix_contents_movie')
  @Column({ name: 'movie_id', type: 'int', nullable: true })
  movieId!: number | null;

  @ManyToOne(() => Movie, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'movie_id' })
  movie?: Movie | null;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Index('uq_contents_storage_key', { unique: true })
  @Column({ name: 'storage_key', type: 'varchar', length: 300 })
  storageKey!: string;

  @Column({ name: 'original_name', type: 'varchar', length: 255, nullable: true })
  originalName!: string | null;

  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes!: string;

  @Column({ type: 'varchar', length: 64 })
  sha256!: string;

  @Column({ name: 'mime_type', type: 'varchar', length: 100 })
  mimeType!: string;

  @Column({ type: 'varchar', length: 20, default: 'processing' })
  status!: ContentStatus;

  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true })
  statusReason!: string | null;

  @Column({ name: 'valid_from', type: 'datetime', nullable: true })
  validFrom!: Date | null;

  @Column({ name: 'valid_until', type: 'datetime', nullable: true })
  validUntil!: Date | null;

  /** Probe results and editable metadata: duration, resolution, codecs, languages, subtitles, tags. */
  @Column({ type: 'simple-json', nullable: true })
  metadata!: ContentMetadata | null;

  @Column({ name: 'uploaded_by', type: 'int', nullable: true })
  uploadedBy!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

export interface ContentMetadata {
  duration_seconds?: number | null;
  width?: number | null;
  height?: number | null;
  video_codec?: string | null;
  audio_codecs?: string[];
  audio_languages?: string[];
  subtitles?: string[];
  tags?: string[];
  bitrate?: number | null;
  container?: string | null;
  probed_at?: string | null;
}
