// Who sees (and manages) every member's commerce data: the routes, the services and the panel ask here.
import { can } from '../access/rbac.js';
import type { Principal } from '../access/principal.js';

/** `commerce: manage` in the role table (finance, admin). */
export function isFinance(user: Pick<Principal, 'role'> | undefined | null): boolean {
  return can(user?.role, 'commerce', 'manage');
}
