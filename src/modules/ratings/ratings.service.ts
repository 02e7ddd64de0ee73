// Movie ratings: one per user per movie, scores 0.5–5.0 in half steps. The movie's average is
// kept by atomic counter updates in the same transaction as the rating change.
import { whereGradeVisible } from '../age/age.policy.js';
import type { WatchGrade } from '../catalog/movie.entity.js';
import type { DataSource, EntityManager } from 'typeorm';
import { rowLock } from '../../db/data-source.js';
import { isUniqueViolation, transactionWithRetry } from '../../db/tx.js';
import { forbidden, invalid, invalidFields, msg, notFound } from '../shared/errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import { Movie } from '../catalog/movie.entity.js';
import type { UsersService } from '../users/users.service.js';
import { MovieRating } from './movie-rating.entity.js';

/** Ratings a member needs before personal recommendations and predicted scores appear. */
export const RATINGS_FOR_RECOMMENDATIONS = 10;

/** Runs of a bulk rating transaction: each rerun follows a concurrent request that committed some of the same movies. */
const BULK_ATTEMPTS = 10;

export interface RatingInput {
  movie: number;
  score: number;
  comment?: string | null;
}

export const toHalf = (score: number) => Math.round(score * 2);
export const fromHalf = (half: number) => half / 2;

export interface RatingEvents {
  /**
   * Called inside the transaction that changed a member's ratings, with its manager: what the
   * listener writes (the recommendations refresh's job intent) commits with the change or not at all.
   */
  ratingsChanged?(m: EntityManager, userId: number): Promise<void>;
}

export class RatingsService {
  private events: RatingEvents = {};

