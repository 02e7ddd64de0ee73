// The finance panel (navigation group "Finance"): payments, refunds, subscriptions, plans,
// discounts and coupons. Finance and admin only (the role table, src/modules/access/rbac.ts) — catalog and
// support staff neither see nor open any of it.
// Money never changes by a raw row edit: payments, refunds and subscriptions are read-only
// resources whose record actions ("Cancel", "Refund…", "Approve", "Reject…", "Cancel at period
// end", "Resume", "Issue to users…") call the same services as the public API, which check the
// payment rules and write the audit log. Plans, discounts and coupons are written by their
// services with the API's schemas (admin/service-form.ts): the same rules and the same field
// errors as the API; counters are not editable; the service writes the audit entry.
import type { ActionContext, ActionRequest, ActionResponse, ResourceWithOptions } from 'adminjs';
import { NotFoundError } from 'adminjs';
import { Coupon, Discount, Payment, Plan, Refund, Subscription } from '../../src/modules/commerce/commerce.entities.js';
import type { Lang } from '../../src/modules/shared/messages.js';
import { SUPPORTED_CURRENCIES } from '../../src/modules/commerce/domain/money.js';
import { couponCreateBody, couponUpdateBody, discountCreateBody, discountUpdateBody, planCreateBody, planUpdateBody, type CouponCreate, type CouponUpdate, type DiscountCreate, type DiscountUpdate, type PlanCreate, type PlanUpdate } from '../../src/modules/commerce/offers.schemas.js';
import type { Services } from '../../src/runtime.js';
import type { AuthUser } from '../../src/http/auth.js';
import type { ResourceName } from '../../src/modules/access/rbac.js';
import { permit, type AdminSessionUser } from '../access.js';
import { asActions } from '../audit.js';
import { Components } from '../components.js';
import { BoundedCountResource } from './adapters.js';
import { explainHttpErrors, panelLang, serviceForm, staffOf, type FormError } from '../service-form.js';
import { panelText, panelValue, type PanelTextKey } from '../locale/index.js';
import { bulkAction, refusalMessage } from '../bulk.js';
import { HttpError, ValidationError as HttpValidationError } from '../../src/http/errors.js';
import { isDomainError } from '../../src/modules/shared/errors.js';

const FINANCE = { name: 'Finance', icon: 'CreditCard' };
const never = { isAccessible: false, isVisible: false };
/** List/show/search for the roles that may read `resource` (role table); no generic writes. */
const reads = (resource: ResourceName) => {
  const who = permit(resource, 'read');
  return { list: { isAccessible: who, isVisible: who }, show: { isAccessible: who, isVisible: who }, search: { isAccessible: who } };
};
const readOnly = (resource: ResourceName) => ({ ...reads(resource), new: never, edit: never, delete: never, bulkDelete: never });
const listShow = { list: true, show: true, edit: false, filter: true };
const showOnly = { list: false, show: true, edit: false, filter: false };
const REASON_MAX = 500;
/** The payment's cancel: void before capture, a full refund after (the label says so, in Korean as the panel's users read it). */
export const CANCEL_LABEL = '결제 취소 (전액 환불)';


/** A refusal of the panel's own input checks, before any service is called: a text of the locale files. */
class PanelRefusal extends Error {
  constructor(
    readonly key: PanelTextKey,
    readonly vars: Record<string, unknown> = {},
  ) {
    super(key);
  }
}

/**
 * Runs a money action: a refusal (a CommerceError or another domain error, by code, or the panel's
 * own input check) becomes an error notice in the staff member's language (nothing changed);
 * success a notice + redirect to the record.
 */
function moneyAction(resourceId: string, run: (request: ActionRequest, context: ActionContext, lang: Lang) => Promise<string>, onGet?: (context: ActionContext) => Promise<Record<string, unknown>>) {
  return async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
    const { record, currentAdmin, h, resource } = context;
    if (!record) throw new NotFoundError('The record does not exist any more.', context.action.name);
    if (request.method !== 'post') return { record: record.toJSON(currentAdmin), ...(onGet ? await onGet(context) : {}) };
    const lang = panelLang(context);
    try {
      const message = await run(request, context, lang);
      const fresh = (await resource.findOne(record.id())) ?? record;
      return { record: fresh.toJSON(currentAdmin), notice: { message, type: 'success' }, redirectUrl: h.recordActionUrl({ resourceId, recordId: record.id(), actionName: 'show' }) };
    } catch (err) {
      if (err instanceof PanelRefusal) return { record: record.toJSON(currentAdmin), notice: { message: panelText(lang, err.key, err.vars), type: 'error' } };
      const message = isDomainError(err) ? refusalMessage(err, context) : null;
      if (message !== null) return { record: record.toJSON(currentAdmin), notice: { message, type: 'error' } };
      throw err;
    }
  };
}

