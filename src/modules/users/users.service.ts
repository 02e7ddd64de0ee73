// The users module: sign-up, credentials, roles. Other modules ask this service for users;
// nothing else reads or writes the users table.
import { Between, Brackets, In, type DataSource } from 'typeorm';
import { dialectOf } from '../../db/data-source.js';
import { ChangeFeed, LocalInvalidationBus, type InvalidationBus } from '../../db/invalidation.js';
import { isForeignKeyViolation, isUniqueViolation, transactionWithRetry } from '../../db/tx.js';
import type { Principal as AuthUser } from '../access/principal.js';
import { conflict, forbidden, invalidFields, msg, notFound, type FieldMessages } from '../shared/errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { burnVerification, hashPassword, verifyPassword } from './passwords.js';
import { passwordProblem } from './password-rule.js';
import type { AccountCreate } from './users.schemas.js';
import { PANEL_LANGUAGES, ROLES, STAFF_ROLES, User, type PanelLanguage, type Role } from './user.entity.js';

/** A panel language that is not one of PANEL_LANGUAGES, or an account that is gone (the panel words it). */
export class PanelLanguageError extends Error {
  override name = 'PanelLanguageError';
  constructor(public readonly code: 'unknown_language' | 'no_account') {
    super(code);
  }
}

/** The invalidation channel of account changes that end or alter what a token stands for. */
export const USERS_CHANNEL = 'users';

export interface SignupInput {
  username: string;
  email: string;
  password: string;
  getAgreement: boolean;
  role?: Role;
}

export interface AccountPatch {
  username?: string;
  email?: string;
  role?: Role;
  isActive?: boolean;
  getAgreement?: boolean;
}

export interface SessionAccount {
  id: number;
  email: string;
  role: Role;
  isActive: boolean;
  tokenVersion: number;
  totpEnabledAt: Date | null;
  /** The panel's language for this staff member ('ko' unless they chose 'en'). */
  panelLanguage: PanelLanguage;
}

export function toAuthUser(u: Pick<User, 'id' | 'username' | 'email' | 'role'>): AuthUser {
  return { id: u.id, username: u.username, email: u.email, role: u.role };
}

/**
 * How a login identifier that names no account is counted: NFKC (full-width → ASCII), case-folded,
 * accents stripped and surrounding spaces dropped — what the database's case- and accent-
 * insensitive collation treats as equal, so the spellings of one unknown name share one budget.
 */
export function canonicalLogin(identifier: string): string {
  return identifier
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .trim()
    .slice(0, 254);
}

/** The login throttle's key of an account (an identifier that names none is keyed by its canonical form). */
export const accountKey = (userId: number) => `u:${userId}`;

