// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded SQLite file).
import { loadConfigOrExit } from '../config.js';
import { createDataSource, openDatabase } from './data-source.js';

const { config } = loadConfigOrExit();
const ds = createDataSource(config.db);
const applied = await openDatabase(ds, { migrate: true });
console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
await ds.destroy();
