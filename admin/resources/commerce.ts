// The finance panel (navigation group "Finance"): payments, refunds, subscriptions, plans,
// discounts and coupons. Finance and admin only (the role table, src/http/rbac.ts) — catalog and
// support staff neither see nor open any of it.
// Money never changes by a raw row edit: payments, refunds and subscriptions are read-only
// resources whose record actions ("Cancel", "Refund…", "Approve", "Reject…", "Cancel at period
// end", "Resume", "Issue to users…") call the same services as the public API, which check the
// payment rules and write the audit log. Plans, discounts and coupons are edited as definitions
// (validated with the domain's pricing rules; counters are not editable), audited by the panel.
import type { ActionContext, ActionRequest, ActionResponse, Before, ResourceWithOptions } from 'adminjs';
import { NotFoundError } from 'adminjs';
import type { AuthUser } from '../../src/http/auth.js';
import { Coupon, Discount, Payment, Plan, Refund, Subscription } from '../../src/modules/commerce/commerce.entities.js';
import { CommerceError } from '../../src/modules/commerce/domain/errors.js';
import { SUPPORTED_CURRENCIES } from '../../src/modules/commerce/domain/money.js';
import { validateCouponRule, validateDiscountRule } from '../../src/modules/commerce/domain/pricing.js';
import type { Services } from '../../src/runtime.js';
import type { ResourceName } from '../../src/http/rbac.js';
import { permit, type AdminSessionUser } from '../access.js';
import { asActions, audited } from '../audit.js';
import { Components } from '../components.js';
import { toValidationError } from './validate.js';

const FINANCE = { name: 'Finance', icon: 'CreditCard' };
const never = { isAccessible: false, isVisible: false };
/** List/show/search for the roles that may read `resource` (role table); no generic writes. */
const reads = (resource: ResourceName) => {
  const who = permit(resource, 'read');
  return { list: { isAccessible: who, isVisible: who }, show: { isAccessible: who, isVisible: who }, search: { isAccessible: who } };
};
const readOnly = (resource: ResourceName) => ({ ...reads(resource), new: never, edit: never, delete: never, bulkDelete: never });
/** new/edit guarded by `guard`, for the roles that may create/update `resource`. */
const writes = (resource: ResourceName, guard: unknown) => ({
  new: { isAccessible: permit(resource, 'create'), isVisible: permit(resource, 'create'), before: guard },
  edit: { isAccessible: permit(resource, 'update'), isVisible: permit(resource, 'update'), before: guard },
});
const listShow = { list: true, show: true, edit: false, filter: true };
const showOnly = { list: false, show: true, edit: false, filter: false };
const REASON_MAX = 500;

/** The signed-in staff member as the services know users. */
function staffOf(context: ActionContext): AuthUser {
  const a = context.currentAdmin as AdminSessionUser | undefined;
  if (!a) throw new NotFoundError('Not signed in.', context.action.name);
  return { id: Number(a.id), email: a.email, role: a.role, username: a.email };
}

/** Runs a money action: its CommerceError becomes an error notice (nothing changed), success a notice + redirect to the record. */
function moneyAction(resourceId: string, run: (request: ActionRequest, context: ActionContext) => Promise<string>) {
  return async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
    const { record, currentAdmin, h, resource } = context;
    if (!record) throw new NotFoundError('The record does not exist any more.', context.action.name);
    if (request.method !== 'post') return { record: record.toJSON(currentAdmin) };
    try {
      const message = await run(request, context);
      const fresh = (await resource.findOne(record.id())) ?? record;
      return { record: fresh.toJSON(currentAdmin), notice: { message, type: 'success' }, redirectUrl: h.recordActionUrl({ resourceId, recordId: record.id(), actionName: 'show' }) };
    } catch (err) {
      if (err instanceof CommerceError) return { record: record.toJSON(currentAdmin), notice: { message: err.message, type: 'error' } };
      throw err;
    }
  };
}

