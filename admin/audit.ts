// Every create/update/delete made through the panel is written to the audit log (who, when,
// resource, record id, before/after diff). Resources wrap their actions with `audited`.
import type { ActionContext, ActionRequest, ActionResponse, After, Before, ResourceOptions } from 'adminjs';

export const asActions = (a: Actions) => a as unknown as ResourceOptions['actions'];
import type { AuditService } from '../src/modules/audit/audit.service.js';
import { actorOf } from './access.js';

// AdminJS's action types are not assignable between action kinds; resources build their actions
// as loose objects and hand them to AdminJS as ResourceOptions['actions'].
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Actions = Record<string, Record<string, any>>;

const BEFORE = Symbol('auditBefore');

const rememberBefore: Before = async (request: ActionRequest, context: ActionContext) => {
  (context as unknown as Record<symbol, unknown>)[BEFORE] = context.record ? { ...context.record.params } : null;
  return request;
};

function chain<T>(first: T | T[] | undefined | null, extra: T): T[] {
  return [...(Array.isArray(first) ? first : first ? [first] : []), extra];
}

export function audited(resource: string, audit: AuditService, actions: Actions = {}): Actions {
  const record =
    (action: string): After<ActionResponse> =>
    async (response, request, context) => {
      if (request.method !== 'post' || (response.record && Object.keys(response.record.errors ?? {}).length)) return response;
      // A refused action (the service threw and the handler answered with an error notice) changed nothing.
      if ((response as { notice?: { type?: string } }).notice?.type === 'error') return response;
      const before = (context as unknown as Record<symbol, Record<string, unknown> | null>)[BEFORE] ?? null;
      const after = action === 'delete' ? null : (response.record?.params ?? null);
      const recordId = response.record?.id ?? context.record?.id() ?? null;
      await audit.record({ actor: actorOf(context), action, resource, recordId, before, after });
      return response;
    };
  const wrap = (name: 'new' | 'edit' | 'delete') => {
    const a = actions[name] ?? {};
    return { ...a, before: chain<Before>(a.before, rememberBefore), after: chain<After<ActionResponse>>(a.after, record(name)) };
  };
  return { ...actions, new: wrap('new'), edit: wrap('edit'), delete: wrap('delete'), bulkDelete: { ...(actions.bulkDelete ?? {}), isAccessible: false } };
}
