// `npm run seed:demo`: loads the Korean demo catalog (29 genres, 59 people, 22 movies of the
// wouldyouci fixtures) from SHARED_DATA_DIR (default ../shared/data), then the demo cinemas and
// today's showtimes, into DATABASE_URL (or the embedded SQLite file). Idempotent: what is already
// there is left as it is. `npm start` does the same by itself on a fresh embedded install.
import { loadConfigOrExit } from '../src/config.js';
import { createLogger, createRuntime } from '../src/runtime.js';

const { config } = loadConfigOrExit();
const logger = createLogger({ logLevel: 'warn' });
const rt = await createRuntime(config, { migrate: config.db.type === 'sqlite', schedule: false, logger });
try {
  const r = await rt.services.catalogImport.seedDemo(config.sharedDataDir);
  console.log(`demo catalog from ${r.dir}`);
  console.log(`genres: ${r.genres.inserted} inserted, ${r.genres.unchanged} already there`);
  console.log(`people: ${r.people.inserted} inserted, ${r.people.unchanged} already there`);
  console.log(`movies: ${r.movies.inserted} inserted, ${r.movies.unchanged} already there (${r.placeholders} placeholder records left out)`);
  console.log(`links:  ${r.genreLinks} movie genres, ${r.credits} credits (${r.creditsSkipped} credits name people missing from people_fixture.json)`);
  for (const i of r.issues) console.log(`  ${i.file} pk ${i.line}: ${i.reason}`);
  const c = await rt.services.cinemas.seedDemoIfEmpty(config.sharedDataDir);
  if (c) console.log(`cinemas: ${c.cinemas} inserted; showtimes: ${c.showtimes} for today (${c.skippedUnknownMovie} name no movie of ours)`);
} catch (err) {
  console.error(`seed failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await rt.close();
}