const reasonOf = (request: ActionRequest, required: boolean): string | null => {
  const reason = String(request.payload?.reason ?? '').trim();
  if (reason.length > REASON_MAX) throw new PanelRefusal('finReasonTooLong', { max: REASON_MAX });
  if (required && !reason) throw new PanelRefusal('writeReason');
  return reason || null;
};

const status = (ctx: ActionContext) => String(ctx.record?.params?.status ?? '');

/**
 * The payment page's additions: the method as staff read it ("Visa •••• 4242"), the gateway
 * reference, the payment's refunds and its status history (the lifecycle times on the row, then
 * every audit entry of the payment and of its refunds, oldest first).
 */
async function paymentDetails(services: Services, staff: AuthUser, paymentId: number) {
  const p = await services.payments.getVisible(staff, paymentId);
  const refunds = await services.payments.refundsOf([p.id]);
  const labels = p.methodId ? await services.methods.labels([p.methodId]) : new Map<number, string>();
  const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
  type Step = { at: string; status: string; note: string | null; actor: string | null; source: string };
  const history: Step[] = [];
  const stamp = (at: Date | null, status: string, note: string | null = null) => at && history.push({ at: iso(at)!, status, note, actor: null, source: 'payment' });
  stamp(p.createdAt, 'requested');
  stamp(p.approvedAt, 'approved');
  stamp(p.paidAt, 'paid');
  stamp(p.cancelledAt, 'cancelled', p.failureReason);
  if (p.status === 'failed') history.push({ at: iso(p.updatedAt)!, status: 'failed', note: p.failureReason, actor: null, source: 'payment' });
  const entries = [
    ...(await services.audit.list({ resource: 'payments', recordId: String(p.id), limit: 100 })),
    ...(await Promise.all(refunds.map((r) => services.audit.list({ resource: 'refunds', recordId: String(r.id), limit: 20 })))).flat(),
  ];
  for (const e of entries) {
    const diff = e.diff ? (JSON.parse(e.diff) as Record<string, [unknown, unknown]>) : {};
    const after = (key: string) => (diff[key] ? diff[key][1] : undefined);
    const status = String(after('payment_status') ?? after('status') ?? e.action);
    history.push({ at: iso(e.createdAt)!, status, note: [e.action, e.reason].filter(Boolean).join(': '), actor: e.actorEmail, source: 'audit' });
  }
  history.sort((a, b) => a.at.localeCompare(b.at));
  return {
    method: p.methodId ? (labels.get(p.methodId) ?? `#${p.methodId}`) : null,
    gateway: p.gateway,
    gatewayRef: p.gatewayRef,
    currency: p.currency,
    refundable: ['paid', 'partially_refunded'].includes(p.status) ? p.amountTotal - p.refundedAmount : 0,
    refunds: refunds.map((r) => ({ id: r.id, code: r.code, amount: r.amount, currency: r.currency, status: r.status, rule: r.rule, reason: r.reason, gatewayRef: r.gatewayRef, createdAt: iso(r.createdAt), completedAt: iso(r.completedAt) })),
    history,
  };
}

