// `npm run import -- movielens <dir> [--batch-size N] [--no-ratings]`
// Imports a MovieLens-format folder into the catalog of DATABASE_URL (or the embedded SQLite file):
// movies.csv → movies and genres. links.csv and ratings.csv (optional) are counted, not imported:
// the catalog has no IMDb/TMDb id columns, and a rating belongs to a Marquee member while MovieLens
// userIds are anonymous research ids, not members (the recommendation benchmark, `npm run
// bench:recs`, reads ratings.csv in place instead). `--no-ratings` skips counting ratings.csv.
// Idempotent: a second run reports every movie unchanged. MovieLens data is licensed for research and testing only — never import it into a
// production catalog.
import { parseArgs } from 'node:util';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadConfigOrExit } from '../src/config.js';
import { createDataSource, openDatabase } from '../src/db/data-source.js';
import { AuditService } from '../src/modules/audit/audit.service.js';
import { CatalogImportService } from '../src/modules/catalog/import.service.js';
import { CATALOG_CHANNEL } from '../src/modules/catalog/read-cache.js';
import { RedisInvalidationBus } from '../src/db/invalidation.js';
import { Redis } from 'ioredis';

const USAGE = 'usage: npm run import -- movielens <dir with movies.csv> [--batch-size 1-1000] [--no-ratings]';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({ allowPositionals: true, options: { 'batch-size': { type: 'string' }, 'no-ratings': { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
} catch (err) {
  usage((err as Error).message);
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const [source, dirArg, ...extra] = positionals;
if (source !== 'movielens') usage(source ? `unknown source "${source}" (only movielens)` : undefined);
if (!dirArg || extra.length) usage();
const dir = path.resolve(dirArg);
if (!existsSync(dir) || !statSync(dir).isDirectory()) usage(`${dir} is not a directory`);
if (!existsSync(path.join(dir, 'movies.csv'))) usage(`no movies.csv in ${dir}`);
const batchSize = values['batch-size'] === undefined ? 500 : Number(values['batch-size']);
if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 1000) usage('--batch-size must be a whole number from 1 to 1000');

const { config } = loadConfigOrExit();
const ds = createDataSource(config.db);
await openDatabase(ds, { migrate: config.db.type === 'sqlite' });
const started = Date.now();
try {
  const report = await new CatalogImportService(ds, new AuditService(ds)).importMovieLens(dir, { batchSize, countRatings: !values['no-ratings'] });
  const { movies, genres } = report;
  console.log(`movies: ${movies.inserted} inserted, ${movies.updated} updated, ${movies.unchanged} unchanged`);
  console.log(`genres: ${genres.inserted} inserted, ${genres.unchanged} already there`);
  if (report.links !== null) console.log(`links.csv: ${report.links} rows counted, not imported (the catalog keeps no IMDb/TMDb ids)`);
  if (report.ratingsSeen !== null) {
    console.log(`ratings.csv: ${report.ratingsSeen} ratings counted, not imported (MovieLens userIds are not Marquee members; bench:recs reads ratings.csv directly)`);
  }
  if (report.skipped) {
    console.log(`skipped rows: ${report.skipped}`);
    for (const i of report.issues) console.log(`  ${i.file}:${i.line} ${i.reason}`);
  }
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (config.redisUrl && (movies.inserted || movies.updated || genres.inserted)) {
    // The running API processes and workers drop their cached catalog reads (src/db/invalidation.ts).
    const redis = new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    await redis.connect();
    const bus = new RedisInvalidationBus(redis, config.redisPrefix);
    bus.publish(CATALOG_CHANNEL, { all: true });
    await redis.ping();
    await bus.close();
    redis.disconnect();
  }
} catch (err) {
  console.error(`import failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await ds.destroy();
}
