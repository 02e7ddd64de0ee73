// Public API of the commerce instruments (seed 000 §3, §6, §7): payment methods, plans,
// subscriptions, discounts and coupons. Thin: validate with zod (which also documents the bodies
// in the OpenAPI) → call the service → shape the response; defineRoute answers the services'
// CommerceErrors in the request's language.
//
// Access: members reach only their own methods, subscription and coupons (another member's id →
// 404); finance and admin reach every member's; catalog staff get 403 on all of commerce.
// Discounts: the list and a single discount are public (what is running now, for the apps to
// show before paying); finance/admin see every discount with its counters and write them.
import { z } from 'zod';
import { pageRequest, toPage } from '../../http/pagination.js';
import { defineRoute as route, errorSchemas, type RouteContext } from '../../http/route.js';
import { idParam, looseBool, pageQuery } from '../../http/validation.js';
import { METHOD_TYPES } from './commerce.entities.js';
import { rolesAllowed } from '../access/rbac.js';
import { isFinance } from './finance.js';
import { methodJson, type PaymentMethodsService } from './methods.service.js';
import { couponJson, discountJson, issueJson, type OffersService } from './offers.service.js';
import { couponCreateBody, discountCreateBody, discountUpdateBody } from './offers.schemas.js';
import { planJson, type PlansService } from './plans.service.js';
import { subscriptionJson, type SubscriptionsService } from './subscriptions.service.js';

export interface InstrumentsRouteDeps {
  methods: PaymentMethodsService;
  plans: PlansService;
  subscriptions: SubscriptionsService;
  offers: OffersService;
  publicUrl: string;
}

/** A whole number given as a number or a numeric string. */
const intField = z.union([z.number().int(), z.string().regex(/^\d+$/, 'i18n:integer').transform(Number)]);
const pageSize = z.coerce.number().int().min(1).max(100).default(20);

// ---- schemas ---------------------------------------------------------------------------------

const cardBody = z.object({
  type: z.literal('card'),
  card_number: z.string().min(12).max(30).openapi({ example: '4242 4242 4242 4242', description: 'Digits (spaces/dashes allowed); Luhn-checked; never stored' }),
  exp_month: intField.pipe(z.number().int().min(1).max(12)),
  exp_year: intField.pipe(z.number().int().min(0).max(9999)).openapi({ description: '2 or 4 digits; the card must not be expired' }),
  cvc: z.string().refine((v) => /^\d{3,4}$/.test(v), 'i18n:commerceCvc').openapi({ description: '3 digits (4 for Amex); never stored' }),
  holder: z.string().max(100).nullable().optional(),
});
const paypalBody = z.object({ type: z.literal('paypal'), email: z.email().max(254) });
const bankBody = z.object({
  type: z.literal('bank_transfer'),
  bank: z.string().trim().min(1).max(40),
  account_number: z.string().refine((v) => /^[\d -]{6,30}$/.test(v), 'i18n:commerceAccountNumber'),
  holder: z.string().max(100).nullable().optional(),
});
const newMethodBody = z.discriminatedUnion('type', [cardBody, paypalBody, bankBody]).openapi('PaymentMethodCreate');
const methodUpdateBody = z
  .object({
    is_default: looseBool.optional().openapi({ type: 'boolean', description: 'true makes it the default (another default is unset)' }),
    holder: z.string().max(100).nullable().optional(),
    exp_month: intField.pipe(z.number().int().min(1).max(12)).optional(),
    exp_year: intField.pipe(z.number().int().min(0).max(9999)).optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'i18n:commerceMethodUpdate', path: ['non_field_errors'] })
  .openapi('PaymentMethodUpdate');
const methodSchema = z
  .object({
    id: z.number(),
    type: z.enum(METHOD_TYPES),
    brand: z.string().nullable(),
    masked: z.string().openapi({ example: '****4242' }),
    last4: z.string().nullable(),
    exp_month: z.number().nullable(),
    exp_year: z.number().nullable(),
    holder: z.string().nullable(),
    is_default: z.boolean(),
    created_at: z.string(),
  })
  .openapi('PaymentMethod');

const planSchema = z.object({ id: z.number(), code: z.string(), name: z.string(), interval: z.enum(['month', 'year']), price: z.number(), currency: z.string(), device_limit: z.number() }).openapi('Plan');

