// `npm start`: the API and admin panel. Without DATABASE_URL / REDIS_URL it runs embedded
// (SQLite file under ./data, in-process jobs) and applies pending migrations itself.
//
// Start-up order, so the first answer comes quickly: migrations → first admin → the demo catalog,
// cinemas and today's showtimes (fresh install) → listen (API, docs, health) → in the background the
// admin panel (AdminJS takes seconds to load; a request to /admin waits for it) and the demo's week
// of activity.
import type { Server } from 'node:http';
import { buildAppDeferred } from './app.js';
import { loadConfigOrExit } from './config.js';
import { withDatabaseLock } from './db/data-source.js';
import { exitOnFatal } from './logging.js';
import { createLogger, createRuntime, ensureFirstAdmin } from './runtime.js';
import { logDemoCatalog, seedDemoCatalogIfEmpty } from './demo/seed.js';

/** The panel starts loading this long after the server listens (the first requests go first). */
const ADMIN_LOAD_DELAY_MS = 300;

const started = Date.now();
const { config, warnings } = loadConfigOrExit();
const logger = createLogger(config);
// A failed start is logged (scrubbed: no SQL parameters, hashes or secrets), not printed raw by Node.
exitOnFatal(logger);
for (const w of warnings) logger.warn(w);
if (config.embedded) {
  logger.info({ sqlite: config.db.type === 'sqlite' ? config.db.file : undefined }, 'embedded mode: no REDIS_URL set — SQLite database, in-process jobs, sessions in the database');
}

// In full mode migrations are applied by `npm run migrate` (the compose file runs it before the app).
const rt = await createRuntime(config, { migrate: config.db.type === 'sqlite', schedule: config.embedded, logger, replicaReads: true });

const { staff, generated } = await ensureFirstAdmin(rt);

// The first start computes the last 30 days' statistics once (a job, through the outbox, in both
// modes), so a fresh dashboard is never "0 of 30 days computed"; later starts find snapshots and do nothing.
try {
  const backfill = await withDatabaseLock(rt.ds, 'statistics-backfill', () => rt.services.statistics.backfillIfEmpty());
  if (backfill) logger.info({ from: backfill.from, to: backfill.to }, 'first start: computing the statistics of the last 30 days in the background');
} catch (err) {
  logger.warn({ err }, 'could not queue the first statistics backfill');
}

let demoSeeded = false;
if (config.demo) {
  // A fresh install shows something at once: the demo catalog, cinemas and today's showtimes from
  // the repository's data/demo/. A missing folder or a bad file never stops the start.
  try {
    // Under a database lock: replicas starting together seed once.
    const r = await withDatabaseLock(rt.ds, 'demo-seed', () => seedDemoCatalogIfEmpty(rt.services, config.demoDataDir));
    logDemoCatalog(logger, r);
    demoSeeded = r.catalog.status === 'seeded';
  } catch (err) {
    logger.warn({ err }, 'demo seed failed: starting without demo data');
  }
}

const { app, loadAdmin } = await buildAppDeferred(rt, { admin: 'deferred' });
const server: Server = app.listen(config.port, config.host, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = config.publicUrl || `http://localhost:${port}`;
  const lines = [
    `Marquee is up in ${((Date.now() - started) / 1000).toFixed(1)} s (${config.embedded ? 'embedded: SQLite, in-process jobs' : 'MySQL/MariaDB + Redis'})`,
    `  home      ${base}/`,
    `  admin     ${base}/admin`,
    `  API docs  ${base}/swagger/`,
    `  health    ${base}/healthz  ${base}/readyz`,
  ];
  if (generated) lines.push(`  first admin: ${generated.email} / ${generated.password}  (shown once; change it under Members → Users → Set password)`);
  else if (staff > 0 && config.adminEmail) lines.push(`  admin login: ${config.adminEmail} (ADMIN_EMAIL / ADMIN_PASSWORD)`);
  logger.info({ url: base, admin: `${base}/admin`, docs: `${base}/swagger/`, ms: Date.now() - started, ...(generated ? { firstAdmin: generated.email } : {}) }, lines.join('\n'));
  if (staff === 0) {
    logger.warn('no staff account yet: set ADMIN_EMAIL and ADMIN_PASSWORD and restart, or run `npm run admin:create -- --email you@example.com`');
  }
});

// Then, one after the other so the first answers are not queued behind them (a request to /admin
// meanwhile loads the panel at once): the admin panel, the search's terms in memory, and on a fresh install the demo's week of
// members' activity behind the dashboard, the finance lists and the recommendations.
setTimeout(() => {
  void (async () => {
    try {
      await loadAdmin();
      logger.info({ ms: Date.now() - started }, 'admin panel ready');
    } catch (err) {
      logger.error({ err }, 'the admin panel failed to load');
    }
    try {
      const t0 = Date.now();
      const movies = await rt.services.movieSearch.warm();
      logger.info({ ms: Date.now() - t0, movies }, 'search terms in memory');
    } catch (err) {
      logger.warn({ err }, 'search terms not loaded yet (the first search loads them)');
    }
    if (!(config.demo && demoSeeded)) return;
    try {
      const { generateDemoActivityIfNone } = await import('./demo/activity.js');
      const r = await generateDemoActivityIfNone(rt);
      if (r.status === 'generated') {
        const a = r.report;
        logger.info({ ms: a.ms, days: `${a.days[0]}..${a.days.at(-1)}`, contentsSkipped: a.contentsSkipped ?? undefined }, `demo week of activity ready: ${a.members} members, ${a.payments.paid} payments, ${a.renewals.charged} renewals, ${a.refunds.completed + a.refunds.pending} refunds (${a.refunds.pending} pending), ${a.ratings} ratings, ${a.watchEvents} watch events`);
      }
    } catch (err) {
      logger.warn({ err }, 'demo activity failed: the demo has no members');
    }
  })();
}, ADMIN_LOAD_DELAY_MS);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  server.close();
  await rt.close();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
