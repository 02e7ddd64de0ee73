// The members module: a member's own page (picks, recommendations, profile image), their watch
// history, and what staff may see of members (search, masked personal data, audited unmasking).
// Users are reached through the users service, movies through the catalog, contents through the
// contents service; this module owns watch_progress and watch_events.
import type { DataSource, EntityManager } from 'typeorm';
import { MoreThanOrEqual } from 'typeorm';
import { dialectOf } from '../../db/data-source.js';
import { isUniqueViolation } from '../../db/tx.js';
import { forbidden, invalid, invalidFields, msg, notFound, tooLarge } from '../shared/errors.js';
import { can } from '../access/rbac.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { CatalogService, MovieView } from '../catalog/catalog.service.js';
import type { Content } from '../catalog/content.entity.js';
import { RATINGS_FOR_RECOMMENDATIONS, type RatingsService } from '../ratings/ratings.service.js';
import type { Role } from '../users/user.entity.js';
import type { UsersService } from '../users/users.service.js';
import { ageOn, maskEmail, maskName, maskPhone } from './privacy.js';
import { InvalidImageError, ProfileImageStore, sanitizeImage } from './profile-image.js';
import { WatchEvent, WatchProgress } from './watch.entity.js';
import type { MemberActivity } from '../shared/member-activity.js';
import { unseenRecommendations, type MemberState } from '../recommendations/recommendations.service.js';

/** The recommendations module, as far as members need it. */
export interface RecommendationSource {
  forUser(userId: number, limit: number): Promise<number[]>;
  /** The member's kept read state (RecommendationsService.memberState). */
  memberState(userId: number): Promise<MemberState>;
}

/** The contents module, as far as members need it. */
export interface ContentSource {
  find(id: number): Promise<Content | null>;
  isServable(c: Pick<Content, 'status' | 'validFrom' | 'validUntil'>, now?: Date): boolean;
}

/** The cinemas module, as far as my page needs it. */
export interface CinemaSource {
  /** The cards of these cinemas, in this order. */
  cinemaCards(ids: number[]): Promise<unknown[]>;
  showingMovieIds(): Promise<number[]>;
}

export interface MembersServiceDeps {
  ds: DataSource;
  users: UsersService;
  catalog: CatalogService;
  ratings: RatingsService;
  recommendations: RecommendationSource;
  contents: ContentSource;
  cinemas: CinemaSource;
  audit: AuditService;
  /** MEDIA_DIR. */
  mediaDir: string;
  /** PROFILE_IMAGE_MAX_BYTES. */
  profileImageMaxBytes: number;
  /** Members holding a card ending in these 4 digits (the payment methods service), for staff search. */
  cardOwners?: (last4: string) => Promise<number[]>;
  /** Where a member's watching is reported (the movie detail's per-member state). */
  activity?: MemberActivity;
}

/** The last four digits a search names as a card ("4242", "•••• 4242", "**** 4242", "*4242"), or null. */
export function cardLast4Query(search: string | undefined | null): string | null {
  const m = /^[•*·\s-]*(\d{4})$/u.exec((search ?? '').trim());
  return m ? m[1]! : null;
}

/** My page shows at most this many recommended movies (seed: 최대 10개). */
export const MY_PAGE_RECOMMENDATIONS = 10;
/** How far down the member's ranked list on-screen recommendations are looked for. */
export const RECOMMEND_ONSCREEN_POOL = 200;
/** A reported position may pass the reported duration by this much (players round differently). */
export const POSITION_SLACK_SECONDS = 5;

export interface WatchInput {
  content: number;
  position: number;
  duration: number;
}

export interface MyPage {
  user: { id: number; username: string; profileImage: string | null };
  ratingTf: boolean;
  pickMovies: MovieView[];
  recommendMovies: MovieView[];
  /** Favourite cinemas in the seed's cinema card shape. */
  pickCinemas: unknown[];
  /** Recommended movies that are on screen now (seed: 최대 10개). */
  recommendOnscreen: MovieView[];
  /** The member's kept state the page was read from: the same object until their activity replaces it (an answer built from it may be kept with it). */
  state: object;
}

