// CSV export of any panel list (issue 14 §5):
//
//   GET /admin/export/<resourceId>.csv?filters.status=paid&sortBy=createdAt&direction=desc
//
// - who: a signed-in staff member whose role may list the resource — the resource's own `list`
//   action's isAccessible, which is the role table (admin/access.ts `permit`); otherwise 403;
// - what: the rows of that list with the list's filters and sort (the same query string the list
//   page has), read through the resource itself, so a masked resource (member lookup) exports
//   masked values exactly as the role sees the list; the columns are the list's columns;
// - how: UTF-8 with a BOM (Excel), CRLF, streamed: pages of EXPORT_PAGE raw rows or RECORD_PAGE
//   records read in a stable order (keyset on sort column + primary key where the sort column is
//   never null, offset pages otherwise), each page written as one chunk with backpressure
//   (res.write → 'drain'); a client that goes away stops the reads;
// - memory that does not grow with the rows (bench/export.ts: +1–4 MiB peak RSS for 100k and for
//   300k rows): a page is garbage before the young generation is collected twice, so nothing is
//   promoted to the old space (little is made per row, and record pages are small). A resource whose `find` is the stock
//   adapter's is read as raw rows of just the list's columns (rawColumnsOf; no entity, no
//   BaseRecord); a resource with a `find` of its own (masking, row rules) is read through it, as
//   the list is. Dates are formatted without an Intl call per value (csvDateTime).
// - audited: one audit entry per export (who, resource, filters, sort, rows written).
//
// Cells that start with = + - @ (or a tab / CR) are prefixed with ' so a spreadsheet never runs
// them as formulas (CSV injection).
import type { Request, Response, Router } from 'express';
import type AdminJS from 'adminjs';
import { BaseRecord, Filter, ViewHelpers, flat, type ActionContext, type BaseResource, type CurrentAdmin, type ResourceOptions, type ResourceWithOptions } from 'adminjs';
import { Resource as TypeormResource } from '@adminjs/typeorm';
import { And, Equal, LessThan, MoreThan, type EntityMetadata, type FindOperator, type ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import type { Runtime } from '../src/runtime.js';
import { hydrator, rawColumnRows } from '../src/db/table-reads.js';
import { formatDateTime } from './components/format.js';
import type { AdminSessionUser } from './access.js';
import { panelLanguageOf, panelText } from './locale/index.js';

/** Rows per read of a list read as raw rows: one row costs little, and a list sorted by a column without an index sorts once per read. */
export const EXPORT_PAGE = 2_000;
/**
 * Rows per read of a list read through its records (entities → BaseRecords, a few kB a row): a
 * page of 2,000 outlived two young-generation collections and was promoted (+72 MiB peak RSS for
 * 100k rows); 500 a page stays young (+0.5 MiB), in the same time (bench/export.ts).
 */
export const RECORD_PAGE = 500;
const BOM = '\uFEFF';

type Where = Record<string, unknown>;
type Sort = { sortBy?: string; direction: 'asc' | 'desc' };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = any;

const QUARTER_HOUR = 900_000;
const DAY = 86_400_000;
const zoneOffsets = new Map<string, Map<number, { offset: number; label: string; safe: boolean } | null>>();
const dayPrefixes = new Map<number, string>();
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

/** The zone's offset (ms, local − UTC) and label at an instant, from the panel's own formatting. */
function offsetAt(t: number, zone: string): { offset: number; label: string; safe: boolean } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) (.+)$/.exec(formatDateTime(new Date(t), zone, true));
  if (!m) return null;
  return { offset: Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) - Math.floor(t / 1000) * 1000, label: m[7]!, safe: /^[\w+\-:]+$/.test(m[7]!) };
}

/** "YYYY-MM-DD " of a local day number (days since 1970-01-01), cached. */
function dayPrefix(day: number): string {
  let p = dayPrefixes.get(day);
  if (p === undefined) {
    const d = new Date(day * DAY);
    p = `${d.getUTCFullYear()}-${TWO_DIGITS[d.getUTCMonth() + 1]}-${TWO_DIGITS[d.getUTCDate()]} `;
    if (dayPrefixes.size >= 50_000) dayPrefixes.clear();
    dayPrefixes.set(day, p);
  }
  return p;
}

