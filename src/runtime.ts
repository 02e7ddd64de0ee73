// The composition root shared by the API process, the worker and the tests: one place that
// builds the DataSource, Redis, the job bus and every service, and closes them in order.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { BullJobBus, bullPrefix, InProcessJobBus, type JobBus } from '../jobs/bus.js';
import { Outbox } from '../jobs/outbox.js';
import type { JobServices } from '../jobs/processors.js';
import { OutboxRelay } from '../jobs/relay.js';
import type { Config } from './config.js';
import { createLogger } from './logging.js';
import { ContentsService } from './modules/catalog/contents.service.js';
import { createStorage } from './modules/catalog/storage/index.js';
import { createDataSource, openDatabase, withDatabaseLock } from './db/data-source.js';
import { ReadRouting } from './db/replication.js';
import { LocalInvalidationBus, RedisInvalidationBus, type InvalidationBus } from './db/invalidation.js';
import { MemberActivity } from './modules/shared/member-activity.js';
import { AuditService } from './modules/audit/audit.service.js';
import { CatalogService } from './modules/catalog/catalog.service.js';
import { CatalogImportService } from './modules/catalog/import.service.js';
import { CinemasService } from './modules/cinemas/cinemas.service.js';
import { LocalCalendar } from './modules/cinemas/local-time.js';
import { MembersService } from './modules/members/members.service.js';
import { RatingsService } from './modules/ratings/ratings.service.js';
import { RecommendationsService } from './modules/recommendations/recommendations.service.js';
import { SearchService } from './modules/search/search.service.js';
import { MovieSearchService } from './modules/search/movie-search.service.js';
import { StatisticsService } from './modules/statistics/statistics.service.js';
import { pendingRefunds, revenueBetween, subscriptionsBetween } from './modules/commerce/revenue-stats.js';
import { contentViewsBetween } from './modules/members/watch-stats.js';
import { StaffMfaService } from './modules/users/staff-mfa.service.js';
import { UsersService } from './modules/users/users.service.js';
import { createPaymentGateway, DbSandboxStore, type PaymentGateway } from './modules/commerce/gateways/index.js';
import { PaymentMethodsService } from './modules/commerce/methods.service.js';
import { IdempotencyService } from './modules/commerce/idempotency.js';
import { OffersService } from './modules/commerce/offers.service.js';
import { PaymentsService } from './modules/commerce/payments.service.js';
import { RefundsService } from './modules/commerce/refunds.service.js';
import { PlansService } from './modules/commerce/plans.service.js';
import { PosterStore } from './modules/catalog/posters.js';
import { SubscriptionsService } from './modules/commerce/subscriptions.service.js';
import { DevicesService } from './modules/devices/devices.service.js';
import { AgePolicy } from './modules/age/age.policy.js';
import { AgeService } from './modules/age/age.service.js';
import { SandboxIdentityProvider } from './modules/age/identity-provider.js';

export interface Services extends JobServices {
  /** Job intents, written in the producer's transaction and relayed to the bus. */
  outbox: Outbox;
  audit: AuditService;
  users: UsersService;
  /** The staff's second factor (TOTP and recovery codes). */
  staffMfa: StaffMfaService;
  statistics: StatisticsService;
  catalog: CatalogService;
  /** MovieLens import and the demo catalog seed. */
  catalogImport: CatalogImportService;
  ratings: RatingsService;
  recommendations: RecommendationsService;
  contents: ContentsService;
  members: MembersService;
  cinemas: CinemasService;
  search: SearchService;
  /** The movie search index (kept in sync by the catalog through its title-index port). */
  movieSearch: MovieSearchService;
  /** Commerce: the payment gateway (sandbox by default) and the instruments payments build on. */
  paymentGateway: PaymentGateway;
  methods: PaymentMethodsService;
  plans: PlansService;
  subscriptions: SubscriptionsService;
  offers: OffersService;
  payments: PaymentsService;
  refunds: RefundsService;
  idempotency: IdempotencyService;
  /** Device pairing (RFC 8628) and device tokens. */
  devices: DevicesService;
  /** Age verification and the age gate of every public read path. */
  age: AgeService;
}