export interface CustomerRow {
  id: number;
  username: string;
  email: string;
  phone: string | null;
  role: Role;
  createdAt: Date;
}

export interface PrivacyRow {
  id: number;
  username: string;
  name: string | null;
  phone: string | null;
  age: number | null;
}

export interface StaffViewer {
  actor: Actor;
  role: Role;
}

type Page = { offset: number; limit: number };

/**
 * Seconds a report adds to watch time: the distance moved forward since the previous report,
 * never more than the wall-clock time between the two (no inflating by seeking or fast clocks).
 * The first report of a content starts the clock and adds nothing.
 */
export function watchedSeconds(previous: { position: number; at: Date } | null, position: number, now: Date): number {
  if (!previous) return 0;
  const forward = Math.max(0, position - previous.position);
  const elapsed = Math.max(0, Math.round((now.getTime() - previous.at.getTime()) / 1000));
  return Math.min(forward, elapsed);
}

export class MembersService {
  readonly profileImages: ProfileImageStore;

  constructor(private readonly d: MembersServiceDeps) {
    this.profileImages = new ProfileImageStore(d.mediaDir);
  }

  /** The largest profile image accepted (routes stop reading an upload past it). */
  get maxProfileImageBytes(): number {
    return this.d.profileImageMaxBytes;
  }

  /** Whether the member watched anything (or, given a movie, that movie) since `since` (refund policy). */
  async watchedSince(userId: number, since: Date, movieId: number | null = null): Promise<boolean> {
    return this.d.ds.getRepository(WatchEvent).existsBy({ userId, createdAt: MoreThanOrEqual(since), ...(movieId ? { movieId } : {}) });
  }

  // ---- my page ----------------------------------------------------------------------------------

  /**
   * Seed 004 `GET user/`: picks, and recommendations only once the member has rated 10 movies.
   *
   * What the page needs of the member comes from their kept state (memberPageRows ←
   * RecommendationsService.memberState: one statement, then none until their activity or account
   * changes): the account's name and image, their rating count, their picks newest first, and their
   * stored recommendations best first without the movies they rated or watched (what
   * RecommendationsService.forUser answers from the stored list). Movies come from the catalog's
   * cache, the showing set from the cinemas' cache; favourite cinemas, when there are any, one more
   * read. Only a member with 10+ ratings and no stored list left goes the fallback way (forUser:
   * popular movies of their genres).
   */
  async myPage(userId: number): Promise<MyPage> {
    const { user, ratings, pickedIds, storedIds, cinemaIds, state } = await this.memberPageRows(userId, RECOMMEND_ONSCREEN_POOL);
    if (!user) throw notFound('userNotFound');
    const ratingTf = ratings >= RATINGS_FOR_RECOMMENDATIONS;
    const pickMovies = await this.d.catalog.viewsOf(pickedIds);
    let recommendMovies: MovieView[] = [];
    let recommendOnscreen: MovieView[] = [];
    if (ratingTf) {
      const ranked = (limit: number) => (storedIds.length ? Promise.resolve(storedIds.slice(0, limit)) : this.d.recommendations.forUser(userId, limit));
      recommendMovies = await this.d.catalog.viewsOf(await ranked(MY_PAGE_RECOMMENDATIONS));
      // The member's ranked list, kept to what is showing now (the stored list is longer than the 10 shown).
      const showing = new Set(await this.d.cinemas.showingMovieIds());
      const pool = showing.size ? await ranked(RECOMMEND_ONSCREEN_POOL) : [];
      recommendOnscreen = await this.d.catalog.viewsOf(pool.filter((id) => showing.has(id)).slice(0, MY_PAGE_RECOMMENDATIONS));
    }
    const pickCinemas = await this.d.cinemas.cinemaCards(cinemaIds);
    return { user, ratingTf, pickMovies, recommendMovies, pickCinemas, recommendOnscreen, state };
  }

