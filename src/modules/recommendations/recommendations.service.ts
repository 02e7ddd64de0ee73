// Recommendations: trains the models (engine/) over every rating, viewing and pick — in a worker
// thread, under a lease so two trainings never overlap — persists them as one version in the
// database, and serves them: every list (my page, movie detail, auto display) from the ranking model
// (EASE on implicit events), `predicted_score` of any movie from the rating model (the hybrid).
// Every process loads the latest version once and reloads when a newer one lands (rule 12).
import { In, type DataSource, type EntityManager } from 'typeorm';
import type { IntentWriter } from '../../../jobs/outbox.js';
import { rowLock } from '../../db/data-source.js';
import { transactionWithRetry } from '../../db/tx.js';
import { ExactCache, type ExactCacheOptions } from '../../db/exact-cache.js';
import { ChangeFeed, LocalInvalidationBus, type InvalidationBus } from '../../db/invalidation.js';
import { MemberActivity } from '../shared/member-activity.js';
import { invalidFields, msg, notFound } from '../shared/errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { CatalogService } from '../catalog/catalog.service.js';
import { allViewings, viewingsOf, viewsPerMovieSince } from '../members/watch-stats.js';
import { RATINGS_FOR_RECOMMENDATIONS, type RatingsService } from '../ratings/ratings.service.js';
import { ColumnsBuilder, PICK_WEIGHT, ratingWeight, unpackBundle, watchWeight, type BundleOptions, type Interaction, type ModelBundle, type TrainOptions } from './engine/index.js';
import { ModelStore } from './model-store.js';
import { AutoDisplay, RecRun, Top10Entry, UserRecommendation } from './recommendation.entities.js';
import { threadTrainer, type Trainer } from './trainer.js';

/** How many recommendations are stored per member (the API shows at most 10). */
export const STORED_PER_USER = 50;
export const SHELF_SIZE = 10;
const INSERT_BATCH = 500;
export const TRAIN_LOCK = 'recommendations.train';
/** The training lease: renewed while the training reports progress; taken over only after it lapses. */
const LEASE_MS = 5 * 60_000;
const RENEW_EVERY_MS = 30_000;
const LOAD_BATCH = 2_000;

export type Progress = (fraction: number) => Promise<void> | void;

/** What staff actions need: the outbox (retrain now) and the audit log. */
export interface RecommendationsOps {
  outbox: IntentWriter;
  audit: Pick<AuditService, 'record'>;
}

export interface RecommendationsOptions {
  /** Rating-model options (tests pass small ones). */
  train?: TrainOptions;
  ranking?: BundleOptions['ranking'];
  /** Where training runs (default: a worker thread). */
  trainer?: Trainer;
  /**
   * The stored top 10 per country kept per process (the catalog cache's bounds; off when omitted),
   * dropped by every recompute here and, through `bus`, in the other processes.
   */
  top10Cache?: ExactCacheOptions;
  bus?: InvalidationBus;
  /** Members' own activity (picks, ratings, watching), reported by the modules that own it; made here when not given. */
  activity?: MemberActivity;
  /** Each member's read state for the movie detail kept per process (the token cache's bounds; off when omitted). */
  memberCache?: ExactCacheOptions;
}

/**
 * What the movie detail and the my page need of a member, read in one statement and kept per
 * process until the member's activity or account change is reported (MemberActivity, the users'
 * change feed): the account's name and image (null: no such account), their picked movies (newest
 * first, ties by id), rated and watched movies, stored recommendations best first, favourite
 * cinemas (newest first, ties by id), the cinemas they reviewed, and the latest ready model version.
 */
export interface MemberState {
  account: { username: string; profileImage: string | null } | null;
  picks: ReadonlySet<number>;
  pickOrder: readonly number[];
  rated: ReadonlySet<number>;
  watched: ReadonlySet<number>;
  recs: readonly number[];
  cinemas: readonly number[];
  /** Cinemas the member reviewed. */
  reviewedCinemas: ReadonlySet<number>;
  model: number | null;
}

