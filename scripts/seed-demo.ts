// `npm run seed:demo [-- --activity]`: loads the demo data set of the repository (data/demo/:
// genres, people, movies, cinemas and today's showtimes) into DATABASE_URL (or the embedded SQLite
// file); with --activity also the week of members' activity (src/demo/activity.ts) when there is no
// member yet. Idempotent: what is already there is left as it is. `npm start` does both by itself on
// a fresh install (DEMO).
import { loadConfigOrExit } from '../src/config.js';
import { generateDemoActivityIfNone } from '../src/demo/activity.js';
import { createLogger, createRuntime } from '../src/runtime.js';

const activity = process.argv.includes('--activity');
const { config } = loadConfigOrExit();
const logger = createLogger({ logLevel: 'warn' });
const rt = await createRuntime(config, { migrate: config.db.type === 'sqlite', schedule: false, logger });
try {
  const r = await rt.services.catalogImport.seedDemo(config.demoDataDir);
  console.log(`demo catalog from ${r.dir}`);
  console.log(`genres: ${r.genres.inserted} inserted, ${r.genres.unchanged} already there`);
  console.log(`people: ${r.people.inserted} inserted, ${r.people.unchanged} already there`);
  console.log(`movies: ${r.movies.inserted} inserted, ${r.movies.unchanged} already there`);
  console.log(`links:  ${r.genreLinks} movie genres, ${r.credits} credits`);
  for (const i of r.issues) console.log(`  ${i.file} id ${i.line}: ${i.reason}`);
  const c = await rt.services.cinemas.seedDemoIfEmpty(config.demoDataDir);
  if (c) console.log(`cinemas: ${c.cinemas} inserted; showtimes: ${c.showtimes} for today (${c.skippedUnknownMovie} name no movie of ours)`);
  if (activity) {
    const a = await generateDemoActivityIfNone(rt);
    if (a.status === 'skipped') console.log(`activity: skipped (${a.reason})`);
    else {
      const w = a.report;
      console.log(`activity: ${w.days[0]} … ${w.days.at(-1)} in ${(w.ms / 1000).toFixed(1)} s`);
      console.log(`  ${w.members} members, ${w.methods} payment methods, ${w.payments.paid} payments (${w.payments.failed} failed), ${w.renewals.charged} renewals (${w.renewals.failed} failed attempts)`);
      console.log(`  refunds: ${w.refunds.completed} completed, ${w.refunds.pending} pending; coupons: ${w.coupons.issued} issued, ${w.coupons.used} used`);
      console.log(`  ${w.ratings} ratings, ${w.cinemaReviews} cinema reviews, ${w.contents} contents, ${w.watchEvents} watch events${w.contentsSkipped ? ` (contents skipped: ${w.contentsSkipped})` : ''}`);
      console.log(`  statistics computed for the 7 days; recommendations ${w.recommendations.status} for ${w.recommendations.users} members`);
    }
  }
} catch (err) {
  console.error(`seed failed: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  await rt.close();
}