  /**
   * The member's rows of my page, from their kept state: the account (null when gone) with its
   * rating count, the picked movie ids newest first (ties by id), up to `pool` stored
   * recommendations best first without the movies the member rated or watched, and the favourite
   * cinemas' ids newest first (ties by id, as CinemasService.pickedCinemas).
   */
  async memberPageRows(userId: number, pool: number): Promise<{ user: MyPage['user'] | null; ratings: number; pickedIds: number[]; storedIds: number[]; cinemaIds: number[]; state: object }> {
    const s = await this.d.recommendations.memberState(userId);
    return {
      user: s.account ? { id: userId, username: s.account.username, profileImage: s.account.profileImage } : null,
      ratings: s.rated.size,
      pickedIds: [...s.pickOrder],
      storedIds: unseenRecommendations(s, pool),
      cinemaIds: [...s.cinemas],
      state: s,
    };
  }

  // ---- profile image ----------------------------------------------------------------------------

  /**
   * Checks (JPEG/PNG by their bytes, size), strips the metadata, stores the image under a new
   * random name and replaces the member's previous one (whose file is deleted). Returns the path
   * relative to the media root.
   */
  async setProfileImage(userId: number, bytes: Buffer): Promise<string> {
    if (bytes.length > this.d.profileImageMaxBytes) throw tooLarge('imageTooLarge', { n: this.d.profileImageMaxBytes });
    let clean: ReturnType<typeof sanitizeImage>;
    try {
      clean = sanitizeImage(bytes);
    } catch (err) {
      if (err instanceof InvalidImageError) throw invalid('invalidFile');
      throw err;
    }
    const stored = await this.profileImages.save(clean.data, clean.kind);
    let previous: string | null;
    try {
      previous = await this.d.users.setProfileImage(userId, stored);
    } catch (err) {
      await this.profileImages.remove(stored);
      throw err;
    }
    await this.profileImages.remove(previous);
    return stored;
  }

  async removeProfileImage(userId: number): Promise<void> {
    const previous = await this.d.users.setProfileImage(userId, null);
    await this.profileImages.remove(previous);
  }

  // ---- watch history ----------------------------------------------------------------------------

  /**
   * A player's progress report: the content must exist and be playable now; the position may not
   * pass the duration (plus a few seconds). Upserts the member's progress and appends an event
   * with the seconds watched since the previous report (see `watchedSeconds`).
   */
  /** `opts.gate`: the age gate for the content's movie (throws 403 before anything is recorded). */
  async recordWatch(userId: number, input: WatchInput, now: Date = new Date(), opts: { gate?: (movieId: number | null) => Promise<void> } = {}): Promise<{ progress: WatchProgress; watchedSeconds: number; movie: MovieView | null }> {
    if (input.position > input.duration + POSITION_SLACK_SECONDS) throw invalidFields({ position: [msg('positionPastEnd')] });
    const content = await this.d.contents.find(input.content);
    // A content that is not servable is answered like a missing one (its existence is not revealed).
    if (!content || !this.d.contents.isServable(content, now)) throw invalidFields({ content: [msg('badPk', { v: input.content })] });
    await opts.gate?.(content.movieId);
    let result: { progress: WatchProgress; watchedSeconds: number };
    try {
      result = await this.ds.transaction((m) => this.applyWatch(m, userId, content, input, now));
    } catch (err) {
      // Two first reports of one content at once: the primary key decides, the loser re-reads.
      if (!isUniqueViolation(err)) throw err;
      result = await this.ds.transaction((m) => this.applyWatch(m, userId, content, input, now));
    }
    const [movie] = content.movieId != null ? await this.d.catalog.viewsOf([content.movieId]) : [];
    return { ...result, movie: movie ?? null };
  }

  private get ds() {
    return this.d.ds;
  }

  private async applyWatch(m: EntityManager, userId: number, content: Content, input: WatchInput, now: Date) {
    const qb = m.getRepository(WatchProgress).createQueryBuilder('p').where('p.user_id = :userId AND p.content_id = :contentId', { userId, contentId: content.id });
    if (dialectOf(this.ds) === 'mysql') qb.setLock('pessimistic_write');
    const current = await qb.getOne();
    const watched = watchedSeconds(current ? { position: current.positionSeconds, at: current.updatedAt } : null, input.position, now);
    const values = { movieId: content.movieId, positionSeconds: input.position, durationSeconds: input.duration, updatedAt: now };
    if (current) await m.update(WatchProgress, { userId, contentId: content.id }, values);
    else await m.insert(WatchProgress, { userId, contentId: content.id, ...values });
    await m.insert(WatchEvent, { userId, contentId: content.id, movieId: content.movieId, positionSeconds: input.position, watchedSeconds: watched, createdAt: now });
    if (!current || current.movieId !== content.movieId) this.d.activity?.changed(m, userId);
    return { progress: m.create(WatchProgress, { userId, contentId: content.id, ...values }), watchedSeconds: watched };
  }

