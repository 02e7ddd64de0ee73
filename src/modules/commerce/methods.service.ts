// A member's payment methods (seed 000 §3: GET|POST payments/methods, PUT|DELETE
// payments/methods/{methods_id}). The gateway tokenises the raw input; only its token and display
// data (brand, last 4 / masked e-mail / masked account, expiry, holder) are stored — never a card
// number or CVC. One default per member: the first method becomes it, PUT can move it, deleting it
// promotes the newest remaining one. Deleting is soft (payments keep pointing at their method).
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { PaymentMethod } from './commerce.entities.js';
import type { PaymentMethodsPort } from './contracts.js';
import { msg } from '../shared/errors.js';
import type { CommerceCode } from './commerce.messages.js';
import { CommerceError } from './domain/errors.js';
import {
  GatewayError,
  PaymentMethodValidationError,
  isCardExpired,
  normalizeExpYear,
  tokenizeMethod,
  type PaymentGateway,
  type RawMethodInput,
  type TokenizedMethod,
} from './gateways/gateway.js';
import { lockFor, transactionWithRetry } from './tx.js';

/** The API body of a new method (field names as in the issue). */
export type NewMethodInput =
  | { type: 'card'; card_number: string; exp_month: number; exp_year: number; cvc: string; holder?: string | null }
  | { type: 'paypal'; email: string }
  | { type: 'bank_transfer'; bank: string; account_number: string; holder?: string | null };

export interface MethodUpdateInput {
  is_default?: boolean;
  holder?: string | null;
  exp_month?: number;
  exp_year?: number;
}

export class MethodNotFoundError extends CommerceError<'payment_method_not_found'> {
  constructor() {
    super('not_found', 'payment_method_not_found');
  }
}

/** The gateway refused the method when tokenising it (declined card…): 402, nothing stored; `said`: the gateway's words. */
export class MethodDeclinedError extends CommerceError<'payment_method_declined'> {
  constructor(said: string, gatewayCode?: string) {
    super('payment_required', 'payment_method_declined', gatewayCode ? { gatewayCode } : {}, { vars: { said } });
  }
}

function fieldError(field: string, code: CommerceCode): PaymentMethodValidationError {
  return new PaymentMethodValidationError({ [field]: [msg(code)] });
}

// The tokenizer's field names → the API's.
const FIELD_NAMES: Record<string, string> = { number: 'card_number', bank_name: 'bank' };

function toRaw(input: NewMethodInput): RawMethodInput {
  switch (input.type) {
    case 'card':
      return { type: 'card', number: input.card_number, expMonth: input.exp_month, expYear: input.exp_year, cvc: input.cvc, holder: input.holder ?? null };
    case 'paypal':
      return { type: 'paypal', email: input.email };
    case 'bank_transfer':
      return { type: 'bank_transfer', bankName: input.bank, accountNumber: input.account_number, holder: input.holder ?? null };
  }
}

/** How staff see a stored method: "Visa •••• 4242", "PayPal j***@example.com", "KB ****1234" (no token, no more digits). */
export function methodLabel(m: Pick<PaymentMethod, 'type' | 'brand' | 'masked' | 'deletedAt'>): string {
  const shown = m.type === 'card' ? `•••• ${m.masked.slice(-4)}` : m.masked;
  const brand = m.brand ?? (m.type === 'card' ? 'Card' : m.type);
  return `${brand} ${shown}${m.deletedAt ? ' (removed)' : ''}`;
}

export function methodJson(m: PaymentMethod) {
  return {
    id: m.id,
    type: m.type,
    brand: m.brand,
    masked: m.masked,
    last4: m.type === 'card' ? m.masked.slice(-4) : null,
    exp_month: m.expMonth,
    exp_year: m.expYear,
    holder: m.holder,
    is_default: m.isDefault,
    created_at: m.createdAt.toISOString(),
  };
}

export class PaymentMethodsService implements PaymentMethodsPort {
  constructor(
    private readonly ds: DataSource,
    private readonly gateway: PaymentGateway,
    private readonly audit: AuditService,
  ) {}

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  // ---- PaymentMethodsPort ------------------------------------------------------------------

  async getUsable(userId: number, methodId: number, manager?: EntityManager): Promise<PaymentMethod> {
    const method = await this.m(manager).findOneBy(PaymentMethod, { id: methodId, userId, deletedAt: IsNull() });
    if (!method) throw new MethodNotFoundError();
    return method;
  }

  async getDefault(userId: number, manager?: EntityManager): Promise<PaymentMethod | null> {
    return this.m(manager).findOne(PaymentMethod, { where: { userId, deletedAt: IsNull(), isDefault: true }, order: { id: 'DESC' } });
  }

