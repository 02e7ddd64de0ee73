// THE role table: which role may do what to which resource. The public API (route specs'
// `auth: rolesAllowed(…)`, services' `can(…)`), the AdminJS panel (admin/access.ts `permit(…)` for
// isAccessible/isVisible) and the dashboard blocks all read this one table; no other file lists
// roles for a permission.
//
// A resource is an admin resource or an API area; an action is CRUD ('read', 'create', 'update',
// 'delete') or a named action ('refund', 'moderate', 'unmask', …). '*' grants every action of a
// resource. A role that is not in the table, or a resource/action not listed for it, is refused.
import { ROLES, type Role } from '../users/user.entity.js';

export type Action = 'read' | 'create' | 'update' | 'delete' | (string & {});

export const RESOURCES = [
  // catalog
  'movies', // also 'import' (catalog import from files)
  'genres', // also 'force-delete' (delete a genre that still has movies)
  'people',
  'manufacturers', // also 'contact' (contact details and negotiation notes of a production company)
  'movie-genres',
  'movie-credits',
  'contents', // also 'upload'
  'cinemas',
  'showtimes', // also 'import' (CSV)
  // members
  'users', // accounts, staff included (the AdminJS Users resource): admins only
  'members', // members looked up by staff (API customers/customersprivacy, panel "Member lookup"); 'contact' = e-mail in clear, 'unmask' = name/phone in clear (audited); 'billing' = subscription status and last payments' status/amount on the member page (no card data); 'deactivate' = bulk deactivation from the lookup
  'watch-progress',
  'ratings', // also 'moderate' (hide / show again)
  // commerce
  'commerce', // member-facing commerce endpoints: 'use' (own payments, methods, subscription, refunds, coupons); 'manage' = every member's commerce data
  'payments', // also 'refund', 'cancel'; 'update' = finance correction
  'refunds', // also 'approve', 'reject'
  'subscriptions', // also 'cancel', 'resume'
  'plans',
  'discounts',
  'coupons', // also 'issue'
  'payment-methods', // a member's stored payment methods seen/removed by staff
  // operations
  'audit-log',
  'queues',
  'statistics', // 'recompute'
  'recommendation-runs', // recommender training runs (panel, read-only); 'retrain' = queue a full retrain now
  'themes', // GET themes (revenue by theme JSON API)
  'dashboard.revenue',
  'dashboard.catalog', // views, watch time, top contents, catalog figures
  'dashboard.members', // sign-ups
] as const;
export type ResourceName = (typeof RESOURCES)[number];

type Grants = Partial<Record<ResourceName, readonly Action[] | '*'>>;

const READ = ['read'] as const;
const CRUD = ['read', 'create', 'update', 'delete'] as const;

/** Catalog reads: catalog staff, finance and support answer questions about titles and screenings. */
const catalogRead: Grants = {
  movies: READ,
  genres: READ,
  people: READ,
  manufacturers: READ,
  'movie-genres': READ,
  'movie-credits': READ,
  contents: READ,
  cinemas: READ,
  showtimes: READ,
};

export const RBAC: Record<Role, Grants> = {
  /** Admins: everything. */
  admin: Object.fromEntries(RESOURCES.map((r) => [r, '*'])) as Grants,

  /** Catalog staff: catalog resources and contents, rating moderation, catalog dashboard. */
  catalog: {
    movies: [...CRUD, 'import'],
    genres: CRUD,
    people: CRUD,
    manufacturers: [...CRUD, 'contact'],
    'movie-genres': CRUD,
    'movie-credits': CRUD,
    contents: [...CRUD, 'upload'],
    cinemas: CRUD,
    showtimes: [...CRUD, 'import'],
    ratings: ['read', 'moderate'],
    'recommendation-runs': READ,
    'dashboard.catalog': READ,
    'dashboard.members': READ,
  },

  /** Finance: payments, refunds, subscriptions, plans, discounts, coupons, revenue; catalog read-only. */
  finance: {
    ...catalogRead,
    manufacturers: ['read', 'contact'],
    members: ['read', 'contact', 'billing'],
    'watch-progress': READ,
    ratings: READ,
    commerce: ['use', 'manage'],
    payments: ['read', 'update', 'refund', 'cancel'],
    refunds: ['read', 'approve', 'reject'],
    subscriptions: ['read', 'cancel', 'resume'],
    plans: ['read', 'create', 'update'],
    discounts: CRUD,
    coupons: [...CRUD, 'issue'],
    'payment-methods': ['read', 'delete'],
    statistics: ['recompute'],
    themes: READ,
    'dashboard.revenue': READ,
    'dashboard.members': READ,
  },

  /**
   * Support: members read-only with personal data masked (never unmasked, no e-mail in clear),
   * catalog read-only to answer questions; no catalog writes, no finance, no audit log.
   */
  support: {
    ...catalogRead,
    members: ['read', 'billing'],
    'dashboard.members': READ,
  },

  /** Members (the apps): their own commerce data. Everything else public or per-member is not an RBAC matter. */
  user: {
    commerce: ['use'],
  },
};

const isRole = (r: unknown): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r);

/** May `role` do `action` on `resource`? Unknown or missing roles may do nothing. */
export function can(role: Role | string | undefined | null, resource: ResourceName, action: Action): boolean {
  if (!isRole(role) || !Object.hasOwn(RBAC, role)) return false;
  const grant = RBAC[role][resource];
  if (grant === '*') return true;
  return !!grant && grant.includes(action);
}

/** The roles that may do `action` on `resource`, in ROLES order (for route specs' `auth`). */
export function rolesAllowed(resource: ResourceName, action: Action): Role[] {
  return ROLES.filter((r) => can(r, resource, action));
}