const reasonOf = (request: ActionRequest, required: boolean): string | null => {
  const reason = String(request.payload?.reason ?? '').trim();
  if (reason.length > REASON_MAX) throw new CommerceError('reason_too_long', `Write at most ${REASON_MAX} characters.`, 400);
  if (required && !reason) throw new CommerceError('reason_required', 'Write a reason.', 400);
  return reason || null;
};

const status = (ctx: ActionContext) => String(ctx.record?.params?.status ?? '');

function paymentsResource(services: Services): ResourceWithOptions {
  const refundable = (ctx: ActionContext) => permit('payments', 'refund')(ctx) && ['paid', 'partially_refunded'].includes(status(ctx));
  const cancellable = (ctx: ActionContext) => permit('payments', 'cancel')(ctx) && ['requested', 'approved', 'paid', 'partially_refunded'].includes(status(ctx));
  return {
    resource: Payment,
    options: {
      id: 'payments',
      navigation: FINANCE,
      properties: {
        userId: { reference: 'users', isVisible: listShow },
        methodId: { isVisible: { list: false, show: true, edit: false, filter: true } },
        planId: { reference: 'plans', isVisible: listShow },
        itemMovieId: { reference: 'movies', isVisible: { list: false, show: true, edit: false, filter: true } },
        subscriptionId: { reference: 'subscriptions', isVisible: showOnly },
        status: { availableValues: ['requested', 'approved', 'paid', 'partially_refunded', 'refunded', 'cancelled', 'failed'].map((v) => ({ value: v, label: v })), isVisible: listShow },
        createdAt: { isVisible: listShow },
        paidAt: { isVisible: listShow },
        version: { isVisible: false },
      },
      listProperties: ['id', 'userId', 'kind', 'planId', 'status', 'amountTotal', 'refundedAmount', 'currency', 'paidAt', 'createdAt'],
      filterProperties: ['status', 'userId', 'methodId', 'planId', 'kind', 'createdAt', 'paidAt', 'gateway'],
      showProperties: ['id', 'userId', 'kind', 'planId', 'itemMovieId', 'subscriptionId', 'methodId', 'status', 'amountList', 'amountDiscount', 'amountCoupon', 'amountTotal', 'refundedAmount', 'currency', 'discountId', 'couponIssueId', 'gateway', 'gatewayRef', 'failureReason', 'periodStart', 'periodEnd', 'approvedAt', 'paidAt', 'cancelledAt', 'createdAt', 'updatedAt'],
      sort: { sortBy: 'createdAt', direction: 'desc' },
      actions: asActions({
        ...readOnly('payments'),
        cancelPayment: {
          actionType: 'record',
          icon: 'XCircle',
          label: 'Cancel',
          guard: 'Cancel this payment? Before capture it is voided; after capture it is refunded in full.',
          isAccessible: cancellable,
          isVisible: cancellable,
          component: Components.FinanceAction,
          handler: moneyAction('payments', async (request, context) => {
            const r = await services.payments.cancel(staffOf(context), Number(context.record!.id()), reasonOf(request, true));
            return r.refund ? `Refunded ${r.refund.amount} ${r.refund.currency}; the payment is ${r.payment.status}.` : 'The payment is cancelled.';
          }),
        },
        refund: {
          actionType: 'record',
          icon: 'RotateCcw',
          label: 'Refund…',
          isAccessible: refundable,
          isVisible: refundable,
          component: Components.FinanceAction,
          handler: moneyAction('payments', async (request, context) => {
            const raw = String(request.payload?.amount ?? '').trim();
            if (!/^\d+$/.test(raw) || Number(raw) <= 0) throw new CommerceError('invalid_amount', 'Enter a positive whole amount in minor units.', 400);
            const refund = await services.refunds.create(staffOf(context), { paymentId: Number(context.record!.id()), amount: Number(raw), reason: reasonOf(request, true), override: true });
            return `Refunded ${refund.amount} ${refund.currency} (${refund.code}).`;
          }),
        },
      }),
      translations: {
        en: {
          labels: { payments: 'Payments' },
          actions: { cancelPayment: 'Cancel', refund: 'Refund…' },
          properties: { userId: 'Member', planId: 'Plan', itemMovieId: 'Movie', amountTotal: 'Total', refundedAmount: 'Refunded', amountList: 'List price', amountDiscount: 'Discount', amountCoupon: 'Coupon', methodId: 'Method id' },
        },
      },
    },
  };
}

