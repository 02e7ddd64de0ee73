// Subscription plans. The two plans `monthly` and `yearly` are seeded by the SeedPlans data
// migration (both dialects), so they exist in every mode; finance/admin manage them in the panel.
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal as AuthUser } from '../access/principal.js';
import type { AuditService } from '../audit/audit.service.js';
import { Plan } from './commerce.entities.js';
import type { PlansPort } from './contracts.js';
import { msg } from '../shared/errors.js';
import { CommerceError } from './domain/errors.js';
import { isUniqueViolation, lockFor, transactionWithRetry } from './tx.js';

export class PlanNotFoundError extends CommerceError<'plan_not_found'> {
  constructor(plan: string | number) {
    super('not_found', 'plan_not_found', {}, { vars: { plan: String(plan) } });
  }
}

/** The end of a period of `interval` starting at `start`: calendar months/years in UTC, clamped to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addInterval(start: Date, interval: Plan['interval']): Date {
  const months = interval === 'year' ? 12 : 1;
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(start.getUTCDate(), lastDay);
  return new Date(Date.UTC(y, m, day, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds(), start.getUTCMilliseconds()));
}

export function planJson(p: Plan) {
  return { id: p.id, code: p.code, name: p.name, interval: p.interval, price: p.price, currency: p.currency, device_limit: p.deviceLimit };
}

export interface PlanInput {
  code: string;
  name: string;
  interval: Plan['interval'];
  price: number;
  currency: string;
  device_limit: number;
  active?: boolean;
}

const actorOf = (u: Pick<AuthUser, 'id' | 'email'>) => ({ id: u.id, email: u.email });

export class PlansService implements PlansPort {
  constructor(
    private readonly ds: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** A new plan (finance/admin in the panel); its code is unique. Audited. */
  async create(actor: Pick<AuthUser, 'id' | 'email'>, input: PlanInput): Promise<Plan> {
    // A field error of the panel's form (plans are created in the panel only).
    const taken = () => new CommerceError('conflict', 'plan_code_taken', {}, { vars: { code: input.code }, fields: { code: [msg('plan_code_taken', { code: input.code })] } });
    if (await this.ds.getRepository(Plan).existsBy({ code: input.code })) throw taken();
    try {
      return await transactionWithRetry(this.ds, async (m) => {
        const saved = await m.save(m.create(Plan, { code: input.code, name: input.name, interval: input.interval, price: input.price, currency: input.currency, deviceLimit: input.device_limit, active: input.active ?? true }));
        await this.audit.record({ actor: actorOf(actor), action: 'plan.create', resource: 'plans', recordId: saved.id, after: { ...planJson(saved), active: saved.active } }, m);
        return saved;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw taken();
      throw err;
    }
  }

  /** Changes a plan's definition (the code stays: payments, subscriptions and discounts name it). Audited. */
  async update(actor: Pick<AuthUser, 'id' | 'email'>, id: number, input: Partial<Omit<PlanInput, 'code'>>): Promise<Plan> {
    return transactionWithRetry(this.ds, async (m) => {
      const plan = await m.findOne(Plan, { where: { id }, lock: lockFor(m) });
      if (!plan) throw new PlanNotFoundError(id);
      const before = { ...planJson(plan), active: plan.active };
      const next: Partial<Plan> = {};
      if (input.name !== undefined) next.name = input.name;
      if (input.interval !== undefined) next.interval = input.interval;
      if (input.price !== undefined) next.price = input.price;
      if (input.currency !== undefined) next.currency = input.currency;
      if (input.device_limit !== undefined) next.deviceLimit = input.device_limit;
      if (input.active !== undefined) next.active = input.active;
      if (Object.keys(next).length) await m.update(Plan, { id }, next);
      const after = Object.assign(plan, next);
      await this.audit.record({ actor: actorOf(actor), action: 'plan.update', resource: 'plans', recordId: id, before, after: { ...planJson(after), active: after.active } }, m);
      return after;
    });
  }

  private m(manager?: EntityManager): EntityManager {
    return manager ?? this.ds.manager;
  }

  async resolve(planCodeOrId: string | number, manager?: EntityManager): Promise<Plan> {
    const key = typeof planCodeOrId === 'number' ? String(planCodeOrId) : String(planCodeOrId ?? '').trim();
    const where = /^\d+$/.test(key) && Number(key) <= 2147483647 ? { id: Number(key), active: true } : { code: key, active: true };
    const plan = key ? await this.m(manager).findOneBy(Plan, where) : null;
    if (!plan) throw new PlanNotFoundError(planCodeOrId);
    return plan;
  }

  async get(planId: number, manager?: EntityManager): Promise<Plan> {
    const plan = await this.m(manager).findOneBy(Plan, { id: planId });
    if (!plan) throw new PlanNotFoundError(planId);
    return plan;
  }

  /** Active plans, cheapest first (the public list). */
  listActive(): Promise<Plan[]> {
    return this.ds.getRepository(Plan).find({ where: { active: true }, order: { price: 'ASC', id: 'ASC' } });
  }

  /** Every plan, active or not (statistics: the monthly price of each plan code). */
  all(): Promise<Plan[]> {
    return this.ds.getRepository(Plan).find({ order: { id: 'ASC' } });
  }

  /** Whether every code names an existing plan (active or not); returns the unknown ones. */
  async unknownCodes(codes: readonly string[]): Promise<string[]> {
    if (!codes.length) return [];
    const plans = await this.ds.getRepository(Plan).find({ select: { code: true } });
    const known = new Set(plans.map((p) => p.code));
    return [...new Set(codes)].filter((c) => !known.has(c));
  }
}
