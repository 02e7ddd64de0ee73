// Two small extensions of the TypeORM adapter for the catalog resources:
// - MovieResource understands a `genre` filter (movies of a genre, through movie_genres) as a
//   sub-query, so the list never loads the join table into memory;
// - CompositeKeyResource gives the join entities (movie_genres, movie_credits), whose primary key
//   has several columns, a record id of their own ("12-3", "12-7-director"). The stock adapter
//   takes the first key column as the id, which would make "movie 12" stand for any of its rows.
import { Resource as TypeormResource } from '@adminjs/typeorm';
import { BaseProperty, BaseRecord, ValidationError, type Filter } from 'adminjs';
import { And, Equal, Raw, type BaseEntity, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';
import { MovieGenre } from '../../src/modules/catalog/movie.entity.js';

type Entity = typeof BaseEntity;
type Params = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FilterEntry = { path: string; property: any; value: any; custom?: unknown };

const positiveInt = (v: unknown): number => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 && n <= 2147483647 ? n : -1;
};

const dateOnly = (params: Params, key: string): Params => {
  const v = params[key];
  return v instanceof Date && !Number.isNaN(v.getTime()) ? { ...params, [key]: v.toISOString().slice(0, 10) } : params;
};

/** A copy of the filter with other entries (the adapter only reads `filters`). */
const withFilters = (filter: Filter, filters: Record<string, FilterEntry>): Filter => ({ ...filter, filters }) as unknown as Filter;

/** Above this many rows a list's total is an estimate (unfiltered) or "more than" (filtered). */
export const COUNT_CAP = 10_000;

/**
 * The stock adapter without a full COUNT(*) on every list page of a big table: AdminJS asks
 * `count(filter)` for the pagination of each page, which on a million rows costs more than the page.
 * - unfiltered: MAX(id) − MIN(id) + 1 over the primary key (two index reads; exact for an
 *   append-only table such as payments or the audit log, an upper bound after deletes), counted
 *   exactly when that is at most COUNT_CAP;
 * - filtered: whether a row exists at offset COUNT_CAP in the list's own order (the scan stops
 *   there): if so the total shown is COUNT_CAP + 1 ("more than 10,000"), else the exact count.
 */
export class BoundedCountResource extends TypeormResource {
  constructor(private readonly boundedEntity: Entity) {
    super(boundedEntity);
  }

  override async count(filter: Filter): Promise<number> {
    return boundedCount(this, this.boundedEntity, filter, (f) => super.count(f), (f, p) => super.find(f, p));
  }
}

async function boundedCount(
  resource: TypeormResource,
  entity: Entity,
  filter: Filter,
  exact: (f: Filter) => Promise<number>,
  find: (f: Filter, p: { limit: number; offset: number; sort: { sortBy: string; direction: 'asc' | 'desc' } }) => Promise<unknown[]>,
): Promise<number> {
  const filtered = Object.keys((filter?.filters ?? {}) as object).length > 0;
    if (!filtered) {
      const repo = entity.getRepository();
      const id = repo.metadata.primaryColumns.length === 1 ? repo.metadata.primaryColumns[0]!.databaseName : null;
      if (id) {
        const [row] = await repo.query(`SELECT MIN(${repo.manager.connection.driver.escape(id)}) AS lo, MAX(${repo.manager.connection.driver.escape(id)}) AS hi FROM ${repo.manager.connection.driver.escape(repo.metadata.tableName)}`);
        const span = row?.hi == null ? 0 : Number(row.hi) - Number(row.lo) + 1;
        if (span > COUNT_CAP) return span;
      }
      return exact(filter);
    }
  const beyond = await find(filter, { limit: 1, offset: COUNT_CAP, sort: { sortBy: resource.idName(), direction: 'desc' } });
  return beyond.length ? COUNT_CAP + 1 : exact(filter);

}

export class MovieResource extends BoundedCountResource {
  /**
   * `titlesWritten`: told the ids of movies the panel created, edited or deleted, right after the
   * row write (the catalog re-reads them into its title index — search).
   */
  constructor(
    private readonly movieEntity: Entity,
    private readonly titlesWritten: (ids: number[]) => Promise<void> = async () => {},
  ) {
    super(movieEntity);
  }

  override find(filter: Filter, params: unknown) {
    return super.find(this.genreFilter(filter), params);
  }

  override count(filter: Filter) {
    return super.count(this.genreFilter(filter));
  }