const subscriptionBody = z
  .object({
    plan: z.union([z.string().trim().min(1).max(40), z.number().int().positive()]).optional().openapi({ description: 'Plan code ("monthly", "yearly") or id', example: 'monthly' }),
    method_id: idParam.nullable().optional().openapi({ type: 'integer', description: 'One of the member’s payment methods (default method when absent)' }),
    cancel: looseBool.optional().openapi({ type: 'boolean', description: 'true: cancel at the period end; false: resume' }),
  })
  .openapi('SubscriptionUpdate');
const subscriptionSchema = z
  .object({
    id: z.number(),
    user_id: z.number(),
    status: z.enum(['pending', 'active', 'cancelled', 'suspended', 'expired']),
    plan: planSchema,
    next_plan: planSchema.nullable(),
    current_period_start: z.string().nullable(),
    current_period_end: z.string().nullable(),
    cancel_at_period_end: z.boolean(),
    renewal_attempts: z.number(),
    next_attempt_at: z.string().nullable(),
    method: methodSchema.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Subscription');

const discountSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    kind: z.string(),
    type: z.string(),
    value: z.number(),
    currency: z.string().nullable(),
    valid_from: z.string().nullable(),
    valid_until: z.string().nullable(),
    plans: z.array(z.string()),
    max_uses: z.number().nullable().optional(),
    used_count: z.number().optional(),
    remaining_uses: z.number().nullable().optional(),
    active: z.boolean().optional(),
    created_at: z.string().nullable().optional(),
  })
  .openapi('Discount', { description: 'max_uses, used_count, remaining_uses, active, created_at: finance/admin only' });

const couponSchema = z
  .object({
    id: z.number(),
    code: z.string(),
    name: z.string(),
    type: z.string(),
    value: z.number(),
    currency: z.string().nullable(),
    min_amount: z.number(),
    valid_from: z.string().nullable(),
    valid_until: z.string().nullable(),
    total_limit: z.number().nullable(),
    per_user_limit: z.number(),
    issued_count: z.number(),
    created_at: z.string().nullable(),
  })
  .openapi('Coupon');
const issueBody = z
  .object({
    users: z.array(idParam).min(1).max(1000).optional().openapi({ description: 'User ids; a user named twice gets two copies', example: [12, 15] }),
    user_id: idParam.optional().openapi({ type: 'integer', description: 'One user (instead of users)' }),
  })
  .refine((b) => b.users !== undefined || b.user_id !== undefined, { message: 'i18n:commerceIssueUsers', path: ['users'] })
  .openapi('CouponIssueRequest');
const issueSchema = z
  .object({ id: z.number(), coupon_id: z.number(), user_id: z.number(), status: z.enum(['issued', 'used', 'revoked']), payment_id: z.number().nullable(), issued_by: z.number().nullable(), issued_at: z.string().nullable(), used_at: z.string().nullable() })
  .openapi('CouponIssue');
const pageOf = (item: z.ZodType, name: string) => z.object({ count: z.number(), next: z.string().nullable(), previous: z.string().nullable(), results: z.array(item) }).openapi(name);

const commonErrors = {
  401: { description: 'No or bad token', schema: errorSchemas.message },
  403: { description: 'Catalog staff (or not finance/admin where required)', schema: errorSchemas.message },
};

// ---- routes ----------------------------------------------------------------------------------