function refundsResource(services: Services): ResourceWithOptions {
  const pending = (action: 'approve' | 'reject') => (ctx: ActionContext) => permit('refunds', action)(ctx) && status(ctx) === 'requested';
  return {
    resource: Refund,
    options: {
      id: 'refunds',
      navigation: FINANCE,
      properties: {
        paymentId: { reference: 'payments', isVisible: listShow },
        userId: { reference: 'users', isVisible: listShow },
        status: { availableValues: ['requested', 'completed', 'rejected'].map((v) => ({ value: v, label: v })), isVisible: listShow },
        reason: { type: 'textarea', isVisible: showOnly },
        createdAt: { isVisible: listShow },
      },
      listProperties: ['id', 'code', 'paymentId', 'userId', 'amount', 'currency', 'status', 'rule', 'createdAt'],
      filterProperties: ['status', 'paymentId', 'userId', 'rule', 'createdAt'],
      showProperties: ['id', 'code', 'paymentId', 'userId', 'amount', 'currency', 'status', 'rule', 'reason', 'requestedBy', 'decidedBy', 'gatewayRef', 'createdAt', 'updatedAt'],
      sort: { sortBy: 'createdAt', direction: 'desc' },
      actions: asActions({
        ...readOnly('refunds'),
        approve: {
          actionType: 'record',
          icon: 'Check',
          label: 'Approve',
          isAccessible: pending('approve'),
          isVisible: pending('approve'),
          component: Components.FinanceAction,
          handler: moneyAction('refunds', async (_request, context) => {
            const r = await services.refunds.approve(staffOf(context), Number(context.record!.id()));
            return `Refund approved: ${r.amount} ${r.currency} returned.`;
          }),
        },
        reject: {
          actionType: 'record',
          icon: 'X',
          label: 'Reject…',
          isAccessible: pending('reject'),
          isVisible: pending('reject'),
          component: Components.FinanceAction,
          handler: moneyAction('refunds', async (request, context) => {
            await services.refunds.reject(staffOf(context), Number(context.record!.id()), reasonOf(request, true) ?? '');
            return 'Refund rejected; the amount is available again on the payment.';
          }),
        },
      }),
      translations: { en: { labels: { refunds: 'Refunds' }, properties: { paymentId: 'Payment', userId: 'Member' } } },
    },
  };
}

