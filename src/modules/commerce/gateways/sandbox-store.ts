// Where the sandbox gateway keeps its authorisations and idempotent replies: in the database (every
// API process sees the same gateway, as with a real one — approve on one process, capture or refund
// on another), or in memory (a gateway object of its own, for unit tests of the sandbox's rules).
import type { DataSource, EntityManager } from 'typeorm';
import { rowLock } from '../../../db/data-source.js';
import { transactionWithRetry } from '../../../db/tx.js';
import type { Money } from '../domain/money.js';
import type { GatewayRefundView } from './gateway.js';
import { SandboxAuthorizationRow, SandboxReplyRow, type SandboxAuthStatus } from './sandbox.entities.js';

export { SandboxAuthorizationRow, SandboxReplyRow, type SandboxAuthStatus };

/** A read-only view of one sandbox authorisation (for tests and the admin's sandbox page). */
export interface SandboxAuthorization {
  gatewayRef: string;
  paymentId: string;
  status: SandboxAuthStatus;
  authorized: Money;
  captured: number;
  refunded: number;
  captureCount: number;
  refundCount: number;
}

export interface StoredAuth extends SandboxAuthorization {
  refunds: GatewayRefundView[];
}

export interface StoredReply {
  fingerprint: string;
  result: unknown;
}

/** One atomic unit of sandbox work: reads lock what they read, writes land together. */
export interface SandboxTx {
  reply(key: string): Promise<StoredReply | undefined>;
  saveReply(key: string, reply: StoredReply): Promise<void>;
  auth(gatewayRef: string): Promise<StoredAuth | undefined>;
  saveAuth(auth: StoredAuth): Promise<void>;
}

export interface SandboxStore {
  /** Runs `work` atomically (serialised with every other sandbox operation on the same keys). */
  atomically<T>(work: (tx: SandboxTx) => Promise<T>): Promise<T>;
  read(gatewayRef: string): Promise<StoredAuth | undefined>;
}

function cloneAuth(a: StoredAuth): StoredAuth {
  return { ...a, authorized: { ...a.authorized }, refunds: a.refunds.map((r) => ({ ...r, amount: { ...r.amount }, at: r.at ? new Date(r.at) : r.at })) };
}

/** One gateway object's memory; operations run one at a time. */
export class MemorySandboxStore implements SandboxStore {
  private readonly auths = new Map<string, StoredAuth>();
  private readonly replies = new Map<string, StoredReply>();
  private tail: Promise<unknown> = Promise.resolve();

  atomically<T>(work: (tx: SandboxTx) => Promise<T>): Promise<T> {
    const tx: SandboxTx = {
      reply: async (key) => this.replies.get(key),
      saveReply: async (key, reply) => void this.replies.set(key, { fingerprint: reply.fingerprint, result: structuredClone(reply.result) }),
      auth: async (ref) => {
        const a = this.auths.get(ref);
        return a ? cloneAuth(a) : undefined;
      },
      saveAuth: async (a) => void this.auths.set(a.gatewayRef, cloneAuth(a)),
    };
    const run = this.tail.then(() => work(tx));
    this.tail = run.catch(() => undefined);
    return run;
  }

  async read(gatewayRef: string): Promise<StoredAuth | undefined> {
    const a = this.auths.get(gatewayRef);
    return a ? cloneAuth(a) : undefined;
  }
}

function toAuth(row: SandboxAuthorizationRow): StoredAuth {
  const refunds = (JSON.parse(row.refunds) as Array<GatewayRefundView & { at: string | null }>).map((r) => ({ ...r, at: r.at ? new Date(r.at) : null }));
  return {
    gatewayRef: row.gatewayRef,
    paymentId: row.paymentId,
    status: row.status,
    authorized: { amount: Number(row.authorizedAmount), currency: row.currency },
    captured: Number(row.captured),
    refunded: Number(row.refunded),
    captureCount: row.captureCount,
    refundCount: row.refundCount,
    refunds,
  };
}

/** Rows in the product database, so every process shares one sandbox. */
export class DbSandboxStore implements SandboxStore {
  constructor(private readonly ds: DataSource) {}

  atomically<T>(work: (tx: SandboxTx) => Promise<T>): Promise<T> {
    // A unique-key race (two processes storing the first reply of one key) reruns: the rerun sees the winner's reply.
    return transactionWithRetry(this.ds, (m) => work(this.tx(m)), { retryUniqueViolation: true });
  }

  async read(gatewayRef: string): Promise<StoredAuth | undefined> {
    // The primary: a gateway's state is read right after it is written.
    const row = await this.ds.transaction((m) => m.findOne(SandboxAuthorizationRow, { where: { gatewayRef } }));
    return row ? toAuth(row) : undefined;
  }

  private tx(m: EntityManager): SandboxTx {
    const lock = rowLock(this.ds);
    return {
      // A plain read, no FOR UPDATE: a locking read of a key not stored yet takes a gap lock, and two
      // parallel operations on one authorisation (different keys) then deadlock when each inserts its
      // reply into the gap the other holds. Two first uses of the same key both run; the second's
      // reply insert is a unique violation that rolls its whole transaction back (authorisation
      // change included), and the rerun finds the winner's reply.
      reply: async (key) => {
        const row = await m.findOne(SandboxReplyRow, { where: { key } });
        return row ? { fingerprint: row.fingerprint, result: JSON.parse(row.result) } : undefined;
      },
      saveReply: async (key, reply) => {
        await m.insert(SandboxReplyRow, { key, fingerprint: reply.fingerprint, result: JSON.stringify(reply.result) });
      },
      auth: async (gatewayRef) => {
        const row = await m.findOne(SandboxAuthorizationRow, { where: { gatewayRef }, ...(lock ? { lock } : {}) });
        return row ? toAuth(row) : undefined;
      },
      saveAuth: async (a) => {
        await m.save(SandboxAuthorizationRow, {
          gatewayRef: a.gatewayRef,
          paymentId: a.paymentId,
          status: a.status,
          authorizedAmount: a.authorized.amount,
          currency: a.authorized.currency,
          captured: a.captured,
          refunded: a.refunded,
          captureCount: a.captureCount,
          refundCount: a.refundCount,
          refunds: JSON.stringify(a.refunds),
        });
      },
    };
  }
}