function paymentsResource(services: Services): ResourceWithOptions {
  const refundable = (ctx: ActionContext) => permit('payments', 'refund')(ctx) && ['paid', 'partially_refunded'].includes(status(ctx));
  const cancellable = (ctx: ActionContext) => permit('payments', 'cancel')(ctx) && ['requested', 'approved', 'paid', 'partially_refunded'].includes(status(ctx));
  return {
    // A million payments: no full COUNT(*) per list page (adapters.ts).
    resource: new BoundedCountResource(Payment),
    options: {
      id: 'payments',
      navigation: FINANCE,
      properties: {
        // The member lookup (masked, readable by finance): the Member filter searches it by name, e-mail, phone or card.
        userId: { reference: 'members', isVisible: listShow },
        methodId: { isVisible: { list: false, show: false, edit: false, filter: true } },
        // Virtual: method label, gateway reference, refunds and status history (the `details` action).
        details: { isVisible: { list: false, show: true, edit: false, filter: false }, components: { show: Components.PaymentDetails } },
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
      showProperties: ['id', 'userId', 'kind', 'planId', 'itemMovieId', 'subscriptionId', 'methodId', 'status', 'amountList', 'amountDiscount', 'amountCoupon', 'amountTotal', 'refundedAmount', 'currency', 'discountId', 'couponIssueId', 'gateway', 'gatewayRef', 'failureReason', 'periodStart', 'periodEnd', 'approvedAt', 'paidAt', 'cancelledAt', 'createdAt', 'updatedAt', 'details'],
      sort: { sortBy: 'createdAt', direction: 'desc' },
      actions: asActions({
        ...readOnly('payments'),
        // GET /admin/api/resources/payments/records/{id}/details: what the show page adds to the row.
        details: {
          actionType: 'record',
          isAccessible: permit('payments', 'read'),
          isVisible: false,
          component: false,
          handler: async (_request: ActionRequest, _response: unknown, context: ActionContext) => {
            const { record, currentAdmin } = context;
            if (!record) throw new NotFoundError('The payment does not exist any more.', 'details');
            return { record: record.toJSON(currentAdmin), details: await paymentDetails(services, staffOf(context), Number(record.id())) };
          },
        },
        cancelPayment: {
          actionType: 'record',
          icon: 'XCircle',
          label: CANCEL_LABEL,
          isAccessible: cancellable,
          isVisible: cancellable,
          component: Components.FinanceAction,
          // GET: the record and what a cancel returns to the member (the confirmation shows it).
          handler: moneyAction('payments', async (request, context, lang) => {
            const r = await services.payments.cancel(staffOf(context), Number(context.record!.id()), reasonOf(request, true));
            return r.refund ? panelText(lang, 'finCancelRefunded', { amount: r.refund.amount, currency: r.refund.currency, status: panelValue(lang, 'status', r.payment.status) }) : panelText(lang, 'finCancelled');
          }, async (context) => {
            const p = context.record!.params;
            const captured = ['paid', 'partially_refunded'].includes(String(p.status));
            return { cancel: { captured, amount: captured ? Number(p.amountTotal) - Number(p.refundedAmount) : 0, currency: String(p.currency) } };
          }),
        },
        refund: {
          actionType: 'record',
          icon: 'RotateCcw',
          label: 'Refund…',
          isAccessible: refundable,
          isVisible: refundable,
          component: Components.FinanceAction,
          // GET: the record and the refund policy's decision for it (RefundsService.policy, the one POST /refunds/ uses).
          // POST: by default the policy refund (amount = the policy's, or less); `override=true`
          // refunds outside the policy and needs an amount and a reason.
          handler: moneyAction('payments', async (request, context, lang) => {
            const paymentId = Number(context.record!.id());
            const override = ['true', 'on', '1'].includes(String(request.payload?.override ?? '').toLowerCase());
            const raw = String(request.payload?.amount ?? '').trim();
            if (raw && (!/^\d+$/.test(raw) || Number(raw) <= 0)) throw new PanelRefusal('finWholePositive');
            if (override && !raw) throw new PanelRefusal('finOverrideAmount');
            const reason = reasonOf(request, override);
            const refund = await services.refunds.create(staffOf(context), { paymentId, amount: raw ? Number(raw) : null, reason, override }, { decide: true });
            return panelText(lang, 'finRefunded', { amount: refund.amount, currency: refund.currency, code: refund.code, rule: refund.rule });
          }, async (context) => ({ policy: await services.refunds.policy(staffOf(context), Number(context.record!.id())) })),
        },
      }),
      translations: {
        en: {
          labels: { payments: 'Payments' },
          actions: { cancelPayment: 'Cancel payment (full refund)', refund: 'Refund…' },
          properties: { userId: 'Member', planId: 'Plan', itemMovieId: 'Movie', amountTotal: 'Total', refundedAmount: 'Refunded', amountList: 'List price', amountDiscount: 'Discount', amountCoupon: 'Coupon', methodId: 'Payment method', details: 'Method, refunds and history' },
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
        userId: { reference: 'members', isVisible: listShow },
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
          handler: moneyAction('refunds', async (_request, context, lang) => {
            const r = await services.refunds.approve(staffOf(context), Number(context.record!.id()));
            return panelText(lang, 'finRefundApproved', { amount: r.amount, currency: r.currency });
          }),
        },
        reject: {
          actionType: 'record',
          icon: 'X',
          label: 'Reject…',
          isAccessible: pending('reject'),
          isVisible: pending('reject'),
          component: Components.FinanceAction,
          handler: moneyAction('refunds', async (request, context, lang) => {
            await services.refunds.reject(staffOf(context), Number(context.record!.id()), reasonOf(request, true) ?? '');
            return panelText(lang, 'finRefundRejected');
          }),
        },
        // Bulk: each selected refund through RefundsService.approve / reject (one transaction each); refused rows are reported.
        bulkApprove: bulkAction({
          label: 'Approve selected',
          icon: 'CheckSquare',
          who: permit('refunds', 'approve'),
          run: async (staff, id, _payload, context) => {
            const r = await services.refunds.approve(staff, Number(id));
            return panelText(panelLang(context), 'bulkRowRefundApproved', { amount: r.amount, currency: r.currency });
          },
        }),
        bulkReject: bulkAction({
          label: 'Reject selected…',
          icon: 'XSquare',
          who: permit('refunds', 'reject'),
          needsReason: true,
          variant: 'danger',
          run: async (staff, id, { reason }, context) => {
            await services.refunds.reject(staff, Number(id), reason);
            return panelText(panelLang(context), 'bulkRowRefundRejected');
          },
        }),
      }),
      translations: {
        en: { labels: { refunds: 'Refunds' }, properties: { paymentId: 'Payment', userId: 'Member' } },
      },
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
        userId: { reference: 'members', isVisible: listShow },
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
          handler: moneyAction('subscriptions', async (_request, context, lang) => {
            await services.subscriptions.cancel(staffOf(context), Number(context.record!.params.userId));
            return panelText(lang, 'finEndsAtPeriodEnd');
          }),
        },
        resume: {
          actionType: 'record',
          icon: 'PlayCircle',
          label: 'Resume',
          isAccessible: (ctx: ActionContext) => running('resume')(ctx) && endsAtPeriod(ctx),
          isVisible: (ctx: ActionContext) => running('resume')(ctx) && endsAtPeriod(ctx),
          component: Components.FinanceAction,
          handler: moneyAction('subscriptions', async (_request, context, lang) => {
            await services.subscriptions.choose(staffOf(context), Number(context.record!.params.userId), { cancel: false });
            return panelText(lang, 'finRenewsAgain');
          }),
        },
      }),
      translations: { en: { labels: { subscriptions: 'Subscriptions' }, actions: { cancelAtPeriodEnd: 'Cancel at period end' }, properties: { userId: 'Member', planId: 'Plan', nextPlanId: 'Next plan' } } },
    },
  };
}

