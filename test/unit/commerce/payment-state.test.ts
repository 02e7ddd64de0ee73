// The payment state machine: every legal transition, every other pair illegal, 409 with the current
// state, and the transitions a manual finance correction may use.
import { PAYMENT_STATUSES } from '../../../src/modules/commerce/commerce.entities.js';
import {
  IllegalTransitionError,
  MANUAL_CORRECTIONS,
  PAYMENT_STATES,
  ReasonRequiredError,
  TERMINAL_STATES,
  allowedTransitions,
  assertManualCorrection,
  assertTransition,
  canCorrectManually,
  canTransition,
  isTerminal,
  manualCorrectionTargets,
  stateAfterRefund,
  type PaymentState,
} from '../../../src/modules/commerce/domain/payment-state.js';

const LEGAL: Array<[PaymentState, PaymentState]> = [
  ['requested', 'approved'],
  ['requested', 'cancelled'],
  ['requested', 'failed'],
  ['approved', 'paid'],
  ['approved', 'cancelled'],
  ['approved', 'failed'],
  ['paid', 'partially_refunded'],
  ['paid', 'refunded'],
  ['paid', 'failed'],
  ['partially_refunded', 'partially_refunded'],
  ['partially_refunded', 'refunded'],
  ['partially_refunded', 'failed'],
];

describe('payment states', () => {
  it('lists the same states as the payments table', () => {
    expect([...PAYMENT_STATES]).toEqual([...PAYMENT_STATUSES]);
  });

  it('has refunded, cancelled and failed as terminal states', () => {
    expect([...TERMINAL_STATES].sort()).toEqual(['cancelled', 'failed', 'refunded']);
    for (const s of TERMINAL_STATES) {
      expect(isTerminal(s)).toBe(true);
      expect(allowedTransitions(s)).toEqual([]);
    }
    expect(isTerminal('paid')).toBe(false);
  });

  it.each(LEGAL)('%s → %s is legal', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it('rejects every other pair with IllegalTransitionError (409, current state)', () => {
    const legal = new Set(LEGAL.map(([a, b]) => `${a}>${b}`));
    let illegal = 0;
    for (const from of PAYMENT_STATES) {
      for (const to of PAYMENT_STATES) {
        if (legal.has(`${from}>${to}`)) continue;
        illegal++;
        expect(canTransition(from, to)).toBe(false);
        let caught: unknown;
        try {
          assertTransition(from, to);
        } catch (e) {
          caught = e;
        }
        expect(caught).toBeInstanceOf(IllegalTransitionError);
        const e = caught as IllegalTransitionError;
        expect(e.current).toBe(from);
        expect(e.attempted).toBe(to);
        expect(e.httpStatus).toBe(409);
        expect(e.code).toBe('illegal_transition');
        expect(e.details.status).toBe(from);
      }
    }
    expect(illegal).toBe(7 * 7 - LEGAL.length);
  });

  it('names a few illegal transitions explicitly', () => {
    expect(canTransition('requested', 'paid')).toBe(false); // must be approved first
    expect(canTransition('paid', 'cancelled')).toBe(false); // money taken: refund instead
    expect(canTransition('refunded', 'paid')).toBe(false);
    expect(canTransition('cancelled', 'approved')).toBe(false);
    expect(canTransition('failed', 'requested')).toBe(false);
    expect(canTransition('paid', 'paid')).toBe(false);
    expect(() => assertTransition('paid', 'bogus' as PaymentState)).toThrow(expect.objectContaining({ code: 'unknown_payment_state', httpStatus: 400 }));
  });

  it('computes the status after a refund', () => {
    expect(stateAfterRefund(9900, 0)).toBe('paid');
    expect(stateAfterRefund(9900, 100)).toBe('partially_refunded');
    expect(stateAfterRefund(9900, 9900)).toBe('refunded');
    expect(() => stateAfterRefund(9900, 9901)).toThrow(expect.objectContaining({ code: 'refund_invariant' }));
  });
});

describe('manual finance corrections', () => {
  it('only reconcile: abandon, fail or void before payment, or record a capture the gateway shows', () => {
    expect(MANUAL_CORRECTIONS.map((c) => `${c.from}>${c.to}:${c.gatewayAction}`).sort()).toEqual([
      'approved>cancelled:void',
      'approved>failed:void',
      'approved>paid:verify',
      'requested>cancelled:none',
      'requested>failed:none',
    ]);
    for (const c of MANUAL_CORRECTIONS) expect(canTransition(c.from, c.to)).toBe(true);
  });

  it('never moves money states or leaves a terminal state', () => {
    expect(canCorrectManually('paid', 'refunded')).toBe(false);
    expect(canCorrectManually('paid', 'partially_refunded')).toBe(false);
    expect(canCorrectManually('paid', 'failed')).toBe(false);
    expect(canCorrectManually('partially_refunded', 'failed')).toBe(false);
    expect(canCorrectManually('cancelled', 'requested')).toBe(false);
    expect(manualCorrectionTargets('paid')).toEqual([]);
    expect(manualCorrectionTargets('approved').sort()).toEqual(['cancelled', 'failed', 'paid']);
  });

  it('needs a reason and answers 409 with the current state otherwise', () => {
    expect(assertManualCorrection('approved', 'cancelled', 'Member asked on the phone').gatewayAction).toBe('void');
    expect(() => assertManualCorrection('approved', 'cancelled', '   ')).toThrow(ReasonRequiredError);
    expect(() => assertManualCorrection('approved', 'cancelled', undefined)).toThrow(ReasonRequiredError);
    expect(() => assertManualCorrection('approved', 'cancelled', 'x'.repeat(501))).toThrow(expect.objectContaining({ code: 'reason_too_long' }));
    expect(() => assertManualCorrection('paid', 'refunded', 'finance')).toThrow(IllegalTransitionError);
    expect(() => assertManualCorrection('refunded', 'paid', 'finance')).toThrow(expect.objectContaining({ current: 'refunded', httpStatus: 409 }));
  });
});
