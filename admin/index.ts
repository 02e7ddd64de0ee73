// The AdminJS panel at /admin: staff login (sessions in Redis or the database), resources per
// domain, the chart.js dashboard. Imported dynamically by buildApp, after the AdminJS
// environment (prebuilt bundle) is set.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Router } from 'express';
import { setAdminBundleEnv } from '../src/config.js';
import type { LoginGate } from '../src/http/login.js';
import { DbSessionStore, RedisSessionStore, type PanelSessionStore } from '../src/http/session-store.js';
import { can } from '../src/modules/access/rbac.js';
import { sectionsFor, StatisticsRangeError } from '../src/modules/statistics/statistics.service.js';
import type { Runtime } from '../src/runtime.js';
import { PanelLanguageError } from '../src/modules/users/users.service.js';
import { roleOf } from './access.js';

import { ADMIN_ROOT } from './paths.js';

export { ADMIN_ROOT };

export async function createAdmin(rt: Runtime, deps: { sessions: PanelSessionStore; assetUrl?: (name: string) => string | undefined }) {
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
  const { applyFormatting } = await import('./formatting.js');
  const { panelLocale, panelBranding, panelLanguageOf, panelText } = await import('./locale/index.js');
  const { jobsPage } = await import('./jobs-page.js');
  const { withCsvExport } = await import('./export.js');
  const { withMovieRegrade, withServiceBulkDelete } = await import('./bulk.js');
  AdminJS.registerAdapter({ Database: AdminJSTypeorm.Database, Resource: AdminJSTypeorm.Resource });

  const { services } = rt;
  const admin = new AdminJS({
    rootPath: ADMIN_ROOT,
    loginPath: `${ADMIN_ROOT}/login`,
    logoutPath: `${ADMIN_ROOT}/logout`,
    componentLoader,
    // Marquee's name, logo, favicon and system fonts (no external font); admin/locale/index.ts.
    branding: panelBranding(deps.assetUrl),
    // Read by admin/components/format.ts in the browser (window.AdminJS.env).
    env: { SERVICE_TIME_ZONE: rt.config.serviceTimeZone },
    // Korean unless the staff member chose English (users.panel_language → currentAdmin.language).
    locale: panelLocale,
    // Every list gets the "CSV 내보내기" button (admin/export.ts); service-backed deletes a bulk delete,
    // movies a bulk regrade (admin/bulk.ts); money and grades their formatters (admin/formatting.ts).
    resources: applyFormatting(
      withCsvExport(
        withMovieRegrade(withServiceBulkDelete([usersResource(services, deps.sessions), ...catalogResources(services), ...cinemaResources(services), ...membersResources(services), ...commerceResources(services), statisticsResource(services), recommendationsResource(services), auditLogResource()]), services),
        Components.CsvExport,
      ),
      { Money: Components.Money, Grade: Components.Grade },
    ),
    // The signed-in staff member's own second factor (GET /admin/api/pages/twoFactor).
    pages: {
      twoFactor: {
        icon: 'Shield',
        component: Components.TwoFactor,
        handler: async (_request, _response, context) => {
          const me = Number((context.currentAdmin as { id?: string } | undefined)?.id);
          return { ...(await services.staffMfa.status(me)), setupUrl: `${ADMIN_ROOT}/two-factor` };
        },
      },
      // "언어 / Language": GET the account's panel language, POST {language} to change it.
      language: {
        icon: 'Globe',
        component: Components.LanguagePage,
        handler: async (request, _response, context) => {
          const me = Number((context.currentAdmin as { id?: string } | undefined)?.id);
          if (request.method?.toLowerCase() === 'post') {
            try {
              return { language: await services.users.setPanelLanguage(me, request.payload?.language) };
            } catch (err) {
              if (err instanceof PanelLanguageError) return { error: panelText(panelLanguageOf(context.currentAdmin), err.code === 'no_account' ? 'languageNoAccount' : 'languageChoose') };
              throw err;
            }
          }
          return { language: (await services.users.sessionUser(me))?.panelLanguage ?? 'ko' };
        },
      },
      // The job monitor: bull-board's link with Redis, the in-process jobs without (admin/jobs-page.ts).
      jobs: { icon: 'Activity', component: Components.JobsPage, handler: jobsPage(rt, `${ADMIN_ROOT}/queues`) },
    },
    dashboard: {
      component: Components.Dashboard,
      // GET /admin/api/dashboard?from&to: the overview of the snapshot tables, in the blocks the role table gives this role.
      handler: async (request, _response, context) => {
        const role = roleOf(context) ?? null;
        const base = { role, canRecompute: can(role, 'statistics', 'recompute'), recomputeResource: STAT_DAYS_RESOURCE };
        let range: { from: string; to: string };
        try {
          range = services.statistics.range({ from: request.query?.from, to: request.query?.to }, { withToday: true });
        } catch (err) {
          if (err instanceof StatisticsRangeError) return { ...base, error: { field: err.field, message: panelText(panelLanguageOf(context.currentAdmin), `statsRange_${err.code}`, err.vars) } };
          throw err;
        }
        return { ...base, overview: await services.statistics.overview(range, sectionsFor(role)) };
      },
    },
  });
  return admin;
}

