// Admin list timings: what AdminJS's list action asks the resource for one page — count(filter)
// for the pagination and find(filter, {limit, offset, sort}) for the rows — on the panel's own
// resource classes (admin/resources), unfiltered and with a filter, median of 5.
import { Filter } from 'adminjs';
import { BoundedCountResource, MovieResource } from '../../admin/resources/adapters.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { Payment } from '../../src/modules/commerce/commerce.entities.js';
import { Movie } from '../../src/modules/catalog/movie.entity.js';
import type { Runtime } from '../../src/runtime.js';

export interface AdminTiming {
  resource: string;
  rows: number;
  firstPageMs: number;
  filteredMs: number;
  /** Page 2,000 of the unfiltered list (offset 19,990). */
  deepPageMs: number;
  filter: string;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function listMs(resource: BoundedCountResource, filters: Record<string, unknown>, sortBy: string, offset = 0): Promise<number> {
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    const t0 = performance.now();
    const filter = new Filter(filters as never, resource as never);
    await Promise.all([resource.count(filter), resource.find(filter, { limit: 10, offset, sort: { sortBy, direction: 'desc' } })]);
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function adminListTimings(rt: Runtime): Promise<AdminTiming[]> {
  const out: AdminTiming[] = [];
  const tables: Array<[string, BoundedCountResource, Record<string, unknown>, string]> = [
    ['movies', new MovieResource(Movie, (genreId) => rt.services.catalog.inGenreCondition(genreId)), { watchGrade: '15세 관람가' }, 'watchGrade=15세 관람가'],
    ['payments', new BoundedCountResource(Payment), { status: 'paid' }, 'status=paid'],
    ['audit_log', new BoundedCountResource(AuditEntry), { resource: 'movies' }, 'resource=movies'],
  ];
  for (const [name, resource, filters, label] of tables) {
    const rows = Number((await rt.ds.query(`SELECT COUNT(*) AS n FROM ${name === 'audit_log' ? rt.ds.getMetadata(AuditEntry).tableName : rt.ds.getMetadata(name === 'movies' ? Movie : Payment).tableName}`))[0].n);
    out.push({ resource: name, rows, firstPageMs: await listMs(resource, {}, 'id'), filteredMs: await listMs(resource, filters, 'id'), deepPageMs: await listMs(resource, {}, 'id', 19_990), filter: label });
  }
  return out;
}