  async listForUser(userId: number, opts: { includeDeleted?: boolean } = {}): Promise<PaymentMethod[]> {
    return this.ds.getRepository(PaymentMethod).find({
      where: opts.includeDeleted ? { userId } : { userId, deletedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
  }

  /**
   * Members who hold (or held: removed methods count, payments still point at them) a card whose
   * last four digits are `last4` — staff member search. At most `limit` ids, newest method first.
   */
  async ownersOfCardLast4(last4: string, limit = 200): Promise<number[]> {
    if (!/^\d{4}$/.test(last4)) return [];
    const rows = await this.ds
      .getRepository(PaymentMethod)
      .createQueryBuilder('m')
      .select('DISTINCT m.user_id', 'userId')
      .where("m.type = 'card' AND m.masked LIKE :tail", { tail: `%${last4}` })
      .limit(limit)
      .getRawMany<{ userId: number | string }>();
    return rows.map((r) => Number(r.userId));
  }

  /** Display labels of methods by id, removed ones included: "Visa •••• 4242", "PayPal j***@example.com". */
  async labels(ids: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids.filter((id) => Number.isInteger(id)))];
    if (!unique.length) return new Map();
    const rows = await this.ds.getRepository(PaymentMethod).find({ where: { id: In(unique) } });
    return new Map(rows.map((m) => [m.id, methodLabel(m)]));
  }

  // ---- the API -----------------------------------------------------------------------------

  /** Tokenises through the gateway and stores the method; the member's first one becomes the default. */
  async create(userId: number, input: NewMethodInput, now = new Date()): Promise<PaymentMethod> {
    const token = this.tokenize(toRaw(input), now);
    return transactionWithRetry(this.ds, async (m) => {
      // Locks the member's methods so two first methods added at once do not both become default.
      const existing = await m.find(PaymentMethod, { where: { userId, deletedAt: IsNull() }, select: { id: true, isDefault: true }, lock: lockFor(m) });
      const method = m.create(PaymentMethod, {
        userId,
        type: token.type,
        gatewayToken: token.token,
        brand: token.brand,
        masked: token.masked,
        expMonth: token.expMonth,
        expYear: token.expYear,
        holder: token.holder,
        isDefault: !existing.some((e) => e.isDefault),
        deletedAt: null,
        createdAt: now,
      });
      return m.save(method);
    });
  }

  private tokenize(raw: RawMethodInput, now: Date): TokenizedMethod {
    try {
      return this.gateway.tokenizeMethod ? this.gateway.tokenizeMethod(raw, { now }) : tokenizeMethod(raw, { now, prefix: `tok_${this.gateway.name}` });
    } catch (err) {
      if (err instanceof PaymentMethodValidationError) {
        throw new PaymentMethodValidationError(Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [FIELD_NAMES[k] ?? k, v])));
      }
      if (err instanceof GatewayError) throw new MethodDeclinedError(err.message, err.gatewayCode ?? err.code);
      throw err;
    }
  }

  async update(userId: number, methodId: number, input: MethodUpdateInput): Promise<PaymentMethod> {
    return transactionWithRetry(this.ds, async (m) => {
      const mine = await m.find(PaymentMethod, { where: { userId, deletedAt: IsNull() }, lock: lockFor(m) });
      const method = mine.find((x) => x.id === methodId);
      if (!method) throw new MethodNotFoundError();

      if (input.exp_month !== undefined || input.exp_year !== undefined) {
        if (method.type !== 'card') throw fieldError('exp_month', 'commerceExpiryCardOnly');
        const month = input.exp_month ?? method.expMonth!;
        const year = normalizeExpYear(input.exp_year ?? method.expYear!);
        if (year > new Date().getUTCFullYear() + 30) throw fieldError('exp_year', 'commerceExpYear');
        if (isCardExpired(month, year, new Date())) throw fieldError('exp_year', 'commerceCardExpired');
        method.expMonth = month;
        method.expYear = year;
      }
      if (input.holder !== undefined) {
        if (method.type === 'paypal') throw fieldError('holder', 'commercePaypalHolder');
        const h = input.holder?.trim() ?? '';
        method.holder = h || null;
      }
      if (input.is_default === true && !method.isDefault) {
        await m.update(PaymentMethod, { userId, isDefault: true }, { isDefault: false });
        method.isDefault = true;
      } else if (input.is_default === false && method.isDefault) {
        throw fieldError('is_default', 'commerceKeepDefault');
      }
      return m.save(method);
    });
  }

  /** Soft delete; a deleted default hands the default to the newest remaining method. */
  async remove(userId: number, methodId: number, actor: Actor | null = null): Promise<void> {
    await transactionWithRetry(this.ds, async (m) => {
      const mine = await m.find(PaymentMethod, { where: { userId, deletedAt: IsNull() }, order: { createdAt: 'DESC', id: 'DESC' }, lock: lockFor(m) });
      const method = mine.find((x) => x.id === methodId);
      if (!method) throw new MethodNotFoundError();
      const wasDefault = method.isDefault;
      await m.update(PaymentMethod, { id: method.id }, { deletedAt: new Date(), isDefault: false });
      const next = wasDefault ? mine.find((x) => x.id !== method.id) : undefined;
      if (next) await m.update(PaymentMethod, { id: next.id }, { isDefault: true });
      await this.audit.record(
        { actor, action: 'payment_method.delete', resource: 'payment_methods', recordId: method.id, before: { user_id: userId, masked: method.masked, is_default: wasDefault }, after: null },
        m,
      );
    });
  }

  /** Soft-deletes every method of a member (customers/{member_id}/paymentinformation DELETE). */
  async removeAllForUser(userId: number, actor: Actor | null, reason: string | null = null, manager?: EntityManager): Promise<number> {
    const run = async (m: EntityManager) => {
      const res = await m.update(PaymentMethod, { userId, deletedAt: IsNull() }, { deletedAt: new Date(), isDefault: false });
      await this.audit.record({ actor, action: 'payment_method.delete_all', resource: 'payment_methods', recordId: userId, reason, after: { removed: res.affected ?? 0 } }, m);
      return res.affected ?? 0;
    };
    return manager ? run(manager) : this.ds.transaction(run);
  }
}
