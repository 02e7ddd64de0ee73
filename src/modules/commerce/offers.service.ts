// Discounts and coupons (seed 000 §6 할인 관리, §7 쿠폰 발급) and their part in pricing a payment
// (OffersPort, used by the payments side inside its transaction).
//
// Rules kept here, in one place
// - Discounts: partner or promotion, percent (1–100) or fixed (minor units of its currency),
//   validity window [valid_from, valid_until), applicable plan codes (empty = every plan), optional
//   total-use cap `max_uses`. A use is counted by consume() with one conditional UPDATE
//   (… WHERE max_uses IS NULL OR used_count < max_uses); release() gives it back.
// - Coupons: issuing N copies reserves them with one conditional UPDATE of coupons.issued_count
//   (… AND (total_limit IS NULL OR issued_count + N <= total_limit)), checked by affected rows, in
//   the same transaction as the coupon_issues rows. The transaction first locks the coupon row
//   (SELECT … FOR UPDATE; before any plain read, so its snapshot starts after the previous issuer
//   committed), so the per-user limit counted after it cannot race either. All-or-nothing.
// - An issue is used at most once, at payment request (consume: issued → used, conditional on
//   status); a payment cancelled or failed before capture gives it back (release: used → issued).
// - A member may remove (revoke) an unused issue from their wallet; that frees one slot of the
//   total limit. Used issues cannot be removed.
import { In, IsNull, type DataSource, type EntityManager } from 'typeorm';
import { num } from '../../db/data-source.js';
import type { Principal as AuthUser } from '../access/principal.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { UsersService } from '../users/users.service.js';
import { Coupon, CouponIssue, Discount, Payment } from './commerce.entities.js';
import type { OffersPort } from './contracts.js';
import { msg, type FieldMessages } from '../shared/errors.js';
import { CommerceError } from './domain/errors.js';
import { assertCouponApplicable, assertDiscountApplicable, DiscountNotApplicableError, remainingUses, validateCouponRule, validateDiscountRule } from './domain/pricing.js';
import { isFinance } from './finance.js';
import type { PlansService } from './plans.service.js';
import { affected, isUniqueViolation, lockFor, transactionWithRetry } from './tx.js';

export interface DiscountInput {
  name: string;
  kind: 'partner' | 'promotion';
  type: 'percent' | 'fixed';
  value: number;
  currency?: string | null;
  valid_from?: Date | null;
  valid_until?: Date | null;
  plans?: string[];
  max_uses?: number | null;
  active?: boolean;
}

export interface CouponInput {
  code: string;
  name: string;
  type: 'percent' | 'fixed';
  value: number;
  currency?: string | null;
  min_amount?: number;
  valid_from?: Date | null;
  valid_until?: Date | null;
  total_limit?: number | null;
  per_user_limit?: number;
}

export type IssueStatusFilter = 'issued' | 'used' | 'revoked' | 'all';

const notFound = (what: 'discount' | 'coupon') => new CommerceError('not_found', `${what}_not_found`);
const invalid = (fields: FieldMessages) => new CommerceError('invalid', 'invalid_offer', {}, { fields, vars: { fields: Object.keys(fields).join(', ') } });

// Field names of the pricing validators → the API's.
const API_FIELDS: Record<string, string> = { validUntil: 'valid_until', validFrom: 'valid_from', minAmount: 'min_amount', remainingUses: 'max_uses' };
const apiFields = (f: FieldMessages): FieldMessages => Object.fromEntries(Object.entries(f).map(([k, v]) => [API_FIELDS[k] ?? k, v]));

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function discountJson(d: Discount, full: boolean) {
  const base = {
    id: d.id,
    name: d.name,
    kind: d.kind,
    type: d.type,
    value: d.value,
    currency: d.currency,
    valid_from: iso(d.validFrom),
    valid_until: iso(d.validUntil),
    plans: d.planCodes,
  };
  return full ? { ...base, max_uses: d.maxUses, used_count: d.usedCount, remaining_uses: remainingUses(d), active: d.active, created_at: iso(d.createdAt) } : base;
}

