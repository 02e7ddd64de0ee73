// Bulk actions of the panel (issue 14 §5): every selected row goes through the owning service on
// its own — one service call, so one transaction, per row — and a row the service refuses is
// reported while the others go on. The answer lists each row's outcome (the BulkAction component
// shows it as a table); nothing is written by the generic adapter.
//
//   POST /admin/api/resources/<id>/bulk/<action>?recordIds=1,2,3   (AdminJS's bulk route)
//   → { records, results: [{ id, ok, message }], notice }
import type { ActionContext, ActionRequest, ActionResponse, BulkActionResponse } from 'adminjs';
import type { AuthUser } from '../src/http/auth.js';
import { HttpError, ValidationError as HttpValidationError } from '../src/http/errors.js';
import { WATCH_GRADES, type WatchGrade } from '../src/modules/catalog/movie.entity.js';
import type { Services } from '../src/runtime.js';
import { permit } from './access.js';
import { Components } from './components.js';
import { panelText } from './locale/index.js';
import { inPanelLanguage, panelLang, staffOf } from './service-form.js';

export interface BulkRowResult {
  id: string;
  ok: boolean;
  message: string;
}

export interface BulkOptions {
  label: string;
  icon?: string;
  /** The action's isAccessible / isVisible (from the role table). */
  who: (ctx: ActionContext) => boolean;
  /** A reason is asked for (and passed to `run`); blank → 400-like error notice, nothing runs. */
  needsReason?: boolean;
  /** Extra input the form asks for (e.g. a grade): the property it sets (the form shows its label); validated by `run`'s service. */
  input?: { name: string; property: string; options?: string[] };
  variant?: 'danger' | 'primary';
  /** One row through its service; returns the success message (in panelLang(ctx)). Throwing refuses the row. */
  run(staff: AuthUser, id: string, payload: { reason: string; value: string }, ctx: ActionContext): Promise<string>;
}

export const REASON_MAX = 500;

/** What a service's refusal says about one row (its domain message; a bug still surfaces as 500). */
export function refusalMessage(raw: unknown, context?: Pick<ActionContext, 'currentAdmin'>): string | null {
  // A domain error (by code) in the staff member's language, shaped as the API answers it.
  const lang = panelLang(context);
  const err = inPanelLanguage(raw, context);
  if (err instanceof HttpValidationError) return Object.entries(err.fields).map(([k, v]) => `${k}: ${v.join(' ')}`).join('; ');
  if (err instanceof HttpError) {
    const body = err.body as { detail?: string; message?: string };
    return String(body.detail ?? body.message ?? panelText(lang, 'refusedStatus', { status: err.status }));
  }
  const code = (err as { code?: unknown; status?: unknown } | null)?.status;
  if (typeof code === 'number' && code >= 400 && code < 500) return (err as Error).message;
  return null;
}

export function bulkAction(o: BulkOptions) {
  return {
    actionType: 'bulk',
    icon: o.icon ?? 'Layers',
    label: o.label,
    variant: o.variant,
    isAccessible: o.who,
    isVisible: o.who,
    showInDrawer: false,
    component: Components.BulkAction,
    custom: { needsReason: !!o.needsReason, input: o.input ?? null },
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<BulkActionResponse & { results?: BulkRowResult[] }> => {
      const { currentAdmin } = context;
      // In the order the rows were selected (?recordIds=…), so the report reads like the selection.
      const order = String(request.query?.recordIds ?? '').split(',');
      const records = [...(context.records ?? [])].sort((a, b) => order.indexOf(String(a.id())) - order.indexOf(String(b.id())));
      const json = records.map((r) => r.toJSON(currentAdmin));
      if (request.method !== 'post') return { records: json };
      const reason = String(request.payload?.reason ?? '').trim();
      const value = String(request.payload?.value ?? '').trim();
      if (o.needsReason && (!reason || reason.length > REASON_MAX)) {
        return { records: json, notice: { message: panelText(panelLang(context), 'reasonRequiredMax', { max: REASON_MAX }), type: 'error' } };
      }
      const staff = staffOf(context);
      const results: BulkRowResult[] = [];
      for (const record of records) {
        const id = String(record.id());
        try {
          results.push({ id, ok: true, message: await o.run(staff, id, { reason, value }, context) });
        } catch (err) {
          const message = refusalMessage(err, context);
          if (message === null) throw err;
          results.push({ id, ok: false, message });
        }
      }
      const done = results.filter((r) => r.ok).length;
      const fresh = await context.resource.findMany(records.map((r) => r.id()));
      return {
        records: (fresh.length ? fresh : records).map((r) => r.toJSON(currentAdmin)),
        results,
        notice: {
          message: panelText(panelLang(context), done < results.length ? 'bulkDoneRefused' : 'bulkDone', { done, total: results.length, refused: results.length - done }),
          type: done === results.length ? 'success' : done ? 'info' : 'error',
        },
      } as ActionResponse as BulkActionResponse & { results: BulkRowResult[] };
    },
  };
}

