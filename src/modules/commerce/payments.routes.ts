// Public API of payments and refunds (seed 000 §3, §4, §8 paymentinformation). Thin: validate →
// (Idempotency-Key for every POST that moves money) → service → shape. The services' CommerceErrors
// are answered by defineRoute in the request's language; an illegal transition answers 409 with
// the payment's current `status`.
import type { Request } from 'express';
import { z } from 'zod';
import type { AuthUser } from '../../http/auth.js';
import { langOf } from '../../http/i18n.js';
import { pageRequest, toPage } from '../../http/pagination.js';
import { defineRoute as route, errorSchemas, type Reply, type RouteContext } from '../../http/route.js';
import { idParam, looseBool, pageQuery } from '../../http/validation.js';
import { PAYMENT_STATUSES } from './commerce.entities.js';
import { rolesAllowed } from '../access/rbac.js';
import { HttpError, toHttpError } from '../../http/errors.js';
import { IDEMPOTENCY_HEADER, type IdempotencyService, type StoredReply } from './idempotency.js';
import { methodJson, type PaymentMethodsService } from './methods.service.js';
import { paymentJson, type PaymentsService } from './payments.service.js';
import { refundJson, type RefundsService } from './refunds.service.js';

/**
 * Gateway webhooks live under this prefix. buildApp mounts a raw body parser on it before the JSON
 * parser, so the handler verifies the signature over the exact bytes received.
 */
export const GATEWAY_WEBHOOKS_PATH = '/payments/webhooks';

export interface PaymentsRouteDeps {
  payments: PaymentsService;
  refunds: RefundsService;
  methods: PaymentMethodsService;
  idempotency: IdempotencyService;
  publicUrl: string;
}

const intField = z.union([z.number().int(), z.string().regex(/^\d+$/, 'i18n:integer').transform(Number)]).pipe(z.number().int().positive().max(2147483647));
const amountField = z.union([z.number().int(), z.string().regex(/^\d+$/, 'i18n:integer').transform(Number)]).pipe(z.number().int().positive().max(2_000_000_000));

const requestBody = z
  .object({
    plan: z.union([z.string().trim().min(1).max(40), z.number().int().positive()]).optional().openapi({ description: 'Plan code (monthly, yearly) or id — or give item' }),
    item: intField.optional().openapi({ type: 'integer', description: 'A single purchase: the movie id' }),
    method_id: intField.openapi({ type: 'integer' }),
    coupon_id: intField.nullable().optional().openapi({ type: 'integer', description: 'A coupon issued to the caller (the coupon id)' }),
    discount_id: intField.nullable().optional().openapi({ type: 'integer' }),
  })
  .refine((b) => (b.plan === undefined) !== (b.item === undefined), { message: 'i18n:commercePlanOrItem', path: ['plan'] })
  .openapi('PaymentRequest');
const paymentIdBody = z.object({ payment_id: intField.openapi({ type: 'integer' }) }).openapi('PaymentRef');
const cancelBody = z.object({ reason: z.string().trim().max(500).optional() }).openapi('PaymentCancel');
const correctBody = z
  .object({
    payment_id: intField.openapi({ type: 'integer' }),
    status: z.enum(PAYMENT_STATUSES),
    reason: z.string().trim().min(1).max(500),
  })
  .openapi('PaymentCorrection');
const refundBody = z
  .object({
    payment_id: intField.openapi({ type: 'integer' }),
    amount: amountField.nullable().optional().openapi({ type: 'integer', description: 'Minor units; omitted = what the policy allows (an override needs it)' }),
    reason: z.string().trim().max(500).nullable().optional(),
    override: looseBool.optional().openapi({ type: 'boolean', description: 'Finance/admin: refund outside the policy (amount and reason required; audited)' }),
  })
  .openapi('RefundCreate');

const amountSchema = z.object({ list: z.number(), discount: z.number(), coupon: z.number(), total: z.number(), currency: z.string() });
const requestReply = z.object({ payment_id: z.number(), status: z.enum(PAYMENT_STATUSES), amount: amountSchema }).openapi('PaymentRequested');
const paymentSchema = z
  .object({ payment_id: z.number(), status: z.enum(PAYMENT_STATUSES), amount: amountSchema, refunded: z.number(), refundable: z.number(), next_action: z.object({ type: z.string() }).nullable().optional() })
  .passthrough()
  .openapi('Payment');