export interface Runtime {
  config: Config;
  logger: Logger;
  ds: DataSource;
  /** null in the embedded mode. */
  redis: Redis | null;
  jobs: JobBus;
  /** Moves committed job intents from the outbox to `jobs` (stopped by close()). */
  relay: OutboxRelay;
  /** Where plain reads go (null without a replica: all on the one database). */
  readRouting: ReadRouting | null;
  /** Invalidates the read caches of the other processes (Redis pub/sub; in-process when embedded). */
  invalidation: InvalidationBus;
  services: Services;
  close(): Promise<void>;
}

export { createLogger } from './logging.js';

/** Delay of a member's recommendation refresh after a rating (ratings in a burst share one job). */
export const REFRESH_DELAY_MS = 30_000;

/** What a second set of services may share or change (the demo's week of activity: a simulated clock, the process's gateway). */
export interface ServiceOverrides {
  /** The clock of commerce (payments, refunds, subscriptions); default the real time. */
  clock?: () => Date;
  /** The payment gateway to use instead of a new one (the sandbox keeps authorisations in memory). */
  gateway?: PaymentGateway;
  /** Where services report what they cannot throw (the search thread's loss). */
  logger?: Logger;
}

export function buildServices(
  ds: DataSource,
  outbox: Outbox,
  config: Pick<Config, 'uploadDir' | 'maxUploadBytes' | 'storage' | 'mediaDir' | 'profileImageMaxBytes' | 'posterMaxBytes' | 'serviceTimeZone' | 'mapMaxBoxDegrees' | 'searchCache' | 'searchThread' | 'catalogCache' | 'authCache' | 'devices' | 'jwtSecret' | 'verification' | 'payments' | 'staffMfa'>,
  invalidation: InvalidationBus = new LocalInvalidationBus(),
  overrides: ServiceOverrides = {},
): Services {
  const audit = new AuditService(ds);
  const users = new UsersService(ds, audit, invalidation);
  const staffMfa = new StaffMfaService(ds, audit, users, config.staffMfa);
  // Members' picks, ratings, watching and stored recommendations, reported for the movie detail's per-member state.
  const activity = new MemberActivity(ds, invalidation);
  const catalog = new CatalogService(ds, audit, { cache: config.catalogCache, bus: invalidation, posters: { store: new PosterStore(config.mediaDir), maxBytes: config.posterMaxBytes }, activity });
  const catalogImport = new CatalogImportService(ds, audit);
  catalogImport.onCatalogChanged((m) => catalog.externalChange({ all: true }, m));
  const ratings = new RatingsService(ds, catalog, users, audit);
  const recommendations = new RecommendationsService(ds, ratings, catalog, { top10Cache: config.catalogCache, bus: invalidation, activity, memberCache: config.authCache }, { outbox, audit });
  const cinemas = new CinemasService(ds, catalog, users, audit, new LocalCalendar(config.serviceTimeZone), { maxBoxDegrees: config.mapMaxBoxDegrees, detailCache: config.catalogCache });
  const movieSearch = new MovieSearchService(ds, catalog, { cache: config.searchCache, host: config.searchThread ? 'thread' : 'inline', onError: (err) => overrides.logger?.error({ err }, 'search thread lost; the terms are loaded again on the next search') });
  catalog.useTitleIndex(movieSearch);
  catalogImport.useTitleIndex(movieSearch);
  movieSearch.useInvalidation(invalidation);
  cinemas.useInvalidation(invalidation);
  cinemas.useMemberActivity(activity);
  cinemas.useMemberCinemas((userId) => recommendations.memberState(userId));
  // Search cards show genre names and follow the catalog (this process's and the others' changes).
  catalog.changes.onChange(() => movieSearch.cache.clear());
  const search = new SearchService(cinemas, catalog, movieSearch, { homeCache: config.catalogCache });
  // The search page's movie lists follow scores and movies, showtimes and picks.
  const dropHome = () => search.homeCache.invalidate({ all: true });
  catalog.changes.onChange(dropHome);
  cinemas.onShowtimesChanged(dropHome);
  activity.onChange(dropHome);
  const contents = new ContentsService({ ds, audit, outbox, storage: createStorage(config), uploadDir: config.uploadDir, maxUploadBytes: config.maxUploadBytes });
  const members = new MembersService({ ds, users, catalog, ratings, recommendations, contents, cinemas, audit, mediaDir: config.mediaDir, profileImageMaxBytes: config.profileImageMaxBytes, cardOwners: (last4) => methods.ownersOfCardLast4(last4), activity });
  const paymentGateway = overrides.gateway ?? createPaymentGateway(config.payments.gateway, new DbSandboxStore(ds));
  const methods = new PaymentMethodsService(ds, paymentGateway, audit);
  const plans = new PlansService(ds, audit);
  const subscriptions = new SubscriptionsService(ds, plans, methods, audit, overrides.clock);
  const offers = new OffersService(ds, plans, users, audit);
  const idempotency = new IdempotencyService(ds);
  const payments = new PaymentsService({
    ds, gateway: paymentGateway, methods, plans, subscriptions, offers, audit,
    movieExists: async (id) => (await catalog.existingMovieIds([id])).has(id),
    itemPrice: { amount: config.payments.itemPrice, currency: config.payments.itemCurrency },
    now: overrides.clock,
  });
  const refunds = new RefundsService({ ds, gateway: paymentGateway, payments, subscriptions, audit, watchedSince: (userId, since, movieId) => members.watchedSince(userId, since, movieId) });
  // The sandbox has no page of its own: a developer or test posts the signed callback for the tx.
  const identityProvider = new SandboxIdentityProvider(config.verification.secret, (txId) => `sandbox:verify?tx_id=${encodeURIComponent(txId)}`);
  const age = new AgeService(
    { ds, policy: new AgePolicy(config.verification.adultAge), provider: identityProvider, audit, catalog, bus: invalidation },
    // Members' verified birth dates are kept as long as their token lookups (AUTH_CACHE_TTL / _SIZE).
    { ciKey: config.verification.ciKey, txTtlSeconds: config.verification.txTtlSeconds, timeZone: config.serviceTimeZone, cache: config.authCache },
  );
  users.changes.onChange((c) => age.accountsChanged(c));
  // A deleted account's rows go with it; a renamed reviewer shows under the new name.
  users.changes.onChange((c) => recommendations.memberStates.invalidate(c));
  users.changes.onChange(() => cinemas.detailCache.invalidate({ all: true }));
  const statistics = new StatisticsService(ds, {
    signupsBetween: (from, to) => users.countCreatedBetween(from, to),
    revenueBetween,
    subscriptionsBetween,
    contentViewsBetween,
    pendingRefunds,
    contentTitles: (ids) => contents.titlesOf(ids),
    catalogFigures: async () => ({ ...(await catalog.figures()), contents: await contents.countByStatus(), ...(await cinemas.figures()) }),
    plans: () => plans.all(),
  }, { outbox, audit, timeZone: config.serviceTimeZone });
  const devices = new DevicesService({ ds, subscriptions, plans, users, audit }, { ...config.devices, jwtSecret: config.jwtSecret });
  // 30 ratings in a row make one refresh: the job waits 30 s and is deduplicated per member. The
  // intent is written in the rating's transaction.
  ratings.onEvents({
    ratingsChanged: async (m, userId) => {
      activity.changed(m, userId);
      await outbox.add(m, 'recommendations.refresh-user', { userId }, { dedupId: `rec-refresh-${userId}`, delayMs: REFRESH_DELAY_MS });
    },
  });
  return { outbox, audit, users, staffMfa, statistics, catalog, catalogImport, ratings, recommendations, contents, members, cinemas, search, movieSearch, paymentGateway, methods, plans, subscriptions, offers, payments, refunds, idempotency, devices, age };
}

