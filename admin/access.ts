// Who may do what in the panel. Roles come from the users table; the panel is for staff only.
import type { CurrentAdmin } from 'adminjs';
import type { Role } from '../src/modules/users/user.entity.js';

export interface AdminSessionUser extends CurrentAdmin {
  id: string;
  email: string;
  role: Role;
  title?: string;
}

type Ctx = { currentAdmin?: CurrentAdmin };

export const roleOf = (ctx: Ctx): Role | undefined => (ctx.currentAdmin as AdminSessionUser | undefined)?.role;

/** isAccessible / isVisible predicate for a set of roles. */
export const allow =
  (...roles: Role[]) =>
  (ctx: Ctx): boolean => {
    const role = roleOf(ctx);
    return !!role && roles.includes(role);
  };

export const actorOf = (ctx: Ctx) => {
  const a = ctx.currentAdmin as AdminSessionUser | undefined;
  return a ? { id: Number(a.id), email: a.email } : null;
};
