import { BaseEntity, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import type { Role } from './roles.js';

export { ROLES, STAFF_ROLES, type Role } from './roles.js';

/** The languages of the admin panel; Korean first. */
export const PANEL_LANGUAGES = ['ko', 'en'] as const;
export type PanelLanguage = (typeof PANEL_LANGUAGES)[number];

@Entity({ name: 'users' })
export class User extends BaseEntity {
  @PrimaryGeneratedColumn({ type: 'int' })
  id!: number;

  @Index('uq_users_username', { unique: true })
  @Column({ type: 'varchar', length: 150 })
  username!: string;

  @Index('ix_users_email')
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  /** argon2id hash; never returned by the API nor shown in the admin. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255, select: false })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role!: Role;

  @Column({ name: 'get_agreement', type: 'boolean', default: false })
  getAgreement!: boolean;

  @Column({ name: 'is_active', type: 'boolean', default: true })
  isActive!: boolean;

  /** Real name and phone (member privacy: masked for staff unless an admin unmasks, audited). */
  @Column({ name: 'full_name', type: 'varchar', length: 100, nullable: true })
  fullName!: string | null;

  @Index('ix_users_phone')
  @Column({ type: 'varchar', length: 30, nullable: true })
  phone!: string | null;

  @Column({ name: 'birth_date', type: 'date', nullable: true })
  birthDate!: string | null;

  /** Path under the media root of the profile image (`profile/<name>.jpeg`), or null. */
  @Column({ name: 'profile_image', type: 'varchar', length: 200, nullable: true })
  profileImage!: string | null;

  /**
   * Tokens carry the version they were issued under (`tv`): a password change, deactivation, role
   * change or "log out everywhere" increments it, and earlier tokens stop working.
   */
  @Column({ name: 'token_version', type: 'int', default: 0 })
  tokenVersion!: number;

  /** The id (`jti`) of the one earlier token that outlives the last password change: the one that made it. */
  @Column({ name: 'token_keep', type: 'varchar', length: 32, nullable: true, select: false })
  tokenKeep!: string | null;

  /**
   * The staff member's TOTP secret (RFC 6238), AES-256-GCM encrypted (StaffMfaService); set when
   * enrolment starts, in use once totpEnabledAt is set. Never shown, never returned.
   */
  @Column({ name: 'totp_secret', type: 'varchar', length: 255, nullable: true, select: false })
  totpSecret!: string | null;

  /** When the second factor was confirmed (null: none). */
  @Column({ name: 'totp_enabled_at', type: 'datetime', nullable: true })
  totpEnabledAt!: Date | null;

  /** The last time step whose code was accepted: a code is good once (RFC 6238 §5.2). */
  @Column({ name: 'totp_last_step', type: 'int', nullable: true, select: false })
  totpLastStep!: number | null;

  /** The AdminJS panel's language for this staff member ('ko' by default, 'en' on request). */
  @Column({ name: 'panel_language', type: 'varchar', length: 5, default: 'ko' })
  panelLanguage!: PanelLanguage;

  @Column({ name: 'last_login_at', type: 'datetime', nullable: true })
  lastLoginAt!: Date | null;

  @Index('ix_users_created_at')
  @CreateDateColumn({ name: 'created_at', type: 'datetime' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime' })
  updatedAt!: Date;
}
