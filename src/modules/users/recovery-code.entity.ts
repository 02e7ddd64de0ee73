import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A staff member's second-factor recovery codes: 10 made at enrolment, each good once, stored as
 * SHA-256 of the normalised code (the codes are 80 random bits: a fast hash is enough).
 */
@Entity({ name: 'staff_recovery_codes' })
@Index('uq_staff_recovery_codes_user_hash', ['userId', 'codeHash'], { unique: true })
export class StaffRecoveryCode {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'used_at', type: 'datetime', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