  /** The member's progress list, most recently watched first, with the movies. */
  async history(userId: number, page: Page): Promise<{ count: number; rows: Array<{ progress: WatchProgress; movie: MovieView | null }> }> {
    const [rows, count] = await this.ds.getRepository(WatchProgress).findAndCount({
      where: { userId },
      order: { updatedAt: 'DESC', contentId: 'DESC' },
      skip: page.offset,
      take: page.limit,
    });
    const movieIds = [...new Set(rows.map((r) => r.movieId).filter((id): id is number => id != null))];
    const views = new Map((await this.d.catalog.viewsOf(movieIds)).map((v) => [v.movie.id, v]));
    return { count, rows: rows.map((progress) => ({ progress, movie: progress.movieId != null ? (views.get(progress.movieId) ?? null) : null })) };
  }

  // ---- staff: customers -------------------------------------------------------------------------

  /**
   * Seed 000 §8 `GET customers`: accounts by username, e-mail or phone; phones masked, e-mails
   * too for a viewer without `members: contact` in the role table (support).
   */
  async searchCustomers(filter: { search?: string; role?: Role }, page: Page, viewer: { role: Role } | null = null): Promise<{ count: number; rows: CustomerRow[] }> {
    // Card last 4 ("4242", "•••• 4242", "*4242"): only for a viewer who may see payment methods
    // (the role table) — for anyone else a card search would reveal card data through the results.
    const last4 = cardLast4Query(filter.search);
    const byCard = last4 && this.d.cardOwners && (!viewer || can(viewer.role, 'payment-methods', 'read')) ? await this.d.cardOwners(last4) : [];
    const { count, rows } = await this.d.users.search({ ...filter, alsoIds: byCard }, page);
    const clearEmail = !viewer || can(viewer.role, 'members', 'contact');
    return {
      count,
      rows: rows.map((u) => ({ id: u.id, username: u.username, email: clearEmail ? u.email : (maskEmail(u.email) ?? ''), phone: maskPhone(u.phone), role: u.role, createdAt: u.createdAt })),
    };
  }

  /**
   * Seed 000 §10 `GET customersprivacy`: members' name, phone and age, masked. Only an admin may
   * ask for them unmasked, and every unmasked read is written to the audit log (who, which members).
   * The birth date itself is never shown, only the age.
   */
  async privacyPage(filter: { search?: string }, page: Page, opts: { unmask: boolean; viewer: StaffViewer }, today: Date = new Date()): Promise<{ count: number; rows: PrivacyRow[] }> {
    if (opts.unmask && !can(opts.viewer.role, 'members', 'unmask')) throw forbidden('unmaskAdminOnly');
    const { count, rows } = await this.d.users.search({ search: filter.search, role: 'user' }, page);
    const out = rows.map((u) => ({
      id: u.id,
      username: u.username,
      name: opts.unmask ? u.fullName : maskName(u.fullName),
      phone: opts.unmask ? u.phone : maskPhone(u.phone),
      age: ageOn(u.birthDate, today),
    }));
    if (opts.unmask) {
      await this.d.audit.record({
        actor: opts.viewer.actor,
        action: 'unmask',
        resource: 'customersprivacy',
        after: { member_ids: out.map((r) => r.id), search: filter.search ?? null, offset: page.offset },
        reason: `unmasked personal data of ${out.length} member(s)`,
      });
    }
    return { count, rows: out };
  }

  /** Seed 000 `GET customersprivacy/count`: members (role user), staff not counted. */
  memberCount(): Promise<number> {
    return this.d.users.countByRole('user');
  }
}