  // AdminJS turns the date-only openDate into a Date (UTC midnight); store that UTC day, whatever
  // the process time zone.
  override async create(params: Params) {
    const created = await super.create(dateOnly(params, 'openDate'));
    await this.titlesWritten([Number((created as { id?: unknown }).id)]);
    return created;
  }

  override async update(pk: string | number, params: Params = {}) {
    const updated = await super.update(pk, dateOnly(params, 'openDate'));
    await this.titlesWritten([Number(pk)]);
    return updated;
  }

  override async delete(pk: string | number) {
    await super.delete(pk);
    await this.titlesWritten([Number(pk)]);
  }

  /** `filters.genre=<id>` → `id IN (SELECT movie_id FROM movie_genres WHERE genre_id = :id)` (uses ix_movie_genres_genre). */
  private genreFilter(filter: Filter): Filter {
    const entries = (filter?.filters ?? {}) as Record<string, FilterEntry>;
    const genre = entries.genre;
    if (!genre) return filter;
    const { genre: _g, ...rest } = entries;
    const ds = this.movieEntity.getRepository().manager.connection;
    const meta = ds.getMetadata(MovieGenre);
    const q = (name: string) => ds.driver.escape(name);
    const col = (prop: string) => q(meta.findColumnWithPropertyName(prop)!.databaseName);
    const inGenre = Raw((alias) => `${alias} IN (SELECT ${col('movieId')} FROM ${q(meta.tableName)} WHERE ${col('genreId')} = :adminGenreId)`, {
      adminGenreId: positiveInt(genre.value),
    });
    const idEntry = rest.id;
    rest.id = {
      ...(idEntry ?? { path: 'id', property: this.property('id'), value: null }),
      custom: idEntry ? And(Equal(positiveInt(idEntry.value)), inGenre) : inGenre,
    };
    return withFilters(filter, rest);
  }
}

/**
 * The stock adapter, telling `written` after each create, update and delete (genres, people and
 * companies: their names show in every linked movie's public projection, so the catalog's read
 * caches are dropped in every process).
 */
export class NotifyingResource extends TypeormResource {
  constructor(
    entity: Entity,
    private readonly written: () => Promise<void> | void,
  ) {
    super(entity);
  }

  override async create(params: Params) {
    const created = await super.create(params);
    await this.written();
    return created;
  }

  override async update(pk: string | number, params: Params = {}) {
    const updated = await super.update(pk, params);
    await this.written();
    return updated;
  }

  override async delete(pk: string | number) {
    await super.delete(pk);
    await this.written();
  }
}

/** A property of the adapter that is not the record id (its column still is a key column). */
function notId<T extends object>(property: T): T {
  return Object.assign(Object.create(property) as T, { isId: () => false });
}

export class CompositeKeyResource extends TypeormResource {
  static readonly KEY = 'key';
  private readonly keyProperty = new BaseProperty({ path: CompositeKeyResource.KEY, type: 'string', isId: true, isSortable: false });
  private readonly props: BaseProperty[];

  /**
   * keyColumns: the entity's primary-key properties, in the order they appear in the record id.
   * `written`: told the rows (before and after) of each create, update and delete.
   */
  constructor(
    private readonly entity: Entity,
    private readonly keyColumns: string[],
    private readonly written: (rows: Params[]) => Promise<void> | void = () => {},
  ) {
    super(entity);
    this.props = [this.keyProperty, ...super.properties().map((p) => (p.isId() ? notId(p) : p))];
  }

  override properties() {
    return this.props as ReturnType<TypeormResource['properties']>;
  }

  override property(path: string) {
    return this.props.find((p) => p.path() === path) as ReturnType<TypeormResource['property']>;
  }

  private get repo() {
    return this.entity.getRepository();
  }

  private isNumeric(prop: string): boolean {
    const type = this.repo.metadata.findColumnWithPropertyName(prop)?.type;
    return type === 'int' || type === Number;
  }

  keyOf(values: Params): string {
    return this.keyColumns.map((c) => String(values[c])).join('-');
  }

  /** The where clause of a record id, or null when the id is not one of ours. */
  whereOf(key: string | number): FindOptionsWhere<ObjectLiteral> | null {
    const parts = String(key).split('-');
    if (parts.length !== this.keyColumns.length || parts.some((p) => p === '')) return null;
    const where: Params = {};
    for (const [i, c] of this.keyColumns.entries()) {
      if (this.isNumeric(c)) {
        const n = positiveInt(parts[i]);
        if (n < 0) return null;
        where[c] = n;
      } else where[c] = parts[i];
    }
    return where as FindOptionsWhere<ObjectLiteral>;
  }

