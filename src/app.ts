// buildApp(runtime) → the Express app (no listen): public API, admin panel, API docs.
import cors from 'cors';
import express, { Router, type Express, type RequestHandler } from 'express';
import swaggerUi from 'swagger-ui-express';
import { cachedUserLookup, createAuthenticator, createTokenIssuer, TokenUserCache } from './http/auth.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { healthRoutes } from './http/health.js';
import { securityHeaders } from './http/security-headers.js';
import { listenWithAppServer } from './http/server.js';
import { homePage } from './http/home.js';
import { createRegistry, openApiDocument } from './http/openapi.js';
import { LoginGate } from './http/login.js';
import { createLimiter, LoginThrottle } from './http/rate-limit.js';
import type { RouteContext } from './http/route.js';
import { catalogRoutes } from './modules/catalog/catalog.routes.js';
import { contentsRoutes } from './modules/catalog/contents.routes.js';
import { cinemasRoutes } from './modules/cinemas/cinemas.routes.js';
import { mediaStatic } from './modules/members/media.js';
import { membersRoutes } from './modules/members/members.routes.js';
import { ratingsRoutes } from './modules/ratings/ratings.routes.js';
import { recommendationsRoutes } from './modules/recommendations/recommendations.routes.js';
import { searchRoutes } from './modules/search/search.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { instrumentsRoutes } from './modules/commerce/instruments.routes.js';
import { statisticsRoutes } from './modules/statistics/statistics.routes.js';
import { GATEWAY_WEBHOOKS_PATH, paymentsRoutes } from './modules/commerce/payments.routes.js';
import { devicesRoutes } from './modules/devices/devices.routes.js';
import { ageRoutes } from './modules/age/age.routes.js';
import { requestLogger } from './http/request-log.js';
import type { Runtime } from './runtime.js';
import { ADMIN_ROOT } from '../admin/paths.js';

export interface AppOptions {
  /**
   * Mount the AdminJS panel at /admin: true (default) loads it before returning; 'deferred' returns
   * at once and loads it when `loadAdmin()` is called or the first request to /admin comes (which
   * waits for it) — `npm start` answers the API meanwhile; false leaves it out (API-only tests).
   */
  admin?: boolean | 'deferred';
}

/** The app, and (with admin: 'deferred') the call that loads the panel (idempotent). */
export interface BuiltApp {
  app: Express;
  loadAdmin: () => Promise<void>;
}

export async function buildApp(rt: Runtime, opts: AppOptions = {}): Promise<Express> {
  const { app, loadAdmin } = await buildAppDeferred(rt, opts);
  await loadAdmin();
  return app;
}