export interface FirstAdmin {
  /** Staff accounts after the step. */
  staff: number;
  /** The generated first admin of a fresh embedded install (its password is shown once), or null. */
  generated: { email: string; password: string } | null;
}

/**
 * The start path's first staff account: the ADMIN_EMAIL / ADMIN_PASSWORD admin (created, or its
 * password reset), or — in a fresh embedded install without staff — a generated admin. Under a
 * database lock, so replicas starting together on an empty database create it once (and
 * UsersService.ensureStaff is idempotent on its own).
 */
export async function ensureFirstAdmin(rt: Pick<Runtime, 'config' | 'logger' | 'ds' | 'services'>): Promise<FirstAdmin> {
  const { config, logger, services } = rt;
  return withDatabaseLock(rt.ds, 'first-admin', async () => {
    if (config.adminEmail && config.adminPassword) {
      const { created } = await services.users.ensureStaff(config.adminEmail, config.adminPassword, 'admin');
      if (created) logger.info({ email: config.adminEmail }, 'created the first admin from ADMIN_EMAIL / ADMIN_PASSWORD');
    }
    const staff = await services.users.countStaff();
    if (staff > 0 || !config.embedded) return { staff, generated: null };
    // A fresh embedded install gets a first admin so /admin works at once; the password is shown once.
    const generated = { email: 'admin@marquee.local', password: randomBytes(12).toString('base64url') };
    await services.users.ensureStaff(generated.email, generated.password, 'admin');
    return { staff: 1, generated };
  });
}

