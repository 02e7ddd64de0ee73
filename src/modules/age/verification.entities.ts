// Age verification records (seed 000 §10). A member's verified birth date lives here, never the
// raw identity number: the provider's CI (connecting information, a per-person identifier) is kept
// only as a keyed hash, unique, so one real person verifies one account.
import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity({ name: 'age_verifications' })
export class AgeVerification extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('uq_age_verifications_user', { unique: true })
  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 20 })
  provider!: string;

  /** The verified name, masked (홍*동): enough to recognise it, not to reuse it. */
  @Column({ name: 'name_masked', type: 'varchar', length: 100 })
  nameMasked!: string;

  @Column({ name: 'birth_date', type: 'date' })
  birthDate!: string;

  /** HMAC-SHA256 (hex) of the CI under VERIFICATION_CI_KEY. */
  @Index('uq_age_verifications_ci', { unique: true })
  @Column({ name: 'ci_hash', type: 'varchar', length: 64 })
  ciHash!: string;

  @Column({ name: 'verified_at', type: 'datetime' })
  verifiedAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}

export const VERIFICATION_TX_STATUSES = ['pending', 'verified', 'failed'] as const;
export type VerificationTxStatus = (typeof VERIFICATION_TX_STATUSES)[number];

/** One verification attempt: started by the member, finished once by the provider's callback. */
@Entity({ name: 'verification_transactions' })
@Index('ix_verification_transactions_user', ['userId', 'createdAt'])
export class VerificationTransaction extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** Opaque id sent to the provider and echoed in its callback. */
  @Index('uq_verification_transactions_tx', { unique: true })
  @Column({ name: 'tx_id', type: 'varchar', length: 64 })
  txId!: string;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 20 })
  provider!: string;

  @Column({ type: 'varchar', length: 12, default: 'pending' })
  status!: VerificationTxStatus;

  /** Why a callback failed (provider result code or our reason); null while pending / when verified. */
  @Column({ name: 'failure_reason', type: 'varchar', length: 100, nullable: true })
  failureReason!: string | null;

  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt!: Date;

  @Column({ name: 'completed_at', type: 'datetime', nullable: true })
  completedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}
