// Who may do what in the panel. Roles come from the users table; the panel is for staff only.
// What a role may do is the one role table, src/modules/access/rbac.ts: `permit(resource, action)` turns
// one of its entries into an AdminJS isAccessible / isVisible predicate.
import type { CurrentAdmin } from 'adminjs';
import { can, type Action, type ResourceName } from '../src/modules/access/rbac.js';
import type { PanelLanguage, Role } from '../src/modules/users/user.entity.js';

export interface AdminSessionUser extends CurrentAdmin {
  id: string;
  email: string;
  role: Role;
  title?: string;
  /** The panel's language for this staff member (users.panel_language): 'ko' or 'en'. */
  language?: PanelLanguage;
}

type Ctx = { currentAdmin?: CurrentAdmin };

export const roleOf = (ctx: Ctx): Role | undefined => (ctx.currentAdmin as AdminSessionUser | undefined)?.role;

/** isAccessible / isVisible predicate: may the signed-in staff member do `action` on `resource`? */
export const permit =
  (resource: ResourceName, action: Action) =>
  (ctx: Ctx): boolean =>
    can(roleOf(ctx), resource, action);

export const actorOf = (ctx: Ctx) => {
  const a = ctx.currentAdmin as AdminSessionUser | undefined;
  return a ? { id: Number(a.id), email: a.email } : null;
};
