// Recommendations: trains the collaborative-filtering model (engine/) over all ratings, stores
// each member's top unrated movies with predicted scores, keeps the auto-display shelf and the
// top 10 per country. The worker calls train/refresh/top10; the API reads the stored results.
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { IntentWriter } from '../../../jobs/outbox.js';
import { rowLock } from '../../db/data-source.js';
import { transactionWithRetry } from '../../db/tx.js';
import { notFound, ValidationError } from '../../http/errors.js';
import { t, type Lang } from '../../http/i18n.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import { viewsPerMovieSince } from '../members/watch-stats.js';
import { RATINGS_FOR_RECOMMENDATIONS, type RatingsService } from '../ratings/ratings.service.js';
import { trainModelAsync, type Rating, type RecommenderModel, type TrainOptions, type UserRating } from './engine/index.js';
import { AutoDisplay, RecBias, RecRun, Top10Entry, UserRecommendation } from './recommendation.entities.js';

/** How many recommendations are stored per member (the API shows at most 10). */
export const STORED_PER_USER = 50;
export const SHELF_SIZE = 10;
const INSERT_BATCH = 500;

export type Progress = (fraction: number) => Promise<void> | void;

/** What staff actions need: the outbox (retrain now) and the audit log. */
export interface RecommendationsOps {
  outbox: IntentWriter;
  audit: Pick<AuditService, 'record'>;
}

const clamp = (x: number) => Math.min(5, Math.max(0.5, x));

