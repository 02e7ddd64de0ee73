// The audit log in the panel: admins only, read-only (list, show, search with filters by resource,
// action, actor e-mail and date). Entries are written by the audit service, never by a form.
import type { ResourceWithOptions } from 'adminjs';
import { AuditEntry } from '../../src/modules/audit/audit-entry.entity.js';
import { permit } from '../access.js';
import { asActions } from '../audit.js';
import { Components } from '../components.js';
import { BoundedCountResource } from './adapters.js';

export function auditLogResource(): ResourceWithOptions {
  const adminOnly = permit('audit-log', 'read');
  const never = { isAccessible: false, isVisible: false };
  return {
    // Every write adds a row: no full COUNT(*) per list page (adapters.ts).
    resource: new BoundedCountResource(AuditEntry),
    options: {
      id: 'audit_log',
      navigation: { name: 'Administration', icon: 'Shield' },
      properties: {
        diff: { type: 'textarea', components: { show: Components.JsonView }, isVisible: { list: false, show: true, edit: false, filter: false } },
        reason: { isVisible: { list: false, show: true, edit: false, filter: true } },
        actorId: { isVisible: { list: false, show: true, edit: false, filter: true } },
        createdAt: { isVisible: { list: true, show: true, edit: false, filter: true } },
      },
      listProperties: ['id', 'createdAt', 'actorEmail', 'action', 'resource', 'recordId'],
      filterProperties: ['resource', 'action', 'actorEmail', 'recordId', 'createdAt'],
      showProperties: ['id', 'createdAt', 'actorEmail', 'actorId', 'action', 'resource', 'recordId', 'reason', 'diff'],
      sort: { sortBy: 'id', direction: 'desc' },
      actions: asActions({
        list: { isAccessible: adminOnly, isVisible: adminOnly },
        show: { isAccessible: adminOnly, isVisible: adminOnly },
        search: { isAccessible: adminOnly },
        new: never,
        edit: never,
        delete: never,
        bulkDelete: never,
      }),
      translations: { en: { labels: { audit_log: 'Audit log' }, properties: { actorEmail: 'Actor e-mail', actorId: 'Actor id', recordId: 'Record id', createdAt: 'At' } } },
    },
  };
}