export interface RuntimeOptions {
  /** Apply pending migrations at start (embedded `npm start`, tests). */
  migrate: boolean;
  /** Start the recurring schedules (the API process in embedded mode; the worker in full mode). */
  schedule: boolean;
  logger?: Logger;
  ds?: DataSource;
  /** Start the outbox relay (default true). */
  relay?: boolean;
  /** Send plain reads to DATABASE_REPLICA_URL when set (the API process; workers read the primary). */
  replicaReads?: boolean;
}

export async function createRuntime(config: Config, opts: RuntimeOptions): Promise<Runtime> {
  const logger = opts.logger ?? createLogger(config);
  const db = config.db.type === 'mysql' && !opts.replicaReads ? { type: 'mysql' as const, url: config.db.url } : config.db;
  const ds = opts.ds ?? createDataSource(db, { logger });
  const applied = await openDatabase(ds, { migrate: opts.migrate }).catch(async (err: unknown) => {
    // A failed start leaves no open pool behind (the process, or a test, can end).
    if (!opts.ds && ds.isInitialized) await ds.destroy();
    throw err;
  });
  if (applied.length) logger.info({ migrations: applied }, 'applied migrations');

  let redis: Redis | null = null;
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: false, lazyConnect: true, connectTimeout: 3000 });
    redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
    await redis.connect();
  }

  let readRouting: ReadRouting | null = null;
  if (db.type === 'mysql' && db.replicaUrl) {
    readRouting = new ReadRouting(ds, { ...config.replication, redis, redisPrefix: config.redisPrefix, logger });
    await readRouting.start();
  }

  let services!: Services;
  const jobs: JobBus = config.redisUrl
    ? await BullJobBus.create({ redisUrl: config.redisUrl, prefix: bullPrefix(config.redisPrefix), logger })
    : new InProcessJobBus(() => services, logger);
  const outbox = new Outbox(ds);
  const invalidation: InvalidationBus = redis ? new RedisInvalidationBus(redis, config.redisPrefix, logger) : new LocalInvalidationBus();
  services = buildServices(ds, outbox, config, invalidation, { logger });
  await invalidation.ready();
  const relay = new OutboxRelay(outbox, jobs, logger);
  if (opts.relay !== false) relay.start();
  if (opts.schedule) await jobs.schedule();

  return {
    config,
    logger,
    ds,
    redis,
    jobs,
    relay,
    readRouting,
    invalidation,
    services,
    async close() {
      readRouting?.stop();
      await relay.stop();
      await jobs.close();
      await invalidation.close();
      await services.movieSearch.close();
      if (redis) redis.disconnect();
      if (ds.isInitialized) await ds.destroy();
    },
  };
}