type ResourceOpts = { options?: { id?: string; actions?: unknown; translations?: unknown } };

const actionsOf = (r: ResourceOpts) => (r.options?.actions ?? {}) as Record<string, { handler?: unknown; isAccessible?: unknown } | undefined>;

/** Adds actions to a resource; their labels are the panel's locale files' (admin/locale). */
function withActions<T extends ResourceOpts>(r: T, extra: Record<string, unknown>): T {
  return { ...r, options: { ...r.options, actions: { ...actionsOf(r), ...extra } } };
}

/**
 * "Delete selected" wherever a resource's delete goes through its owning service (a delete action
 * with its own handler, e.g. admin/service-form.ts's deleteHandler): each selected row is deleted
 * by calling that handler — so the service's rules (a genre that still has movies, an account the
 * books refer to…) and its audit entry apply — and a refused row is reported. Visible to whoever
 * may delete (the delete action's own isAccessible, i.e. the role table). Resources whose delete
 * is the generic adapter's, or closed, get nothing.
 */
export function withServiceBulkDelete<T extends ResourceOpts>(resources: T[]): T[] {
  return resources.map((r) => {
    const del = actionsOf(r).delete;
    if (!del || typeof del.handler !== 'function' || del.isAccessible === false || del.isAccessible === undefined) return r;
    const allowed = del.isAccessible;
    const who = typeof allowed === 'function' ? (allowed as (ctx: ActionContext) => boolean) : () => allowed === true;
    const handler = del.handler as (request: ActionRequest, response: unknown, context: ActionContext) => Promise<ActionResponse>;
    const bulkRemove = bulkAction({
      label: 'Delete selected…',
      icon: 'Trash2',
      who,
      variant: 'danger',
      run: async (_staff, id, _payload, context) => {
        const record = (context.records ?? []).find((x) => String(x.id()) === id);
        if (!record) throw new HttpError(404, { detail: panelText(panelLang(context), 'notFound') });
        const res = await handler({ method: 'post', payload: {}, query: {}, params: { resourceId: context.resource.id(), recordId: id, action: 'delete' } } as ActionRequest, {}, { ...context, record });
        const notice = (res as { notice?: { type?: string; message?: string } }).notice;
        if (notice?.type === 'error') throw new HttpError(409, { message: notice.message ?? panelText(panelLang(context), 'refused') });
        return panelText(panelLang(context), 'bulkRowDeleted');
      },
    });
    return withActions(r, { bulkRemove });
  });
}

/**
 * Movies: "Regrade selected…" — each selected movie's watch grade set through CatalogService.updateMovie
 * (its validation, its row lock, its audit entry, the read cache told), one movie per transaction.
 * updateMovie replaces every scalar field, so the movie's other fields are passed as the row just
 * read has them; genres and credits are left out (unchanged).
 */
export function withMovieRegrade<T extends ResourceOpts>(resources: T[], services: Services): T[] {
  return resources.map((r) => {
    if (r.options?.id !== 'movies') return r;
    const bulkRegrade = bulkAction({
      label: 'Regrade selected…',
      icon: 'Film',
      who: permit('movies', 'update'),
      input: { name: 'value', property: 'watchGrade', options: [...WATCH_GRADES] },
      run: async (staff, id, { value }, context) => {
        if (!(WATCH_GRADES as readonly string[]).includes(value)) throw new HttpError(400, { message: panelText(panelLang(context), 'bulkChooseOneOf', { options: WATCH_GRADES.join(', ') }) });
        const record = (context.records ?? []).find((x) => String(x.id()) === id);
        if (!record) throw new HttpError(404, { detail: panelText(panelLang(context), 'notFound') });
        const p = record.params as Record<string, unknown>;
        const text = (k: string) => (p[k] === null || p[k] === undefined || p[k] === '' ? null : String(p[k]));
        const num = (k: string) => (p[k] === null || p[k] === undefined || p[k] === '' ? null : Number(p[k]));
        const before = text('watchGrade');
        await services.catalog.updateMovie(
          Number(id),
          { name: String(p.name), nameEng: text('nameEng'), summary: text('summary'), openDate: text('openDate')?.slice(0, 10) ?? null, runningTime: num('runningTime'), watchGrade: value as WatchGrade, trailer: text('trailer'), poster: text('poster'), country: text('country'), manufacturerId: num('manufacturerId') },
          { id: staff.id, email: staff.email },
        );
        return `${before ?? '—'} → ${value}`;
      },
    });
    return withActions(r, { bulkRegrade });
  });
}