export async function buildAppDeferred(rt: Runtime, opts: AppOptions = {}): Promise<BuiltApp> {
  const { config, logger, services } = rt;
  const app = express();
  // Requests and responses made with the app's prototypes, not moved onto them (http/server.ts).
  listenWithAppServer(app);
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  app.use(requestLogger(logger));

  const health = Router();
  healthRoutes(health, rt);
  app.use(health);
  // With a replica: a credential's reads right after its own write go to the primary (db/replication.ts).
  if (rt.readRouting) app.use(rt.readRouting.middleware());

  // One login throttle for the API and the panel (an account's budget is the same at both doors).
  const loginGate = new LoginGate(services.users, new LoginThrottle(rt.redis, config.redisPrefix, config.loginRate), (user) => services.staffMfa.needed(user));

  let loading: Promise<void> | null = null;
  let loadAdmin = () => Promise.resolve();
  if (opts.admin !== false) {
    // The admin router parses its own bodies (formidable) and must come before the JSON parser.
    // Loading AdminJS takes seconds: deferred, its place in the chain is held by a gate that waits.
    let adminRouter: RequestHandler | null = null;
    loadAdmin = () =>
      (loading ??= (async () => {
        const { buildAdminRouter } = await import('../admin/index.js');
        adminRouter = (await buildAdminRouter(rt, { loginGate })).router;
      })());
    if (opts.admin !== 'deferred') await loadAdmin();
    app.use(ADMIN_ROOT, (req, res, next) => {
      if (adminRouter) return adminRouter(req, res, next);
      loadAdmin().then(() => adminRouter!(req, res, next), next);
    });
  }

  app.use('/media', mediaStatic(config.mediaDir));

  const api = Router();
  api.use(securityHeaders());
  // Cross-origin callers only when origins are configured (cors with origin false only calls next: the layer is left out).
  if (config.corsOrigins.length) api.use(cors({ origin: config.corsOrigins, credentials: false, maxAge: 600 }));
  // Gateway webhooks are verified over the exact bytes received: raw body, before the JSON parser.
  api.use(GATEWAY_WEBHOOKS_PATH, express.raw({ type: () => true, limit: config.bodyLimit }));
  // strict: false — the seed's client sends a bare `1` as the body of pick toggles.
  // GET and HEAD requests skip the body parsers: no such route reads a body (defineRoute refuses one),
  // and the two parsers' checks were about 6 % of a kept read's CPU (docs/benchmarks-reads.md, run 16).
  const withBody = (parser: RequestHandler): RequestHandler => (req, res, next) => (req.method === 'GET' || req.method === 'HEAD' ? next() : parser(req, res, next));
  api.use(withBody(express.json({ limit: config.bodyLimit, strict: false })));
  api.use(withBody(express.urlencoded({ extended: false, limit: config.bodyLimit })));

  const registry = createRegistry();
  // A device token (device_id claim) works only while its device is paired (revocation is immediate).
  // Account tokens' lookups are cached per process and dropped by every account change (UsersService.changes).
  const tokenUsers = new TokenUserCache(config.authCache);
  services.users.changes.onChange((c) => tokenUsers.invalidate(c));
  app.locals.tokenUsers = tokenUsers;
  const auth = createAuthenticator(
    config.jwtSecret,
    cachedUserLookup(tokenUsers, (id, payload) => (payload.device_id !== undefined ? services.devices.authUserForToken(id, payload.device_id) : services.users.authUserForToken(id, payload))),
    { verifiedTokens: config.authCache.maxEntries },
  );
  const ctx: RouteContext = { router: api, registry, auth, index: [] };
  app.locals.routeIndex = ctx.index;
  const tokens = createTokenIssuer(config.jwtSecret, config.jwtExpiresInSeconds);
  const signupLimiter = createLimiter(rt.redis, { keyPrefix: `${config.redisPrefix}:rl:signup:ip`, ...config.signupRate });
  usersRoutes(ctx, { users: services.users, tokens, loginGate, signupLimiter });
  contentsRoutes(ctx, { contents: services.contents, age: services.age, maxUploadBytes: config.maxUploadBytes });
  recommendationsRoutes(ctx, { recommendations: services.recommendations, catalog: services.catalog, age: services.age });
  catalogRoutes(ctx, { catalog: services.catalog, ratings: services.ratings, recommendations: services.recommendations, showtimes: services.cinemas, age: services.age, publicUrl: config.publicUrl });
  ratingsRoutes(ctx, { ratings: services.ratings, age: services.age, publicUrl: config.publicUrl, onboardingMinYear: config.onboardingMinYear });
  membersRoutes(ctx, { members: services.members, age: services.age, publicUrl: config.publicUrl });
  cinemasRoutes(ctx, { cinemas: services.cinemas, age: services.age, publicUrl: config.publicUrl });
  searchRoutes(ctx, { search: services.search, age: services.age });
  ageRoutes(ctx, { age: services.age, publicUrl: config.publicUrl });
  devicesRoutes(ctx, { devices: services.devices, redis: rt.redis, redisPrefix: config.redisPrefix, verificationUrl: config.devices.verificationUrl, publicUrl: config.publicUrl, codeRate: config.devices.codeRate, confirmRate: config.devices.confirmRate });
  instrumentsRoutes(ctx, { methods: services.methods, plans: services.plans, subscriptions: services.subscriptions, offers: services.offers, publicUrl: config.publicUrl });
  paymentsRoutes(ctx, { payments: services.payments, refunds: services.refunds, methods: services.methods, idempotency: services.idempotency, publicUrl: config.publicUrl });
  statisticsRoutes(ctx, { statistics: services.statistics });

  // Generated on first use (the first answer of `npm start` does not wait for ~120 routes' schemas).
  let doc: ReturnType<typeof openApiDocument> | null = null;
  const docOnce = () => (doc ??= openApiDocument(registry, config.publicUrl || '/'));
  api.get('/openapi.json', (_req, res) => {
    res.json(docOnce());
  });
  let swaggerPage: RequestHandler | null = null;
  const swaggerLazy: RequestHandler = (req, res, next) => (swaggerPage ??= swaggerUi.setup(docOnce(), { customSiteTitle: 'Marquee API' }))(req, res, next);
  api.use('/swagger', swaggerUi.serve, swaggerLazy);

  // GET /: a small page that links the panel, the API docs and the health checks.
  api.get('/', homePage({ adminPath: opts.admin === false ? null : ADMIN_ROOT }));

  app.use(api);
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return { app, loadAdmin };
}
