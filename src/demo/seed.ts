// The demo of a fresh install: the demo data set (data/demo/: catalog, cinemas, today's showtimes),
// loaded through the catalog and cinemas services. `npm start` runs it before the first answer when
// the catalog is empty (DEMO, see src/config.ts); `npm run seed:demo` runs it on demand.
import type { Logger } from 'pino';
import type { DemoSeedIfEmptyResult } from '../modules/catalog/import.service.js';
import type { DemoSeedReport as CinemasReport } from '../modules/cinemas/demo-seed.js';
import type { Services } from '../runtime.js';

export interface DemoCatalogResult {
  catalog: DemoSeedIfEmptyResult;
  /** null when the catalog was not seeded now, or the cinema files are missing. */
  cinemas: CinemasReport | null;
}

/** The demo catalog, cinemas and today's showtimes when the catalog is empty; nothing otherwise. */
export async function seedDemoCatalogIfEmpty(services: Pick<Services, 'catalogImport' | 'cinemas'>, demoDir: string): Promise<DemoCatalogResult> {
  const catalog = await services.catalogImport.seedDemoIfEmpty(demoDir);
  const cinemas = catalog.status === 'seeded' ? await services.cinemas.seedDemoIfEmpty(demoDir) : null;
  return { catalog, cinemas };
}

/** One log line per outcome (the start-up log). */
export function logDemoCatalog(logger: Logger, r: DemoCatalogResult): void {
  if (r.catalog.status === 'seeded') {
    const c = r.catalog.report;
    logger.info({ dir: c.dir, issues: c.issues.length }, `demo catalog loaded: ${c.movies.inserted} movies, ${c.genres.inserted} genres, ${c.people.inserted} people`);
    if (r.cinemas) logger.info(r.cinemas, `demo cinemas loaded: ${r.cinemas.cinemas} cinemas, ${r.cinemas.showtimes} showtimes today`);
  } else if (r.catalog.status === 'missing') {
    logger.warn({ dir: r.catalog.dir, missing: r.catalog.files }, 'demo data not found: starting with an empty catalog (DEMO_DATA_DIR names the demo data folder)');
  }
}
