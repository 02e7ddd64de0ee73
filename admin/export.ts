// CSV export of any panel list (issue 14 §5):
//
//   GET /admin/export/<resourceId>.csv?filters.status=paid&sortBy=createdAt&direction=desc
//
// - who: a signed-in staff member whose role may list the resource — the resource's own `list`
//   action's isAccessible, which is the role table (admin/access.ts `permit`); otherwise 403;
// - what: the rows of that list with the list's filters and sort (the same query string the list
//   page has), read through the resource itself, so a masked resource (member lookup) exports
//   masked values exactly as the role sees the list; the columns are the list's columns;
// - how: UTF-8 with a BOM (Excel), CRLF, streamed: pages of PAGE rows read in a stable order
//   (keyset on sort column + primary key where the sort column is never null, offset pages
//   otherwise), each page written with backpressure (res.write → 'drain'), so memory stays flat;
//   a client that goes away stops the reads;
// - audited: one audit entry per export (who, resource, filters, sort, rows written).
//
// Cells that start with = + - @ (or a tab / CR) are prefixed with ' so a spreadsheet never runs
// them as formulas (CSV injection).
import type { Request, Response, Router } from 'express';
import type AdminJS from 'adminjs';
import { BaseRecord, Filter, ViewHelpers, flat, type ActionContext, type BaseResource, type CurrentAdmin, type ResourceOptions, type ResourceWithOptions } from 'adminjs';
import { And, Equal, LessThan, MoreThan, type FindOperator, type ObjectLiteral } from 'typeorm';
import type { Runtime } from '../src/runtime.js';
import { formatDateTime } from './components/format.js';
import type { AdminSessionUser } from './access.js';
import { panelLanguageOf, panelText } from './locale/index.js';

export const EXPORT_PAGE = 2_000;
const BOM = '\uFEFF';

type Where = Record<string, unknown>;
type Sort = { sortBy?: string; direction: 'asc' | 'desc' };
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = any;

/** One CSV cell: quoted when needed, formula-looking text defused. */
export function csvCell(value: unknown, zone: string): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (value instanceof Date) s = formatDateTime(value, zone, true);
  else if (typeof value === 'object') s = JSON.stringify(value);
  else s = String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Pages of a TypeORM-backed resource in a stable order, through the resource's own `find` (so its
 * filters, masking and row rules apply): a shadow of the resource whose model adds the primary
 * key as a tie-breaker and, when the sort column cannot be null, the keyset condition
 * (sort, id) after the previous page's last row instead of an OFFSET.
 */
async function* typeormPages(resource: BaseResource, filter: Filter, sort: Sort, context: ActionContext): AsyncGenerator<BaseRecord[]> {
  const model = (resource as unknown as { model: AnyModel }).model;
  const repo = model.getRepository();
  const meta = repo.metadata;
  const pk: string = meta.primaryColumns[0].propertyName;
  const sortBy = sort.sortBy && meta.findColumnWithPropertyName(sort.sortBy) ? sort.sortBy : pk;
  const sortColumn = meta.findColumnWithPropertyName(sortBy);
  const dir = sort.direction === 'asc' ? 'ASC' : 'DESC';
  const keyset = meta.primaryColumns.length === 1 && !sortColumn.isNullable;
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
      const rows: ObjectLiteral[] = await repo.find({ where: where.length === 1 ? where[0] : where, take: opts.take, skip: keyset ? 0 : opts.skip, order: sortBy === pk ? { [pk]: dir } : { [sortBy]: dir, [pk]: dir } });
      if (rows.length) last = rows[rows.length - 1]!;
      return rows;
    },
  };
  for (const key of ['getRepository', 'name', 'count', 'findOneBy', 'findBy']) (shadowModel as Record<string, unknown>)[key] = typeof model[key] === 'function' ? model[key].bind(model) : model[key];
  const shadow = Object.create(resource) as BaseResource & { model: unknown };
  shadow.model = shadowModel;
  for (;;) {
    const page = await shadow.find(filter, { limit: EXPORT_PAGE, offset, sort: { sortBy, direction: sort.direction } }, context);
    if (!page.length) return;
    yield page;
    offset += page.length;
    if (page.length < EXPORT_PAGE) return;
  }
}

/** Any other resource: its own find, in offset pages. */
async function* offsetPages(resource: BaseResource, filter: Filter, sort: Sort, context: ActionContext): AsyncGenerator<BaseRecord[]> {
  for (let offset = 0; ; offset += EXPORT_PAGE) {
    const page = await resource.find(filter, { limit: EXPORT_PAGE, offset, sort: sort.sortBy ? { sortBy: sort.sortBy, direction: sort.direction } : undefined }, context);
    if (!page.length) return;
    yield page;
    if (page.length < EXPORT_PAGE) return;
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
          ? searchPages(listAction, context, req, q)
          : (resource as unknown as { model?: { getRepository?: unknown } }).model?.getRepository
            ? typeormPages(resource, filter, sort, context)
            : offsetPages(resource, filter, sort, context);
        for await (const page of pages) {
          const chunk = page.map((r) => columns.map((c) => csvCell(valueOf(r, c), zone)).join(',')).join('\r\n') + '\r\n';
          rows += page.length;
          if (!(await write(res, chunk))) return;
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
async function* searchPages(listAction: { handler: (...args: never[]) => unknown }, context: ActionContext, req: Request, q: string): AsyncGenerator<BaseRecord[]> {
  type Handler = (request: unknown, response: unknown, ctx: ActionContext) => Promise<{ records: Array<{ params: Record<string, unknown> }> }>;
  for (let page = 1; ; page++) {
    const request = { method: 'get', query: { ...(req.query as object), 'filters.q': q, page: String(page), perPage: '500' }, params: {} };
    const out = await (listAction as unknown as { handler: Handler }).handler(request, {}, context);
    const records = out.records.map((r) => new BaseRecord(flat.unflatten(r.params) as Record<string, unknown>, context.resource));
    if (!records.length) return;
    yield records;
    if (records.length < 500) return;
  }
}

function valueOf(record: BaseRecord, column: string): unknown {
  const params = record.params as Record<string, unknown>;
  return column in params ? params[column] : record.get(column);
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
