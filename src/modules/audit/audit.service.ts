import type { DataSource, EntityManager } from 'typeorm';
import { AuditEntry } from './audit-entry.entity.js';

export interface Actor {
  id: number | null;
  email: string | null;
}

export interface AuditInput {
  actor: Actor | null;
  action: string;
  resource: string;
  recordId?: string | number | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string | null;
}

const SECRET_KEYS = /password|hash|secret|token|cvc|card_number/i;

/** Field-level diff of two flat records; secrets are never written, only that they changed. */
export function diffRecords(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined) {
  const out: Record<string, [unknown, unknown]> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const a = before?.[key];
    const b = after?.[key];
    const same = JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
    if (same) continue;
    out[key] = SECRET_KEYS.test(key) ? ['[redacted]', '[changed]'] : [a ?? null, b ?? null];
  }
  return out;
}

export class AuditService {
  constructor(private readonly ds: DataSource) {}

  /** Writes one entry; pass the transaction's manager so the entry commits with the change. */
  async record(input: AuditInput, manager: EntityManager = this.ds.manager): Promise<AuditEntry> {
    const entry = manager.create(AuditEntry, {
      actorId: input.actor?.id ?? null,
      actorEmail: input.actor?.email ?? null,
      action: input.action,
      resource: input.resource,
      recordId: input.recordId == null ? null : String(input.recordId),
      diff: input.before || input.after ? JSON.stringify(diffRecords(input.before, input.after)) : null,
      reason: input.reason ?? null,
    });
    return manager.save(entry);
  }

  async list(filter: { resource?: string; recordId?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    return this.ds.getRepository(AuditEntry).find({
      where: { ...(filter.resource ? { resource: filter.resource } : {}), ...(filter.recordId ? { recordId: filter.recordId } : {}) },
      order: { id: 'DESC' },
      take: filter.limit ?? 100,
    });
  }
}