/** The cached offset of the quarter hour of t in a zone, or null when it changes within it (or cannot be read). */
function quarterOf(t: number, zone: string) {
  let byBucket = zoneOffsets.get(zone);
  if (!byBucket) zoneOffsets.set(zone, (byBucket = new Map()));
  const bucket = Math.floor(t / QUARTER_HOUR);
  let known = byBucket.get(bucket);
  if (known === undefined) {
    const start = offsetAt(bucket * QUARTER_HOUR, zone);
    const end = offsetAt(bucket * QUARTER_HOUR + QUARTER_HOUR - 1000, zone);
    known = start && end && start.offset === end.offset && start.label === end.label ? start : null;
    if (byBucket.size >= 50_000) byBucket.clear();
    byBucket.set(bucket, known);
  }
  return known;
}

/**
 * formatDateTime(d, zone, true) — "2026-11-01 12:00:00 KST" — without an Intl call per value: the
 * zone's offset and label are those of the value's quarter hour (cached), used only when they are
 * the same at both ends of it (a quarter hour that holds a zone transition, or a year outside
 * 1000–9999, is formatted by formatDateTime itself); the day part is cached too. An export formats
 * two dates a row: through Intl's formatToParts that was most of its time and of its garbage.
 */
export function csvDateTime(d: Date, zone: string): string {
  return dateText(d, zone).text;
}

/** csvDateTime's text, and whether it is plain (the zone's label is: no quoting or defusing needed, it starts with a digit). */
function dateText(d: Date, zone: string): { text: string; plain: boolean } {
  const t = d.getTime();
  const known = Number.isNaN(t) ? null : quarterOf(t, zone);
  if (!known) return { text: formatDateTime(d, zone, true), plain: false };
  const local = Math.floor(t / 1000) * 1000 + known.offset;
  if (local < -30_610_224_000_000 || local >= 253_402_300_800_000) return { text: formatDateTime(d, zone, true), plain: false }; // years 1000–9999
  const day = Math.floor(local / DAY);
  const second = (local - day * DAY) / 1000;
  const hour = Math.floor(second / 3600);
  const minute = Math.floor((second % 3600) / 60);
  return { text: dayPrefix(day) + TWO_DIGITS[hour] + ':' + TWO_DIGITS[minute] + ':' + TWO_DIGITS[second % 60] + ' ' + known.label, plain: known.safe };
}

/** One CSV cell: quoted when needed, formula-looking text defused. */
export function csvCell(value: unknown, zone: string): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (value instanceof Date) {
    const date = dateText(value, zone);
    if (date.plain) return date.text;
    s = date.text;
  }
  else if (typeof value === 'object') s = JSON.stringify(value);
  else s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Whether the fast path reads raw rows (tests turn it off to compare with the resource path). */
export const exportSettings = { rawRows: true };

type Cells = unknown[];
/** A page of rows and how to read a row's cells (made row by row as the page is written, so a page holds no cell arrays). */
type Page<R = unknown> = { rows: readonly R[]; cells: (row: R) => Cells };

/**
 * The list columns of a resource that may be read as raw rows instead of entities + BaseRecords,
 * or null when the resource must be read through its own records. Only a resource whose `find` is
 * the stock adapter's (the filter converted to a where, `model.find`, one BaseRecord per entity:
 * the entity flattened, no masking and no row rule of ours; subclasses that only bound `count` or
 * refuse writes qualify), with columns that are plain selected table columns of an entity that
 * no afterLoad hook rewrites: then a cell is the same `driver.prepareHydratedValue` TypeORM puts
 * in the entity that BaseRecord would flatten. A resource with a `find` of its own (the member
 * lookup masks in it, the movie list adds its genre and title search, the composite-key lists
 * make their own ids) always goes through its records.
 */
