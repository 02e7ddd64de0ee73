// Generic reads of an entity's table that the panel's lists need and that no module owns: the
// primary-key span a list shows as its count (admin/resources/adapters.ts BoundedCountResource)
// and pages of raw columns for the CSV export (admin/export.ts), each value hydrated as TypeORM
// hydrates it in an entity. The panel asks here instead of building queries itself (rule 9).
import type { FindManyOptions, ObjectLiteral, Repository } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

/** MAX(id) − MIN(id) + 1 over a single-column primary key (0 for an empty table), or null for a composite key. */
export async function primaryKeySpan(repo: Repository<ObjectLiteral>): Promise<number | null> {
  const keys = repo.metadata.primaryColumns;
  if (keys.length !== 1) return null;
  const id = keys[0]!.propertyName;
  const row = await repo.createQueryBuilder('t').select(`MIN(t.${id})`, 'lo').addSelect(`MAX(t.${id})`, 'hi').getRawOne<{ lo: unknown; hi: unknown }>();
  return row?.hi == null ? 0 : Number(row.hi) - Number(row.lo) + 1;
}

/**
 * The rows `find` selects (its where, order, limit and offset), as raw rows of just `columns`,
 * named c0…cN in that order (no entity is made). Read a cell with `hydrator`.
 */
export function rawColumnRows(repo: Repository<ObjectLiteral>, find: FindManyOptions<ObjectLiteral>, columns: readonly ColumnMetadata[]): Promise<Array<Record<string, unknown>>> {
  const qb = repo.createQueryBuilder('e').setFindOptions({ ...find, loadEagerRelations: false });
  qb.select([]);
  columns.forEach((c, i) => qb.addSelect(`${qb.escape('e')}.${qb.escape(c.databaseName)}`, `c${i}`));
  return qb.getRawMany();
}

/** Turns a raw value of a column into what TypeORM puts in an entity (dates, numbers, JSON, booleans, by driver). */
export function hydrator(repo: Repository<ObjectLiteral>): (value: unknown, column: ColumnMetadata) => unknown {
  const driver = repo.manager.connection.driver;
  return (value, column) => driver.prepareHydratedValue(value, column);
}