  /** Column values of a payload, typed (numbers for int columns); unknown keys are dropped. */
  private columnValues(params: Params): Params {
    const out: Params = {};
    for (const col of this.repo.metadata.columns) {
      const v = params[col.propertyName];
      if (v === undefined) continue;
      out[col.propertyName] = v === null || v === '' ? null : this.isNumeric(col.propertyName) ? Number(v) : v;
    }
    return out;
  }

  private toRecord(values: object): BaseRecord {
    const params: Params = { ...values };
    return new BaseRecord({ ...params, [CompositeKeyResource.KEY]: this.keyOf(params) }, this);
  }

  private plainFilter(filter: Filter): Filter {
    const entries = (filter?.filters ?? {}) as Record<string, FilterEntry>;
    if (!(CompositeKeyResource.KEY in entries)) return filter;
    const { [CompositeKeyResource.KEY]: _k, ...rest } = entries;
    return withFilters(filter, rest);
  }

  override async find(filter: Filter, params: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } }) {
    // The adapter orders by one column: the requested one when it is a column, else the first key column.
    const sortBy = params.sort?.sortBy && this.repo.metadata.findColumnWithPropertyName(params.sort.sortBy) ? params.sort.sortBy : this.keyColumns[0];
    const records = await super.find(this.plainFilter(filter), { ...params, sort: { sortBy, direction: params.sort?.direction ?? 'asc' } });
    return records.map((r) => this.toRecord(r.params));
  }

  override count(filter: Filter) {
    return super.count(this.plainFilter(filter));
  }

  override async findOne(id: string | number) {
    const where = this.whereOf(id);
    if (!where) return null;
    const row = await this.repo.findOneBy(where);
    return row ? this.toRecord(row) : null;
  }

  override async findMany(ids: Array<string | number>) {
    const wheres = ids.map((id) => this.whereOf(id)).filter((w): w is FindOptionsWhere<ObjectLiteral> => !!w);
    if (!wheres.length) return [];
    return (await this.repo.findBy(wheres)).map((r) => this.toRecord(r));
  }

  private duplicate(): ValidationError {
    const last = this.keyColumns[this.keyColumns.length - 1];
    return new ValidationError({ [last]: { type: 'duplicate', message: 'This link already exists.' } }, { type: 'duplicate', message: 'This link already exists.' });
  }

  override async create(params: Params) {
    const values = this.columnValues(params);
    const key = this.keyOf(values);
    const where = this.whereOf(key);
    if (!where) throw new ValidationError(Object.fromEntries(this.keyColumns.filter((c) => values[c] == null).map((c) => [c, { type: 'required', message: 'Required' }])));
    if (await this.repo.existsBy(where)) throw this.duplicate();
    await this.repo.insert(values);
    await this.written([values]);
    return { ...values, [CompositeKeyResource.KEY]: key };
  }

  /** Changing a key column moves the row: delete + insert in one transaction. */
  override async update(pk: string | number, params: Params = {}) {
    const where = this.whereOf(pk);
    const current = where ? await this.repo.findOneBy(where) : null;
    if (!where || !current) throw new ValidationError({}, { type: 'notFound', message: 'The record does not exist any more.' });
    const next = { ...this.columnValues({ ...current }), ...this.columnValues(params) };
    const key = this.keyOf(next);
    const nextWhere = this.whereOf(key);
    if (!nextWhere) throw new ValidationError(Object.fromEntries(this.keyColumns.filter((c) => next[c] == null).map((c) => [c, { type: 'required', message: 'Required' }])));
    await this.repo.manager.transaction(async (m) => {
      if (key === String(pk)) {
        const rest = Object.fromEntries(Object.entries(next).filter(([k]) => !this.keyColumns.includes(k)));
        if (Object.keys(rest).length) await m.update(this.entity, where, rest);
        return;
      }
      if (await m.existsBy(this.entity, nextWhere)) throw this.duplicate();
      await m.delete(this.entity, where);
      await m.insert(this.entity, next);
    });
    await this.written([current as unknown as Params, next]);
    return { ...next, [CompositeKeyResource.KEY]: key };
  }

  override async delete(pk: string | number) {
    const where = this.whereOf(pk);
    if (!where) return;
    await this.repo.delete(where);
    await this.written([where as Params]);
  }
}
