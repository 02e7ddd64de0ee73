// The role table (src/modules/access/rbac.ts): each role's key permissions, and nothing for unknown roles.
import { can, RBAC, RESOURCES, rolesAllowed } from '../../src/modules/access/rbac.js';
import { ROLES, STAFF_ROLES } from '../../src/modules/users/user.entity.js';

describe('role table', () => {
  it('has an entry for every role, and support is staff', () => {
    expect(Object.keys(RBAC).sort()).toEqual([...ROLES].sort());
    expect(ROLES).toContain('support');
    expect(STAFF_ROLES).toEqual(expect.arrayContaining(['catalog', 'finance', 'support', 'admin']));
    expect(STAFF_ROLES).not.toContain('user');
  });

  it('admin may do everything, named actions included', () => {
    for (const r of RESOURCES) for (const a of ['read', 'create', 'update', 'delete', 'unmask', 'refund']) expect(can('admin', r, a)).toBe(true);
  });

  it('catalog staff: catalog resources and contents, rating moderation, no finance, members or audit log', () => {
    for (const r of ['movies', 'genres', 'people', 'manufacturers', 'movie-genres', 'movie-credits', 'contents', 'cinemas', 'showtimes'] as const) {
      for (const a of ['read', 'create', 'update', 'delete']) expect(can('catalog', r, a)).toBe(true);
    }
    expect(can('catalog', 'contents', 'upload')).toBe(true);
    expect(can('catalog', 'ratings', 'moderate')).toBe(true);
    expect(can('catalog', 'genres', 'force-delete')).toBe(false);
    for (const r of ['payments', 'refunds', 'subscriptions', 'plans', 'discounts', 'coupons', 'members', 'users', 'audit-log', 'queues', 'themes'] as const) {
      expect(can('catalog', r, 'read')).toBe(false);
    }
    expect(can('catalog', 'commerce', 'use')).toBe(false);
    expect(can('catalog', 'dashboard.catalog', 'read')).toBe(true);
    expect(can('catalog', 'dashboard.revenue', 'read')).toBe(false);
    expect(can('catalog', 'statistics', 'recompute')).toBe(false);
  });

  it('finance: payments, refunds, subscriptions, discounts, coupons, revenue; catalog read-only', () => {
    expect(can('finance', 'payments', 'refund')).toBe(true);
    expect(can('finance', 'payments', 'update')).toBe(true);
    expect(can('finance', 'refunds', 'approve')).toBe(true);
    expect(can('finance', 'subscriptions', 'cancel')).toBe(true);
    expect(can('finance', 'discounts', 'create')).toBe(true);
    expect(can('finance', 'coupons', 'issue')).toBe(true);
    expect(can('finance', 'commerce', 'manage')).toBe(true);
    expect(can('finance', 'themes', 'read')).toBe(true);
    expect(can('finance', 'statistics', 'recompute')).toBe(true);
    expect(can('finance', 'dashboard.revenue', 'read')).toBe(true);
    expect(can('finance', 'dashboard.catalog', 'read')).toBe(false);
    expect(can('finance', 'movies', 'read')).toBe(true);
    expect(can('finance', 'movies', 'update')).toBe(false);
    expect(can('finance', 'members', 'read')).toBe(true);
    expect(can('finance', 'members', 'unmask')).toBe(false);
    expect(can('finance', 'audit-log', 'read')).toBe(false);
  });

  it('support: members read-only and masked, catalog read-only, nothing of finance or the audit log', () => {
    expect(can('support', 'members', 'read')).toBe(true);
    for (const a of ['create', 'update', 'delete', 'unmask', 'contact', 'deactivate']) expect(can('support', 'members', a)).toBe(false);
    // the member page's subscription status and last payments (status, amount; no card data)
    expect(can('support', 'members', 'billing')).toBe(true);
    expect(can('support', 'payment-methods', 'read')).toBe(false);
    expect(can('support', 'users', 'read')).toBe(false);
    expect(can('support', 'movies', 'read')).toBe(true);
    expect(can('support', 'manufacturers', 'contact')).toBe(false);
    for (const r of ['movies', 'genres', 'contents', 'cinemas', 'showtimes'] as const) for (const a of ['create', 'update', 'delete']) expect(can('support', r, a)).toBe(false);
    for (const r of ['payments', 'refunds', 'subscriptions', 'plans', 'discounts', 'coupons', 'payment-methods', 'audit-log', 'queues', 'themes', 'ratings', 'watch-progress'] as const) {
      expect(can('support', r, 'read')).toBe(false);
    }
    expect(can('support', 'commerce', 'use')).toBe(false);
    expect(can('support', 'dashboard.members', 'read')).toBe(true);
    expect(can('support', 'dashboard.revenue', 'read')).toBe(false);
    expect(can('support', 'dashboard.catalog', 'read')).toBe(false);
    expect(can('support', 'statistics', 'recompute')).toBe(false);
  });

  it('members use their own commerce endpoints and nothing else', () => {
    expect(can('user', 'commerce', 'use')).toBe(true);
    expect(can('user', 'commerce', 'manage')).toBe(false);
    for (const r of RESOURCES.filter((x) => x !== 'commerce')) expect(can('user', r, 'read')).toBe(false);
  });

  it('unknown or missing roles may do nothing', () => {
    for (const role of [undefined, null, '', 'root', 'ADMIN', 'toString', '__proto__', 'constructor']) {
      expect(can(role as never, 'movies', 'read')).toBe(false);
      expect(can(role as never, 'payments', 'read')).toBe(false);
    }
    expect(can('admin', 'no-such-resource' as never, 'read')).toBe(false);
  });

  it('rolesAllowed lists the roles of an entry, in ROLES order', () => {
    expect(rolesAllowed('members', 'read')).toEqual(['finance', 'support', 'admin']);
    expect(rolesAllowed('members', 'unmask')).toEqual(['admin']);
    expect(rolesAllowed('movies', 'create')).toEqual(['catalog', 'admin']);
    expect(rolesAllowed('commerce', 'use')).toEqual(['user', 'finance', 'admin']);
    expect(rolesAllowed('payments', 'update')).toEqual(['finance', 'admin']);
    expect(rolesAllowed('dashboard.revenue', 'read')).toEqual(['finance', 'admin']);
    expect(rolesAllowed('dashboard.catalog', 'read')).toEqual(['catalog', 'admin']);
    expect(rolesAllowed('dashboard.members', 'read')).toEqual(['catalog', 'finance', 'support', 'admin']);
    expect(rolesAllowed('statistics', 'recompute')).toEqual(['finance', 'admin']);
    expect(rolesAllowed('themes', 'read')).toEqual(['finance', 'admin']);
    expect(rolesAllowed('audit-log', 'read')).toEqual(['admin']);
  });
});
