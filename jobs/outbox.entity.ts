// The outbox table: job intents written in the producer's transaction (see jobs/outbox.ts).
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'job_outbox' })
@Index('ix_job_outbox_due', ['relayedAt', 'availableAt'])
export class OutboxEntry {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'job_name', type: 'varchar', length: 64 })
  jobName!: string;

  /** The job's data, JSON. */
  @Column({ type: 'text' })
  payload!: string;

  /** The job id the producer asked for (e.g. `probe-<content id>`); null → `outbox-<id>`. */
  @Column({ name: 'job_id', type: 'varchar', length: 191, nullable: true })
  jobId!: string | null;

  /** At most one row per dedup id: the intent every later one with the same id joins. */
  @Index('ux_job_outbox_dedup', { unique: true })
  @Column({ name: 'dedup_id', type: 'varchar', length: 191, nullable: true })
  dedupId!: string | null;

  /** When the job should start (created + delay). */
  @Column({ name: 'run_at', type: 'datetime' })
  runAt!: Date;

  /** When a relay may (again) take the row. */
  @Column({ name: 'available_at', type: 'datetime' })
  availableAt!: Date;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError!: string | null;

  /** Set on a dedup holder once its job is on the bus. */
  @Column({ name: 'relayed_at', type: 'datetime', nullable: true })
  relayedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