export function instrumentsRoutes(ctx: RouteContext, deps: InstrumentsRouteDeps): void {
  const { methods, plans, subscriptions, offers } = deps;
  const methodParams = z.object({ methods_id: idParam });
  const userParams = z.object({ user_id: idParam });
  const discountParams = z.object({ discount_id: idParam });
  const couponParams = z.object({ coupon_id: idParam });

  // ---- payment methods ----
  route(ctx, {
    method: 'get',
    path: '/payments/methods',
    summary: '사용자의 결제 방법 목록 조회 (the caller’s methods, newest first; masked)',
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    responses: { 200: { description: 'Methods', schema: z.array(methodSchema) }, ...commonErrors },
    handler: async ({ user }) => ({ body: (await methods.listForUser(user!.id)).map(methodJson) }),
  });

  route(ctx, {
    method: 'post',
    path: '/payments/methods',
    summary: '사용자의 새 결제 방법 등록 (card / paypal / bank_transfer; tokenised by the gateway, never stored raw)',
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    body: newMethodBody,
    responses: {
      201: { description: 'Stored (the first method becomes the default)', schema: methodSchema },
      400: { description: 'Invalid fields (Luhn, expiry, CVC, e-mail, account)', schema: errorSchemas.validation },
      402: { description: 'Declined by the gateway; nothing stored', schema: errorSchemas.message },
      ...commonErrors,
    },
    handler: async ({ user, body }) => ({ status: 201, body: methodJson(await methods.create(user!.id, body)) }),
  });

  route(ctx, {
    method: 'put',
    path: '/payments/methods/:methods_id(\\d+)',
    summary: '사용자의 특정 결제 방법 수정 (default flag, holder, card expiry)',
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    params: methodParams,
    body: methodUpdateBody,
    responses: { 200: { description: 'Updated', schema: methodSchema }, 400: { description: 'Invalid fields', schema: errorSchemas.validation }, 404: { description: 'Not the caller’s method', schema: errorSchemas.detail }, ...commonErrors },
    handler: async ({ user, params, body }) => ({ body: methodJson(await methods.update(user!.id, params.methods_id, body)) }),
  });

  route(ctx, {
    method: 'delete',
    path: '/payments/methods/:methods_id(\\d+)',
    summary: '사용자의 특정 결제 방법 삭제 (soft; a deleted default hands over to the newest other method)',
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    params: methodParams,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'Not the caller’s method', schema: errorSchemas.detail }, ...commonErrors },
    handler: async ({ user, params }) => {
      await methods.remove(user!.id, params.methods_id, { id: user!.id, email: user!.email });
      return { status: 204 };
    },
  });

  // ---- plans and subscriptions ----
  route(ctx, {
    method: 'get',
    path: '/payments/plans',
    summary: 'Subscription plans on sale (monthly, yearly)',
    tags: ['Payments'],
    responses: { 200: { description: 'Plans, cheapest first', schema: z.array(planSchema) } },
    handler: async () => ({ body: (await plans.listActive()).map(planJson) }),
  });

  route(ctx, {
    method: 'get',
    path: '/payments/users/:user_id(\\d+)/subscription',
    summary: '사용자가 선택한 구독 옵션 확인 (plan, status, period, next plan, cancel_at_period_end, method)',
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    params: userParams,
    responses: { 200: { description: 'The subscription', schema: subscriptionSchema }, 404: { description: 'None, or another member’s', schema: errorSchemas.detail }, ...commonErrors },
    handler: async ({ user, params }) => ({ body: subscriptionJson(await subscriptions.view(user!, params.user_id)) }),
  });

  route(ctx, {
    method: 'put',
    path: '/payments/users/:user_id(\\d+)/subscription',
    summary: '월 결제 혹은 연결제 선택 / 구독 옵션 수정 (new → pending until paid; a change applies at the next period; cancel at period end)',
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    params: userParams,
    body: subscriptionBody,
    responses: {
      200: { description: 'Updated', schema: subscriptionSchema },
      201: { description: 'Created (pending)', schema: subscriptionSchema },
      400: { description: 'Invalid body', schema: errorSchemas.validation },
      404: { description: 'Unknown plan or method, no subscription to cancel, or another member’s', schema: errorSchemas.detail },
      409: { description: 'Cannot cancel/resume in this status', schema: errorSchemas.message },
      ...commonErrors,
    },
    handler: async ({ user, params, body }) => {
      const { view, created } = await subscriptions.choose(user!, params.user_id, body);
      return { status: created ? 201 : 200, body: subscriptionJson(view) };
    },
  });

  route(ctx, {
    method: 'delete',
    path: '/payments/users/:user_id(\\d+)/subscription',
    summary: 'Cancel the subscription at the end of its period (a pending one at once)',
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    params: userParams,
    responses: { 200: { description: 'The subscription after cancelling', schema: subscriptionSchema }, 404: { description: 'None, or another member’s', schema: errorSchemas.detail }, 409: { description: 'Already cancelled/expired', schema: errorSchemas.message }, ...commonErrors },
    handler: async ({ user, params }) => ({ body: subscriptionJson(await subscriptions.cancel(user!, params.user_id)) }),
  });

  // ---- discounts ----
  route(ctx, {
    method: 'get',
    path: '/discounts',
    summary: '할인 정보 조회 (public: running now; finance/admin: all, with counters)',
    tags: ['Discounts'],
    auth: 'optional',
    query: z.object({ page: pageQuery, page_size: pageSize }),
    responses: { 200: { description: 'Discounts, newest first', schema: pageOf(discountSchema, 'DiscountPage') }, 404: { description: 'Page past the last', schema: errorSchemas.detail } },
    handler: async ({ user, query, req }) => {
      const pr = pageRequest(query.page, query.page_size);
      const { count, rows } = await offers.listDiscounts(user, { offset: pr.offset, limit: pr.pageSize });
      const full = isFinance(user);
      return { body: toPage(req, deps.publicUrl, pr, count, rows.map((d) => discountJson(d, full))) };
    },
  });

  route(ctx, {
    method: 'post',
    path: '/discounts',
    summary: '새로운 할인 등록 (finance/admin)',
    tags: ['Discounts'],
    auth: rolesAllowed('discounts', 'create'),
    body: discountCreateBody,
    responses: { 201: { description: 'Created', schema: discountSchema }, 400: { description: 'Invalid fields', schema: errorSchemas.validation }, ...commonErrors },
    handler: async ({ user, body }) => ({ status: 201, body: discountJson(await offers.createDiscount(user!, body), true) }),
  });

  route(ctx, {
    method: 'get',
    path: '/discounts/:discount_id(\\d+)',
    summary: '특정 할인 정보 조회 (public when running now; finance/admin: any)',
    tags: ['Discounts'],
    auth: 'optional',
    params: discountParams,
    responses: { 200: { description: 'The discount', schema: discountSchema }, 404: { description: 'Not found (or not running, for the public)', schema: errorSchemas.detail } },
    handler: async ({ user, params }) => {
      const full = isFinance(user);
      return { body: discountJson(await offers.getDiscount(user, params.discount_id), full) };
    },
  });

  route(ctx, {
    method: 'put',
    path: '/discounts/:discount_id(\\d+)',
    summary: '특정 할인 정보 수정 (finance/admin; the given fields replace the stored ones)',
    tags: ['Discounts'],
    auth: rolesAllowed('discounts', 'update'),
    params: discountParams,
    body: discountUpdateBody,
    responses: { 200: { description: 'Updated', schema: discountSchema }, 400: { description: 'Invalid fields', schema: errorSchemas.validation }, 404: { description: 'Not found', schema: errorSchemas.detail }, ...commonErrors },
    handler: async ({ user, params, body }) => ({ body: discountJson(await offers.updateDiscount(user!, params.discount_id, body), true) }),
  });

  route(ctx, {
    method: 'delete',
    path: '/discounts/:discount_id(\\d+)',
    summary: '특정 할인 삭제 (finance/admin; one that payments used is deactivated instead)',
    tags: ['Discounts'],
    auth: rolesAllowed('discounts', 'delete'),
    params: discountParams,
    responses: { 204: { description: 'Deleted or deactivated' }, 404: { description: 'Not found', schema: errorSchemas.detail }, ...commonErrors },
    handler: async ({ user, params }) => {
      await offers.deleteDiscount(user!, params.discount_id);
      return { status: 204 };
    },
  });

  // ---- coupons ----
  route(ctx, {
    method: 'post',
    path: '/coupons',
    summary: 'Create a coupon definition (finance/admin)',
    tags: ['Coupons'],
    auth: rolesAllowed('coupons', 'create'),
    body: couponCreateBody,
    responses: { 201: { description: 'Created', schema: couponSchema }, 400: { description: 'Invalid fields', schema: errorSchemas.validation }, 409: { description: 'Code taken', schema: errorSchemas.message }, ...commonErrors },
    handler: async ({ user, body }) => ({ status: 201, body: couponJson(await offers.createCoupon(user!, body)) }),
  });

  route(ctx, {
    method: 'get',
    path: '/coupons/:coupon_id(\\d+)',
    summary: 'A coupon definition with its issued count (finance/admin)',
    tags: ['Coupons'],
    auth: rolesAllowed('coupons', 'read'),
    params: couponParams,
    responses: { 200: { description: 'The coupon', schema: couponSchema }, 404: { description: 'Not found', schema: errorSchemas.detail }, ...commonErrors },
    handler: async ({ params }) => ({ body: couponJson(await offers.getCoupon(params.coupon_id)) }),
  });

  route(ctx, {
    method: 'post',
    path: '/coupons/:coupon_id(\\d+)/issues',
    summary: '쿠폰 발급 (finance/admin: issue to one or many users, within the total and per-user limits; all or nothing)',
    tags: ['Coupons'],
    auth: rolesAllowed('coupons', 'issue'),
    params: couponParams,
    body: issueBody,
    responses: {
      201: { description: 'Issued', schema: z.object({ coupon_id: z.number(), issued: z.number(), issues: z.array(issueSchema) }) },
      400: { description: 'No or unknown users', schema: errorSchemas.validation },
      404: { description: 'No such coupon', schema: errorSchemas.detail },
      409: { description: 'Total or per-user limit reached, or expired', schema: errorSchemas.message },
      ...commonErrors,
    },
    handler: async ({ user, params, body }) => {
      const ids = [...(body.users ?? []), ...(body.user_id !== undefined ? [body.user_id] : [])];
      const issued = await offers.issue(user!, params.coupon_id, ids);
      return { status: 201, body: { coupon_id: params.coupon_id, issued: issued.length, issues: issued.map(issueJson) } };
    },
  });

  route(ctx, {
    method: 'get',
    path: '/coupons/:coupon_id(\\d+)/issues',
    summary: '생성된 쿠폰에 대한 발급 내역 조회 (finance/admin; newest first)',
    tags: ['Coupons'],
    auth: rolesAllowed('coupons', 'read'),
    params: couponParams,
    query: z.object({ page: pageQuery, page_size: pageSize, status: z.enum(['issued', 'used', 'revoked', 'all']).optional(), user_id: idParam.optional() }),
    responses: { 200: { description: 'Issues', schema: pageOf(issueSchema, 'CouponIssuePage') }, 404: { description: 'No such coupon, or page past the last', schema: errorSchemas.detail }, ...commonErrors },
    handler: async ({ params, query, req }) => {
      const pr = pageRequest(query.page, query.page_size);
      const { count, rows } = await offers.issues(params.coupon_id, { status: query.status, userId: query.user_id }, { offset: pr.offset, limit: pr.pageSize });
      return { body: toPage(req, deps.publicUrl, pr, count, rows.map(issueJson)) };
    },
  });

  route(ctx, {
    method: 'get',
    path: '/users/:user_id(\\d+)/coupons',
    summary: '사용자에게 발급된 쿠폰 목록 조회 (own, or any for finance/admin; revoked ones only with status=revoked)',
    tags: ['Coupons'],
    auth: rolesAllowed('commerce', 'use'),
    params: userParams,
    query: z.object({ page: pageQuery, page_size: pageSize, status: z.enum(['issued', 'used', 'revoked', 'all']).optional() }),
    responses: {
      200: { description: 'Issues with their coupon', schema: pageOf(issueSchema.extend({ coupon: couponSchema }), 'UserCouponPage') },
      404: { description: 'Another member’s, or page past the last', schema: errorSchemas.detail },
      ...commonErrors,
    },
    handler: async ({ user, params, query, req }) => {
      const pr = pageRequest(query.page, query.page_size);
      const { count, rows } = await offers.forUser(user!, params.user_id, { status: query.status }, { offset: pr.offset, limit: pr.pageSize });
      return { body: toPage(req, deps.publicUrl, pr, count, rows.map(({ issue, coupon }) => ({ ...issueJson(issue), coupon: couponJson(coupon) }))) };
    },
  });

  route(ctx, {
    method: 'get',
    path: '/users/:user_id(\\d+)/coupons/count',
    summary: '회원에게 발급된 쿠폰의 개수 조회 (count: held, not revoked; usable: unused and valid now)',
    tags: ['Coupons'],
    auth: rolesAllowed('commerce', 'use'),
    params: userParams,
    responses: { 200: { description: 'Counts', schema: z.object({ count: z.number(), usable: z.number() }) }, 404: { description: 'Another member’s', schema: errorSchemas.detail }, ...commonErrors },
    handler: async ({ user, params }) => ({ body: await offers.countForUser(user!, params.user_id) }),
  });

  route(ctx, {
    method: 'delete',
    path: '/users/:user_id(\\d+)/coupons/:coupon_id(\\d+)',
    summary: '회원에게 발급된 쿠폰 삭제 (revokes one unused issue; a used coupon cannot be removed)',
    tags: ['Coupons'],
    auth: rolesAllowed('commerce', 'use'),
    params: userParams.extend({ coupon_id: idParam }),
    responses: { 204: { description: 'Removed' }, 404: { description: 'Not held, or another member’s', schema: errorSchemas.detail }, 409: { description: 'Already used', schema: errorSchemas.message }, ...commonErrors },
    handler: async ({ user, params }) => {
      await offers.revoke(user!, params.user_id, params.coupon_id);
      return { status: 204 };
    },
  });
}