const currencyValues = SUPPORTED_CURRENCIES.map((c) => ({ value: c, label: c }));
const adjustmentValues = ['percent', 'fixed'].map((v) => ({ value: v, label: v }));

/**
 * A commerce service's refusal, already in the staff member's language (inPanelLanguage), as form
 * errors: field messages under the API's keys — also a 409's (a plan code that is taken) — or one message.
 */
const explainCommerce = (err: unknown): FormError | null => {
  if (err instanceof HttpError && !(err instanceof HttpValidationError)) {
    const fields = Object.entries(err.body).filter(([, v]) => Array.isArray(v) && v.every((m) => typeof m === 'string')) as Array<[string, string[]]>;
    if (fields.length && fields.length === Object.keys(err.body).length) return { fields: Object.fromEntries(fields), message: fields.flatMap(([, v]) => v).join(' ') };
  }
  return explainHttpErrors(err);
};

/**
 * Plans, discounts and coupons are written by their services (PlansService, OffersService) with the
 * API's schemas (commerce/offers.schemas.ts): one rule for the panel and the API, audited by the
 * service. No generic adapter write, no delete (referenced by payments: deactivate instead).
 */
function definitionActions(resource: 'plans' | 'discounts' | 'coupons', form: ReturnType<typeof serviceForm>) {
  return {
    new: { isAccessible: permit(resource, 'create'), isVisible: permit(resource, 'create'), handler: form.newHandler },
    edit: { isAccessible: permit(resource, 'update'), isVisible: permit(resource, 'update'), handler: form.editHandler },
    delete: never,
    bulkDelete: never,
  };
}