function subscriptionsResource(services: Services): ResourceWithOptions {
  const running = (action: 'cancel' | 'resume') => (ctx: ActionContext) => permit('subscriptions', action)(ctx) && ['active', 'suspended'].includes(status(ctx));
  const endsAtPeriod = (ctx: ActionContext) => ctx.record?.params?.cancelAtPeriodEnd === true || ctx.record?.params?.cancelAtPeriodEnd === 'true';
  return {
    resource: Subscription,
    options: {
      id: 'subscriptions',
      navigation: FINANCE,
      properties: {
        userId: { reference: 'users', isVisible: listShow },
        planId: { reference: 'plans', isVisible: listShow },
        nextPlanId: { reference: 'plans', isVisible: showOnly },
        status: { availableValues: ['pending', 'active', 'cancelled', 'suspended', 'expired'].map((v) => ({ value: v, label: v })), isVisible: listShow },
      },
      listProperties: ['id', 'userId', 'planId', 'status', 'currentPeriodEnd', 'cancelAtPeriodEnd', 'renewalAttempts'],
      filterProperties: ['status', 'planId', 'userId', 'cancelAtPeriodEnd', 'currentPeriodEnd'],
      showProperties: ['id', 'userId', 'planId', 'nextPlanId', 'status', 'methodId', 'currentPeriodStart', 'currentPeriodEnd', 'cancelAtPeriodEnd', 'renewalAttempts', 'nextAttemptAt', 'createdAt', 'updatedAt'],
      sort: { sortBy: 'updatedAt', direction: 'desc' },
      actions: asActions({
        ...readOnly('subscriptions'),
        cancelAtPeriodEnd: {
          actionType: 'record',
          icon: 'PauseCircle',
          label: 'Cancel at period end',
          isAccessible: (ctx: ActionContext) => running('cancel')(ctx) && !endsAtPeriod(ctx),
          isVisible: (ctx: ActionContext) => running('cancel')(ctx) && !endsAtPeriod(ctx),
          component: Components.FinanceAction,
          handler: moneyAction('subscriptions', async (_request, context) => {
            await services.subscriptions.cancel(staffOf(context), Number(context.record!.params.userId));
            return 'The subscription ends at the end of its period.';
          }),
        },
        resume: {
          actionType: 'record',
          icon: 'PlayCircle',
          label: 'Resume',
          isAccessible: (ctx: ActionContext) => running('resume')(ctx) && endsAtPeriod(ctx),
          isVisible: (ctx: ActionContext) => running('resume')(ctx) && endsAtPeriod(ctx),
          component: Components.FinanceAction,
          handler: moneyAction('subscriptions', async (_request, context) => {
            await services.subscriptions.choose(staffOf(context), Number(context.record!.params.userId), { cancel: false });
            return 'The subscription renews again.';
          }),
        },
      }),
      translations: { en: { labels: { subscriptions: 'Subscriptions' }, actions: { cancelAtPeriodEnd: 'Cancel at period end' }, properties: { userId: 'Member', planId: 'Plan', nextPlanId: 'Next plan' } } },
    },
  };
}

/** Definition writes (plans, discounts, coupons): only these fields come from the form; the rule is checked before anything is written. */
function definitionGuard(fields: string[], check: (v: Record<string, unknown>) => Record<string, string>): Before {
  return async (request: ActionRequest, context: ActionContext) => {
    if (request.method !== 'post') return request;
    const payload = (request.payload ?? {}) as Record<string, unknown>;
    const current = (context.action.name === 'edit' && context.record ? context.record.params : {}) as Record<string, unknown>;
    const kept: Record<string, unknown> = {};
    for (const f of fields) {
      // array fields arrive flattened (planCodes.0, planCodes.1 …)
      const flat = Object.keys(payload).filter((k) => k.startsWith(`${f}.`));
      if (flat.length) for (const k of flat) kept[k] = payload[k];
      else if (f in payload) kept[f] = payload[f];
      else if (f in current) kept[f] = current[f];
    }
    const errors = check(kept);
    if (Object.keys(errors).length) throw toValidationError(errors);
    return { ...request, payload: kept };
  };
}

const intOrNull = (v: unknown): number | null => (v === undefined || v === null || v === '' ? null : /^-?\d+$/.test(String(v)) ? Number(v) : NaN);
const dateOrNull = (v: unknown): Date | null => (v === undefined || v === null || v === '' ? null : new Date(String(v)));
const currencyError = (v: unknown, required: boolean): string | null => {
  if (v === undefined || v === null || v === '') return required ? 'Choose a currency.' : null;
  return (SUPPORTED_CURRENCIES as readonly string[]).includes(String(v)) ? null : `One of ${SUPPORTED_CURRENCIES.join(', ')}.`;
};
const firstErrors = (fields: Record<string, string[]>): Record<string, string> => Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v.join(' ')]));
const currencyValues = SUPPORTED_CURRENCIES.map((c) => ({ value: c, label: c }));
const adjustmentValues = ['percent', 'fixed'].map((v) => ({ value: v, label: v }));

