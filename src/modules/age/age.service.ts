// Age verification (seed 000 §10) and the age gate every public read path goes through.
//
// Verification: the member starts a transaction (start) and is sent to the identity provider; the
// provider calls back (callback) with a signed result; a verified result stores the birth date,
// the masked name and the keyed hash of the CI (one CI per account), never an identity number.
//
// Gate: viewer(user) turns the request's user into an AgeViewer; the AgePolicy (age.policy.ts)
// decides; the helpers below apply it to a movie id, a list of ids, or a query's grade column.
import { createHmac, randomBytes } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import type { Principal as AuthUser } from '../access/principal.js';
import { conflict, DomainError, gone, invalid, notFound } from '../shared/errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { WatchGrade } from '../catalog/movie.entity.js';
import { isUniqueViolation } from '../commerce/tx.js';
import { STAFF_ROLES } from '../users/user.entity.js';
import { ageOn, ANONYMOUS_VIEWER, STAFF_VIEWER, type AgePolicy, type AgeViewer } from './age.policy.js';
import { InvalidCallback, VerificationFailed, type IdentityProvider } from './identity-provider.js';
import { AgeVerification, VerificationTransaction } from './verification.entities.js';
import { ChangeFeed, LocalInvalidationBus, type Invalidation, type InvalidationBus } from '../../db/invalidation.js';
import { VerificationCache, type VerificationCacheOptions } from './verification-cache.js';

/** The invalidation channel of members whose age verification changed. */
export const AGE_CHANNEL = 'age';

export interface AgeServiceOptions {
  ciKey: string;
  txTtlSeconds: number;
  /** The service calendar's zone: ages change at midnight there. */
  timeZone: string;
  /** The per-process cache of members' verified birth dates (verification-cache.ts); default off. */
  cache?: VerificationCacheOptions;
}

export interface AgeServiceDeps {
  ds: DataSource;
  policy: AgePolicy;
  provider: IdentityProvider;
  audit: AuditService;
  /** The catalog's grades of movies (the age module owns no movie table). */
  catalog: { gradesOf(ids: number[]): Promise<Map<number, WatchGrade | null>> };
  /** Where verification changes reach the other processes' caches (default: this process only). */
  bus?: InvalidationBus;
}

/** What route handlers use: the viewer of a request and the policy's answers for it. */
export interface AgeGate {
  viewer(user: AuthUser | undefined): Promise<AgeViewer>;
  visibleGrades(viewer: AgeViewer): WatchGrade[] | null;
  canView(viewer: AgeViewer, grade: string | null | undefined): boolean;
  assertCanView(viewer: AgeViewer, grade: string | null | undefined): void;
  assertMovieVisible(viewer: AgeViewer, movieId: number): Promise<void>;
  assertMoviePlayable(viewer: AgeViewer, movieId: number | null): Promise<void>;
}

export interface VerificationStatus {
  verified: boolean;
  provider: string | null;
  name: string | null;
  birthDate: string | null;
  age: number | null;
  verifiedAt: Date | null;
  adult: boolean;
}

export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

export class AgeService implements AgeGate {
  /** Tests move it instead of waiting. */
  clock: () => Date = () => new Date();
  /**
   * Members whose verification changed (the callback), in this process at once and after the
   * commit, in the others through the `age` channel: the verified birth dates cache hears it.
   */
  readonly changes: ChangeFeed;
  /** Members' verified birth dates, per process (what `viewer` reads on every signed-in request). */
  readonly verifications: VerificationCache;
  private readonly dayFormat: Intl.DateTimeFormat;

  constructor(
    private readonly deps: AgeServiceDeps,
    private readonly opts: AgeServiceOptions,
  ) {
    this.dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: opts.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    this.verifications = new VerificationCache(opts.cache ?? { ttlMs: 0, maxEntries: 0 });
    this.changes = new ChangeFeed(deps.ds, deps.bus ?? new LocalInvalidationBus(), AGE_CHANNEL);
    this.changes.onChange((c) => this.verifications.invalidate(c));
  }

