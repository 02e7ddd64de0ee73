// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded SQLite file).
import { loadConfigOrExit } from '../config.js';
import { createLogger, exitOnFatal } from '../logging.js';
import { createDataSource, openDatabase } from './data-source.js';

const { config } = loadConfigOrExit();
const logger = createLogger(config);
// A failed migration is logged scrubbed (no SQL parameters), not printed raw by Node.
exitOnFatal(logger);
const ds = createDataSource(config.db, { logger });
const applied = await openDatabase(ds, { migrate: true });
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
await ds.destroy();
