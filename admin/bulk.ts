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
import { CommerceError } from '../src/modules/commerce/domain/errors.js';
import { Components } from './components.js';
import { staffOf } from './service-form.js';

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
  /** Extra input the form asks for (e.g. a grade); validated by `run`'s service. */
  input?: { name: string; label: string; options?: string[] };
  variant?: 'danger' | 'primary';
  /** One row through its service; returns the success message. Throwing refuses the row. */
  run(staff: AuthUser, id: string, payload: { reason: string; value: string }, ctx: ActionContext): Promise<string>;
}

export const REASON_MAX = 500;

/** What a service's refusal says about one row (its domain message; a bug still surfaces as 500). */
export function refusalMessage(err: unknown): string | null {
  if (err instanceof CommerceError) return err.message;
  if (err instanceof HttpValidationError) return Object.entries(err.fields).map(([k, v]) => `${k}: ${v.join(' ')}`).join('; ');
  if (err instanceof HttpError) {
    const body = err.body as { detail?: string; message?: string };
    return String(body.detail ?? body.message ?? `refused (${err.status})`);
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
        return { records: json, notice: { message: `Write a reason (at most ${REASON_MAX} characters).`, type: 'error' } };
      }
      const staff = staffOf(context);
      const results: BulkRowResult[] = [];
      for (const record of records) {
        const id = String(record.id());
        try {
          results.push({ id, ok: true, message: await o.run(staff, id, { reason, value }, context) });
        } catch (err) {
          const message = refusalMessage(err);
          if (message === null) throw err;
          results.push({ id, ok: false, message });
        }
      }
      const done = results.filter((r) => r.ok).length;
      const fresh = await context.resource.findMany(records.map((r) => r.id()));
      return {
        records: (fresh.length ? fresh : records).map((r) => r.toJSON(currentAdmin)),
        results,
        notice: { message: `${done} of ${results.length} done${done < results.length ? `, ${results.length - done} refused` : ''}.`, type: done === results.length ? 'success' : done ? 'info' : 'error' },
      } as ActionResponse as BulkActionResponse & { results: BulkRowResult[] };
    },
  };
}