  /** Accounts changed (the users module's feed: a deleted account's verification goes with it). */
  accountsChanged(change: Invalidation): void {
    this.verifications.invalidate(change);
  }

  get policy(): AgePolicy {
    return this.deps.policy;
  }

  get providerName(): string {
    return this.deps.provider.name;
  }

  /** Today on the service calendar (YYYY-MM-DD). */
  today(): string {
    return this.dayFormat.format(this.clock());
  }

  // ---- verification ---------------------------------------------------------------------------------

  async start(user: AuthUser, callbackUrl: string): Promise<{ txId: string; url: string; expiresAt: Date; provider: string }> {
    const txId = randomBytes(18).toString('base64url');
    const expiresAt = new Date(this.clock().getTime() + this.opts.txTtlSeconds * 1000);
    const redirect = await this.deps.provider.start({ txId, userId: user.id, callbackUrl });
    await this.deps.ds.getRepository(VerificationTransaction).insert({ txId, userId: user.id, provider: this.deps.provider.name, status: 'pending', failureReason: null, expiresAt, completedAt: null });
    return { txId, url: redirect.url, expiresAt, provider: this.deps.provider.name };
  }

  /**
   * The provider's callback. Bad signature → 400; unknown transaction → 404; finished or expired →
   * 410; a failed verification is recorded (status failed); a CI already verified on another
   * account → 409. Success stores or replaces the member's verification.
   */
  async callback(payload: Record<string, unknown>): Promise<{ status: 'verified' | 'failed'; userId: number; reason?: string }> {
    let identity;
    try {
      identity = await this.deps.provider.callback(payload);
    } catch (err) {
      if (err instanceof VerificationFailed) {
        const tx = await this.pendingTx(err.txId);
        await this.deps.ds.getRepository(VerificationTransaction).update({ id: tx.id, status: 'pending' }, { status: 'failed', failureReason: err.reason.slice(0, 100), completedAt: this.clock() });
        return { status: 'failed', userId: tx.userId, reason: err.reason };
      }
      if (err instanceof InvalidCallback) throw invalid('badCallback');
      throw err;
    }
    const tx = await this.pendingTx(identity.txId);
    if (identity.birthDate > this.today()) throw invalid('futureBirth');
    const ciHash = createHmac('sha256', this.opts.ciKey).update(identity.ci).digest('hex');
    const now = this.clock();
    try {
      await this.deps.ds.transaction(async (m) => {
        const taken = await m.findOneBy(AgeVerification, { ciHash });
        if (taken && taken.userId !== tx.userId) throw conflict('ciInUse');
        const done = await m.update(VerificationTransaction, { id: tx.id, status: 'pending' }, { status: 'verified', completedAt: now });
        if (!done.affected) throw gone('txUsed');
        const fields = { provider: this.deps.provider.name, nameMasked: maskName(identity.name), birthDate: identity.birthDate, ciHash, verifiedAt: now };
        const existing = await m.findOneBy(AgeVerification, { userId: tx.userId });
        // The cached birth dates drop the member now and again when this commits (other processes too).
        this.changes.record(m, { ids: [tx.userId] });
        if (existing) await m.update(AgeVerification, { id: existing.id }, fields);
        else await m.insert(AgeVerification, { userId: tx.userId, ...fields });
        const actor: Actor = { id: tx.userId, email: null };
        await this.deps.audit.record({ actor, action: 'verify-age', resource: 'age_verifications', recordId: tx.userId, after: { provider: fields.provider, birth_date: fields.birthDate } }, m);
      });
    } catch (err) {
      // Two accounts finishing with one CI at the same moment: the unique index decides.
      if (isUniqueViolation(err)) throw conflict('ciInUse');
      if (err instanceof DomainError && err.code === 'ciInUse') {
        await this.deps.ds.getRepository(VerificationTransaction).update({ id: tx.id, status: 'pending' }, { status: 'failed', failureReason: 'ci_in_use', completedAt: now });
      }
      throw err;
    }
    return { status: 'verified', userId: tx.userId };
  }

