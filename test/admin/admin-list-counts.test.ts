// The panel's list of a big table does not count the whole table on every page (issue 16): the
// audit log's and the payments' resources answer AdminJS's count(filter) from the primary key's
// span when unfiltered and "more than COUNT_CAP" when a filter matches more rows than that; small
// results are still counted exactly. Live MariaDB, 10k+ audit rows.
import { Filter } from 'adminjs';
import { BoundedCountResource, COUNT_CAP } from '../../admin/resources/adapters.js';
import { auditLogResource } from '../../admin/resources/audit-log.js';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { createTestContext, type TestContext } from '../support/context.js';

let ctx: TestContext;
let resource: BoundedCountResource;

beforeAll(async () => {
  ctx = await createTestContext({ redis: false });
  resource = auditLogResource().resource as BoundedCountResource;
  const rows = Array.from({ length: COUNT_CAP + 50 }, (_, k) => ({ action: 'update', resource: k < 20 ? 'rare' : 'movies', recordId: String(k) }));
  for (let i = 0; i < rows.length; i += 2000) await ctx.rt.ds.createQueryBuilder().insert().into(AuditEntry).values(rows.slice(i, i + 2000)).updateEntity(false).execute();
}, 120_000);
afterAll(async () => {
  await ctx?.close();
});

const filter = (filters: Record<string, unknown> = {}) => new Filter(filters as never, resource as never);

it('the audit log list uses the bounded count', () => {
  expect(resource).toBeInstanceOf(BoundedCountResource);
});

it('unfiltered: the primary key span (exact for an append-only table), not COUNT(*)', async () => {
  const exact = await ctx.rt.ds.getRepository(AuditEntry).count();
  expect(await resource.count(filter())).toBe(exact);
  // A hole in the ids shows that the span is answered (an upper bound), not a count.
  const [{ id }] = await ctx.rt.ds.query('SELECT MAX(id) - 5 AS id FROM audit_log');
  await ctx.rt.ds.getRepository(AuditEntry).delete({ id: Number(id) });
  expect(await resource.count(filter())).toBe(exact);
});

it('filtered: "more than COUNT_CAP" past the cap, exact below it', async () => {
  expect(await resource.count(filter({ resource: 'movies' }))).toBe(COUNT_CAP + 1);
  expect(await resource.count(filter({ resource: 'rare' }))).toBe(20);
  const page = await resource.find(filter({ resource: 'movies' }), { limit: 10, offset: 0, sort: { sortBy: 'id', direction: 'desc' } });
  expect(page).toHaveLength(10);
});

it('first page and a filtered page (count + rows) in well under 300 ms', async () => {
  for (const f of [{}, { resource: 'movies' }]) {
    const t0 = performance.now();
    await Promise.all([resource.count(filter(f)), resource.find(filter(f), { limit: 10, offset: 0, sort: { sortBy: 'id', direction: 'desc' } })]);
    expect(performance.now() - t0).toBeLessThan(300);
  }
});
