// The sandbox gateway's tables (see sandbox-store.ts): what a real gateway keeps on its side.
import { Column, Entity, PrimaryColumn } from 'typeorm';

export type SandboxAuthStatus = 'requires_action' | 'approved' | 'declined' | 'captured' | 'voided';

/** The sandbox's authorisations. */
@Entity({ name: 'sandbox_authorizations' })
export class SandboxAuthorizationRow {
  @PrimaryColumn({ name: 'gateway_ref', type: 'varchar', length: 64 })
  gatewayRef!: string;

  @Column({ name: 'payment_id', type: 'varchar', length: 64 })
  paymentId!: string;

  @Column({ type: 'varchar', length: 20 })
  status!: SandboxAuthStatus;

  @Column({ name: 'authorized_amount', type: 'bigint', transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  authorizedAmount!: number;

  @Column({ type: 'varchar', length: 3 })
  currency!: string;

  @Column({ type: 'bigint', default: 0, transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  captured!: number;

  @Column({ type: 'bigint', default: 0, transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) } })
  refunded!: number;

  @Column({ name: 'capture_count', type: 'int', default: 0 })
  captureCount!: number;

  @Column({ name: 'refund_count', type: 'int', default: 0 })
  refundCount!: number;

  /** The refunds made against it, JSON (ref, amount, reason, at). */
  @Column({ type: 'text' })
  refunds!: string;
}

/** The sandbox's idempotent replies: one per idempotency key, like a real gateway's. */
@Entity({ name: 'sandbox_replies' })
export class SandboxReplyRow {
  @PrimaryColumn({ name: 'idem_key', type: 'varchar', length: 191 })
  key!: string;

  @Column({ type: 'varchar', length: 64 })
  fingerprint!: string;

  /** The result returned the first time, JSON. */
  @Column({ type: 'text' })
  result!: string;
}