  private async pendingTx(txId: string): Promise<VerificationTransaction> {
    const tx = await this.deps.ds.getRepository(VerificationTransaction).findOneBy({ txId });
    if (!tx) throw notFound('txNotFound');
    if (tx.status !== 'pending') throw gone('txUsed');
    if (tx.expiresAt.getTime() <= this.clock().getTime()) throw gone('txExpired');
    return tx;
  }

  async status(userId: number): Promise<VerificationStatus> {
    const v = await this.deps.ds.getRepository(AgeVerification).findOneBy({ userId });
    if (!v) return { verified: false, provider: null, name: null, birthDate: null, age: null, verifiedAt: null, adult: false };
    const age = ageOn(v.birthDate, this.today());
    return { verified: true, provider: v.provider, name: v.nameMasked, birthDate: v.birthDate, age, verifiedAt: v.verifiedAt, adult: age >= this.policy.adultAge };
  }

  // ---- the gate ---------------------------------------------------------------------------------------

  async viewer(user: AuthUser | undefined): Promise<AgeViewer> {
    if (!user) return ANONYMOUS_VIEWER;
    if (STAFF_ROLES.includes(user.role)) return STAFF_VIEWER;
    const birthDate = await this.verifications.through(user.id, user.id, () => this.verifiedBirthDate(user.id));
    if (birthDate === null) return { staff: false, verified: false, age: null };
    return { staff: false, verified: true, age: ageOn(birthDate, this.today()) };
  }

  /** The member's verified birth date, or null (one primary-key read; raw, no entity). */
  private async verifiedBirthDate(userId: number): Promise<string | null> {
    // As text on both dialects (a DATE is YYYY-MM-DD), as the entity reads it.
    const rows: Array<{ birthDate: unknown }> = await this.deps.ds.query('SELECT CAST(birth_date AS CHAR) AS birthDate FROM age_verifications WHERE user_id = ?', [userId]);
    return rows.length ? String(rows[0]!.birthDate).slice(0, 10) : null;
  }

  visibleGrades(viewer: AgeViewer): WatchGrade[] | null {
    return this.policy.visibleGrades(viewer);
  }

  canView(viewer: AgeViewer, grade: string | null | undefined): boolean {
    return this.policy.canView(viewer, grade);
  }

  assertCanView(viewer: AgeViewer, grade: string | null | undefined): void {
    this.policy.assertCanView(viewer, grade);
  }

  /** 403 when the movie exists and the viewer may not see it (a missing movie is the caller's 404). */
  async assertMovieVisible(viewer: AgeViewer, movieId: number): Promise<void> {
    if (viewer.staff) return;
    const grades = await this.deps.catalog.gradesOf([movieId]);
    if (grades.has(movieId)) this.policy.assertCanView(viewer, grades.get(movieId));
  }

  /** 403 when the viewer may not play content of this movie (content without a movie is not gated). */
  async assertMoviePlayable(viewer: AgeViewer, movieId: number | null): Promise<void> {
    if (viewer.staff || movieId === null) return;
    const grades = await this.deps.catalog.gradesOf([movieId]);
    if (grades.has(movieId)) this.policy.assertCanPlay(viewer, grades.get(movieId));
  }

  /** Verified birth dates of these members (admin/support views). */
  async verifiedBirthDates(userIds: number[]): Promise<Map<number, string>> {
    if (!userIds.length) return new Map();
    const rows = await this.deps.ds.getRepository(AgeVerification).find({ where: { userId: In(userIds) }, select: { userId: true, birthDate: true } });
    return new Map(rows.map((r) => [r.userId, r.birthDate]));
  }
}
