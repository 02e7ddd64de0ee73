// The refund policy, in one place. REFUND_POLICY_MARKDOWN below is the text of docs/payments.md
// (test/unit/commerce/refund-policy.test.ts checks it is there verbatim); the code under it
// implements exactly that text.
import { CommerceError } from './errors.js';
import { assertMinorAmount, isMinorAmount, prorateByPeriod } from './money.js';
import { IllegalTransitionError, REFUNDABLE_STATES, assertReason, stateAfterRefund, type PaymentState } from './payment-state.js';

export const REFUND_FULL_WINDOW_DAYS = 7;
export const REFUND_FULL_WINDOW_MS = REFUND_FULL_WINDOW_DAYS * 24 * 60 * 60 * 1000;

export const REFUND_POLICY_MARKDOWN = `### Refund policy

Amounts are integers in the currency's minor unit; "paid" is the amount actually charged (after
discount and coupon). Every rule is a cap on the **total** refunded for the payment, so earlier
refunds count against it.

| case | refundable | rule |
| --- | --- | --- |
| Within ${REFUND_FULL_WINDOW_DAYS} days of payment (up to and including ${REFUND_FULL_WINDOW_DAYS} × 24 h after \`paid_at\`) and nothing watched | everything not yet refunded | \`full_7d_unwatched\` |
| Subscription, watched or after the ${REFUND_FULL_WINDOW_DAYS} days, period still running | the unused part of the period: floor(paid × remaining seconds ÷ period seconds), minus earlier refunds | \`prorated\` |
| Subscription, period over | nothing | \`period_ended\` |
| Single purchase (item), watched | nothing | \`item_watched\` |
| Single purchase (item), after the ${REFUND_FULL_WINDOW_DAYS} days | nothing | \`item_window_passed\` |
| Already fully refunded | nothing | \`fully_refunded\` |
| **Finance/admin override** | any amount up to what is not yet refunded; a reason is mandatory and audited | \`override\` |

Only payments in status \`paid\` or \`partially_refunded\` can be refunded (otherwise \`409\` with the
current status). A refund that brings the refunded total to the paid amount makes the payment
\`refunded\`, any smaller one \`partially_refunded\`. The sum of refunds never exceeds the paid
amount: checked by the policy and again under the payment's row lock when the refund is saved.
`;

export type RefundKind = 'subscription' | 'item';

export type RefundRule =
  | 'full_7d_unwatched'
  | 'prorated'
  | 'override'
  | 'period_ended'
  | 'item_watched'
  | 'item_window_passed'
  | 'fully_refunded';

export interface RefundContext {
  /** Amount actually charged (payments.amount_total), minor units. */
  paid: number;
  /** Sum of completed refunds so far (payments.refunded_amount). */
  alreadyRefunded: number;
  paidAt: Date;
  /** Subscriptions: the period this payment bought, [periodStart, periodEnd). */
  periodStart?: Date | null;
  periodEnd?: Date | null;
  /** Whether the member watched the content (any of the subscription's, or the item) since paying. */
  watched: boolean;
  kind: RefundKind;
  now: Date;
}

export interface RefundAllowance {
  /** The most the member may get back now under the policy. */
  max: number;
  /** The rule that decided it (stored in refunds.rule). */
  rule: RefundRule;
  /** paid − alreadyRefunded: the ceiling of a finance/admin override. */
  remaining: number;
  /**
   * The most the policy lets the payment's refunds add up to (earlier refunds included): the
   * database checks refunded_amount + amount ≤ cap when it reserves a policy refund, so parallel
   * requests that each read the same alreadyRefunded cannot together pass it.
   */
  cap: number;
}

export interface RefundRequest {
  /** Minor units. Absent for a member request = the policy maximum; required for an override. */
  amount?: number | null;
  /** Optional for members, mandatory for an override (≤ 500 characters). */
  reason?: string | null;
  /** Finance/admin override of the policy (the caller checks the role). */
  override?: boolean;
}

export interface RefundDecision {
  amount: number;
  rule: RefundRule;
  /** Trimmed reason, null when none was given. */
  reason: string | null;
  /** What the policy alone allowed (for the audit log of an override). */
  policy: RefundAllowance;
  /** Refunded total after this refund. */
  refundedAfter: number;
  /** Still refundable (by override) after this refund. */
  remainingAfter: number;
  nextStatus: 'partially_refunded' | 'refunded';
}

/** 409: the policy allows no refund now (`rule` says why). */
export class RefundNotAllowedError extends CommerceError<'refund_not_allowed'> {
  constructor(public readonly allowance: RefundAllowance) {
    super('conflict', 'refund_not_allowed', { rule: allowance.rule, max: 0 });
  }
}

export type RefundAmountProblem = 'invalid' | 'required' | 'exceeds_allowed' | 'exceeds_remaining';

