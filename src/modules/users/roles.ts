/** `user` = members; the others are staff, who may use the panel. What each may do: src/modules/access/rbac.ts. */
export const ROLES = ['user', 'catalog', 'finance', 'support', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: readonly Role[] = ['catalog', 'finance', 'support', 'admin'];