  constructor(
    private readonly ds: DataSource,
    private readonly catalog: CatalogService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  /** Wired by the composition root (the recommendations module listens). */
  onEvents(events: RatingEvents): void {
    this.events = events;
  }

  private get repo() {
    return this.ds.getRepository(MovieRating);
  }

  private async changed(m: EntityManager, userId: number) {
    await this.events.ratingsChanged?.(m, userId);
  }

  countForUser(userId: number): Promise<number> {
    return this.repo.countBy({ userId });
  }

  /** Movie ids the member rated, and those rated at least `minScore`. */
  async ratedMovies(userId: number, minScore = 0): Promise<{ all: Set<number>; liked: number[] }> {
    const rows = await this.repo.find({ where: { userId }, select: { movieId: true, scoreHalf: true }, order: { scoreHalf: 'DESC' } });
    return { all: new Set(rows.map((r) => r.movieId)), liked: rows.filter((r) => r.scoreHalf >= minScore * 2).map((r) => r.movieId) };
  }

  /** The member's ratings with their scores (0.5–5), e.g. to fold them into a trained model. */
  async scoresOf(userId: number): Promise<Array<{ movieId: number; score: number }>> {
    const rows = await this.repo.find({ where: { userId }, select: { movieId: true, scoreHalf: true } });
    return rows.map((r) => ({ movieId: r.movieId, score: fromHalf(r.scoreHalf) }));
  }

  /** Members with at least `min` ratings. */
  async usersWithAtLeast(min: number): Promise<number[]> {
    const rows = await this.repo.createQueryBuilder('r').select('r.user_id', 'userId').groupBy('r.user_id').having('COUNT(*) >= :min', { min }).getRawMany<{ userId: unknown }>();
    return rows.map((r) => Number(r.userId));
  }

  hasRated(userId: number, movieId: number): Promise<boolean> {
    return this.repo.existsBy({ userId, movieId });
  }

  private async assertMovies(ids: number[]): Promise<void> {
    const existing = await this.catalog.existingMovieIds(ids);
    const missing = ids.filter((id) => !existing.has(id));
    if (missing.length) throw invalidFields({ movie: missing.map((id) => msg('badPk', { v: id })) });
  }

  async create(userId: number, input: RatingInput): Promise<MovieRating> {
    await this.assertMovies([input.movie]);
    const rating = await this.ds.transaction(async (m) => {
      if (await m.existsBy(MovieRating, { userId, movieId: input.movie })) throw forbidden('alreadyRated');
      const half = toHalf(input.score);
      // Counter first: it takes the movie row's write lock before the rating insert's foreign-key
      // check takes a shared one, so concurrent ratings queue instead of deadlocking.
      await this.catalog.adjustRatingCounters(m, input.movie, 1, half);
      const saved = await m.save(m.create(MovieRating, { userId, movieId: input.movie, scoreHalf: half, comment: input.comment ?? null }));
      await this.changed(m, userId);
      return saved;
    }).catch(async (err) => {
      // The unique index decides between two simultaneous first ratings of one movie.
      if (isUniqueViolation(err)) throw forbidden('alreadyRated');
      throw err;
    });
    return rating;
  }

  /**
   * Bulk onboarding ratings: every movie must exist; movies already rated are skipped (also those a
   * concurrent request rates first: its insert wins the unique index, and the rerun skips them).
   * Returns how many were added.
   */
  async createMany(userId: number, items: RatingInput[]): Promise<number> {
    await this.assertMovies([...new Set(items.map((i) => i.movie))]);
    // Movie id order: overlapping bulk requests lock the movie rows (counters) in one order, never in a cycle.
    const ordered = items.map((item, i) => ({ item, i })).sort((a, b) => a.item.movie - b.item.movie || a.i - b.i).map((x) => x.item);
    const added = await transactionWithRetry(this.ds, async (m) => {
      const rated = new Set((await m.find(MovieRating, { where: { userId }, select: { movieId: true } })).map((r) => r.movieId));
      let n = 0;
      for (const item of ordered) {
        if (rated.has(item.movie)) continue;
        rated.add(item.movie);
        await this.catalog.adjustRatingCounters(m, item.movie, 1, toHalf(item.score));
        await m.insert(MovieRating, { userId, movieId: item.movie, scoreHalf: toHalf(item.score), comment: item.comment ?? null });
        n++;
      }
      if (n) await this.changed(m, userId);
      return n;
    }, { retryUniqueViolation: true, attempts: BULK_ATTEMPTS });
    return added;
  }

  private async lockOwned(m: EntityManager, userId: number, ratingId: number): Promise<MovieRating> {
    const rating = await m.findOne(MovieRating, { where: { id: ratingId }, lock: rowLock(this.ds) });
    if (!rating) throw notFound('ratingNotFound');
    if (rating.userId !== userId) throw invalid('noPermission');
    return rating;
  }

  async update(userId: number, ratingId: number, input: RatingInput): Promise<MovieRating> {
    const rating = await this.ds.transaction(async (m) => {
      const r = await this.lockOwned(m, userId, ratingId);
      if (r.movieId !== input.movie) throw invalidFields({ movie: [msg('movieMismatch')] });
      const half = toHalf(input.score);
      const delta = half - r.scoreHalf;
      r.scoreHalf = half;
      if (input.comment !== undefined) r.comment = input.comment;
      await m.save(r);
      if (delta) await this.catalog.adjustRatingCounters(m, r.movieId, 0, delta);
      await this.changed(m, userId);
      return r;
    });
    return rating;
  }

  async remove(userId: number, ratingId: number): Promise<void> {
    await this.ds.transaction(async (m) => {
      const r = await this.lockOwned(m, userId, ratingId);
      await m.delete(MovieRating, { id: r.id });
      await this.catalog.adjustRatingCounters(m, r.movieId, -1, -r.scoreHalf);
      await this.changed(m, userId);
    });
  }

  /** Moderation (admin panel): hide or show a review's comment, with a reason; audited. */
  async setHidden(ratingId: number, hidden: boolean, reason: string | null, actor: Actor | null): Promise<void> {
    await this.ds.transaction(async (m) => {
      const r = await m.findOneBy(MovieRating, { id: ratingId });
      if (!r) throw notFound('ratingNotFound');
      const before = { hidden: r.hidden, hidden_reason: r.hiddenReason };
      await m.update(MovieRating, { id: ratingId }, { hidden, hiddenReason: hidden ? reason : null });
      await this.audit.record({ actor, action: hidden ? 'hide' : 'unhide', resource: 'movie_ratings', recordId: ratingId, before, after: { hidden, hidden_reason: reason }, reason }, m);
    });
  }

  async listForUser(userId: number) {
    const rows = await this.repo.find({ where: { userId }, order: { updatedAt: 'DESC', id: 'DESC' } });
    const cards = new Map((await this.catalog.cards(rows.map((r) => r.movieId))).map((c) => [c.id, c]));
    return rows.map((r) => ({ rating: r, movie: cards.get(r.movieId) ?? null }));
  }

  /** A movie's visible reviews, newest first. */
  async pageForMovie(movieId: number, page: { offset: number; limit: number }) {
    const where = { movieId, hidden: false };
    const [rows, count] = await this.repo.findAndCount({ where, order: { updatedAt: 'DESC', id: 'DESC' }, skip: page.offset, take: page.limit });
    const names = await this.users.publicNames(rows.map((r) => r.userId));
    return { count, rows: rows.map((r) => ({ rating: r, user: names.get(r.userId) ?? { id: r.userId, username: '' } })) };
  }

  /**
   * Taste onboarding (seed 004 user/rating/page/): movies the member has not rated, without
   * 청소년 관람불가 (the seed's rule for this list), released in or after `minYear`, most rated
   * first, then best average. `grades`: the viewer's visible grades (age gate; a verified
   * 14-year-old does not get 15세 movies either).
   */
  async onboardingPage(userId: number, minYear: number, page: { offset: number; limit: number }, grades: readonly WatchGrade[] | null = null) {
    const qb = this.ds
      .getRepository(Movie)
      .createQueryBuilder('m')
      .where((q) => `NOT EXISTS ${q.subQuery().select('1').from(MovieRating, 'r').where('r.movie_id = m.id AND r.user_id = :userId').getQuery()}`, { userId })
      .andWhere("(m.watch_grade IS NULL OR m.watch_grade <> '청소년 관람불가')")
      .andWhere('m.open_date >= :from', { from: `${minYear}-01-01` });
    whereGradeVisible(qb, 'm.watch_grade', grades);
    const count = await qb.getCount();
    const rows = await qb
      .select(['m.id', 'm.name', 'm.poster'])
      .orderBy('m.rating_count', 'DESC')
      .addOrderBy('CASE WHEN m.rating_count > 0 THEN m.rating_sum_half * 1.0 / m.rating_count ELSE 0 END', 'DESC')
      .addOrderBy('m.id', 'ASC')
      .offset(page.offset)
      .limit(page.limit)
      .getMany();
    return { count, rows: rows.map((m) => ({ id: m.id, name: m.name, poster: m.poster })) };
  }

  /** All ratings as (user, item, score) — the training set of the recommendations module. */
  async *allRatings(batch = 10_000): AsyncGenerator<Array<{ userId: number; movieId: number; score: number }>> {
    let lastId = 0;
    for (;;) {
      const rows = await this.repo
        .createQueryBuilder('r')
        .select(['r.id', 'r.userId', 'r.movieId', 'r.scoreHalf'])
        .where('r.id > :lastId', { lastId })
        .orderBy('r.id', 'ASC')
        .limit(batch)
        .getMany();
      if (!rows.length) return;
      lastId = rows[rows.length - 1].id;
      yield rows.map((r) => ({ userId: r.userId, movieId: r.movieId, score: fromHalf(r.scoreHalf) }));
    }
  }
}