function rawColumnsOf(resource: BaseResource, columns: string[]): ColumnMetadata[] | null {
  if (!exportSettings.rawRows || !(resource instanceof TypeormResource) || resource.find !== TypeormResource.prototype.find) return null;
  const repo = (resource as unknown as { model: AnyModel }).model.getRepository();
  const meta: EntityMetadata = repo.metadata;
  if (meta.afterLoadListeners.length || meta.discriminatorColumn || meta.childEntityMetadatas.length || meta.embeddeds.length) return null;
  if (repo.manager.connection.subscribers.some((s: { afterLoad?: unknown }) => typeof s.afterLoad === 'function')) return null;
  const out: ColumnMetadata[] = [];
  for (const c of columns) {
    const column = meta.findColumnWithPropertyPath(c);
    if (!column || column.embeddedMetadata || column.relationMetadata || column.isVirtual || column.isVirtualProperty || !column.isSelect || column.propertyPath !== c) return null;
    out.push(column);
  }
  return out;
}

/**
 * Pages of a TypeORM-backed resource in a stable order, through the resource's own `find` (so its
 * filters, masking and row rules apply): a shadow of the resource whose model adds the primary
 * key as a tie-breaker and, when the sort column cannot be null, the keyset condition
 * (sort, id) after the previous page's last row instead of an OFFSET.
 *
 * With `raw` columns (rawColumnsOf) the shadow model takes the where the resource's find built
 * and reads just those columns (plus the keyset's) as raw rows with the same where, order and
 * limit, hydrated column by column as TypeORM hydrates an entity; the resource then gets no
 * entities, so no BaseRecord is made: a row costs one raw object and its cells.
 */
async function* typeormPages(resource: BaseResource, filter: Filter, sort: Sort, context: ActionContext, columns: string[]): AsyncGenerator<Page> {
  const model = (resource as unknown as { model: AnyModel }).model;
  const repo = model.getRepository();
  const meta: EntityMetadata = repo.metadata;
  const pk: string = meta.primaryColumns[0]!.propertyName;
  const sortBy = sort.sortBy && meta.findColumnWithPropertyName(sort.sortBy) ? sort.sortBy : pk;
  const sortColumn = meta.findColumnWithPropertyName(sortBy)!;
  const dir = sort.direction === 'asc' ? 'ASC' : 'DESC';
  const keyset = meta.primaryColumns.length === 1 && !sortColumn.isNullable;
  const raw = rawColumnsOf(resource, columns);
  const hydrate = hydrator(repo);
  // Selected as c0…cN (the list's columns), then the keyset's sort column and primary key.
  const selected = raw ? [...raw, sortColumn, meta.primaryColumns[0]!] : [];
  let rawPage: Array<Record<string, unknown>> = [];
  let last: ObjectLiteral | null = null;
  let offset = 0;
  const after = (v: unknown): FindOperator<unknown> => (dir === 'ASC' ? MoreThan(v) : LessThan(v));
  const both = (existing: unknown, op: FindOperator<unknown>) => (existing === undefined ? op : And(existing instanceof Object && 'type' in (existing as object) ? (existing as FindOperator<unknown>) : Equal(existing), op));
  const shadowModel = {
    find: async (opts: { where?: Where | Where[]; take?: number; skip?: number }) => {
      const base = (Array.isArray(opts.where) ? opts.where : [opts.where ?? {}]) as Where[];
      let where: Where[] = base;
      if (keyset && last) {
        const lastSort = last[sortBy];
        const lastId = last[pk];
        where = base.flatMap((w) =>
          sortBy === pk
            ? [{ ...w, [pk]: both(w[pk], after(lastId)) }]
            : [
                { ...w, [sortBy]: both(w[sortBy], after(lastSort)) },
                { ...w, [sortBy]: both(w[sortBy], Equal(lastSort)), [pk]: both(w[pk], after(lastId)) },
              ],
        );
      }
      const find = { where: where.length === 1 ? where[0] : where, take: opts.take, skip: keyset ? 0 : opts.skip, order: sortBy === pk ? { [pk]: dir } : { [sortBy]: dir, [pk]: dir } };
      if (!raw) {
        const rows: ObjectLiteral[] = await repo.find(find);
        if (rows.length) last = rows[rows.length - 1]!;
        return rows;
      }
      const rows = await rawColumnRows(repo, find, selected);
      const n = raw.length;
      rawPage = rows;
      if (rows.length) {
        const end = rows[rows.length - 1]!;
        last = { [sortBy]: hydrate(end[`c${n}`], sortColumn), [pk]: hydrate(end[`c${n + 1}`], meta.primaryColumns[0]!) };
      }
      return []; // no entities: the resource makes no records
    },
  };
  for (const key of ['getRepository', 'name', 'count', 'findOneBy', 'findBy']) (shadowModel as Record<string, unknown>)[key] = typeof model[key] === 'function' ? model[key].bind(model) : model[key];
  const shadow = Object.create(resource) as BaseResource & { model: unknown };
  shadow.model = shadowModel;
  const keys = selected.map((_, i) => `c${i}`);
  const cells: Cells = new Array(raw?.length ?? 0);
  const rawCells = (row: Record<string, unknown>) => {
    for (let i = 0; i < cells.length; i++) cells[i] = hydrate(row[keys[i]!], raw![i]!);
    return cells;
  };
  const limit = raw ? EXPORT_PAGE : RECORD_PAGE;
  for (;;) {
    const records = await shadow.find(filter, { limit, offset, sort: { sortBy, direction: sort.direction } }, context);
    const page: Page = raw ? { rows: rawPage, cells: rawCells as Page['cells'] } : { rows: records, cells: (r) => cellsOf(r as BaseRecord, columns) };
    rawPage = [];
    if (!page.rows.length) return;
    yield page;
    offset += page.rows.length;
    if (page.rows.length < limit) return;
  }
}

