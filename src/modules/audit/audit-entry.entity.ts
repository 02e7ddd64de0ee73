import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Who changed what, when: written by the audit service for every admin write and money action. */
@Entity({ name: 'audit_log' })
@Index('ix_audit_log_resource_record', ['resource', 'recordId'])
export class AuditEntry extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'actor_id', type: 'int', nullable: true })
  actorId!: number | null;

  @Column({ name: 'actor_email', type: 'varchar', length: 254, nullable: true })
  actorEmail!: string | null;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 64 })
  resource!: string;

  @Column({ name: 'record_id', type: 'varchar', length: 64, nullable: true })
  recordId!: string | null;

  /** JSON of the changed fields: {"field": [before, after]}. */
  @Column({ type: 'text', nullable: true })
  diff!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason!: string | null;

  @Index('ix_audit_log_created_at')
  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
