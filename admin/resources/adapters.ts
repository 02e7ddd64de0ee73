// Two small read-only extensions of the TypeORM adapter for the catalog resources (every write
// goes through the catalog service; these refuse create/update/delete):
// - MovieResource understands a `genre` filter (movies of a genre) through the catalog's
//   sub-query condition, so the list never loads the join table into memory;
// - CompositeKeyResource gives the join entities (movie_genres, movie_credits), whose primary key
//   has several columns, a record id of their own ("12-3", "12-7-director"). The stock adapter
//   takes the first key column as the id, which would make "movie 12" stand for any of its rows.
import { Resource as TypeormResource } from '@adminjs/typeorm';
import { primaryKeySpan } from '../../src/db/table-reads.js';
import { BaseProperty, BaseRecord, ValidationError, type Filter } from 'adminjs';
import { And, Equal, In, type BaseEntity, type FindOperator, type FindOptionsWhere, type ObjectLiteral } from 'typeorm';

type Entity = typeof BaseEntity;
type Params = Record<string, unknown>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FilterEntry = { path: string; property: any; value: any; custom?: unknown };

const positiveInt = (v: unknown): number => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 && n <= 2147483647 ? n : -1;
};

/** A copy of the filter with other entries (the adapter only reads `filters`). */
const withFilters = (filter: Filter, filters: Record<string, FilterEntry>): Filter => ({ ...filter, filters }) as unknown as Filter;

/**
 * The stock adapter, reading only: the panel writes through the owning services (admin/service-form.ts),
 * so a write reaching the adapter is refused rather than done behind the services' backs.
 */
export class ReadOnlyResource extends TypeormResource {
  override async create(): Promise<never> {
    throw readOnly();
  }

  override async update(): Promise<never> {
    throw readOnly();
  }

  override async delete(): Promise<never> {
    throw readOnly();
  }
}
const readOnly = () => new ValidationError({}, { type: 'readOnly', message: 'Written by the owning service, not by the adapter.' });

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
export class BoundedCountResource extends ReadOnlyResource {
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
    const span = await primaryKeySpan(entity.getRepository());
    if (span !== null && span > COUNT_CAP) return span;
    return exact(filter);
  }
  const beyond = await find(filter, { limit: 1, offset: COUNT_CAP, sort: { sortBy: resource.idName(), direction: 'desc' } });
  return beyond.length ? COUNT_CAP + 1 : exact(filter);
}

export class MovieResource extends BoundedCountResource {
  /**
   * `inGenre`: the catalog's condition "the movie is in genre N" (CatalogService.inGenreCondition);
   * `search`: the product's title search (the same index as GET /search/movie/: words without
   * spaces, 초성, English titles) — the movie ids a query finds, best first.
   */
  constructor(
    movieEntity: Entity,
    private readonly inGenre: (genreId: number) => FindOperator<unknown>,
    private readonly search?: (query: string) => Promise<number[]>,
  ) {
    super(movieEntity);
  }

  override async find(filter: Filter, params: unknown) {
    return super.find(await this.prepare(filter), params);
  }

  override async count(filter: Filter) {
    return super.count(await this.prepare(filter));
  }

  private async prepare(filter: Filter): Promise<Filter> {
    return this.titleSearch(this.genreFilter(filter));
  }

  /** An extra condition on the id column, with any id filter already there. */
  private withIdCondition(filter: Filter, entries: Record<string, FilterEntry>, condition: FindOperator<unknown>): Filter {
    const idEntry = entries.id;
    const prior = idEntry?.custom as FindOperator<unknown> | undefined;
    entries.id = {
      ...(idEntry ?? { path: 'id', property: this.property('id'), value: null }),
      custom: prior ? And(prior as FindOperator<number>, condition as FindOperator<number>) : idEntry ? And(Equal(positiveInt(idEntry.value)), condition as FindOperator<number>) : condition,
    };
    return withFilters(filter, entries);
  }

  /** `filters.genre=<id>` → the movie ids of that genre, as a sub-query the catalog builds. */
  private genreFilter(filter: Filter): Filter {
    const entries = (filter?.filters ?? {}) as Record<string, FilterEntry>;
    const genre = entries.genre;
    if (!genre) return filter;
    const { genre: _g, ...rest } = entries;
    return this.withIdCondition(filter, rest, this.inGenre(positiveInt(genre.value)));
  }

  /** `filters.name=<words>` (the list's search box, reference pickers) → the ids the title search finds. */
  private async titleSearch(filter: Filter): Promise<Filter> {
    const entries = (filter?.filters ?? {}) as Record<string, FilterEntry>;
    const name = entries.name;
    if (!this.search || !name || typeof name.value !== 'string' || !name.value.trim()) return filter;
    const { name: _n, ...rest } = entries;
    const ids = await this.search(name.value);
    return this.withIdCondition(filter, rest, In(ids.length ? ids : [-1]));
  }
}

/** A property of the adapter that is not the record id (its column still is a key column). */
function notId<T extends object>(property: T): T {
  return Object.assign(Object.create(property) as T, { isId: () => false });
}

export class CompositeKeyResource extends ReadOnlyResource {
  static readonly KEY = 'key';
  private readonly keyProperty = new BaseProperty({ path: CompositeKeyResource.KEY, type: 'string', isId: true, isSortable: false });
  private readonly props: BaseProperty[];

  /** keyColumns: the entity's primary-key properties, in the order they appear in the record id. */
  constructor(
    private readonly entity: Entity,
    private readonly keyColumns: string[],
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
}