/** Any other resource: its own find, in offset pages. */
async function* offsetPages(resource: BaseResource, filter: Filter, sort: Sort, context: ActionContext, columns: string[]): AsyncGenerator<Page> {
  for (let offset = 0; ; offset += RECORD_PAGE) {
    const page = await resource.find(filter, { limit: RECORD_PAGE, offset, sort: sort.sortBy ? { sortBy: sort.sortBy, direction: sort.direction } : undefined }, context);
    if (!page.length) return;
    yield { rows: page, cells: (r) => cellsOf(r as BaseRecord, columns) };
    if (page.length < RECORD_PAGE) return;
  }
}

/** Writes with backpressure: waits for 'drain' when the socket buffer is full; false once the client is gone. */
async function write(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return false;
  if (!res.write(chunk)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
  return !res.destroyed;
}

/** The signed-in staff member of a panel request (the session's), if any. */
const currentAdminOf = (req: Request) => (req.session as unknown as { adminUser?: AdminSessionUser } | undefined)?.adminUser as CurrentAdmin | undefined;

export function mountExport(rt: Runtime, admin: AdminJS, router: Router): void {
  router.get('/export/:file', async (req: Request, res: Response, next) => {
    try {
      const m = /^([\w-]+)\.csv$/.exec(req.params.file ?? '');
      let resource: BaseResource | null = null;
      try {
        resource = m ? admin.findResource(m[1]!) : null;
      } catch {
        resource = null; // AdminJS throws for an unknown id
      }
      if (!m || !resource) {
        res.status(404).json({ detail: panelText(panelLanguageOf(currentAdminOf(req)), 'exportNoList') });
        return;
      }
      const currentAdmin = currentAdminOf(req);
      if (!currentAdmin) {
        res.status(401).json({ message: panelText(panelLanguageOf(currentAdmin), 'exportSignIn') });
        return;
      }
      const decorated = resource.decorate();
      const listAction = decorated.actions.list;
      const context = { resource, _admin: admin, h: new ViewHelpers({ options: admin.options }), currentAdmin, action: listAction, records: [] } as unknown as ActionContext;
      if (!listAction || !listAction.isAccessible(currentAdmin)) {
        res.status(403).json({ message: panelText(panelLanguageOf(currentAdmin), 'exportForbidden') });
        return;
      }
      const query = flat.unflatten(req.query as Record<string, unknown>) as { filters?: Record<string, unknown>; sortBy?: string; direction?: string };
      const filter = await new Filter(query.filters ?? {}, resource).populate(context);
      const listProps = decorated.getListProperties();
      const defaults: { sortBy?: string; direction?: string } = decorated.options.sort ?? {};
      const requested = query.sortBy && listProps.some((p) => p.name() === query.sortBy && p.isSortable()) ? query.sortBy : (defaults.sortBy ?? undefined);
      const sort: Sort = { sortBy: requested, direction: (query.direction ?? defaults.direction ?? 'desc') === 'asc' ? 'asc' : 'desc' };
      // A custom list (the member lookup's `q` search) exports through that list's own handler page by page.
      const q = typeof query.filters?.q === 'string' ? query.filters.q.trim() : '';
      const columns = listProps.map((p) => p.name());
      const zone = rt.config.serviceTimeZone;

      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${m[1]}-${new Date().toISOString().slice(0, 10)}.csv"`);
      res.setHeader('Cache-Control', 'no-store');
      res.setHeader('X-Content-Type-Options', 'nosniff');
      let rows = 0;
      let complete = false;
      let audited = false;
      const audit = async () => {
        if (audited) return;
        audited = true;
        const actor = currentAdmin as AdminSessionUser;
        await rt.services.audit.record({
          actor: { id: Number(actor.id), email: actor.email },
          action: 'export',
          resource: m[1]!,
          after: { format: 'csv', rows, complete, filters: query.filters ?? {}, sortBy: sort.sortBy ?? null, direction: sort.direction },
          reason: `CSV export of ${rows} row(s)${complete ? '' : ' (interrupted)'}`,
        });
      };
      try {
        if (!(await write(res, BOM + columns.map((c) => csvCell(c, zone)).join(',') + '\r\n'))) return;
        const pages = q
          ? searchPages(listAction, context, req, q, columns)
          : (resource as unknown as { model?: { getRepository?: unknown } }).model?.getRepository
            ? typeormPages(resource, filter, sort, context, columns)
            : offsetPages(resource, filter, sort, context, columns);
        for await (const page of pages) {
          // One string per page, written as one chunk: lines joined once, no string built by appending.
          const lines = new Array<string>(page.rows.length);
          for (let k = 0; k < lines.length; k++) {
            const cells = page.cells(page.rows[k]);
            let line = csvCell(cells[0], zone);
            for (let i = 1; i < cells.length; i++) line += ',' + csvCell(cells[i], zone);
            lines[k] = line;
          }
          rows += lines.length;
          if (!(await write(res, lines.join('\r\n') + '\r\n'))) return;
        }
        complete = true;
        // Recorded before the last byte goes out: whoever has the file, the audit log has the export.
        await audit();
        res.end();
      } finally {
        await audit();
      }
    } catch (err) {
      if (res.headersSent) {
        rt.logger.error({ err }, 'CSV export failed midway');
        res.destroy();
        return;
      }
      next(err);
    }
  });
}

/** A list with a custom handler (search): its handler's pages. */
async function* searchPages(listAction: { handler: (...args: never[]) => unknown }, context: ActionContext, req: Request, q: string, columns: string[]): AsyncGenerator<Page> {
  type Handler = (request: unknown, response: unknown, ctx: ActionContext) => Promise<{ records: Array<{ params: Record<string, unknown> }> }>;
  for (let page = 1; ; page++) {
    const request = { method: 'get', query: { ...(req.query as object), 'filters.q': q, page: String(page), perPage: '500' }, params: {} };
    const out = await (listAction as unknown as { handler: Handler }).handler(request, {}, context);
    const records = out.records.map((r) => new BaseRecord(flat.unflatten(r.params) as Record<string, unknown>, context.resource));
    if (!records.length) return;
    yield { rows: records, cells: (r) => cellsOf(r as BaseRecord, columns) };
    if (records.length < 500) return;
  }
}

/** A record's cells for the list's columns (a flattened param, or the unflattened object under a path). */
function cellsOf(record: BaseRecord, columns: string[]): Cells {
  const params = record.params as Record<string, unknown>;
  return columns.map((column) => (column in params ? params[column] : record.get(column)));
}

export function withCsvExport(resources: ResourceWithOptions[], component: string): ResourceWithOptions[] {
  return resources.map((r) => {
    const list = (r.options?.actions as Record<string, { isAccessible?: unknown } | undefined> | undefined)?.list;
    const allowed = list?.isAccessible ?? true;
    const who = typeof allowed === 'function' ? allowed : () => allowed !== false;
    return {
      ...r,
      options: {
        ...r.options,
        actions: {
          ...(r.options?.actions ?? {}),
          csvExport: {
            actionType: 'resource',
            icon: 'Download',
            label: 'CSV 내보내기',
            showInDrawer: true,
            isAccessible: who,
            isVisible: who,
            component,
            handler: async () => ({}),
          },
        } as unknown as ResourceOptions['actions'],
      },
    };
  });
}