function plansResource(services: Services): ResourceWithOptions {
  const fields = ['code', 'name', 'interval', 'price', 'currency', 'deviceLimit', 'active'];
  const guard = definitionGuard(fields, (v) => {
    const e: Record<string, string> = {};
    if (!/^[a-z0-9_-]{2,40}$/.test(String(v.code ?? ''))) e.code = '2–40 lowercase letters, digits, - or _.';
    if (!String(v.name ?? '').trim() || String(v.name).length > 100) e.name = 'Required, at most 100 characters.';
    if (!['month', 'year'].includes(String(v.interval))) e.interval = 'month or year.';
    const price = intOrNull(v.price);
    if (price === null || Number.isNaN(price) || price <= 0) e.price = 'A positive whole amount in minor units.';
    const c = currencyError(v.currency, true);
    if (c) e.currency = c;
    const devices = intOrNull(v.deviceLimit);
    if (devices === null || Number.isNaN(devices) || devices < 1 || devices > 20) e.deviceLimit = '1–20 devices.';
    return e;
  });
  return {
    resource: Plan,
    options: {
      id: 'plans',
      navigation: FINANCE,
      properties: {
        interval: { availableValues: [{ value: 'month', label: 'month' }, { value: 'year', label: 'year' }] },
        currency: { availableValues: currencyValues },
        price: { description: 'Minor units of the currency (KRW has none: 9900 = ₩9,900)' },
      },
      listProperties: ['id', 'code', 'name', 'interval', 'price', 'currency', 'deviceLimit', 'active'],
      filterProperties: ['code', 'interval', 'active'],
      editProperties: fields,
      actions: asActions({
        ...reads('plans'),
        ...audited('plans', services.audit, {
          ...writes('plans', guard),
          // Plans are referenced by payments and subscriptions: deactivate instead of deleting.
          delete: never,
        }),
      }),
      translations: { en: { labels: { plans: 'Plans' }, properties: { deviceLimit: 'Device limit' } } },
    },
  };
}

function discountsResource(services: Services): ResourceWithOptions {
  const fields = ['name', 'kind', 'type', 'value', 'currency', 'validFrom', 'validUntil', 'planCodes', 'maxUses', 'active'];
  const guard = definitionGuard(fields, (v) => {
    const e: Record<string, string> = {};
    if (!String(v.name ?? '').trim() || String(v.name).length > 100) e.name = 'Required, at most 100 characters.';
    if (!['partner', 'promotion'].includes(String(v.kind))) e.kind = 'partner or promotion.';
    const value = Number(v.value);
    const rule = firstErrors(validateDiscountRule({ type: v.type as 'percent' | 'fixed', value, currency: (v.currency as string) || null, validFrom: dateOrNull(v.validFrom), validUntil: dateOrNull(v.validUntil) }));
    Object.assign(e, rule);
    const c = currencyError(v.currency, v.type === 'fixed');
    if (c) e.currency = c;
    const cap = intOrNull(v.maxUses);
    if (cap !== null && (Number.isNaN(cap) || cap < 1)) e.maxUses = 'Empty (no cap) or a positive whole number.';
    return e;
  });
  return {
    resource: Discount,
    options: {
      id: 'discounts',
      navigation: FINANCE,
      properties: {
        kind: { availableValues: [{ value: 'partner', label: 'partner' }, { value: 'promotion', label: 'promotion' }] },
        type: { availableValues: adjustmentValues },
        currency: { availableValues: currencyValues },
        planCodes: { type: 'string', isArray: true, description: 'Plan codes it applies to; none = every plan' },
        value: { description: 'percent: 1–100; fixed: minor units' },
        usedCount: { isVisible: { list: true, show: true, edit: false, filter: false } },
      },
      listProperties: ['id', 'name', 'kind', 'type', 'value', 'currency', 'validFrom', 'validUntil', 'maxUses', 'usedCount', 'active'],
      filterProperties: ['name', 'kind', 'type', 'active', 'validFrom', 'validUntil'],
      editProperties: fields,
      actions: asActions({
        ...reads('discounts'),
        ...audited('discounts', services.audit, {
          ...writes('discounts', guard),
          delete: never, // used discounts stay for the books; switch `active` off instead
        }),
      }),
      translations: { en: { labels: { discounts: 'Discounts' } } },
    },
  };
}