export class RecommendationsService {
  /** The last trained model, kept by the worker process for fast per-member refreshes. */
  private model: RecommenderModel | null = null;
  private modelRunId = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly ratings: RatingsService,
    private readonly catalog: CatalogService,
    private readonly trainOptions: TrainOptions = {},
    private readonly ops: RecommendationsOps | null = null,
  ) {}

  /**
   * A staff member asks for a full retrain now (admin panel): the `recommendations.train` job's
   * intent is written — one job until it starts — with the audit entry. Progress shows in the runs.
   */
  async requestRetrain(actor: Actor | null): Promise<{ jobId: string }> {
    const ops = this.ops;
    if (!ops) throw new Error('recommendations: no outbox wired');
    const jobId = await this.ds.transaction(async (m) => {
      const id = await ops.outbox.add(m, 'recommendations.train', {}, { dedupId: 'rec-train-manual' });
      await ops.audit.record({ actor, action: 'recommendations.retrain', resource: 'rec_runs', recordId: id, after: { job_id: id } }, m);
      return id;
    });
    return { jobId };
  }

  // ---- training (worker) ------------------------------------------------------------------------

  private async loadRatings(): Promise<Rating[]> {
    const out: Rating[] = [];
    for await (const batch of this.ratings.allRatings()) for (const r of batch) out.push({ userId: r.userId, itemId: r.movieId, score: r.score });
    return out;
  }

  /** Full retrain: model over all ratings, then every eligible member's list and shelf. */
  async trainAll(progress: Progress = () => {}): Promise<RecRun> {
    const runs = this.ds.getRepository(RecRun);
    const run = await runs.save(runs.create({ kind: 'full', status: 'running', progress: 0 }));
    const t0 = Date.now();
    try {
      const data = await this.loadRatings();
      let last = -1;
      const model = await trainModelAsync(data, {
        ...this.trainOptions,
        onProgress: async (f) => {
          const pct = Math.round(f * 70);
          if (pct === last) return;
          last = pct;
          await progress(f * 0.7);
          await runs.update({ id: run.id }, { progress: pct });
        },
      });
      this.model = model;
      this.modelRunId = run.id;
      await this.storeBiases(model);
      const users = await this.ratings.usersWithAtLeast(RATINGS_FOR_RECOMMENDATIONS);
      for (let i = 0; i < users.length; i++) {
        await this.storeForUser(users[i]!, model, run.id);
        if (i % 50 === 49 || i === users.length - 1) {
          const f = 0.7 + (0.3 * (i + 1)) / users.length;
          await progress(f);
          await runs.update({ id: run.id }, { progress: Math.round(f * 100) });
        }
      }
      const info = model.info;
      Object.assign(run, { status: 'done', progress: 100, algorithm: info.algorithm, ratings: info.ratings, users: info.users, items: info.items, globalMean: info.globalMean, durationMs: Date.now() - t0, finishedAt: new Date() });
      await runs.save(run);
      await progress(1);
      return run;
    } catch (err) {
      await runs.update({ id: run.id }, { status: 'failed', error: String(err instanceof Error ? err.message : err).slice(0, 500), finishedAt: new Date(), durationMs: Date.now() - t0 });
      throw err;
    }
  }

  /**
   * After a member rated: recompute their list with the last model, folding their current
   * ratings in (engine: the member's bias, factors and neighbourhood residuals fitted from their
   * own ratings with the item parameters fixed), so a member who rated since the nightly train —
   * or joined since — gets personal picks without a retrain. Their baseline bias is stored too
   * (predicted scores outside the list). Without a model in this process, a full retrain.
   */
  async refreshUser(userId: number, progress: Progress = () => {}): Promise<void> {
    if (!this.model) {
      await this.trainAll(progress);
      return;
    }
    const model = this.model;
    const runs = this.ds.getRepository(RecRun);
    const run = await runs.save(runs.create({ kind: 'user', status: 'running', userId, algorithm: model.algorithm }));
    const t0 = Date.now();
    try {
      const mine = (await this.ratings.scoresOf(userId)).map((r) => ({ itemId: r.movieId, score: r.score }));
      if (mine.length >= RATINGS_FOR_RECOMMENDATIONS) {
        await this.storeForUser(userId, model, this.modelRunId, mine);
        await this.ds.getRepository(RecBias).upsert({ kind: 'user', refId: userId, bias: model.foldInBaselineBias(mine) }, ['kind', 'refId']);
      } else {
        await this.ds.getRepository(UserRecommendation).delete({ userId });
      }
      await runs.update({ id: run.id }, { status: 'done', progress: 100, ratings: mine.length, users: 1, items: model.info.items, finishedAt: new Date(), durationMs: Date.now() - t0 });
    } catch (err) {
      await runs.update({ id: run.id }, { status: 'failed', error: String(err instanceof Error ? err.message : err).slice(0, 500), finishedAt: new Date(), durationMs: Date.now() - t0 });
      throw err;
    }
    await progress(1);
  }

  private async storeBiases(model: RecommenderModel): Promise<void> {
    const { userIds, itemIds, baseline } = model.internals;
    const rows: Array<Pick<RecBias, 'kind' | 'refId' | 'bias'>> = [];
    userIds.forEach((id, u) => rows.push({ kind: 'user', refId: id, bias: baseline.userBias[u]! }));
    itemIds.forEach((id, i) => rows.push({ kind: 'item', refId: id, bias: baseline.itemBias[i]! }));
    await this.ds.transaction(async (m) => {
      await m.clear(RecBias);
      for (let i = 0; i < rows.length; i += INSERT_BATCH) await m.insert(RecBias, rows.slice(i, i + INSERT_BATCH));
    });
  }

  /** `foldIn`: the member's current ratings, folded into the model (refresh); otherwise their trained parameters. */
  private async storeForUser(userId: number, model: RecommenderModel, runId: number, foldIn?: UserRating[]): Promise<void> {
    const { all } = await this.ratings.ratedMovies(userId);
    const rank = (n: number, filter?: (id: number) => boolean) =>
      foldIn ? model.recommendFromRatings(foldIn, n, { excludeItemIds: all, filter }) : model.recommend(userId, all, n, { filter });
    const existing = await this.catalog.existingMovieIds(rank(STORED_PER_USER * 2).map((s) => s.itemId));
    const top = rank(STORED_PER_USER, (id) => existing.has(id));
    await this.ds.transaction(async (m) => {
      await m.delete(UserRecommendation, { userId });
      if (top.length) {
        await m.insert(
          UserRecommendation,
          top.map((s, rank) => ({ userId, movieId: s.itemId, rank: rank + 1, predictedX100: Math.round(s.score * 100), runId })),
        );
      }
      await this.rebuildShelf(m, userId, top.map((s) => s.itemId));
    });
  }

  /** Replaces the member's generated shelf entries; edited and removed entries stay as they are. */
  private async rebuildShelf(m: EntityManager, userId: number, movieIds: number[]): Promise<void> {
    await m.delete(AutoDisplay, { userId, origin: 'recommendation', edited: false, removed: false });
    const kept = await m.find(AutoDisplay, { where: { userId }, order: { position: 'ASC' } });
    const taken = new Set(kept.map((k) => k.movieId));
    const visible = kept.filter((k) => !k.removed).length;
    let position = kept.reduce((max, k) => Math.max(max, k.position), 0);
    const fresh = movieIds.filter((id) => !taken.has(id)).slice(0, Math.max(0, SHELF_SIZE - visible));
    if (fresh.length) await m.insert(AutoDisplay, fresh.map((movieId) => ({ userId, movieId, position: ++position, origin: 'recommendation' as const })));
  }

  /** Enough ratings for personal results? */
  private async eligible(userId: number): Promise<boolean> {
    return (await this.ratings.countForUser(userId)) >= RATINGS_FOR_RECOMMENDATIONS;
  }

  // ---- reads (API) ------------------------------------------------------------------------------

  /**
   * Up to `limit` movie ids for the member: the stored personal list when they have enough
   * ratings, otherwise popular movies of their top genres (or overall) they have not rated.
   */
  async forUser(userId: number, limit = 10): Promise<number[]> {
    if (await this.eligible(userId)) {
      const rows = await this.ds.getRepository(UserRecommendation).find({ where: { userId }, order: { rank: 'ASC' }, take: limit });
      if (rows.length) return rows.map((r) => r.movieId);
    }
    const { all, liked } = await this.ratings.ratedMovies(userId, 3.5);
    const genres = await this.catalog.topGenresOf(liked.slice(0, 50));
    return this.catalog.popularMovieIds(genres, all, limit);
  }

  /**
   * The member's stored top recommendations (movie ids, best first; `exceptMovieId` left out) —
   * what `GET movie/{id}/` shows as recommend_movies. Empty when nothing is stored for them.
   */
  async storedTop(userId: number, limit = 10, exceptMovieId?: number): Promise<number[]> {
    const rows = await this.ds.getRepository(UserRecommendation).find({ where: { userId }, order: { rank: 'ASC' }, take: limit + 1, select: { movieId: true, rank: true } });
    return rows.map((r) => r.movieId).filter((id) => id !== exceptMovieId).slice(0, limit);
  }

  /** Seed scale 0–100 (predicted × 20); 0 for members with fewer than 10 ratings or before any run. */
  async predictedScore(userId: number, movieId: number): Promise<number> {
    if (!(await this.eligible(userId))) return 0;
    const stored = await this.ds.getRepository(UserRecommendation).findOneBy({ userId, movieId });
    if (stored) return Math.round((stored.predictedX100 / 100) * 20);
    const run = await this.ds.getRepository(RecRun).findOne({ where: { kind: 'full', status: 'done' }, order: { id: 'DESC' } });
    if (!run || run.globalMean == null) return 0;
    const biases = await this.ds.getRepository(RecBias).find({
      where: [
        { kind: 'user', refId: userId },
        { kind: 'item', refId: movieId },
      ],
    });
    const b = (kind: 'user' | 'item') => biases.find((x) => x.kind === kind)?.bias ?? 0;
    return Math.round(clamp(run.globalMean + b('user') + b('item')) * 20);
  }

  // ---- auto display (seed 000 §7) ----------------------------------------------------------------

  /**
   * The member's shelf; generated on first use from their recommendations (an idempotent
   * materialisation: the entries need ids for PUT/DELETE autodisplay/{no}/). Two first reads at
   * once: the loser's insert meets the winner's rows (or deadlocks with it), and its rerun finds
   * the shelf and keeps it.
   */
  async shelf(userId: number): Promise<AutoDisplay[]> {
    const repo = this.ds.getRepository(AutoDisplay);
    if (!(await repo.existsBy({ userId }))) {
      const ids = await this.forUser(userId, SHELF_SIZE);
      await transactionWithRetry(
        this.ds,
        async (m) => {
          // A locking read: it sees (or waits for) a shelf another first read is writing right now.
          if (!(await m.findOne(AutoDisplay, { where: { userId }, select: { id: true }, lock: rowLock(this.ds) }))) await this.rebuildShelf(m, userId, ids);
        },
        { retryUniqueViolation: true },
      );
    }
    return repo.find({ where: { userId, removed: false }, order: { position: 'ASC', id: 'ASC' } });
  }

  private async ownEntry(m: EntityManager, userId: number, displayNo: number, lang: Lang): Promise<AutoDisplay> {
    const row = await m.findOneBy(AutoDisplay, { id: displayNo, userId, removed: false });
    if (!row) throw notFound(t(lang, 'notFound'));
    return row;
  }

  /** Edit an entry (position and/or movie); an edited entry survives the next retrain. */
  async editEntry(userId: number, displayNo: number, patch: { position?: number; movie?: number }, lang: Lang): Promise<AutoDisplay> {
    return this.ds.transaction(async (m) => {
      const row = await this.ownEntry(m, userId, displayNo, lang);
      if (patch.movie !== undefined && patch.movie !== row.movieId) {
        if (!(await this.catalog.existingMovieIds([patch.movie])).has(patch.movie)) throw new ValidationError({ movie: [t(lang, 'badPk', { v: patch.movie })] });
        const clash = await m.findOneBy(AutoDisplay, { userId, movieId: patch.movie });
        if (clash) await m.delete(AutoDisplay, { id: clash.id });
        row.movieId = patch.movie;
        row.origin = 'member';
      }
      if (patch.position !== undefined) row.position = patch.position;
      row.edited = true;
      return m.save(row);
    });
  }

  /** Remove an entry: it stays hidden across retrains. */
  async removeEntry(userId: number, displayNo: number, lang: Lang): Promise<void> {
    await this.ds.transaction(async (m) => {
      const row = await this.ownEntry(m, userId, displayNo, lang);
      await m.update(AutoDisplay, { id: row.id }, { removed: true, edited: true });
    });
  }

  // ---- top 10 per country ------------------------------------------------------------------------

  /**
   * Best-rated and most-watched per country: Bayesian average rating (prior: 10 ratings at the
   * global mean) weighted 70 %, views in the last 30 days (normalised per country) 30 %.
   */
  async computeTop10(now = new Date()): Promise<number> {
    const movies = await this.catalog.ratedMoviesByCountry();
    const views = await viewsPerMovieSince(this.ds, new Date(now.getTime() - 30 * 86_400_000));
    const totalCount = movies.reduce((s, m) => s + m.ratingCount, 0);
    const mean = totalCount ? movies.reduce((s, m) => s + m.ratingSumHalf / 2, 0) / totalCount : 0;
    const PRIOR = 10;
    const byCountry = new Map<string, typeof movies>();
    for (const m of movies) (byCountry.get(m.country) ?? byCountry.set(m.country, []).get(m.country)!).push(m);
    const rows: Array<Omit<Top10Entry, keyof import('typeorm').BaseEntity>> = [];
    for (const [country, list] of byCountry) {
      const maxViews = Math.max(1, ...list.map((m) => views.get(m.id) ?? 0));
      const scored = list.map((m) => {
        const bayes = (m.ratingSumHalf / 2 + PRIOR * mean) / (m.ratingCount + PRIOR);
        const v = views.get(m.id) ?? 0;
        return { m, bayes, v, score: 0.7 * (bayes / 5) + 0.3 * (v / maxViews) };
      });
      scored.sort((a, b) => b.score - a.score || b.m.ratingCount - a.m.ratingCount || a.m.id - b.m.id);
      scored.slice(0, 10).forEach((s, i) => rows.push({ country, rank: i + 1, movieId: s.m.id, ratingX100: Math.round(s.bayes * 100), ratingCount: s.m.ratingCount, views: s.v, computedAt: now }));
    }
    await this.ds.transaction(async (m) => {
      await m.clear(Top10Entry);
      for (let i = 0; i < rows.length; i += INSERT_BATCH) await m.insert(Top10Entry, rows.slice(i, i + INSERT_BATCH));
    });
    return rows.length;
  }

  async top10(country: string): Promise<Top10Entry[]> {
    return this.ds.getRepository(Top10Entry).find({ where: { country }, order: { rank: 'ASC' } });
  }

  async latestRuns(limit = 20): Promise<RecRun[]> {
    return this.ds.getRepository(RecRun).find({ order: { id: 'DESC' }, take: limit });
  }

  /** For tests and the admin: which movies are stored for a member. */
  async stored(userId: number): Promise<UserRecommendation[]> {
    return this.ds.getRepository(UserRecommendation).find({ where: { userId: In([userId]) }, order: { rank: 'ASC' } });
  }
}