/** 400 for a malformed or over-policy amount; 409 when it would refund more than was paid (sum of refunds > paid). */
export class RefundAmountError extends CommerceError<`refund_amount_${RefundAmountProblem}`> {
  constructor(
    public readonly problem: RefundAmountProblem,
    details: Record<string, unknown> = {},
  ) {
    super(problem === 'exceeds_remaining' ? 'conflict' : 'invalid', `refund_amount_${problem}`, { field: 'amount', ...details });
  }
}

function assertDate(d: unknown, field: string): asserts d is Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new TypeError(`refund context: ${field} must be a valid Date`);
}

function validateContext(ctx: RefundContext): void {
  assertMinorAmount(ctx.paid, 'paid');
  assertMinorAmount(ctx.alreadyRefunded, 'alreadyRefunded');
  assertDate(ctx.paidAt, 'paidAt');
  assertDate(ctx.now, 'now');
  if (ctx.kind !== 'subscription' && ctx.kind !== 'item') throw new TypeError(`refund context: unknown kind ${String(ctx.kind)}`);
  if (ctx.alreadyRefunded > ctx.paid) {
    throw new CommerceError('conflict', 'refund_invariant', { paid: ctx.paid, refunded: ctx.alreadyRefunded }, { form: 'exceeded' });
  }
  if (ctx.kind === 'subscription') {
    assertDate(ctx.periodStart, 'periodStart');
    assertDate(ctx.periodEnd, 'periodEnd');
    if (ctx.periodEnd.getTime() <= ctx.periodStart.getTime()) throw new TypeError('refund context: periodEnd must be after periodStart');
  }
}

/** What the policy allows for this payment at `ctx.now`. Pure; does not look at the payment status. */
export function refundableAmount(ctx: RefundContext): RefundAllowance {
  validateContext(ctx);
  const remaining = ctx.paid - ctx.alreadyRefunded;
  const allow = (rule: RefundRule, entitlement: number): RefundAllowance => ({
    rule,
    remaining,
    max: Math.min(remaining, Math.max(0, entitlement - ctx.alreadyRefunded)),
    cap: Math.min(ctx.paid, entitlement),
  });

  if (remaining === 0) return { max: 0, rule: 'fully_refunded', remaining, cap: ctx.paid };
  const elapsed = ctx.now.getTime() - ctx.paidAt.getTime();
  const inFullWindow = elapsed <= REFUND_FULL_WINDOW_MS;
  if (inFullWindow && !ctx.watched) return allow('full_7d_unwatched', ctx.paid);

  if (ctx.kind === 'item') return allow(ctx.watched ? 'item_watched' : 'item_window_passed', 0);

  const periodEnd = ctx.periodEnd as Date;
  if (ctx.now.getTime() >= periodEnd.getTime()) return allow('period_ended', 0);
  return allow('prorated', prorateByPeriod(ctx.paid, ctx.periodStart as Date, periodEnd, ctx.now));
}

/**
 * Decides one refund request, or throws:
 * - IllegalTransitionError (409, with the current status) unless the payment is paid/partially_refunded;
 * - RefundNotAllowedError (409) when the policy allows nothing (members only);
 * - RefundAmountError: invalid/required/exceeds_allowed (400), exceeds_remaining (409);
 * - ReasonRequiredError (400) for an override without a reason.
 * The caller checks that an override comes from finance/admin, then re-checks
 * refunded_amount + amount ≤ amount_total under the payment's row lock before saving.
 */
export function checkRefund(request: RefundRequest, context: RefundContext & { status: PaymentState }): RefundDecision {
  if (!REFUNDABLE_STATES.includes(context.status)) {
    throw new IllegalTransitionError(context.status, 'refunded', [], 'refund');
  }
  const policy = refundableAmount(context);
  const override = request.override === true;
  const given = request.amount;
  if (given !== undefined && given !== null && (!isMinorAmount(given) || given === 0)) {
    throw new RefundAmountError('invalid', { max: policy.max });
  }

  let amount: number;
  let reason: string | null;
  if (override) {
    reason = assertReason(request.reason, 'override');
    if (given === undefined || given === null) throw new RefundAmountError('required', { max: policy.remaining });
    if (policy.remaining === 0) throw new RefundNotAllowedError(policy);
    amount = given;
  } else {
    reason = request.reason && request.reason.trim() ? assertReason(request.reason) : null;
    if (policy.max === 0) throw new RefundNotAllowedError(policy);
    amount = given ?? policy.max;
    if (amount > policy.max) {
      throw new RefundAmountError('exceeds_allowed', { max: policy.max, rule: policy.rule });
    }
  }

  // The invariant sum(refunds) ≤ paid, for every path (an override included).
  const refundedAfter = context.alreadyRefunded + amount;
  if (refundedAfter > context.paid) {
    throw new RefundAmountError('exceeds_remaining', { max: policy.remaining });
  }
  const nextStatus = stateAfterRefund(context.paid, refundedAfter) as 'partially_refunded' | 'refunded';
  return {
    amount,
    rule: override ? 'override' : policy.rule,
    reason,
    policy,
    refundedAfter,
    remainingAfter: context.paid - refundedAfter,
    nextStatus,
  };
}
