// The payment state machine: every status change of a payment goes through assertTransition.
//
//   requested ──► approved ──► paid ──► partially_refunded ──► refunded
//       │             │          │              │  ▲ (another partial refund)
//       │             │          └──────────────┼──┴──► refunded (full refund at once)
//       ├─────────────┴──► cancelled            │
//       └─────────────┴──────────┴──────────────┴──► failed
//
// Terminal: refunded, cancelled, failed. "Any non-terminal → failed" includes paid and
// partially_refunded (a capture or transfer the gateway reverses afterwards); the manual finance
// corrections below never use those two.
import type { CommerceForm } from '../commerce.messages.js';
import { CommerceError } from './errors.js';

export const PAYMENT_STATES = ['requested', 'approved', 'paid', 'partially_refunded', 'refunded', 'cancelled', 'failed'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

export const TERMINAL_STATES: readonly PaymentState[] = Object.freeze(['refunded', 'cancelled', 'failed'] as const);

/** States from which a refund can be taken (the refund policy decides how much). */
export const REFUNDABLE_STATES: readonly PaymentState[] = Object.freeze(['paid', 'partially_refunded'] as const);

const TRANSITIONS: Readonly<Record<PaymentState, readonly PaymentState[]>> = Object.freeze({
  requested: ['approved', 'cancelled', 'failed'],
  approved: ['paid', 'cancelled', 'failed'],
  paid: ['partially_refunded', 'refunded', 'failed'],
  // A second (third…) partial refund keeps the payment partially_refunded.
  partially_refunded: ['partially_refunded', 'refunded', 'failed'],
  refunded: [],
  cancelled: [],
  failed: [],
});

export function isPaymentState(value: unknown): value is PaymentState {
  return typeof value === 'string' && (PAYMENT_STATES as readonly string[]).includes(value);
}

export function isTerminal(state: PaymentState): boolean {
  return TERMINAL_STATES.includes(state);
}

export function allowedTransitions(from: PaymentState): readonly PaymentState[] {
  return TRANSITIONS[from] ?? [];
}

export function canTransition(from: PaymentState, to: PaymentState): boolean {
  return isPaymentState(from) && isPaymentState(to) && TRANSITIONS[from].includes(to);
}

/**
 * 409: the payment is not in a state that allows the change. `current` is the state it is in;
 * `form` says how it was found (default: before the change; `now`: someone else moved it first;
 * `manual`: not a manual correction; `refund`: not refundable).
 */
export class IllegalTransitionError extends CommerceError<'illegal_transition'> {
  constructor(
    public readonly current: PaymentState,
    public readonly attempted: PaymentState,
    public readonly allowed: readonly PaymentState[],
    form?: CommerceForm<'illegal_transition'>,
  ) {
    super('conflict', 'illegal_transition', { status: current, attempted, allowed: [...allowed] }, { form });
  }
}

export function assertTransition(from: PaymentState, to: PaymentState): void {
  if (!isPaymentState(from) || !isPaymentState(to)) {
    throw new CommerceError('invalid', 'unknown_payment_state', {}, { vars: { value: String(JSON.stringify(isPaymentState(from) ? to : from)) } });
  }
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to, allowedTransitions(from));
}

/** The status after a refund that brings the refunded total to `refundedTotal`. */
export function stateAfterRefund(paid: number, refundedTotal: number): 'paid' | 'partially_refunded' | 'refunded' {
  if (!Number.isSafeInteger(paid) || !Number.isSafeInteger(refundedTotal) || refundedTotal < 0 || refundedTotal > paid) {
    throw new CommerceError('conflict', 'refund_invariant', { paid, refunded: refundedTotal });
  }
  if (refundedTotal === 0) return 'paid';
  return refundedTotal === paid ? 'refunded' : 'partially_refunded';
}

// ---------------------------------------------------------------------------------------------
// Manual finance corrections ("PUT payments", the admin "correct status" action).
//
// A correction only reconciles our record with what the gateway already did; it never moves money
// by itself. So refunds are never a correction (they go through the refund policy and
// gateway.refund), nothing leaves a terminal state, and paid/partially_refunded are never marked
// failed by hand. A reason is always required and should be written to the audit log.
// ---------------------------------------------------------------------------------------------

/**
 * What the service must do at the gateway before saving the corrected status:
 * - `none`: nothing was authorised at the gateway; just save.
 * - `void`: release the authorisation (gateway.void) first; save only if that succeeds.
 * - `verify`: fetch/capture-check the gateway record first and save only if it shows the money
 *   as captured for the full amount.
 */
export type CorrectionGatewayAction = 'none' | 'void' | 'verify';

export interface ManualCorrection {
  readonly from: PaymentState;
  readonly to: PaymentState;
  readonly gatewayAction: CorrectionGatewayAction;
  readonly description: string;
}

export const MANUAL_CORRECTIONS: readonly ManualCorrection[] = Object.freeze([
  { from: 'requested', to: 'cancelled', gatewayAction: 'none', description: 'Abandoned before approval.' },
  { from: 'requested', to: 'failed', gatewayAction: 'none', description: 'Stuck request the gateway never completed.' },
  { from: 'approved', to: 'cancelled', gatewayAction: 'void', description: 'Approved but never executed: void the authorisation.' },
  { from: 'approved', to: 'failed', gatewayAction: 'void', description: 'Approval the gateway later rejected or expired: void it.' },
  { from: 'approved', to: 'paid', gatewayAction: 'verify', description: 'The gateway shows the capture but our record missed it.' },
] as const);

export const MANUAL_CORRECTION_REASON_MAX = 500;

export function findManualCorrection(from: PaymentState, to: PaymentState): ManualCorrection | undefined {
  return MANUAL_CORRECTIONS.find((c) => c.from === from && c.to === to);
}

export function canCorrectManually(from: PaymentState, to: PaymentState): boolean {
  return findManualCorrection(from, to) !== undefined;
}

/** The statuses finance may set by hand on a payment currently in `from` (for the admin form). */
export function manualCorrectionTargets(from: PaymentState): PaymentState[] {
  return MANUAL_CORRECTIONS.filter((c) => c.from === from).map((c) => c.to);
}

/** 400: a reason is mandatory (manual corrections, refund overrides); `form` says for what. */
export class ReasonRequiredError extends CommerceError<'reason_required'> {
  constructor(form?: CommerceForm<'reason_required'>, field = 'reason') {
    super('invalid', 'reason_required', { field }, { form });
  }
}

/** Returns the correction (with its gateway action) or throws IllegalTransitionError / ReasonRequiredError. */
export function assertManualCorrection(from: PaymentState, to: PaymentState, reason: string | null | undefined): ManualCorrection {
  assertTransition(from, to);
  const correction = findManualCorrection(from, to);
  if (!correction) {
    throw new IllegalTransitionError(from, to, manualCorrectionTargets(from), 'manual');
  }
  assertReason(reason, 'manual');
  return correction;
}

/** Non-blank after trimming and at most 500 characters (the audit/refund column length). */
export function assertReason(reason: string | null | undefined, form?: CommerceForm<'reason_required'>): string {
  const r = typeof reason === 'string' ? reason.trim() : '';
  if (!r) throw new ReasonRequiredError(form);
  if (r.length > MANUAL_CORRECTION_REASON_MAX) {
    throw new CommerceError('invalid', 'reason_too_long', { field: 'reason' }, { vars: { max: MANUAL_CORRECTION_REASON_MAX } });
  }
  return r;
}