const refundSchema = z
  .object({ refund_code: z.string(), payment_id: z.number(), amount: z.number(), currency: z.string(), reason: z.string(), status: z.enum(['requested', 'completed', 'rejected']), rule: z.string() })
  .passthrough()
  .openapi('Refund');

const commonErrors = {
  401: { description: 'No or bad token', schema: errorSchemas.message },
  403: { description: 'Catalog staff, or not finance/admin where required', schema: errorSchemas.message },
};
const idemErrors = {
  400: { description: 'Invalid fields, or no Idempotency-Key header', schema: errorSchemas.validation },
  409: { description: 'Illegal transition (body has the current `status`), or the same key still in progress', schema: errorSchemas.message },
  422: { description: 'The Idempotency-Key was used with a different request', schema: errorSchemas.message },
};

export function paymentsRoutes(ctx: RouteContext, deps: PaymentsRouteDeps): void {
  const { payments, refunds, methods, idempotency } = deps;

  /** Runs a money-moving handler once per Idempotency-Key; replays answer the stored response. */
  const once = async (req: Request, user: AuthUser, endpoint: string, body: unknown, work: () => Promise<StoredReply>): Promise<Reply> => {
    // A client error of the work is stored in the request's language and replayed as it was.
    const refusal = (err: unknown) => {
      const answer = toHttpError(err, langOf(req));
      return answer instanceof HttpError && answer.status < 500 ? { status: answer.status, body: answer.body } : null;
    };
    const r = await idempotency.run(user.id, req.get(IDEMPOTENCY_HEADER), endpoint, body, work, refusal);
    return { status: r.status, body: r.body, headers: r.replayed ? { 'Idempotency-Replayed': 'true' } : undefined };
  };
  const idemHeader = { description: `Required: a unique key per money-moving request (8–100 chars); retries reuse it.` };

  route(ctx, {
    method: 'post',
    path: '/payments/request',
    summary: `결제 요청 (prices a plan or item with discount and coupon; header ${IDEMPOTENCY_HEADER})`,
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    body: requestBody,
    responses: { 201: { description: `Requested. ${idemHeader.description}`, schema: requestReply }, 404: { description: 'No such plan, method or coupon of the caller', schema: errorSchemas.detail }, ...idemErrors, ...commonErrors },
    handler: async ({ req, user, body }) =>
      once(req, user!, 'payments/request', body, async () => {
        const p = await payments.request(user!, { plan: body.plan, item: body.item, methodId: body.method_id, couponId: body.coupon_id ?? null, discountId: body.discount_id ?? null });
        return { status: 201, body: { payment_id: p.id, status: p.status, amount: paymentJson(p).amount } };
      }),
  });

  route(ctx, {
    method: 'post',
    path: '/payments/approve',
    summary: `결제 승인 (gateway authorisation of the stored amount; 202 + next_action when the card needs a second step — approve again; header ${IDEMPOTENCY_HEADER})`,
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    body: paymentIdBody,
    responses: { 200: { description: 'Approved', schema: paymentSchema }, 202: { description: 'Needs the member’s second step (next_action)', schema: paymentSchema }, 402: { description: 'Declined (card_declined, insufficient_funds); the payment failed', schema: errorSchemas.message }, 404: { description: 'Not the caller’s payment', schema: errorSchemas.detail }, ...idemErrors, ...commonErrors },
    handler: async ({ req, user, body }) =>
      once(req, user!, 'payments/approve', body, async () => {
        const r = await payments.approve(user!, body.payment_id);
        return { status: r.nextAction ? 202 : 200, body: { ...paymentJson(r.payment), next_action: r.nextAction } };
      }),
  });

  route(ctx, {
    method: 'post',
    path: '/payments/execute',
    summary: `결제 실행 (capture; a plan payment starts or extends the subscription; header ${IDEMPOTENCY_HEADER})`,
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    body: paymentIdBody,
    responses: { 200: { description: 'Paid', schema: paymentSchema }, 404: { description: 'Not the caller’s payment', schema: errorSchemas.detail }, 502: { description: 'Gateway trouble; retry with the same key', schema: errorSchemas.message }, ...idemErrors, ...commonErrors },
    handler: async ({ req, user, body }) => once(req, user!, 'payments/execute', body, async () => ({ status: 200, body: paymentJson(await payments.execute(user!, body.payment_id)) })),
  });

  const paymentParams = z.object({ payments_id: idParam });
  route(ctx, {
    method: 'get',
    path: '/payments/:payments_id(\\d+)/status',
    summary: '결제 상태 조회',
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    params: paymentParams,
    responses: { 200: { description: 'The payment', schema: paymentSchema }, 404: { description: 'Not the caller’s payment', schema: errorSchemas.detail }, ...commonErrors },
    handler: async ({ user, params }) => {
      const p = await payments.getVisible(user!, params.payments_id);
      return { body: { ...paymentJson(p), refunds: (await payments.refundsOf([p.id])).map(refundJson) } };
    },
  });

  route(ctx, {
    method: 'post',
    path: '/payments/:payments_id(\\d+)/cancel',
    summary: `결제 취소 (before capture: void; after: a full refund under the policy; header ${IDEMPOTENCY_HEADER})`,
    tags: ['Payments'],
    auth: rolesAllowed('commerce', 'use'),
    params: paymentParams,
    body: cancelBody,
    responses: { 200: { description: 'Cancelled or refunded', schema: paymentSchema }, 404: { description: 'Not the caller’s payment', schema: errorSchemas.detail }, ...idemErrors, ...commonErrors },
    handler: async ({ req, user, params, body }) =>
      once(req, user!, `payments/${params.payments_id}/cancel`, body ?? {}, async () => {
        const r = await payments.cancel(user!, params.payments_id, body?.reason || null);
        return { status: 200, body: { ...paymentJson(r.payment), refund: r.refund ? refundJson(r.refund) : null } };
      }),
  });

  route(ctx, {
    method: 'put',
    path: '/payments',
    summary: '결제 상태 수정 (finance/admin: manual correction to failed or cancelled, with a reason; legal transitions only; audited)',
    tags: ['Payments'],
    auth: rolesAllowed('payments', 'update'),
    body: correctBody,
    responses: { 200: { description: 'Corrected', schema: paymentSchema }, 400: { description: 'Invalid fields', schema: errorSchemas.validation }, 404: { description: 'No such payment', schema: errorSchemas.detail }, 409: { description: 'Illegal transition (body has the current status)', schema: errorSchemas.message }, ...commonErrors },
    handler: async ({ user, body }) => ({ body: paymentJson(await payments.correct(user!, { paymentId: body.payment_id, status: body.status, reason: body.reason })) }),
  });

  // ---- gateway webhooks (no token: authenticated by the signature over the raw body) ----
  const webhookReply = z
    .object({
      outcome: z.enum(['processed', 'duplicate', 'ignored']),
      event_id: z.string(),
      payment_id: z.number().optional(),
      status: z.enum(PAYMENT_STATUSES).optional(),
      change: z.enum(['refunded', 'cancelled', 'failed', 'in_sync', 'mismatch']).optional(),
      note: z.string().optional(),
    })
    .openapi('GatewayWebhookReceipt');
  route(ctx, {
    method: 'post',
    path: `${GATEWAY_WEBHOOKS_PATH}/toss`,
    summary:
      'Toss Payments webhook (PAYMENT_STATUS_CHANGED through the signing relay): header X-Webhook-Signature = hex HMAC-SHA256(TOSS_WEBHOOK_SECRET, raw body); deduplicated by event id; the payment is re-read from Toss and reconciled — nothing but the event id and paymentKey is taken from the body',
    tags: ['Payments'],
    contentType: 'application/json',
    responses: {
      200: { description: 'processed, duplicate (no second effect) or ignored (no payment of ours)', schema: webhookReply },
      400: { description: 'Signed, but not a Toss event', schema: errorSchemas.message },
      401: { description: 'Missing or wrong signature: nothing processed', schema: errorSchemas.message },
      404: { description: 'This server does not use Toss (PAYMENT_GATEWAY)', schema: errorSchemas.detail },
      502: { description: 'Toss could not be asked about the payment; nothing recorded (Toss retries)', schema: errorSchemas.message },
      503: { description: 'TOSS_WEBHOOK_SECRET is not configured', schema: errorSchemas.message },
    },
    handler: async ({ req }) => {
      const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const receipt = await payments.receiveGatewayWebhook('toss', raw, req.headers);
      if (receipt.outcome === 'ignored' || receipt.change === 'mismatch') req.log?.warn({ webhook: receipt }, 'toss webhook: %s', receipt.note ?? receipt.outcome);
      else req.log?.info({ webhook: receipt }, 'toss webhook %s', receipt.outcome);
      return { status: 200, body: receipt };
    },
  });

  // ---- refunds ----
  route(ctx, {
    method: 'post',
    path: '/refunds',
    summary: `환불 요청 (amount omitted = what the refund policy allows; prorated refunds wait for finance; header ${IDEMPOTENCY_HEADER})`,
    tags: ['Refunds'],
    auth: rolesAllowed('commerce', 'use'),
    body: refundBody,
    responses: { 201: { description: 'Refund completed or requested', schema: refundSchema }, 404: { description: 'Not the caller’s payment', schema: errorSchemas.detail }, ...idemErrors, ...commonErrors },
    handler: async ({ req, user, body }) =>
      once(req, user!, 'refunds', body, async () => ({ status: 201, body: refundJson(await refunds.create(user!, { paymentId: body.payment_id, amount: body.amount ?? null, reason: body.reason ?? null, override: body.override === true })) })),
  });

  route(ctx, {
    method: 'get',
    path: '/refunds/:refund_code',
    summary: '환불 상태 조회',
    tags: ['Refunds'],
    auth: rolesAllowed('commerce', 'use'),
    params: z.object({ refund_code: z.string().regex(/^rf_[0-9a-f]{24}$/, 'i18n:commerceRefundCode') }),
    responses: { 200: { description: 'The refund', schema: refundSchema }, 400: { description: 'Malformed code', schema: errorSchemas.validation }, 404: { description: 'Not the caller’s refund', schema: errorSchemas.detail }, ...commonErrors },
    handler: async ({ user, params }) => ({ body: refundJson(await refunds.get(user!, params.refund_code)) }),
  });

  // ---- staff view of a member (seed 000 §8) ----
  const memberParams = z.object({ member_id: idParam });
  route(ctx, {
    method: 'get',
    path: '/customers/:member_id(\\d+)/paymentinformation',
    summary: '회원 결제정보 조회 (finance/admin: masked methods and payment history)',
    tags: ['Customers'],
    auth: rolesAllowed('payment-methods', 'read'),
    params: memberParams,
    query: z.object({ page: pageQuery }),
    responses: { 200: { description: '{methods, payments: page}' }, ...commonErrors },
    handler: async ({ params, query, req }) => {
      const pr = pageRequest(query.page, 20);
      const { count, rows } = await payments.listForUser(params.member_id, { offset: pr.offset, limit: pr.pageSize });
      const methodsOf = await methods.listForUser(params.member_id, { includeDeleted: true });
      return { body: { member_id: params.member_id, methods: methodsOf.map((m) => ({ ...methodJson(m), deleted: m.deletedAt !== null })), payments: toPage(req, deps.publicUrl, pr, count, rows.map(paymentJson)) } };
    },
  });

  route(ctx, {
    method: 'delete',
    path: '/customers/:member_id(\\d+)/paymentinformation',
    summary: '회원 결제정보 삭제 (finance/admin: removes the member’s stored methods; payments stay for the books; audited)',
    tags: ['Customers'],
    auth: rolesAllowed('payment-methods', 'delete'),
    params: memberParams,
    responses: { 200: { description: '{removed: n}' }, ...commonErrors },
    handler: async ({ user, params }) => ({ body: { removed: await methods.removeAllForUser(params.member_id, { id: user!.id, email: user!.email }, 'customers/paymentinformation DELETE') } }),
  });
}