export class UsersService {
  /**
   * What the account rows' readers cache (the API's token → user cache, TokenUserCache) hears:
   * the ids of accounts whose tokens were revoked (password, role, deactivation, log out
   * everywhere), renamed or deleted — in this process at once and after the commit, in the others
   * through the `users` invalidation channel.
   */
  readonly changes: ChangeFeed;

  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
    bus: InvalidationBus = new LocalInvalidationBus(),
  ) {
    this.changes = new ChangeFeed(ds, bus, USERS_CHANNEL);
  }

  private get repo() {
    return this.ds.getRepository(User);
  }

  /** `opts.now`: when the account is created (default now; the demo's week of activity places members on its days). */
  async signup(input: SignupInput, opts: { now?: Date } = {}): Promise<User> {
    const existing = await this.repo.exists({ where: { username: input.username } });
    if (existing) throw invalidFields({ username: [msg('uniqueUsername')] });
    const user = this.repo.create({
      username: input.username,
      email: input.email.toLowerCase(),
      passwordHash: await hashPassword(input.password),
      role: input.role ?? 'user',
      getAgreement: input.getAgreement,
      ...(opts.now ? { createdAt: opts.now } : {}),
    });
    try {
      return await this.repo.save(user);
    } catch (err) {
      // Two sign-ups with one username at once: the unique index decides, same answer as above.
      if (isUniqueViolation(err)) throw invalidFields({ username: [msg('uniqueUsername')] });
      throw err;
    }
  }

  /**
   * The account a login identifier names, looked up as the login does (the username — or, for the
   * panel, the e-mail too — through the database's collation), and the key its attempts are
   * counted under: `u:<id>` for an account, so every spelling the collation matches to it shares
   * one budget; `n:<canonical>` for an identifier that names no account.
   */
  async resolveLogin(identifier: string, opts: { staffOnly?: boolean } = {}): Promise<{ user: User | null; key: string }> {
    const login = identifier.trim();
    const qb = this.repo.createQueryBuilder('u').addSelect('u.passwordHash').where('u.username = :login', { login });
    if (opts.staffOnly && login.includes('@')) qb.orWhere('u.email = :email', { email: login.toLowerCase() });
    const candidates = login ? await qb.getMany() : [];
    const user = candidates.find((u) => u.username === login) ?? candidates.find((u) => (opts.staffOnly ? STAFF_ROLES.includes(u.role) : true)) ?? null;
    return { user, key: user ? accountKey(user.id) : `n:${canonicalLogin(login)}` };
  }

  /** The user when the password is theirs and the account may log in, or null. Takes the same time whether or not there is a user. */
  async verifyLogin(user: User | null, password: string, opts: { staffOnly?: boolean } = {}): Promise<User | null> {
    if (!user) {
      await burnVerification(password);
      return null;
    }
    const ok = await verifyPassword(user.passwordHash, password);
    if (!ok || !user.isActive) return null;
    if (opts.staffOnly && !STAFF_ROLES.includes(user.role)) return null;
    await this.repo.update({ id: user.id }, { lastLoginAt: new Date() });
    return user;
  }

  /**
   * The user an API token stands for, or null: the account must be active and the token issued
   * under its current token version — or be the one token that made the last password change.
   */
  async authUserForToken(id: number, token: { tv?: unknown; jti?: unknown }): Promise<AuthUser | null> {
    const u = await this.repo.createQueryBuilder('u').addSelect('u.tokenKeep').where('u.id = :id AND u.isActive = :active', { id, active: true }).getOne();
    if (!u) return null;
    const version = typeof token.tv === 'number' ? token.tv : 0;
    const kept = typeof token.jti === 'string' && u.tokenKeep !== null && token.jti === u.tokenKeep;
    return version === u.tokenVersion || kept ? toAuthUser(u) : null;
  }

  /**
   * Ends every token issued so far ("log out everywhere", and the effect of a deactivation or role
   * change); `keep` is the id of one token that stays valid (the one that changed the password).
   * Returns the new version, for a fresh token.
   */
  async revokeTokens(userId: number, keep: string | null = null, m = this.ds.manager): Promise<number> {
    await m
      .createQueryBuilder()
      .update(User)
      .set({ tokenVersion: () => 'token_version + 1', tokenKeep: keep })
      .where('id = :userId', { userId })
      .execute();
    this.changes.record(m, { ids: [userId] });
    const u = await m.findOneBy(User, { id: userId });
    return u?.tokenVersion ?? 0;
  }

  /**
   * What a panel session is checked against on every request (admin/panel-auth.ts): the account's
   * role, whether it is active, its token version (a password change, deactivation, role change,
   * "log out everywhere" or "End sessions" increments it) and whether it has a second factor.
   */
  async sessionUser(id: number): Promise<SessionAccount | null> {
    const u = await this.repo.findOne({ where: { id }, select: { id: true, email: true, role: true, isActive: true, tokenVersion: true, totpEnabledAt: true, panelLanguage: true } });
    return u ? { id: u.id, email: u.email, role: u.role, isActive: u.isActive, tokenVersion: u.tokenVersion, totpEnabledAt: u.totpEnabledAt, panelLanguage: PANEL_LANGUAGES.includes(u.panelLanguage) ? u.panelLanguage : 'ko' } : null;
  }

  /** A staff member chooses the panel's language for their own account ('ko' or 'en'). */
  async setPanelLanguage(userId: number, language: unknown): Promise<PanelLanguage> {
    if (typeof language !== 'string' || !(PANEL_LANGUAGES as readonly string[]).includes(language)) throw new PanelLanguageError('unknown_language');
    const result = await this.repo.update({ id: userId }, { panelLanguage: language as PanelLanguage });
    if (!result.affected) throw new PanelLanguageError('no_account');
    return language as PanelLanguage;
  }

  /**
   * An admin ends another staff member's sessions (panel "End sessions"): the token version moves
   * on, so every panel session and API token issued so far is refused at its next request. The
   * caller also deletes the sessions from the store. Audited.
   */
  async endSessions(userId: number, actor: Actor | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      if (!(await m.existsBy(User, { id: userId }))) throw notFound('userNotFound');
      await this.revokeTokens(userId, null, m);
      await this.audit.record({ actor, action: 'end-sessions', resource: 'users', recordId: userId }, m);
    });
  }

  async findAuthUser(id: number): Promise<AuthUser | null> {
    const u = await this.repo.findOneBy({ id, isActive: true });
    return u ? toAuthUser(u) : null;
  }

  /** {id, username} of these users, for showing authors (reviews, history). */
  async publicNames(ids: number[]): Promise<Map<number, { id: number; username: string }>> {
    if (!ids.length) return new Map();
    const rows = await this.repo.find({ where: { id: In([...new Set(ids)]) }, select: { id: true, username: true } });
    return new Map(rows.map((r) => [r.id, { id: r.id, username: r.username }]));
  }

  /** A user by username or e-mail (exact; e-mails compared lower-cased). */
  async findByLogin(login: string): Promise<User | null> {
    const v = login.trim();
    if (!v) return null;
    return this.repo.findOne({ where: v.includes('@') ? { email: v.toLowerCase() } : { username: v } });
  }

  async findById(id: number): Promise<User | null> {
    return this.repo.findOneBy({ id });
  }

  /**
   * PATCH user/password/: 403 when the current password (if given) does not match. Every earlier token stops
   * working except `keepTokenId` (the one that made the change, as Django keeps that session);
   * returns the account's new token version, for the fresh token the answer carries.
   */
  async changePassword(userId: number, current: string | null, next: string, keepTokenId: string | null = null): Promise<number> {
    const user = await this.repo.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: userId }).getOne();
    // current = null: the caller vouches for a recent login instead (the seed's body).
    if (!user || (current !== null && !(await verifyPassword(user.passwordHash, current)))) throw forbidden('wrongPassword');
    const hash = await hashPassword(next);
    return this.ds.transaction(async (m) => {
      await m.update(User, { id: userId }, { passwordHash: hash });
      return this.revokeTokens(userId, keepTokenId, m);
    });
  }

  /** An account created by an admin in the panel (any role), with the sign-up's rules. */
  async createAccount(input: AccountCreate): Promise<User> {
    const user = await this.signup({ username: input.username, email: input.email, password: input.password, getAgreement: input.get_agreement, role: input.role });
    if (!input.is_active) await this.repo.update({ id: user.id }, { isActive: false });
    return user;
  }

  /**
   * Staff edit of an account (the panel's users edit): username, e-mail, role, active, agreement.
   * A role change or a deactivation ends the account's tokens in the same transaction.
   */
  async updateAccount(userId: number, patch: AccountPatch): Promise<User> {
    const errors: FieldMessages = {};
    const set: Partial<Pick<User, 'username' | 'email' | 'role' | 'isActive' | 'getAgreement'>> = {};
    if (patch.username !== undefined) {
      const v = patch.username.trim();
      if (!v || v.length > 150 || !/^[\w.@+-]+$/u.test(v)) errors.username = [msg('invalid')];
      else set.username = v;
    }
    if (patch.email !== undefined) {
      const v = patch.email.trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v) || v.length > 254) errors.email = [msg('invalid')];
      else set.email = v;
    }
    if (patch.role !== undefined) {
      if (!ROLES.includes(patch.role)) errors.role = [msg('invalid')];
      else set.role = patch.role;
    }
    if (patch.isActive !== undefined) set.isActive = patch.isActive;
    if (patch.getAgreement !== undefined) set.getAgreement = patch.getAgreement;
    if (Object.keys(errors).length) throw invalidFields(errors);
    try {
      return await this.ds.transaction(async (m) => {
        const before = await m.findOneBy(User, { id: userId });
        if (!before) throw notFound('userNotFound');
        if (Object.keys(set).length) {
          await m.update(User, { id: userId }, set);
          this.changes.record(m, { ids: [userId] });
        }
        const revoke = (set.role !== undefined && set.role !== before.role) || (set.isActive !== undefined && set.isActive !== before.isActive);
        if (revoke) await this.revokeTokens(userId, null, m);
        return m.findOneByOrFail(User, { id: userId });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw invalidFields({ username: [msg('uniqueUsername')] });
      throw err;
    }
  }

  /**
   * Deletes an account (the panel). One that payments, refunds or other records of the books still
   * refer to is kept (409 — deactivate it instead); an admin cannot delete their own account.
   */
  async deleteAccount(userId: number, actor: Actor | null): Promise<void> {
    if (actor && actor.id === userId) throw conflict('deleteOwnAccount');
    try {
      await this.ds.transaction(async (m) => {
        const before = await m.findOneBy(User, { id: userId });
        if (!before) throw notFound('userNotFound');
        await m.delete(User, { id: userId });
        this.changes.record(m, { ids: [userId] });
        await this.audit.record({ actor, action: 'delete', resource: 'users', recordId: userId, before: { ...toAuthUser(before) }, after: null }, m);
      });
    } catch (err) {
      if (isForeignKeyViolation(err)) throw conflict('accountInBooks');
      throw err;
    }
  }

  /** The hash stored for a password chosen in the admin panel (same rules as sign-up). */
  async hashNewPassword(password: string): Promise<string> {
    const problem = passwordProblem(password);
    if (problem) throw new RangeError(`password ${problem}`);
    return hashPassword(password);
  }

  /** Admin action: set a user's password (audited; the password itself is never logged). */
  async setPassword(userId: number, next: string, actor: Actor | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      const res = await m.update(User, { id: userId }, { passwordHash: await hashPassword(next) });
      if (!res.affected) throw notFound('userNotFound');
      await this.revokeTokens(userId, null, m);
      await this.audit.record({ actor, action: 'set-password', resource: 'users', recordId: userId, before: { password: 'x' }, after: { password: 'y' } }, m);
    });
  }

  /**
   * Creates a staff account, or updates role and password of the existing one with that e-mail.
   * Idempotent under concurrency: two processes creating the same account at once (replicas
   * starting together) collide on the username's unique index, and the loser's rerun finds the
   * winner's account and updates it instead.
   */
  async ensureStaff(email: string, password: string, role: Role = 'admin'): Promise<{ user: User; created: boolean }> {
    if (!ROLES.includes(role) || role === 'user') throw new Error(`not a staff role: ${role}`);
    const normalized = email.toLowerCase();
    const passwordHash = await hashPassword(password);
    return transactionWithRetry(
      this.ds,
      async (m) => {
        const existing = await m.getRepository(User).createQueryBuilder('u').addSelect('u.passwordHash').where('u.email = :email AND u.role = :role', { email: normalized, role }).getOne();
        if (existing) {
          // Unchanged (ADMIN_PASSWORD at every start): nothing to write, the admin's tokens stay valid.
          if (existing.isActive && (await verifyPassword(existing.passwordHash, password))) return { user: existing, created: false };
          await m.update(User, { id: existing.id }, { passwordHash, isActive: true });
          await this.revokeTokens(existing.id, null, m);
          return { user: existing, created: false };
        }
        const base = normalized.split('@')[0].replace(/[^\w.@+-]/g, '') || 'admin';
        let username = base;
        for (let i = 2; await m.exists(User, { where: { username } }); i++) username = `${base}${i}`;
        const user = await m.save(m.create(User, { username, email: normalized, passwordHash, role, getAgreement: false }));
        return { user, created: true };
      },
      { retryUniqueViolation: true },
    );
  }

  /**
   * Accounts whose username or e-mail contains `search`, or — for a search that looks like a
   * phone number — whose phone contains its digits (separators ignored); newest first.
   * Parameterised; LIKE wildcards in the search are matched literally.
   */
  /**
   * Accounts whose username, e-mail, name or phone contains `search` (phones compared by their
   * digits), or whose id is in `alsoIds` (matches the caller found elsewhere, e.g. by card).
   */
  async search(filter: { search?: string; role?: Role; alsoIds?: number[] }, page: { offset: number; limit: number }): Promise<{ count: number; rows: User[] }> {
    const qb = this.repo.createQueryBuilder('u');
    if (filter.role) qb.andWhere('u.role = :role', { role: filter.role });
    const q = filter.search?.trim();
    if (q) {
      const like = (s: string) => `%${s.replace(/[!%_]/g, (c) => `!${c}`)}%`;
      const digits = q.replace(/\D/g, '');
      const also = (filter.alsoIds ?? []).filter((id) => Number.isInteger(id));
      qb.andWhere(
        new Brackets((w) => {
          w.where("u.username LIKE :q ESCAPE '!'", { q: like(q) })
            .orWhere("u.email LIKE :qe ESCAPE '!'", { qe: like(q.toLowerCase()) })
            .orWhere("u.fullName LIKE :q ESCAPE '!'", { q: like(q) });
          if (/^[\d\s()+-]+$/.test(q) && digits.length >= 3) w.orWhere("REPLACE(REPLACE(REPLACE(u.phone, '-', ''), ' ', ''), '+', '') LIKE :digits", { digits: `%${digits}%` });
          if (also.length) w.orWhere('u.id IN (:...also)', { also });
        }),
      );
    }
    const [rows, count] = await qb.orderBy('u.id', 'DESC').skip(page.offset).take(page.limit).getManyAndCount();
    return { count, rows };
  }

  countByRole(role: Role): Promise<number> {
    return this.repo.countBy({ role });
  }

  /** Sets (or clears) the stored profile image path; returns the previous one (the caller deletes its file). */
  async setProfileImage(userId: number, relativePath: string | null): Promise<string | null> {
    return this.ds.transaction(async (m) => {
      const qb = m.getRepository(User).createQueryBuilder('u').select(['u.id', 'u.profileImage']).where('u.id = :userId', { userId });
      if (dialectOf(this.ds) === 'mysql') qb.setLock('pessimistic_write');
      const user = await qb.getOne();
      if (!user) throw notFound('userNotFound');
      await m.update(User, { id: userId }, { profileImage: relativePath });
      this.changes.record(m, { ids: [userId] });
      return user.profileImage;
    });
  }

  async countStaff(): Promise<number> {
    return this.repo.createQueryBuilder('u').where('u.role IN (:...roles)', { roles: STAFF_ROLES }).getCount();
  }

  /** Sign-ups in [from, to) — for the statistics module. */
  /** Members (role `user`) who signed up in [from, to): staff accounts are not sign-ups. */
  async countCreatedBetween(from: Date, to: Date): Promise<number> {
    return this.repo.count({ where: { createdAt: Between(from, new Date(to.getTime() - 1)), role: 'user' } });
  }
}
