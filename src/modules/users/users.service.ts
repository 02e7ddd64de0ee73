// The users module: sign-up, credentials, roles. Other modules ask this service for users;
// nothing else reads or writes the users table.
import { Between, Brackets, In, type DataSource } from 'typeorm';
import { dialectOf } from '../../db/data-source.js';
import { isUniqueViolation, transactionWithRetry } from '../../db/tx.js';
import type { AuthUser } from '../../http/auth.js';
import { HttpError, ValidationError } from '../../http/errors.js';
import { t, type Lang } from '../../http/i18n.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { burnVerification, hashPassword, verifyPassword } from './passwords.js';
import { ROLES, STAFF_ROLES, User, type Role } from './user.entity.js';

export interface SignupInput {
  username: string;
  email: string;
  password: string;
  getAgreement: boolean;
  role?: Role;
}

export function toAuthUser(u: Pick<User, 'id' | 'username' | 'email' | 'role'>): AuthUser {
  return { id: u.id, username: u.username, email: u.email, role: u.role };
}

export class UsersService {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  private get repo() {
    return this.ds.getRepository(User);
  }

  async signup(input: SignupInput, lang: Lang): Promise<User> {
    const existing = await this.repo.exists({ where: { username: input.username } });
    if (existing) throw new ValidationError({ username: [t(lang, 'uniqueUsername')] });
    const user = this.repo.create({
      username: input.username,
      email: input.email.toLowerCase(),
      passwordHash: await hashPassword(input.password),
      role: input.role ?? 'user',
      getAgreement: input.getAgreement,
    });
    try {
      return await this.repo.save(user);
    } catch (err) {
      // Two sign-ups with one username at once: the unique index decides, same answer as above.
      if (isUniqueViolation(err)) throw new ValidationError({ username: [t(lang, 'uniqueUsername')] });
      throw err;
    }
  }

  /** The user for these credentials, or null. Takes the same time whether or not the user exists. */
  async authenticate(login: string, password: string, opts: { staffOnly?: boolean } = {}): Promise<User | null> {
    const qb = this.repo.createQueryBuilder('u').addSelect('u.passwordHash').where('u.username = :login', { login });
    if (opts.staffOnly && login.includes('@')) qb.orWhere('u.email = :email', { email: login.toLowerCase() });
    const candidates = await qb.getMany();
    const user = candidates.find((u) => u.username === login) ?? candidates.find((u) => (opts.staffOnly ? STAFF_ROLES.includes(u.role) : true)) ?? null;
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

  /** PATCH user/password/: 403 when the current password does not match. */
  async changePassword(userId: number, current: string, next: string, lang: Lang): Promise<void> {
    const user = await this.repo.createQueryBuilder('u').addSelect('u.passwordHash').where('u.id = :id', { id: userId }).getOne();
    if (!user || !(await verifyPassword(user.passwordHash, current))) throw new HttpError(403, { message: t(lang, 'wrongPassword') });
    await this.repo.update({ id: userId }, { passwordHash: await hashPassword(next) });
  }

  /** The hash stored for a password chosen in the admin panel (same rules as sign-up). */
  async hashNewPassword(password: string): Promise<string> {
    if (password.length < 8 || password.length > 128) throw new RangeError('password must be 8–128 characters');
    return hashPassword(password);
  }

  /** Admin action: set a user's password (audited; the password itself is never logged). */
  async setPassword(userId: number, next: string, actor: Actor | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      const res = await m.update(User, { id: userId }, { passwordHash: await hashPassword(next) });
      if (!res.affected) throw new HttpError(404, { detail: 'User not found.' });
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
        const existing = await m.findOneBy(User, { email: normalized, role });
        if (existing) {
          await m.update(User, { id: existing.id }, { passwordHash, isActive: true });
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
  async search(filter: { search?: string; role?: Role }, page: { offset: number; limit: number }): Promise<{ count: number; rows: User[] }> {
    const qb = this.repo.createQueryBuilder('u');
    if (filter.role) qb.andWhere('u.role = :role', { role: filter.role });
    const q = filter.search?.trim();
    if (q) {
      const like = (s: string) => `%${s.replace(/[!%_]/g, (c) => `!${c}`)}%`;
      const digits = q.replace(/\D/g, '');
      qb.andWhere(
        new Brackets((w) => {
          w.where("u.username LIKE :q ESCAPE '!'", { q: like(q) }).orWhere("u.email LIKE :qe ESCAPE '!'", { qe: like(q.toLowerCase()) });
          if (/^[\d\s()+-]+$/.test(q) && digits.length >= 3) w.orWhere("REPLACE(REPLACE(REPLACE(u.phone, '-', ''), ' ', ''), '+', '') LIKE :digits", { digits: `%${digits}%` });
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
      if (!user) throw new HttpError(404, { detail: 'User not found.' });
      await m.update(User, { id: userId }, { profileImage: relativePath });
      return user.profileImage;
    });
  }

  async countStaff(): Promise<number> {
    return this.repo.createQueryBuilder('u').where('u.role IN (:...roles)', { roles: STAFF_ROLES }).getCount();
  }

  /** Sign-ups in [from, to) — for the statistics module. */
  async countCreatedBetween(from: Date, to: Date): Promise<number> {
    return this.repo.count({ where: { createdAt: Between(from, new Date(to.getTime() - 1)) } });
  }
}