function couponsResource(services: Services): ResourceWithOptions {
  const fields = ['code', 'name', 'type', 'value', 'currency', 'minAmount', 'validFrom', 'validUntil', 'totalLimit', 'perUserLimit'];
  const guard = definitionGuard(fields, (v) => {
    const e: Record<string, string> = {};
    if (!/^[A-Za-z0-9_-]{3,40}$/.test(String(v.code ?? ''))) e.code = '3–40 letters, digits, - or _.';
    if (!String(v.name ?? '').trim() || String(v.name).length > 100) e.name = 'Required, at most 100 characters.';
    Object.assign(e, firstErrors(validateCouponRule({ type: v.type as 'percent' | 'fixed', value: Number(v.value), currency: (v.currency as string) || null, minAmount: intOrNull(v.minAmount) ?? 0, validFrom: dateOrNull(v.validFrom), validUntil: dateOrNull(v.validUntil) })));
    const c = currencyError(v.currency, v.type === 'fixed');
    if (c) e.currency = c;
    const total = intOrNull(v.totalLimit);
    if (total !== null && (Number.isNaN(total) || total < 1)) e.totalLimit = 'Empty (no limit) or a positive whole number.';
    const per = intOrNull(v.perUserLimit);
    if (per === null || Number.isNaN(per) || per < 1) e.perUserLimit = 'A positive whole number.';
    return e;
  });
  return {
    resource: Coupon,
    options: {
      id: 'coupons',
      navigation: FINANCE,
      properties: {
        type: { availableValues: adjustmentValues },
        currency: { availableValues: currencyValues },
        issuedCount: { isVisible: { list: true, show: true, edit: false, filter: false } },
      },
      listProperties: ['id', 'code', 'name', 'type', 'value', 'currency', 'totalLimit', 'issuedCount', 'validUntil'],
      filterProperties: ['code', 'name', 'type', 'validFrom', 'validUntil'],
      editProperties: fields,
      actions: asActions({
        ...reads('coupons'),
        ...audited('coupons', services.audit, {
          ...writes('coupons', guard),
          delete: never,
        }),
        issueToUsers: {
          actionType: 'record',
          icon: 'Send',
          label: 'Issue to users…',
          isAccessible: permit('coupons', 'issue'),
          isVisible: permit('coupons', 'issue'),
          component: Components.FinanceAction,
          handler: moneyAction('coupons', async (request, context) => {
            const words = String(request.payload?.users ?? '')
              .split(/[\s,;]+/)
              .map((w) => w.trim())
              .filter(Boolean);
            if (!words.length || words.length > 1000) throw new CommerceError('users_required', 'List 1–1000 member ids, usernames or e-mails.', 400);
            const ids: number[] = [];
            const unknown: string[] = [];
            for (const w of words) {
              const user = /^\d+$/.test(w) ? await services.users.findById(Number(w)) : await services.users.findByLogin(w);
              if (user) ids.push(user.id);
              else unknown.push(w);
            }
            if (unknown.length) throw new CommerceError('unknown_users', `Unknown members: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? '…' : ''}. Nothing was issued.`, 400);
            const issued = await services.offers.issue(staffOf(context), Number(context.record!.id()), ids);
            return `Issued ${issued.length} coupon${issued.length === 1 ? '' : 's'}.`;
          }),
        },
      }),
      translations: { en: { labels: { coupons: 'Coupons' }, actions: { issueToUsers: 'Issue to users…' } } },
    },
  };
}

export function commerceResources(services: Services): ResourceWithOptions[] {
  return [paymentsResource(services), refundsResource(services), subscriptionsResource(services), plansResource(services), discountsResource(services), couponsResource(services)];
}

