// `npm start`: the API and admin panel. Without DATABASE_URL / REDIS_URL it runs embedded
// (SQLite file under ./data, in-process jobs) and applies pending migrations itself.
import type { Server } from 'node:http';
import { buildApp } from './app.js';
import { loadConfigOrExit } from './config.js';
import { exitOnFatal } from './logging.js';
import { createLogger, createRuntime, ensureFirstAdmin } from './runtime.js';

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

if (config.embedded) {
  // A fresh embedded install shows something at once: the demo catalog (and the demo cinemas and
  // today's showtimes) from the shared data folder. A missing folder or a bad file never stops the start.
  try {
    const seeded = await rt.services.catalogImport.seedDemoIfEmpty(config.sharedDataDir);
    if (seeded.status === 'seeded') {
      const r = seeded.report;
      logger.info({ dir: r.dir, creditsSkipped: r.creditsSkipped, issues: r.issues.length }, `demo catalog loaded: ${r.movies.inserted} movies, ${r.genres.inserted} genres, ${r.people.inserted} people`);
    } else if (seeded.status === 'missing') {
      logger.warn({ dir: seeded.dir, missing: seeded.files }, 'demo data not found: starting with an empty catalog (SHARED_DATA_DIR names the shared data folder)');
    }
    if (seeded.status !== 'missing') {
      const cinemas = await rt.services.cinemas.seedDemoIfEmpty(config.sharedDataDir);
      if (cinemas && (cinemas.cinemas || cinemas.showtimes)) logger.info(cinemas, `demo cinemas loaded: ${cinemas.cinemas} cinemas, ${cinemas.showtimes} showtimes for today`);
    }
  } catch (err) {
    logger.warn({ err }, 'demo seed failed: starting without demo data');
  }
}

const app = await buildApp(rt);
const server: Server = app.listen(config.port, config.host, () => {
  const base = config.publicUrl || `http://localhost:${config.port}`;
  logger.info({ ms: Date.now() - started }, `Marquee listening on ${base} — admin ${base}/admin, API docs ${base}/swagger/`);
  if (generated) {
    logger.warn(`first admin created — log in at ${base}/admin with ${generated.email} / ${generated.password} (shown once; change it under Members → Users → Set password)`);
  }
  if (staff === 0) {
    logger.warn('no staff account yet: set ADMIN_EMAIL and ADMIN_PASSWORD and restart, or run `npm run admin:create -- --email you@example.com`');
  }
});

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