/** The member's stored recommendations best first, without `exceptMovieId` and the movies they rated or watched, at most `limit`. */
export function unseenRecommendations(s: MemberState, limit: number, exceptMovieId?: number): number[] {
  const ids: number[] = [];
  for (const id of s.recs) {
    if (ids.length >= limit) break;
    if (id !== exceptMovieId && !s.rated.has(id) && !s.watched.has(id)) ids.push(id);
  }
  return ids;
}

/** The channel on which a recompute of the top 10 is told to every process's cache. */
export const TOP10_CHANNEL = 'top10';

/** A loaded model version. */
export interface ServedModels {
  version: number;
  bundle: ModelBundle;
}

export class RecommendationsService {
  private readonly store: ModelStore;
  private readonly trainer: Trainer;
  private loaded: { version: number; bundle: Promise<ModelBundle> } | null = null;
  /** How many times this process loaded a model version from the database (tests, metrics). */
  modelLoads = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly ratings: RatingsService,
    private readonly catalog: CatalogService,
    private readonly options: RecommendationsOptions = {},
    private readonly ops: RecommendationsOps | null = null,
  ) {
    this.store = new ModelStore(ds);
    this.trainer = options.trainer ?? threadTrainer();
    this.top10Cache = new ExactCache(options.top10Cache ?? { ttlMs: 0, maxEntries: 0 });
    this.top10Changes = new ChangeFeed(ds, options.bus ?? new LocalInvalidationBus(), TOP10_CHANNEL);
    this.top10Changes.onChange(() => this.top10Cache.invalidate({ all: true }));
    this.activity = options.activity ?? new MemberActivity(ds, options.bus);
    this.memberStates = new ExactCache(options.memberCache ?? { ttlMs: 0, maxEntries: 0 });
    this.activity.onChange((c) => this.memberStates.invalidate(c));
  }

  /** Where members' activity is reported (and this service's own writes of their lists). */
  readonly activity: MemberActivity;
  /** Member id → MemberState. */
  readonly memberStates: ExactCache<number, MemberState>;

  /** Country → its stored top 10 (one group: a recompute replaces every country's rows). */
  readonly top10Cache: ExactCache<string, readonly Top10Entry[]>;
  private readonly top10Changes: ChangeFeed;

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

  // ---- the served model ---------------------------------------------------------------------------

  /** The latest model version, loaded once per version in this process; null before the first training. */
  async current(): Promise<ServedModels | null> {
    return this.servedAt(await this.store.latestVersion());
  }

  /** The model of this version (the latest ready one, read by the caller), loaded once per version. */
  private async servedAt(version: number | null): Promise<ServedModels | null> {
    if (version === null) return null;
    if (this.loaded?.version !== version) {
      const bundle = this.store.load(version).then(unpackBundle);
      this.loaded = { version, bundle };
      this.modelLoads++;
      bundle.catch(() => {
        if (this.loaded?.version === version) this.loaded = null;
      });
    }
    return { version, bundle: await this.loaded.bundle };
  }

  // ---- training (worker) ------------------------------------------------------------------------

  /** Ratings, viewings and picks as typed columns (streamed from the database; no object per row kept). */
  private async loadInput() {
    const ratings = new ColumnsBuilder();
    // Small batches: on SQLite every query runs on this thread (the API's, in the embedded mode).
    for await (const batch of this.ratings.allRatings(LOAD_BATCH)) for (const r of batch) ratings.push(r.userId, r.movieId, r.score);
    const events = new ColumnsBuilder();
    for await (const batch of allViewings(this.ds, LOAD_BATCH)) {
      for (const v of batch) {
        const w = watchWeight(v.positionSeconds, v.durationSeconds);
        if (w > 0) events.push(v.userId, v.movieId, w);
      }
    }
    for await (const batch of this.catalog.allPicks(LOAD_BATCH)) for (const p of batch) events.push(p.userId, p.movieId, PICK_WEIGHT);
    return { ratings: ratings.ratings(), events: events.events() };
  }

  /**
   * Full retrain: both models over every event, in a worker thread, stored as a new version; then
   * every eligible member's list and shelf. Only one training runs at a time across all processes:
   * a second one (another worker, a concurrent job) returns null without training.
   */
  async trainAll(progress: Progress = () => {}): Promise<RecRun | null> {
    const holder = await this.store.acquire(TRAIN_LOCK, LEASE_MS);
    if (!holder) return null;
    const runs = this.ds.getRepository(RecRun);
    const run = await runs.save(runs.create({ kind: 'full', status: 'running', progress: 0 }));
    const t0 = Date.now();
    let lastRenew = Date.now();
    let pending: Promise<unknown> = Promise.resolve();
    try {
      const input = await this.loadInput();
      if (input.ratings.length === 0) throw new Error('no ratings to train on');
      const counts = { ratings: input.ratings.length };
      let last = -1;
      const bytes = await this.trainer.train(input, { rating: this.options.train, ranking: this.options.ranking }, (f) => {
        const pct = Math.round(f * 70);
        if (pct === last) return;
        last = pct;
        // Progress and the lease go out in order, without holding the training up.
        pending = pending.then(async () => {
          await progress(f * 0.7);
          await runs.update({ id: run.id }, { progress: pct });
          if (Date.now() - lastRenew > RENEW_EVERY_MS) {
            lastRenew = Date.now();
            await this.store.renew(TRAIN_LOCK, holder, LEASE_MS);
          }
        }).catch(() => {});
      });
      await pending;
      const version = await this.store.save(bytes, run.id);
      // A new model version: every member's predicted scores follow it.
      this.activity.everyone();
      const bundle = unpackBundle(bytes);
      this.loaded = { version, bundle: Promise.resolve(bundle) };
      const served: ServedModels = { version, bundle };
      const users = await this.ratings.usersWithAtLeast(RATINGS_FOR_RECOMMENDATIONS);
      for (let i = 0; i < users.length; i++) {
        await this.storeForUser(users[i]!, served, run.id);
        if (i % 50 === 49 || i === users.length - 1) {
          const f = 0.7 + (0.3 * (i + 1)) / users.length;
          await progress(f);
          await runs.update({ id: run.id }, { progress: Math.round(f * 100) });
          if (Date.now() - lastRenew > RENEW_EVERY_MS) {
            lastRenew = Date.now();
            await this.store.renew(TRAIN_LOCK, holder, LEASE_MS);
          }
        }
      }
      const info = bundle.rating.info;
      Object.assign(run, { status: 'done', progress: 100, algorithm: `${info.algorithm}+${bundle.ranking.kind}`, ratings: counts.ratings, users: info.users, items: info.items, globalMean: info.globalMean, durationMs: Date.now() - t0, finishedAt: new Date() });
      await runs.save(run);
      await progress(1);
      return run;
    } catch (err) {
      await runs.update({ id: run.id }, { status: 'failed', error: String(err instanceof Error ? err.message : err).slice(0, 500), finishedAt: new Date(), durationMs: Date.now() - t0 });
      throw err;
    } finally {
      await pending;
      await this.store.release(TRAIN_LOCK, holder);
    }
  }

  /**
   * After a member rated (watched, picked): their list again from the current model version and
   * their current events — EASE needs no per-member parameters, so nothing is refitted. Never a full
   * retrain: before the first training there is no list (the shelf falls back to popular titles).
   */
  async refreshUser(userId: number, progress: Progress = () => {}): Promise<void> {
    const served = await this.current();
    const runs = this.ds.getRepository(RecRun);
    const run = await runs.save(runs.create({ kind: 'user', status: 'running', userId, algorithm: served ? 'ease' : null }));
    const t0 = Date.now();
    try {
      const count = await this.ratings.countForUser(userId);
      if (served && count >= RATINGS_FOR_RECOMMENDATIONS) await this.storeForUser(userId, served, run.id);
      else {
        await this.ds.getRepository(UserRecommendation).delete({ userId });
        this.activity.changed(null, userId);
      }
      await runs.update({ id: run.id }, { status: 'done', progress: 100, ratings: count, users: 1, items: served?.bundle.ranking.info.items ?? 0, finishedAt: new Date(), durationMs: Date.now() - t0 });
    } catch (err) {
      await runs.update({ id: run.id }, { status: 'failed', error: String(err instanceof Error ? err.message : err).slice(0, 500), finishedAt: new Date(), durationMs: Date.now() - t0 });
      throw err;
    }
    await progress(1);
  }

  /** The member's events as the ranking model reads them, and what must never be shown to them. */
  private async memberSignals(userId: number): Promise<{ history: Interaction[]; exclude: Set<number>; ratings: Array<{ itemId: number; score: number }> }> {
    const [scores, viewings, picks] = await Promise.all([this.ratings.scoresOf(userId), viewingsOf(this.ds, userId), this.catalog.pickedMovieIds(userId)]);
    const weight = new Map<number, number>();
    const put = (id: number, w: number) => {
      if (w > 0 && w > (weight.get(id) ?? 0)) weight.set(id, w);
    };
    for (const r of scores) put(r.movieId, ratingWeight(r.score));
    for (const v of viewings) put(v.movieId, watchWeight(v.positionSeconds, v.durationSeconds));
    for (const id of picks) put(id, PICK_WEIGHT);
    const exclude = new Set<number>([...scores.map((r) => r.movieId), ...viewings.map((v) => v.movieId)]);
    return { history: [...weight].map(([itemId, w]) => ({ itemId, weight: w })), exclude, ratings: scores.map((r) => ({ itemId: r.movieId, score: r.score })) };
  }

  /** Predicted rating (0.5–5) of a movie for a member: the model's own for a member it knows, else their ratings folded in. */
  private predicted(bundle: ModelBundle, userId: number, movieId: number, ratings: () => Promise<Array<{ itemId: number; score: number }>>): Promise<number> | number {
    if (bundle.rating.hasUser(userId)) return bundle.rating.predict(userId, movieId);
    return ratings().then((r) => bundle.rating.predictFromRatings(r, movieId));
  }

  private async storeForUser(userId: number, served: ServedModels, runId: number): Promise<void> {
    const { history, exclude, ratings } = await this.memberSignals(userId);
    const { ranking } = served.bundle;
    const ranked = ranking.recommend(history, STORED_PER_USER * 2, { exclude });
    const existing = await this.catalog.existingMovieIds(ranked.map((s) => s.itemId));
    const top = ranked.filter((s) => existing.has(s.itemId)).slice(0, STORED_PER_USER);
    const rows: Array<Pick<UserRecommendation, 'userId' | 'movieId' | 'rank' | 'predictedX100' | 'runId'>> = [];
    for (const [rank, s] of top.entries()) {
      const p = await this.predicted(served.bundle, userId, s.itemId, async () => ratings);
      rows.push({ userId, movieId: s.itemId, rank: rank + 1, predictedX100: Math.round(p * 100), runId });
    }
    await this.ds.transaction(async (m) => {
      await m.delete(UserRecommendation, { userId });
      if (rows.length) await m.insert(UserRecommendation, rows);
      await this.rebuildShelf(m, userId, top.map((s) => s.itemId));
      this.activity.changed(m, userId);
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
    return (await this.memberState(userId)).rated.size >= RATINGS_FOR_RECOMMENDATIONS;
  }

  /** Movies never to show the member: rated or watched (checked at read time too — the stored list may predate them). */
  private async seen(userId: number): Promise<Set<number>> {
    const s = await this.memberState(userId);
    return new Set([...s.rated, ...s.watched]);
  }

  // ---- reads (API) ------------------------------------------------------------------------------

  /**
   * Up to `limit` movie ids for the member: the stored personal list when they have enough
   * ratings, otherwise (1–9 ratings, or none stored yet) popular movies of their top genres — or
   * overall — that they have neither rated nor watched.
   */
  async forUser(userId: number, limit = 10): Promise<number[]> {
    const seen = await this.seen(userId);
    if (await this.eligible(userId)) {
      const rows = await this.ds.getRepository(UserRecommendation).find({ where: { userId }, order: { rank: 'ASC' }, take: limit + seen.size });
      const ids = rows.map((r) => r.movieId).filter((id) => !seen.has(id)).slice(0, limit);
      if (ids.length) return ids;
    }
    const { liked } = await this.ratings.ratedMovies(userId, 3.5);
    const genres = await this.catalog.topGenresOf(liked.slice(0, 50));
    return this.catalog.popularMovieIds(genres, seen, limit);
  }

  /**
   * The member's stored top recommendations (movie ids, best first; `exceptMovieId` and anything
   * rated or watched since left out) — what `GET movie/{id}/` shows as recommend_movies.
   */
  async storedTop(userId: number, limit = 10, exceptMovieId?: number): Promise<number[]> {
    return unseenRecommendations(await this.memberState(userId), limit, exceptMovieId);
  }

  /**
   * Seed scale 0–100 (predicted × 20) from the current model version, for any movie: the model's
   * prediction for a member it was trained with, their current ratings folded in otherwise. 0 for
   * members with fewer than 10 ratings or before any training.
   */
  async predictedScore(userId: number, movieId: number): Promise<number> {
    return this.predictedScoreOf(await this.memberState(userId), userId, movieId);
  }

  /** predictedScore from the member's state (its rating count and the model version it saw). */
  private async predictedScoreOf(s: MemberState, userId: number, movieId: number): Promise<number> {
    if (s.rated.size < RATINGS_FOR_RECOMMENDATIONS) return 0;
    const served = await this.servedAt(s.model);
    if (!served) return 0;
    const p = await this.predicted(served.bundle, userId, movieId, async () => (await this.ratings.scoresOf(userId)).map((r) => ({ itemId: r.movieId, score: r.score })));
    return Math.round(p * 20);
  }

  /**
   * The per-member fields of a movie detail (seed 004: pick_movies, has_score, predicted_score and
   * the recommend_movies ids) from the member's kept state (memberState): the pick and rating of
   * the movie, the rating count (predicted scores need RATINGS_FOR_RECOMMENDATIONS), and the stored
   * recommendations best first without this movie and without the movies they rated or watched
   * (what storedTop answers). The predicted score then needs no read for a member the model was
   * trained with (their own ratings otherwise). `state` is the kept state they were read from: the
   * same object until the member's activity replaces it (what answers built from it are kept with).
   */
  async memberDetail(userId: number, movieId: number, pool: number): Promise<{ picked: boolean; rated: boolean; predictedScore: number; recommendedIds: number[]; state: MemberState }> {
    const s = await this.memberState(userId);
    return { picked: s.picks.has(movieId), rated: s.rated.has(movieId), predictedScore: await this.predictedScoreOf(s, userId, movieId), recommendedIds: unseenRecommendations(s, pool, movieId), state: s };
  }

  /**
   * The member's state (MemberState), kept per process: one statement on the members' indexes
   * (picks, ratings and watch progress by member, stored recommendations by member and rank) and
   * the latest ready model, then nothing until MemberActivity reports the member (or everyone).
   */
  memberState(userId: number): Promise<MemberState> {
    return this.memberStates.through(userId, userId, async () => {
      // k: the row's kind; id: the movie, cinema or model id; r: the order within its kind; s, t: the account's name and image.
      const rows: Array<{ k: string; id: unknown; r: unknown; s: string | null; t: string | null }> = await this.ds.query(
        `SELECT 'a' AS k, u.id AS id, 0 AS r, u.username AS s, u.profile_image AS t FROM users u WHERE u.id = ?
         UNION ALL SELECT 'p' AS k, p.movie_id AS id, ROW_NUMBER() OVER (ORDER BY p.created_at DESC, p.movie_id ASC) AS r, NULL AS s, NULL AS t FROM movie_picks p WHERE p.user_id = ?
         UNION ALL SELECT 'r' AS k, y.movie_id AS id, 0 AS r, NULL AS s, NULL AS t FROM movie_ratings y WHERE y.user_id = ?
         UNION ALL SELECT 'w' AS k, w.movie_id AS id, 0 AS r, NULL AS s, NULL AS t FROM watch_progress w WHERE w.user_id = ? AND w.movie_id IS NOT NULL
         UNION ALL SELECT 'u' AS k, x.movie_id AS id, x.\`rank\` AS r, NULL AS s, NULL AS t FROM user_recommendations x WHERE x.user_id = ?
         UNION ALL SELECT 'c' AS k, cp.cinema_id AS id, ROW_NUMBER() OVER (ORDER BY cp.created_at DESC, cp.cinema_id ASC) AS r, NULL AS s, NULL AS t FROM cinema_picks cp WHERE cp.user_id = ?
         UNION ALL SELECT 'v' AS k, cr.cinema_id AS id, 0 AS r, NULL AS s, NULL AS t FROM cinema_ratings cr WHERE cr.user_id = ?
         UNION ALL SELECT 'm' AS k, MAX(v.id) AS id, 0 AS r, NULL AS s, NULL AS t FROM rec_models v WHERE v.status = 'ready'`,
        [userId, userId, userId, userId, userId, userId, userId],
      );
      let account: MemberState['account'] = null;
      const rated = new Set<number>();
      const watched = new Set<number>();
      const reviewedCinemas = new Set<number>();
      const ordered = { p: [] as Array<[number, number]>, u: [] as Array<[number, number]>, c: [] as Array<[number, number]> };
      let model: number | null = null;
      for (const row of rows) {
        if (row.id === null || row.id === undefined) continue;
        const id = Number(row.id);
        if (row.k === 'a') account = { username: row.s!, profileImage: row.t ?? null };
        else if (row.k === 'r') rated.add(id);
        else if (row.k === 'w') watched.add(id);
        else if (row.k === 'v') reviewedCinemas.add(id);
        else if (row.k === 'p' || row.k === 'u' || row.k === 'c') ordered[row.k].push([Number(row.r), id]);
        else model = id;
      }
      const inOrder = (list: Array<[number, number]>) => list.sort((a, b) => a[0] - b[0]).map(([, id]) => id);
      const pickOrder = inOrder(ordered.p);
      return { account, picks: new Set(pickOrder), pickOrder, rated, watched, recs: inOrder(ordered.u), cinemas: inOrder(ordered.c), reviewedCinemas, model };
    });
  }

  // ---- auto display (seed 000 §7) ----------------------------------------------------------------

  /**
   * The member's shelf; generated on first use from their recommendations, or popular titles of their genres (an idempotent
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
    const rows = await repo.find({ where: { userId, removed: false }, order: { position: 'ASC', id: 'ASC' } });
    // Generated entries the member has since rated or watched are not shown (their own picks stay).
    const seen = await this.seen(userId);
    return rows.filter((r) => r.origin !== 'recommendation' || !seen.has(r.movieId));
  }

  private async ownEntry(m: EntityManager, userId: number, displayNo: number): Promise<AutoDisplay> {
    const row = await m.findOneBy(AutoDisplay, { id: displayNo, userId, removed: false });
    if (!row) throw notFound('notFound');
    return row;
  }

  /** Edit an entry (position and/or movie); an edited entry survives the next retrain. */
  async editEntry(userId: number, displayNo: number, patch: { position?: number; movie?: number }): Promise<AutoDisplay> {
    return this.ds.transaction(async (m) => {
      const row = await this.ownEntry(m, userId, displayNo);
      if (patch.movie !== undefined && patch.movie !== row.movieId) {
        if (!(await this.catalog.existingMovieIds([patch.movie])).has(patch.movie)) throw invalidFields({ movie: [msg('badPk', { v: patch.movie })] });
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
  async removeEntry(userId: number, displayNo: number): Promise<void> {
    await this.ds.transaction(async (m) => {
      const row = await this.ownEntry(m, userId, displayNo);
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
      this.top10Changes.record(m, { all: true });
    });
    return rows.length;
  }

  /** The stored top 10 of a country, best first (shared: treat as read-only). */
  async top10(country: string): Promise<readonly Top10Entry[]> {
    return this.top10Cache.through(country, 0, () => this.ds.getRepository(Top10Entry).find({ where: { country }, order: { rank: 'ASC' } }));
  }

  async latestRuns(limit = 20): Promise<RecRun[]> {
    return this.ds.getRepository(RecRun).find({ order: { id: 'DESC' }, take: limit });
  }

  /** For tests and the admin: which movies are stored for a member. */
  async stored(userId: number): Promise<UserRecommendation[]> {
    return this.ds.getRepository(UserRecommendation).find({ where: { userId: In([userId]) }, order: { rank: 'ASC' } });
  }
}
