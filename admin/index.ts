// The AdminJS panel at /admin: staff login (sessions in Redis or the database), resources per
// domain, the chart.js dashboard. Imported dynamically by buildApp, after the AdminJS
// environment (prebuilt bundle) is set.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Request, Response, Router } from 'express';
import { setAdminBundleEnv } from '../src/config.js';
import { langOf, t } from '../src/http/i18n.js';
import type { LoginGate } from '../src/http/login.js';
import { DbSessionStore, RedisSessionStore } from '../src/http/session-store.js';
import { can } from '../src/http/rbac.js';
import { sectionsFor, statisticsRange, StatisticsRangeError } from '../src/modules/statistics/statistics.service.js';
import type { Runtime } from '../src/runtime.js';
import { roleOf, type AdminSessionUser } from './access.js';

export const ADMIN_ROOT = '/admin';

export async function createAdmin(rt: Runtime) {
  setAdminBundleEnv({ skipBundle: true, production: true });
  const { default: AdminJS } = await import('adminjs');
  const AdminJSTypeorm = await import('@adminjs/typeorm');
  const { componentLoader, Components } = await import('./components.js');
  const { usersResource } = await import('./resources/users.js');
  const { catalogResources } = await import('./resources/catalog.js');
  const { cinemaResources } = await import('./resources/cinemas.js');
  const { auditLogResource } = await import('./resources/audit-log.js');
  const { membersResources } = await import('./resources/members.js');
  const { commerceResources } = await import('./resources/commerce.js');
  const { statisticsResource, STAT_DAYS_RESOURCE } = await import('./resources/statistics.js');
  const { recommendationsResource } = await import('./resources/recommendations.js');
  AdminJS.registerAdapter({ Database: AdminJSTypeorm.Database, Resource: AdminJSTypeorm.Resource });

  const { services } = rt;
  const admin = new AdminJS({
    rootPath: ADMIN_ROOT,
    loginPath: `${ADMIN_ROOT}/login`,
    logoutPath: `${ADMIN_ROOT}/logout`,
    componentLoader,
    branding: { companyName: 'Marquee', withMadeWithLove: false },
    resources: [usersResource(services), ...catalogResources(services), ...cinemaResources(services), ...membersResources(services), ...commerceResources(services), statisticsResource(services), recommendationsResource(services), auditLogResource()],
    dashboard: {
      component: Components.Dashboard,
      // GET /admin/api/dashboard?from&to: the overview of the snapshot tables, in the blocks the role table gives this role.
      handler: async (request, _response, context) => {
        const role = roleOf(context) ?? null;
        const base = { role, canRecompute: can(role, 'statistics', 'recompute'), recomputeResource: STAT_DAYS_RESOURCE };
        let range: { from: string; to: string };
        try {
          range = statisticsRange({ from: request.query?.from, to: request.query?.to });
        } catch (err) {
          if (err instanceof StatisticsRangeError) return { ...base, error: { field: err.field, message: err.message } };
          throw err;
        }
        return { ...base, overview: await services.statistics.overview(range, sectionsFor(role)) };
      },
    },
  });
  return admin;
}

export async function buildAdminRouter(rt: Runtime, deps: { loginGate: LoginGate }): Promise<{ rootPath: string; router: Router }> {
  const admin = await createAdmin(rt);
  const { ensureBundle, componentsHash } = await import('./bundle.js');
  const { componentDir } = await import('./components.js');
  const built = await ensureBundle(admin, componentsHash(componentDir));
  if (built) rt.logger.info('built the AdminJS component bundle');

  const AdminJSExpress = (await import('@adminjs/express')).default;
  const { default: express } = await import('express');
  const { config, services } = rt;
  const { loginGate } = deps;
  const store = rt.redis ? new RedisSessionStore(rt.redis, config.redisPrefix) : new DbSessionStore(rt.ds);

  const pre = express.Router();
  // Security headers (CSP with a nonce), CSRF origin check and input checks for all of /admin (queue monitor included).
  const { adminSecurity } = await import('./security.js');
  pre.use(adminSecurity(config, admin));
  // Login attempts share the API's throttle (the AdminJS form posts to /admin/login). An IP that
  // is blocked is answered here; a blocked account is answered by authenticate below, which makes
  // AdminJS's error page (status 400) a 429 with Retry-After.
  pre.post('/login', async (req, res, next) => {
    try {
      const wait = await loginGate.checkIp(req.ip ?? 'unknown');
      if (wait > 0) {
        res.status(429).set('Retry-After', String(wait)).type('text/plain').send(t(langOf(req), 'tooManyLogins', { n: wait }));
        return;
      }
      const status = res.status.bind(res);
      res.status = (code: number) => status(res.locals.loginBlocked ? 429 : code);
      next();
    } catch (err) {
      next(err);
    }
  });

  const adminUploadTmp = path.join(config.uploadDir, 'tmp');
  mkdirSync(adminUploadTmp, { recursive: true });
  const router = AdminJSExpress.buildAuthenticatedRouter(
    admin,
    {
      cookieName: 'marquee.admin',
      cookiePassword: config.sessionSecret,
      authenticate: async (email: string, password: string, context?: { req?: Request; res?: Response }) => {
        const outcome = await loginGate.attempt(context?.req?.ip ?? 'unknown', String(email ?? ''), String(password ?? ''), { staffOnly: true });
        if (outcome.kind === 'blocked') {
          if (context?.res) {
            context.res.locals.loginBlocked = true;
            context.res.set('Retry-After', String(outcome.seconds));
          }
          // AdminJS shows the message of a thrown error on its login page.
          throw new Error(t(context?.req ? langOf(context.req) : 'ko', 'tooManyLogins', { n: outcome.seconds }));
        }
        if (outcome.kind === 'failed') return null;
        const user = outcome.user;
        const session: AdminSessionUser = { id: String(user.id), email: user.email, role: user.role, title: user.role };
        return session;
      },
    },
    pre,
    {
      secret: config.sessionSecret,
      store,
      resave: false,
      saveUninitialized: false,
      proxy: config.trustProxy,
      cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: 8 * 3600 * 1000, path: ADMIN_ROOT },
    },
    // Multipart forms of the panel (content uploads): the same size limit as the API, temp files
    // in the upload directory (same file system as the storage, so a move is a rename).
    { maxFileSize: config.maxUploadBytes, uploadDir: adminUploadTmp },
  );
  const { mountQueueMonitor } = await import('./queues.js');
  await mountQueueMonitor(rt, router, ADMIN_ROOT);
  return { rootPath: ADMIN_ROOT, router };
}
