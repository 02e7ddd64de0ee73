// Devices (seed 000 §9): TVs and projectors paired to a member through the OAuth 2.0 device
// authorization grant (RFC 8628). Codes are stored hashed; a paired device is a row the member can
// list and revoke, and every request made with its token checks that row.
import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const DEVICE_TYPES = ['tv', 'projector', 'console', 'stick', 'other'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

/** pending → approved (member confirmed) → consumed (token issued); or denied by the member. */
export const AUTHORIZATION_STATUSES = ['pending', 'approved', 'denied', 'consumed'] as const;
export type AuthorizationStatus = (typeof AUTHORIZATION_STATUSES)[number];

/** One pairing attempt: a device code (for the device) and a user code (typed by the member). */
@Entity({ name: 'device_authorizations' })
@Index('ix_device_authorizations_user_code', ['userCodeHash', 'status'])
@Index('ix_device_authorizations_expires', ['expiresAt'])
export class DeviceAuthorization extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  /** SHA-256 (hex) of the device code; the code itself is only ever returned to the device once. */
  @Index('uq_device_authorizations_device_code', { unique: true })
  @Column({ name: 'device_code_hash', type: 'varchar', length: 64 })
  deviceCodeHash!: string;

  /** SHA-256 (hex) of the normalised user code (8 letters, no dash). */
  @Column({ name: 'user_code_hash', type: 'varchar', length: 64 })
  userCodeHash!: string;

  @Column({ name: 'device_name', type: 'varchar', length: 100 })
  deviceName!: string;

  @Column({ name: 'device_type', type: 'varchar', length: 20 })
  deviceType!: DeviceType;

  @Column({ type: 'varchar', length: 12, default: 'pending' })
  status!: AuthorizationStatus;

  /** The member who confirmed or denied the code. */
  @Column({ name: 'user_id', type: 'int', nullable: true })
  userId!: number | null;

  /** The device created when the member approved. */
  @Column({ name: 'device_id', type: 'int', nullable: true })
  deviceId!: number | null;

  /** Minimum seconds between two polls; grows by 5 on every slow_down (RFC 8628 §3.5). */
  @Column({ name: 'interval_seconds', type: 'int' })
  intervalSeconds!: number;

  @Column({ name: 'last_polled_at', type: 'datetime', nullable: true })
  lastPolledAt!: Date | null;

  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt!: Date;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;
}

/** A paired device. Revoking sets revoked_at: its token stops working on the next request. */
@Entity({ name: 'devices' })
@Index('ix_devices_user', ['userId', 'revokedAt'])
export class Device extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'user_id', type: 'int' })
  userId!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 20 })
  type!: DeviceType;

  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'datetime', nullable: true })
  lastSeenAt!: Date | null;

  @Column({ name: 'revoked_at', type: 'datetime', nullable: true })
  revokedAt!: Date | null;
}