export function couponJson(c: Coupon) {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    type: c.type,
    value: c.value,
    currency: c.currency,
    min_amount: c.minAmount,
    valid_from: iso(c.validFrom),
    valid_until: iso(c.validUntil),
    total_limit: c.totalLimit,
    per_user_limit: c.perUserLimit,
    issued_count: c.issuedCount,
    created_at: iso(c.createdAt),
  };
}

export function issueJson(i: CouponIssue) {
  return { id: i.id, coupon_id: i.couponId, user_id: i.userId, status: i.status, payment_id: i.paymentId, issued_by: i.issuedBy, issued_at: iso(i.issuedAt), used_at: iso(i.usedAt) };
}

function inWindow(r: { validFrom: Date | null; validUntil: Date | null }, now: Date): boolean {
  return (!r.validFrom || r.validFrom.getTime() <= now.getTime()) && (!r.validUntil || now.getTime() < r.validUntil.getTime());
}

const actorOf = (u: AuthUser | null | undefined): Actor | null => (u ? { id: u.id, email: u.email } : null);

export class OffersService implements OffersPort {
  constructor(
    private readonly ds: DataSource,
    private readonly plans: PlansService,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  // ---- discounts -------------------------------------------------------------------------------

  /** Finance/admin: every discount; anyone else: the ones running now (active, in their window). */
  async listDiscounts(viewer: AuthUser | undefined, page: { offset: number; limit: number }, now = new Date()): Promise<{ count: number; rows: Discount[] }> {
    const qb = this.ds.getRepository(Discount).createQueryBuilder('d').orderBy('d.id', 'DESC');
    if (!isFinance(viewer)) {
      qb.where('d.active = :active', { active: true })
        .andWhere('(d.validFrom IS NULL OR d.validFrom <= :now)', { now })
        .andWhere('(d.validUntil IS NULL OR d.validUntil > :now)', { now })
        .andWhere('(d.maxUses IS NULL OR d.usedCount < d.maxUses)');
    }
    const [rows, count] = await qb.skip(page.offset).take(page.limit).getManyAndCount();
    return { count, rows };
  }

  async getDiscount(viewer: AuthUser | undefined, id: number, now = new Date()): Promise<Discount> {
    const d = await this.ds.getRepository(Discount).findOneBy({ id });
    if (!d || (!isFinance(viewer) && !(d.active && inWindow(d, now)))) throw notFound('discount');
    return d;
  }

  private async validateDiscount(d: Pick<Discount, 'type' | 'value' | 'currency' | 'validFrom' | 'validUntil' | 'planCodes' | 'maxUses' | 'usedCount'>): Promise<void> {
    const fields = apiFields(validateDiscountRule({ ...d, remainingUses: null }));
    const unknown = await this.plans.unknownCodes(d.planCodes);
    if (unknown.length) (fields.plans ??= []).push(msg('commerceUnknownPlanCodes', { codes: unknown.join(', ') }));
    if (d.maxUses !== null && d.maxUses < d.usedCount) (fields.max_uses ??= []).push(msg('commerceUsedBelow', { n: d.usedCount }));
    if (Object.keys(fields).length) throw invalid(fields);
  }

  async createDiscount(actor: AuthUser, input: DiscountInput): Promise<Discount> {
    const d = this.ds.getRepository(Discount).create({
      name: input.name.trim(),
      kind: input.kind,
      type: input.type,
      value: input.value,
      currency: input.currency ?? null,
      validFrom: input.valid_from ?? null,
      validUntil: input.valid_until ?? null,
      planCodes: [...new Set(input.plans ?? [])],
      maxUses: input.max_uses ?? null,
      usedCount: 0,
      active: input.active ?? true,
    });
    await this.validateDiscount(d);
    return this.ds.transaction(async (m) => {
      const saved = await m.save(d);
      await this.audit.record({ actor: actorOf(actor), action: 'discount.create', resource: 'discounts', recordId: saved.id, after: discountJson(saved, true) }, m);
      return saved;
    });
  }

  /** PUT discounts/{id}: the given fields replace the stored ones (others stay); used_count is never written here. */
  async updateDiscount(actor: AuthUser, id: number, input: Partial<DiscountInput>): Promise<Discount> {
    return transactionWithRetry(this.ds, async (m) => {
      const d = await m.findOne(Discount, { where: { id }, lock: lockFor(m) });
      if (!d) throw notFound('discount');
      const before = discountJson(d, true);
      const next: Partial<Discount> = {};
      if (input.name !== undefined) next.name = input.name.trim();
      if (input.kind !== undefined) next.kind = input.kind;
      if (input.type !== undefined) next.type = input.type;
      if (input.value !== undefined) next.value = input.value;
      if (input.currency !== undefined) next.currency = input.currency;
      if (input.valid_from !== undefined) next.validFrom = input.valid_from;
      if (input.valid_until !== undefined) next.validUntil = input.valid_until;
      if (input.plans !== undefined) next.planCodes = [...new Set(input.plans)];
      if (input.max_uses !== undefined) next.maxUses = input.max_uses;
      if (input.active !== undefined) next.active = input.active;
      const merged = Object.assign(d, next);
      await this.validateDiscount(merged);
      if (Object.keys(next).length) await m.update(Discount, { id }, next);
      await this.audit.record({ actor: actorOf(actor), action: 'discount.update', resource: 'discounts', recordId: id, before, after: discountJson(merged, true) }, m);
      return merged;
    });
  }

  /** Removes a discount no payment refers to; one that payments refer to is deactivated (kept for their history). */
  async deleteDiscount(actor: AuthUser, id: number): Promise<'deleted' | 'deactivated'> {
    return transactionWithRetry(this.ds, async (m) => {
      const d = await m.findOne(Discount, { where: { id }, lock: lockFor(m) });
      if (!d) throw notFound('discount');
      const referenced = d.usedCount > 0 || (await m.count(Payment, { where: { discountId: id } })) > 0;
      if (referenced) await m.update(Discount, { id }, { active: false });
      else await m.delete(Discount, { id });
      await this.audit.record({ actor: actorOf(actor), action: referenced ? 'discount.deactivate' : 'discount.delete', resource: 'discounts', recordId: id, before: discountJson(d, true), after: null }, m);
      return referenced ? 'deactivated' : 'deleted';
    });
  }

  // ---- coupons ---------------------------------------------------------------------------------

  async createCoupon(actor: AuthUser, input: CouponInput): Promise<Coupon> {
    const c = this.ds.getRepository(Coupon).create({
      code: input.code.trim(),
      name: input.name.trim(),
      type: input.type,
      value: input.value,
      currency: input.currency ?? null,
      minAmount: input.min_amount ?? 0,
      validFrom: input.valid_from ?? null,
      validUntil: input.valid_until ?? null,
      totalLimit: input.total_limit ?? null,
      perUserLimit: input.per_user_limit ?? 1,
      issuedCount: 0,
    });
    const fields = apiFields(validateCouponRule(c));
    if (Object.keys(fields).length) throw invalid(fields);
    const taken = () => new CommerceError('conflict', 'coupon_code_taken', {}, { vars: { code: c.code } });
    if (await this.ds.getRepository(Coupon).existsBy({ code: c.code })) throw taken();
    try {
      return await this.ds.transaction(async (m) => {
        const saved = await m.save(c);
        await this.audit.record({ actor: actorOf(actor), action: 'coupon.create', resource: 'coupons', recordId: saved.id, after: couponJson(saved) }, m);
        return saved;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw taken();
      throw err;
    }
  }

  /** Changes a coupon's definition (not its code); the total limit cannot go below what is issued. Audited. */
  async updateCoupon(actor: AuthUser, id: number, input: Partial<Omit<CouponInput, 'code'>>): Promise<Coupon> {
    return transactionWithRetry(this.ds, async (m) => {
      const c = await m.findOne(Coupon, { where: { id }, lock: lockFor(m) });
      if (!c) throw notFound('coupon');
      const before = couponJson(c);
      const next: Partial<Coupon> = {};
      if (input.name !== undefined) next.name = input.name.trim();
      if (input.type !== undefined) next.type = input.type;
      if (input.value !== undefined) next.value = input.value;
      if (input.currency !== undefined) next.currency = input.currency;
      if (input.min_amount !== undefined) next.minAmount = input.min_amount;
      if (input.valid_from !== undefined) next.validFrom = input.valid_from;
      if (input.valid_until !== undefined) next.validUntil = input.valid_until;
      if (input.total_limit !== undefined) next.totalLimit = input.total_limit;
      if (input.per_user_limit !== undefined) next.perUserLimit = input.per_user_limit;
      const merged = Object.assign(c, next);
      const fields = apiFields(validateCouponRule(merged));
      if (merged.totalLimit !== null && merged.totalLimit < merged.issuedCount) (fields.total_limit ??= []).push(msg('commerceIssuedBelow', { n: merged.issuedCount }));
      if (Object.keys(fields).length) throw invalid(fields);
      if (Object.keys(next).length) await m.update(Coupon, { id }, next);
      await this.audit.record({ actor: actorOf(actor), action: 'coupon.update', resource: 'coupons', recordId: id, before, after: couponJson(merged) }, m);
      return merged;
    });
  }

  async getCoupon(id: number, manager?: EntityManager): Promise<Coupon> {
    const c = await (manager ?? this.ds.manager).findOneBy(Coupon, { id });
    if (!c) throw notFound('coupon');
    return c;
  }

  /**
   * POST coupons/{coupon_id}/issues: one issue per entry of `userIds` (a user named twice gets two),
   * all or nothing, within the total limit (atomic conditional UPDATE) and the per-user limit.
   */
  async issue(actor: AuthUser, couponId: number, userIds: number[], now = new Date()): Promise<CouponIssue[]> {
    if (!userIds.length) throw invalid({ users: [msg('commerceNameUsers')] });
    const known = await this.users.publicNames(userIds);
    const unknown = [...new Set(userIds.filter((id) => !known.has(id)))];
    if (unknown.length) throw invalid({ users: [msg('commerceUnknownUserIds', { ids: unknown.join(', ') })] });
    const n = userIds.length;

    return transactionWithRetry(this.ds, async (m) => {
      // Lock the coupon row first (a locking read, so InnoDB's consistent-read snapshot of this
      // transaction starts only after the previous issuer committed): the per-user count below
      // then sees every issue committed before us.
      const coupon = await m.findOne(Coupon, { where: { id: couponId }, lock: lockFor(m) });
      if (!coupon) throw notFound('coupon');
      if (coupon.validUntil && coupon.validUntil.getTime() <= now.getTime()) {
        throw new CommerceError('conflict', 'coupon_expired', { valid_until: iso(coupon.validUntil) }, { form: 'issue' });
      }
      // The total limit, atomically: the row only changes when the n copies fit.
      const reserved = await m
        .createQueryBuilder()
        .update(Coupon)
        .set({ issuedCount: () => 'issued_count + :n' })
        .where('id = :id AND (total_limit IS NULL OR issued_count + :n <= total_limit)', { id: couponId, n })
        .execute();
      if (affected(reserved) !== 1) {
        const fresh = await this.getCoupon(couponId, m);
        const left = fresh.totalLimit === null ? null : Math.max(0, fresh.totalLimit - fresh.issuedCount);
        throw new CommerceError('conflict', 'coupon_limit_reached', { remaining: left, requested: n });
      }
      // The per-user limit, counted while this transaction holds the coupon row's lock.
      const wanted = new Map<number, number>();
      for (const id of userIds) wanted.set(id, (wanted.get(id) ?? 0) + 1);
      const held: Array<{ userId: number | string; n: number | string }> = await m
        .createQueryBuilder(CouponIssue, 'ci')
        .select('ci.userId', 'userId')
        .addSelect('COUNT(*)', 'n')
        .where('ci.couponId = :couponId', { couponId })
        .andWhere('ci.userId IN (:...ids)', { ids: [...wanted.keys()] })
        .andWhere('ci.status <> :revoked', { revoked: 'revoked' })
        .groupBy('ci.userId')
        .getRawMany();
      const heldBy = new Map(held.map((r) => [Number(r.userId), num(r.n)]));
      const over = [...wanted].filter(([id, k]) => (heldBy.get(id) ?? 0) + k > coupon.perUserLimit).map(([id]) => id);
      if (over.length) {
        throw new CommerceError('conflict', 'coupon_user_limit_reached', { users: over, per_user_limit: coupon.perUserLimit });
      }
      const rows = userIds.map((userId) => m.create(CouponIssue, { couponId, userId, status: 'issued', paymentId: null, issuedBy: actor.id, usedAt: null, issuedAt: now }));
      const saved = await m.save(rows, { chunk: 200 });
      await this.audit.record({ actor: actorOf(actor), action: 'coupon.issue', resource: 'coupons', recordId: couponId, after: { issued: n, users: [...wanted.keys()].slice(0, 100) } }, m);
      return saved;
    });
  }

  /** GET coupons/{coupon_id}/issues: the issue history, newest first. */
  async issues(couponId: number, filter: { status?: IssueStatusFilter; userId?: number }, page: { offset: number; limit: number }): Promise<{ count: number; rows: CouponIssue[] }> {
    await this.getCoupon(couponId);
    const where = { couponId, ...(filter.status && filter.status !== 'all' ? { status: filter.status } : {}), ...(filter.userId ? { userId: filter.userId } : {}) };
    const [rows, count] = await this.ds.getRepository(CouponIssue).findAndCount({ where, order: { id: 'DESC' }, skip: page.offset, take: page.limit });
    return { count, rows };
  }

  /** A member reaches only their own coupons (another id → 404); finance/admin reach everyone's. */
  private assertAccess(viewer: AuthUser, userId: number): void {
    if (viewer.id !== userId && !isFinance(viewer)) throw notFound('coupon');
  }

  /** GET users/{user_id}/coupons: the member's issues with their coupon, newest first (revoked ones only when asked). */
  async forUser(viewer: AuthUser, userId: number, filter: { status?: IssueStatusFilter }, page: { offset: number; limit: number }): Promise<{ count: number; rows: Array<{ issue: CouponIssue; coupon: Coupon }> }> {
    this.assertAccess(viewer, userId);
    const status = filter.status ?? 'all';
    const where = status === 'all' ? { userId, status: In(['issued', 'used']) } : { userId, status };
    const [issues, count] = await this.ds.getRepository(CouponIssue).findAndCount({ where, order: { id: 'DESC' }, skip: page.offset, take: page.limit });
    const coupons = issues.length ? await this.ds.getRepository(Coupon).findBy({ id: In([...new Set(issues.map((i) => i.couponId))]) }) : [];
    const byId = new Map(coupons.map((c) => [c.id, c]));
    return { count, rows: issues.filter((i) => byId.has(i.couponId)).map((issue) => ({ issue, coupon: byId.get(issue.couponId)! })) };
  }

  /** GET users/{user_id}/coupons/count: issues held (not revoked) and how many of them can be used now. */
  async countForUser(viewer: AuthUser, userId: number, now = new Date()): Promise<{ count: number; usable: number }> {
    this.assertAccess(viewer, userId);
    const count = await this.ds.getRepository(CouponIssue).count({ where: { userId, status: In(['issued', 'used']) } });
    const usable = await this.ds
      .getRepository(CouponIssue)
      .createQueryBuilder('ci')
      .innerJoin(Coupon, 'c', 'c.id = ci.couponId')
      .where('ci.userId = :userId', { userId })
      .andWhere('ci.status = :issued', { issued: 'issued' })
      .andWhere('(c.validFrom IS NULL OR c.validFrom <= :now)', { now })
      .andWhere('(c.validUntil IS NULL OR c.validUntil > :now)', { now })
      .getCount();
    return { count, usable };
  }

  /** DELETE users/{user_id}/coupons/{coupon_id}: revokes the member's newest unused issue of that coupon. */
  async revoke(viewer: AuthUser, userId: number, couponId: number): Promise<CouponIssue> {
    this.assertAccess(viewer, userId);
    return transactionWithRetry(this.ds, async (m) => {
      const mine = await m.find(CouponIssue, { where: { userId, couponId, status: In(['issued', 'used']) }, order: { id: 'DESC' }, lock: lockFor(m) });
      const unused = mine.find((i) => i.status === 'issued');
      if (!unused) {
        if (mine.length) throw new CommerceError('conflict', 'coupon_already_used', {}, { form: 'revoke' });
        throw notFound('coupon');
      }
      const res = await m.update(CouponIssue, { id: unused.id, status: 'issued' }, { status: 'revoked' });
      if (affected(res) !== 1) throw new CommerceError('conflict', 'coupon_already_used', {}, { form: 'revoke' });
      await m.createQueryBuilder().update(Coupon).set({ issuedCount: () => 'issued_count - 1' }).where('id = :id AND issued_count > 0', { id: couponId }).execute();
      await this.audit.record({ actor: actorOf(viewer), action: 'coupon.revoke', resource: 'coupon_issues', recordId: unused.id, before: { status: 'issued', user_id: userId }, after: { status: 'revoked' } }, m);
      unused.status = 'revoked';
      return unused;
    });
  }

  // ---- OffersPort ------------------------------------------------------------------------------

  async checkDiscount(discountId: number, input: { planCode: string | null; listPrice: number; currency: string; now: Date }, manager?: EntityManager): Promise<Discount> {
    const d = await (manager ?? this.ds.manager).findOneBy(Discount, { id: discountId });
    if (!d) throw notFound('discount');
    assertDiscountApplicable({ ...d, remainingUses: remainingUses(d) }, { listPrice: { amount: input.listPrice, currency: input.currency }, planCode: input.planCode, now: input.now });
    return d;
  }

  async lockCouponForUse(manager: EntityManager, userId: number, couponId: number, input: { base: number; currency: string; now: Date }): Promise<{ coupon: Coupon; issue: CouponIssue }> {
    const issue = await manager.findOne(CouponIssue, { where: { userId, couponId, status: 'issued', paymentId: IsNull() }, order: { id: 'ASC' }, lock: lockFor(manager) });
    if (!issue) {
      const used = await manager.existsBy(CouponIssue, { userId, couponId, status: 'used' });
      if (used) throw new CommerceError('conflict', 'coupon_already_used', { field: 'coupon' });
      throw notFound('coupon');
    }
    const coupon = await this.getCoupon(couponId, manager);
    assertCouponApplicable(coupon, { base: { amount: input.base, currency: input.currency }, now: input.now });
    return { coupon, issue };
  }

  async consume(manager: EntityManager, input: { paymentId: number; couponIssueId: number | null; discountId: number | null; now: Date }): Promise<void> {
    if (input.couponIssueId !== null) {
      const res = await manager.update(CouponIssue, { id: input.couponIssueId, status: 'issued' }, { status: 'used', paymentId: input.paymentId, usedAt: input.now });
      if (affected(res) !== 1) throw new CommerceError('conflict', 'coupon_already_used', { field: 'coupon' });
    }
    if (input.discountId !== null) {
      const res = await manager
        .createQueryBuilder()
        .update(Discount)
        .set({ usedCount: () => 'used_count + 1' })
        .where('id = :id AND active = :active AND (max_uses IS NULL OR used_count < max_uses)', { id: input.discountId, active: true })
        .execute();
      if (affected(res) !== 1) throw new DiscountNotApplicableError('exhausted');
    }
  }

  async release(manager: EntityManager, input: { paymentId: number; couponIssueId: number | null; discountId: number | null }): Promise<void> {
    if (input.couponIssueId !== null) {
      await manager.update(CouponIssue, { id: input.couponIssueId, status: 'used', paymentId: input.paymentId }, { status: 'issued', paymentId: null, usedAt: null });
    }
    if (input.discountId !== null) {
      await manager.createQueryBuilder().update(Discount).set({ usedCount: () => 'used_count - 1' }).where('id = :id AND used_count > 0', { id: input.discountId }).execute();
    }
  }
}