function plansResource(services: Services): ResourceWithOptions {
  const fields = ['code', 'name', 'interval', 'price', 'currency', 'deviceLimit', 'active'];
  const form = serviceForm({
    resourceId: 'plans',
    fields: { code: 'code', name: 'name', interval: 'interval', price: 'price', currency: 'currency', deviceLimit: 'device_limit', active: 'active' },
    kinds: { price: 'number', deviceLimit: 'number' },
    fixedOnEdit: ['code'],
    createSchema: planCreateBody,
    updateSchema: planUpdateBody,
    create: (staff, input) => services.plans.create(staff, input as PlanCreate),
    update: (staff, id, input) => services.plans.update(staff, Number(id), input as PlanUpdate),
    explain: explainCommerce,
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
      actions: asActions({ ...reads('plans'), ...definitionActions('plans', form) }),
      translations: { en: { labels: { plans: 'Plans' }, properties: { deviceLimit: 'Device limit' } } },
    },
  };
}

function discountsResource(services: Services): ResourceWithOptions {
  const fields = ['name', 'kind', 'type', 'value', 'currency', 'validFrom', 'validUntil', 'planCodes', 'maxUses', 'active'];
  const form = serviceForm({
    resourceId: 'discounts',
    fields: { name: 'name', kind: 'kind', type: 'type', value: 'value', currency: 'currency', validFrom: 'valid_from', validUntil: 'valid_until', planCodes: 'plans', maxUses: 'max_uses', active: 'active' },
    kinds: { value: 'number', validFrom: 'date', validUntil: 'date', planCodes: 'array', maxUses: 'nullable' },
    createSchema: discountCreateBody,
    updateSchema: discountUpdateBody,
    create: (staff, input) => services.offers.createDiscount(staff, input as DiscountCreate),
    update: (staff, id, input) => services.offers.updateDiscount(staff, Number(id), input as DiscountUpdate),
    explain: explainCommerce,
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
      actions: asActions({ ...reads('discounts'), ...definitionActions('discounts', form) }),
      translations: { en: { labels: { discounts: 'Discounts' } } },
    },
  };
}

function couponsResource(services: Services): ResourceWithOptions {
  const fields = ['code', 'name', 'type', 'value', 'currency', 'minAmount', 'validFrom', 'validUntil', 'totalLimit', 'perUserLimit'];
  const form = serviceForm({
    resourceId: 'coupons',
    fields: { code: 'code', name: 'name', type: 'type', value: 'value', currency: 'currency', minAmount: 'min_amount', validFrom: 'valid_from', validUntil: 'valid_until', totalLimit: 'total_limit', perUserLimit: 'per_user_limit' },
    kinds: { value: 'number', minAmount: 'number', validFrom: 'date', validUntil: 'date', totalLimit: 'nullable', perUserLimit: 'number' },
    fixedOnEdit: ['code'],
    createSchema: couponCreateBody,
    updateSchema: couponUpdateBody,
    create: (staff, input) => services.offers.createCoupon(staff, input as CouponCreate),
    update: (staff, id, input) => services.offers.updateCoupon(staff, Number(id), input as CouponUpdate),
    explain: explainCommerce,
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
        ...definitionActions('coupons', form),
        issueToUsers: {
          actionType: 'record',
          icon: 'Send',
          label: 'Issue to users…',
          isAccessible: permit('coupons', 'issue'),
          isVisible: permit('coupons', 'issue'),
          component: Components.FinanceAction,
          handler: moneyAction('coupons', async (request, context, lang) => {
            const words = String(request.payload?.users ?? '')
              .split(/[\s,;]+/)
              .map((w) => w.trim())
              .filter(Boolean);
            if (!words.length || words.length > 1000) throw new PanelRefusal('finUsersRequired');
            const ids: number[] = [];
            const unknown: string[] = [];
            for (const w of words) {
              const user = /^\d+$/.test(w) ? await services.users.findById(Number(w)) : await services.users.findByLogin(w);
              if (user) ids.push(user.id);
              else unknown.push(w);
            }
            if (unknown.length) throw new PanelRefusal('finUnknownUsers', { list: `${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? '…' : ''}` });
            const issued = await services.offers.issue(staffOf(context), Number(context.record!.id()), ids);
            return panelText(lang, 'finCouponsIssued', { count: issued.length });
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

