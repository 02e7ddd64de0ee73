// The staff's second factor: TOTP (RFC 6238) with 10 single-use recovery codes. Required for the
// roles in STAFF_MFA_ROLES (config.staffMfa), optional for the other staff. The secret is stored
// AES-256-GCM encrypted (bound to the account's id), the recovery codes as SHA-256; a TOTP code is
// accepted once (the last accepted time step is kept), a recovery code once (used_at).
// How many wrong codes may be tried is the login throttle's business (LoginGate, at the HTTP edge).
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { StaffRecoveryCode } from './recovery-code.entity.js';
import { STAFF_ROLES, type Role } from './roles.js';
import { base32Decode, base32Encode, matchTotp, newTotpSecret, otpauthUri } from './totp.js';
import { User } from './user.entity.js';
import type { UsersService } from './users.service.js';

export const RECOVERY_CODE_COUNT = 10;
/** At least 128 bits (RFC 4226 §4 R6): 26 base32 characters. */
const MIN_SECRET_BYTES = 16;

export type StaffMfaErrorCode = 'not-found' | 'not-staff' | 'already-enabled' | 'bad-secret';
export class StaffMfaError extends Error {
  constructor(readonly code: StaffMfaErrorCode) {
    super(`second factor: ${code}`);
  }
}

export interface StaffMfaOptions {
  requiredRoles: readonly Role[];
  /** Any string of at least 16 characters; the AES key is its SHA-256. */
  secretKey: string;
  /** The issuer shown by authenticator apps. */
  issuer: string;
}

export interface SecondFactorStatus {
  enabled: boolean;
  enabledAt: Date | null;
  required: boolean;
  recoveryCodesLeft: number;
}

/** A recovery code as typed: case, spaces and dashes do not matter. */
export function normalizeRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const hashCode = (code: string) => createHash('sha256').update(normalizeRecoveryCode(code)).digest('hex');

/** 16 base32 characters (80 random bits) in groups of four: `abcd-efgh-ijkl-mnop`. */
function newRecoveryCode(): string {
  return base32Encode(randomBytes(10)).toLowerCase().match(/.{4}/g)!.join('-');
}