export async function buildAdminRouter(rt: Runtime, deps: { loginGate: LoginGate }): Promise<{ rootPath: string; router: Router }> {
  const sessions: PanelSessionStore = rt.redis ? new RedisSessionStore(rt.redis, rt.config.redisPrefix) : new DbSessionStore(rt.ds);
  // The panel's files by content hash (admin/assets.ts); `assets` is filled in once the bundle exists.
  const { PanelAssets, panelResponses, ASSETS_PATH } = await import('./assets.js');
  let assets: import('./assets.js').PanelAssets | undefined;
  const admin = await createAdmin(rt, { sessions, assetUrl: (name) => assets?.url(name) });
  const { ensureBundle, componentsHash } = await import('./bundle.js');
  const { componentDir } = await import('./components.js');
  const built = await ensureBundle(admin, componentsHash(componentDir));
  if (built) rt.logger.info('built the AdminJS component bundle');
  assets = await PanelAssets.load(ADMIN_ROOT);
  // Marquee's script-free login page instead of AdminJS's (admin/login-page.ts); Korean unless
  // `?lang=en` (GET below).
  const { loginPage } = await import('./login-page.js');
  const asset = (name: string) => assets?.url(name);
  admin.renderLogin = async (props: { action: string; errorMessage?: string | null }) => loginPage({ action: props.action, errorMessage: props.errorMessage, lang: 'ko', asset });

  const AdminJSExpress = (await import('@adminjs/express')).default;
  const { default: express } = await import('express');
  const { config, services } = rt;
  const { loginGate } = deps;

  const pre = express.Router();
  // Hashed, compressed, immutable assets; HTML pointed at them and compressed (before the security
  // headers, so their nonce is added to the page first).
  pre.use(ASSETS_PATH, assets.handler());
  pre.use(panelResponses(assets));
  // Security headers (CSP with a nonce), CSRF origin check and input checks for all of /admin (queue monitor included).
  const { adminSecurity } = await import('./security.js');
  pre.use(adminSecurity(config, admin));
  // The login page in the language asked for (the page's own link); AdminJS's GET /login gives Korean.
  pre.get('/login', (req, res, next) => {
    if (req.query.lang !== 'en' && req.query.lang !== 'ko') return next();
    res.type('html').send(loginPage({ action: `${ADMIN_ROOT}/login`, lang: req.query.lang, asset }));
  });
  // Sessions, the login (password, then the second factor) and the per-request account check.
  const sessionOptions = {
    name: 'marquee.admin',
    secret: config.sessionSecret,
    store: sessions,
    resave: false,
    saveUninitialized: false,
    proxy: config.trustProxy,
    cookie: { httpOnly: true, sameSite: 'lax' as const, secure: 'auto' as const, maxAge: 8 * 3600 * 1000, path: ADMIN_ROOT },
  };
  const { panelAuthRouter } = await import('./panel-auth.js');
  pre.use(panelAuthRouter({ admin, loginGate, users: services.users, mfa: services.staffMfa, store: sessions, sessionOptions, logger: rt.logger }));

  const adminUploadTmp = path.join(config.uploadDir, 'tmp');
  mkdirSync(adminUploadTmp, { recursive: true });
  const router = AdminJSExpress.buildAuthenticatedRouter(
    admin,
    {
      cookieName: sessionOptions.name,
      cookiePassword: config.sessionSecret,
      // Never called: POST /admin/login is answered by panelAuthRouter (admin/panel-auth.ts).
      authenticate: async () => null,
    },
    pre,
    // The same options as the session middleware in `pre`, which has already set req.session.
    sessionOptions,
    // Multipart forms of the panel (content uploads): the same size limit as the API, temp files
    // in the upload directory (same file system as the storage, so a move is a rename).
    { maxFileSize: config.maxUploadBytes, uploadDir: adminUploadTmp },
  );
  // GET /admin/export/<resourceId>.csv: any list the role may read, as CSV (admin/export.ts).
  const { mountExport } = await import('./export.js');
  mountExport(rt, admin, router);
  const { mountQueueMonitor } = await import('./queues.js');
  await mountQueueMonitor(rt, router, ADMIN_ROOT);
  return { rootPath: ADMIN_ROOT, router };
}