export class StaffMfaService {
  private readonly key: Buffer;

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly opts: StaffMfaOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHash('sha256').update(opts.secretKey).digest();
  }

  /** Must staff of this role use a second factor to enter the panel? */
  requiredFor(role: Role): boolean {
    return this.opts.requiredRoles.includes(role);
  }

  /** Does a login of this account need a second factor (required for its role, or enrolled)? */
  needed(user: Pick<User, 'role' | 'totpEnabledAt'>): boolean {
    return STAFF_ROLES.includes(user.role) && (this.requiredFor(user.role) || user.totpEnabledAt !== null);
  }

  async status(userId: number): Promise<SecondFactorStatus> {
    const user = await this.ds.getRepository(User).findOneBy({ id: userId });
    if (!user) throw new StaffMfaError('not-found');
    const recoveryCodesLeft = user.totpEnabledAt ? await this.ds.getRepository(StaffRecoveryCode).countBy({ userId, usedAt: IsNull() }) : 0;
    return { enabled: user.totpEnabledAt !== null, enabledAt: user.totpEnabledAt, required: this.requiredFor(user.role), recoveryCodesLeft };
  }

  /**
   * Starts (or shows again) the enrolment of a staff member without a second factor: the secret in
   * base32 and the otpauth:// URI for the QR code. The same secret until it is confirmed.
   */
  async beginEnrolment(userId: number): Promise<{ secret: string; uri: string }> {
    const user = await this.withSecret(userId);
    if (!STAFF_ROLES.includes(user.role)) throw new StaffMfaError('not-staff');
    if (user.totpEnabledAt) throw new StaffMfaError('already-enabled');
    let secret = user.totpSecret ? this.decrypt(userId, user.totpSecret) : null;
    if (!secret) {
      secret = newTotpSecret();
      await this.ds.getRepository(User).update({ id: userId, totpEnabledAt: IsNull() }, { totpSecret: this.encrypt(userId, secret), totpLastStep: null });
    }
    const b32 = base32Encode(secret);
    return { secret: b32, uri: otpauthUri(this.opts.issuer, user.email, b32) };
  }

  /**
   * Confirms the enrolment with a code of the authenticator: the second factor is on, and the 10
   * recovery codes are returned (this once; only their hashes are kept). null: wrong code.
   */
  async confirmEnrolment(userId: number, code: string): Promise<string[] | null> {
    const user = await this.withSecret(userId);
    if (user.totpEnabledAt) throw new StaffMfaError('already-enabled');
    const secret = user.totpSecret ? this.decrypt(userId, user.totpSecret) : null;
    const step = secret ? matchTotp(secret, code.trim(), this.now()) : null;
    if (step === null) return null;
    return this.ds.transaction(async (m) => {
      const res = await m.update(User, { id: userId, totpEnabledAt: IsNull() }, { totpEnabledAt: new Date(this.now()), totpLastStep: step });
      if (!res.affected) throw new StaffMfaError('already-enabled');
      const codes = await this.replaceRecoveryCodes(userId, m);
      await this.audit.record({ actor: { id: userId, email: user.email }, action: 'enrol-second-factor', resource: 'users', recordId: userId, before: { secondFactor: 'none' }, after: { secondFactor: 'totp' } }, m);
      return codes;
    });
  }

  /**
   * Checks a second-factor code at login: six digits are a TOTP code (±1 step, each step once),
   * anything else a recovery code (each once). Returns what matched, or null.
   */
  async verify(userId: number, code: string): Promise<'totp' | 'recovery' | null> {
    const given = code.replace(/\s/g, '');
    if (!given || given.length > 64) return null;
    const user = await this.withSecret(userId);
    if (!user.totpEnabledAt || !user.totpSecret) return null;
    if (/^\d{6}$/.test(given)) {
      const secret = this.decrypt(userId, user.totpSecret);
      const step = secret ? matchTotp(secret, given, this.now()) : null;
      if (step === null) return null;
      // Atomic: of two requests with one code, one wins; an older step never goes back in.
      const res = await this.ds
        .createQueryBuilder()
        .update(User)
        .set({ totpLastStep: step })
        .where('id = :userId AND (totp_last_step IS NULL OR totp_last_step < :step)', { userId, step })
        .execute();
      return res.affected ? 'totp' : null;
    }
    const res = await this.ds
      .createQueryBuilder()
      .update(StaffRecoveryCode)
      .set({ usedAt: new Date(this.now()) })
      .where('user_id = :userId AND code_hash = :hash AND used_at IS NULL', { userId, hash: hashCode(given) })
      .execute();
    if (!res.affected) return null;
    await this.audit.record({ actor: { id: userId, email: user.email }, action: 'use-recovery-code', resource: 'users', recordId: userId });
    return 'recovery';
  }

  /**
   * `admin:create --totp-secret`: the account's second factor is on with this known secret (for
   * automation); new recovery codes are returned. The secret must be base32 of at least 128 bits.
   */
  async provision(userId: number, secretBase32: string): Promise<string[]> {
    const secret = base32Decode(secretBase32);
    if (!secret || secret.length < MIN_SECRET_BYTES) throw new StaffMfaError('bad-secret');
    return this.ds.transaction(async (m) => {
      const user = await m.findOneBy(User, { id: userId });
      if (!user) throw new StaffMfaError('not-found');
      if (!STAFF_ROLES.includes(user.role)) throw new StaffMfaError('not-staff');
      await m.update(User, { id: userId }, { totpSecret: this.encrypt(userId, secret), totpEnabledAt: new Date(this.now()), totpLastStep: null });
      const codes = await this.replaceRecoveryCodes(userId, m);
      await this.audit.record({ actor: null, action: 'provision-second-factor', resource: 'users', recordId: userId, before: { secondFactor: user.totpEnabledAt ? 'totp' : 'none' }, after: { secondFactor: 'totp' } }, m);
      return codes;
    });
  }

  /**
   * An admin resets another staff member's second factor (a lost phone): secret and recovery codes
   * are gone, the account's sessions and tokens end; the next login enrols again (when its role
   * requires it) or goes without (when optional). Audited.
   */
  async reset(userId: number, actor: Actor | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      const user = await m.findOneBy(User, { id: userId });
      if (!user) throw new StaffMfaError('not-found');
      await m.update(User, { id: userId }, { totpSecret: null, totpEnabledAt: null, totpLastStep: null });
      await m.delete(StaffRecoveryCode, { userId });
      await this.users.revokeTokens(userId, null, m);
      await this.audit.record({ actor, action: 'reset-second-factor', resource: 'users', recordId: userId, before: { secondFactor: user.totpEnabledAt ? 'totp' : 'none' }, after: { secondFactor: 'none' } }, m);
    });
  }

  private async replaceRecoveryCodes(userId: number, m: EntityManager): Promise<string[]> {
    await m.delete(StaffRecoveryCode, { userId });
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await m.insert(StaffRecoveryCode, codes.map((c) => ({ userId, codeHash: hashCode(c), usedAt: null })));
    return codes;
  }

  private async withSecret(userId: number): Promise<User> {
    const user = await this.ds.getRepository(User).createQueryBuilder('u').addSelect(['u.totpSecret', 'u.totpLastStep']).where('u.id = :userId', { userId }).getOne();
    if (!user) throw new StaffMfaError('not-found');
    return user;
  }

  private encrypt(userId: number, secret: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(`totp:${userId}`));
    const ct = Buffer.concat([cipher.update(secret), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
  }

  /** null when the stored value was not made with this key for this account. */
  private decrypt(userId: number, stored: string): Buffer | null {
    const [v, iv, tag, ct] = stored.split('.');
    if (v !== 'v1' || !iv || !tag || !ct) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(`totp:${userId}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]);
    } catch {
      return null;
    }
  }
}
