// The one catalogue of commerce API messages: Korean by default, English on Accept-Language: en
// (src/http/i18n.ts `langOf`). toHttpError (http.ts) is its only user on the API side.
//
// How a CommerceError finds its text:
//   - by its stable `code`; a code whose English message has several forms (e.g. illegal_transition,
//     reason_required) lists one variant per form, and the variant whose `en` template matches the
//     thrown English message is taken. `{name}` in a template matches anything and is then
//     available to the Korean text, together with the error's `details` (statuses, amounts, limits);
//   - English answers keep the thrown message as it is (it is the English source: the admin panel
//     shows it too); Korean answers use the variant's `ko`;
//   - a variant with `en: null` matches any message (texts that come from a gateway);
//   - an unknown code or a message no variant matches falls back to the English message.
// Field errors (details.fields, 400 {"field": ["message"]}) are looked up the same way: in the
// error code's variants first, then in FIELD_MESSAGES (the validators' per-field texts).
//
// Every code thrown in src/modules/commerce must have an entry here: test/unit/commerce/messages.test.ts
// greps the sources and fails on a missing one.
import type { Lang } from '../shared/messages.js';

type Vars = Record<string, unknown>;
type Text = string | ((v: Vars) => string);

export interface Variant {
  /** English template matched against the thrown message ({name} = any text); null = any message. */
  en: string | null;
  ko: Text;
}

// ---- Korean words for statuses and rules ----------------------------------------------------

const PAYMENT_STATUS: Record<string, string> = {
  requested: '요청',
  approved: '승인',
  paid: '결제 완료',
  partially_refunded: '부분 환불',
  refunded: '환불 완료',
  cancelled: '취소',
  failed: '실패',
};
/** "이미 취소된 결제는 …" */
const PAYMENT_ADJ: Record<string, string> = {
  requested: '승인 전인',
  approved: '승인된',
  paid: '결제가 완료된',
  partially_refunded: '부분 환불된',
  refunded: '이미 환불된',
  cancelled: '이미 취소된',
  failed: '실패한',
};
const SUBSCRIPTION_ADJ: Record<string, string> = {
  pending: '결제 대기 중인',
  active: '이용 중인',
  suspended: '일시 정지된',
  cancelled: '해지된',
  expired: '만료된',
};
const REFUND_ADJ: Record<string, string> = {
  requested: '이미 처리 중인',
  completed: '이미 완료된',
  rejected: '이미 거절된',
};
const REFUND_RULE: Record<string, string> = {
  full_7d_unwatched: '결제 후 7일 이내 미시청 전액 환불',
  prorated: '남은 이용 기간 비례 환불',
  override: '정책 예외 환불',
  period_ended: '이용 기간 종료',
  item_watched: '시청한 영화',
  item_window_passed: '환불 가능 기간 경과',
  fully_refunded: '전액 환불 완료',
};
const DECLINE: Record<string, string> = {
  card_declined: '카드사에서 결제를 거절했습니다.',
  insufficient_funds: '잔액 또는 한도가 부족하여 결제가 거절되었습니다.',
  expired_card: '유효기간이 지난 카드라 결제가 거절되었습니다.',
  invalid_method: '사용할 수 없는 결제 수단이라 결제가 거절되었습니다.',
  invalid_token: '사용할 수 없는 결제 수단이라 결제가 거절되었습니다.',
  amount_limit: '결제 한도를 넘어 결제가 거절되었습니다.',
  requires_action: '카드 추가 인증이 필요해 자동 결제를 완료할 수 없습니다.',
};

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
const word = (table: Record<string, string>, v: unknown) => table[s(v)] ?? s(v);
const pay = (v: unknown) => `'${word(PAYMENT_STATUS, v)}'`;
const payAdj = (v: unknown) => PAYMENT_ADJ[s(v)] ?? `'${s(v)}' 상태인`;
const list = (v: unknown) => (Array.isArray(v) ? v.join(', ') : s(v));
const orKo = (v: unknown) => s(v).replace(/ or /g, ' 또는 ');
const unquote = (v: unknown) => s(v).replace(/^"(.*)"$/, '$1');

const FINANCE_ONLY = (what: string) => `재무 담당자와 관리자만 ${what} 수 있습니다.`;

// ---- top-level messages, by code -------------------------------------------------------------

export const COMMERCE_MESSAGES: Readonly<Record<string, readonly Variant[]>> = {
  // not found (404 {"detail"})
  payment_not_found: [{ en: 'Payment not found.', ko: '결제를 찾을 수 없습니다.' }],
  payment_method_not_found: [{ en: 'Payment method not found.', ko: '결제 수단을 찾을 수 없습니다.' }],
  refund_not_found: [{ en: 'Refund not found.', ko: '환불 내역을 찾을 수 없습니다.' }],
  subscription_not_found: [{ en: 'No subscription found.', ko: '구독 정보를 찾을 수 없습니다.' }],
  plan_not_found: [{ en: 'No active plan "{plan}".', ko: (v) => `이용할 수 있는 '${s(v.plan)}' 요금제가 없습니다.` }],
  discount_not_found: [{ en: 'Discount not found.', ko: '할인을 찾을 수 없습니다.' }],
  coupon_not_found: [{ en: 'Coupon not found.', ko: '쿠폰을 찾을 수 없습니다.' }],

  // requests
  invalid_request: [{ en: 'Give either plan or item.', ko: '요금제(plan)와 영화(item) 중 하나만 지정해 주세요.' }],
  item_not_found: [{ en: 'No movie with this id.', ko: '해당 ID의 영화가 없습니다.' }],
  discount_not_applicable: [{ en: 'Discounts apply to plans only.', ko: '할인은 요금제 결제에만 적용됩니다.' }],
  invalid_subscription: [
    { en: 'Give a plan, a method_id or cancel.', ko: '요금제(plan), 결제 수단(method_id), 해지(cancel) 중 하나 이상을 지정해 주세요.' },
    { en: 'Choose a plan or cancel, not both.', ko: '요금제 변경과 해지는 함께 요청할 수 없습니다. 하나만 선택해 주세요.' },
  ],
  forbidden: [
    { en: 'Only finance and admin may override the refund policy.', ko: FINANCE_ONLY('환불 정책의 예외를 적용할') },
    { en: 'Only finance and admin may approve refunds.', ko: FINANCE_ONLY('환불을 승인할') },
    { en: 'Only finance and admin may reject refunds.', ko: FINANCE_ONLY('환불을 거절할') },
    { en: 'Only finance and admin may correct payments.', ko: FINANCE_ONLY('결제 상태를 수정할') },
  ],
  reason_required: [
    { en: 'A reason is required.', ko: '사유를 입력해 주세요.' },
    { en: 'A manual status correction needs a reason.', ko: '결제 상태를 직접 수정하려면 사유를 입력해 주세요.' },
    { en: 'A manual correction needs a reason.', ko: '결제 상태를 직접 수정하려면 사유를 입력해 주세요.' },
    { en: 'A refund override needs a reason.', ko: '정책 예외 환불에는 사유를 입력해 주세요.' },
    { en: 'Rejecting a refund needs a reason.', ko: '환불을 거절하려면 사유를 입력해 주세요.' },
    { en: 'Toss needs a cancelReason.', ko: '취소 사유를 입력해 주세요.' },
  ],
  reason_too_long: [{ en: 'The reason may have at most {max} characters.', ko: (v) => `사유는 최대 ${s(v.max)}자까지 입력할 수 있습니다.` }],

  // payments
  payment_declined: [{ en: null, ko: (v) => DECLINE[s(v.reason)] ?? '결제가 거절되었습니다.' }],
  payment_method_gone: [{ en: 'The payment method of this payment was removed; request a new payment.', ko: '이 결제에 사용한 결제 수단이 삭제되었습니다. 결제를 새로 요청해 주세요.' }],
  amount_mismatch: [
    { en: 'The payment amount does not match its request; request a new payment.', ko: '결제 금액이 요청 내용과 일치하지 않습니다. 결제를 새로 요청해 주세요.' },
    { en: 'Toss captured {captured}, expected {expected}.', ko: '결제 대행사가 요청과 다른 금액을 매입했습니다.' },
  ],
  capture_mismatch: [{ en: 'The gateway captured a different amount than requested.', ko: '결제 대행사가 요청과 다른 금액을 매입했습니다.' }],
  correction_not_allowed: [
    { en: 'A payment cannot be set to "{target}" by hand: use approve/execute, cancel or refunds.', ko: (v) => `결제 상태는 직접 ${pay(v.target)} 상태로 바꿀 수 없습니다. 승인·실행, 취소 또는 환불 기능을 이용해 주세요.` },
  ],
  no_payment_method: [{ en: 'The member has no payment method.', ko: '등록된 결제 수단이 없습니다.' }],
  refunds_unavailable: [{ en: 'Refunds are not available.', ko: '지금은 환불을 처리할 수 없습니다.' }],
  unknown_payment_state: [{ en: 'Unknown payment status {value}.', ko: (v) => `알 수 없는 결제 상태입니다: ${unquote(v.value)}` }],
  illegal_transition: [
    { en: 'A payment in status "{status}" cannot become "{attempted}".', ko: (v) => `${payAdj(v.status)} 결제는 ${pay(v.attempted)} 상태로 바꿀 수 없습니다.` },
    { en: 'The payment is {status} now; it cannot become {attempted}.', ko: (v) => `결제가 그사이 ${pay(v.status)} 상태가 되어 ${pay(v.attempted)} 상태로 바꿀 수 없습니다.` },
    { en: 'A manual correction cannot change a payment from "{status}" to "{attempted}".', ko: (v) => `${payAdj(v.status)} 결제는 직접 수정으로 ${pay(v.attempted)} 상태로 바꿀 수 없습니다.` },
    { en: 'A payment in status "{status}" cannot be refunded.', ko: (v) => `${payAdj(v.status)} 결제는 환불할 수 없습니다.` },
  ],

  // refunds
  refund_not_allowed: [
    {
      en: 'This payment cannot be refunded ({rule}).',
      ko: (v) =>
        ({
          item_watched: '이미 시청한 영화는 환불할 수 없습니다.',
          item_window_passed: '결제 후 7일이 지나 환불할 수 없습니다.',
          period_ended: '이용 기간이 끝난 결제는 환불할 수 없습니다.',
          fully_refunded: '이미 전액 환불된 결제입니다.',
        })[s(v.rule)] ?? `환불 정책(${word(REFUND_RULE, v.rule)})상 이 결제는 환불할 수 없습니다.`,
    },
  ],
  cancel_needs_full_refund: [
    {
      en: 'Cancelling a captured payment refunds it in full, which the refund policy allows only within {days} days of payment and before anything is watched (rule: {rule}). Ask for a refund instead: {refundable} can be refunded.',
      ko: (v) =>
        `결제가 완료된 뒤의 취소는 전액 환불이며, 환불 정책상 결제 후 ${s(v.days)}일 이내이고 시청하지 않은 경우에만 가능합니다(적용 규칙: ${word(REFUND_RULE, v.rule)}). 대신 환불을 요청해 주세요. 환불 가능 금액은 ${s(v.refundable)}입니다.`,
    },
  ],
  refund_amount_invalid: [{ en: 'The refund amount must be a positive integer in minor units.', ko: '환불 금액은 최소 화폐 단위의 양의 정수여야 합니다.' }],
  refund_amount_required: [{ en: 'An override needs an explicit amount.', ko: '정책 예외 환불에는 환불 금액을 지정해야 합니다.' }],
  refund_amount_exceeds_allowed: [
    { en: 'At most {max} can be refunded under the refund policy ({rule}).', ko: (v) => `환불 정책(${word(REFUND_RULE, v.rule)})에 따라 최대 ${s(v.max)}까지 환불할 수 있습니다.` },
  ],
  refund_amount_exceeds_remaining: [{ en: 'At most {max} is left to refund on this payment.', ko: (v) => `이 결제에서 더 환불할 수 있는 금액은 최대 ${s(v.max)}입니다.` }],
  refund_exceeds_policy: [
    { en: 'At most {max} can be refunded under the refund policy ({rule}).', ko: (v) => `환불 정책(${word(REFUND_RULE, v.rule)})에 따라 최대 ${s(v.max)}까지 환불할 수 있습니다.` },
  ],
  refund_exceeds_remaining: [{ en: 'At most {max} is left to refund on this payment.', ko: (v) => `이 결제에서 더 환불할 수 있는 금액은 최대 ${s(v.max)}입니다.` }],
  refund_invariant: [
    { en: 'Refunded total {refunded} must be between 0 and the paid amount {paid}.', ko: (v) => `환불 합계(${s(v.refunded)})는 0 이상, 결제 금액(${s(v.paid)}) 이하여야 합니다.` },
    { en: 'Refunded total {refunded} exceeds the paid amount {paid}.', ko: (v) => `환불 합계(${s(v.refunded)})가 결제 금액(${s(v.paid)})을 넘습니다.` },
  ],
  refund_not_pending: [
    { en: 'The refund is {status}.', ko: (v) => `${REFUND_ADJ[s(v.status)] ?? `'${s(v.status)}' 상태인`} 환불입니다.` },
    { en: 'The refund was decided by someone else.', ko: '다른 담당자가 이미 처리한 환불입니다.' },
  ],

  // subscriptions
  subscription_not_resumable: [
    { en: 'A {status} subscription cannot be resumed; choose a plan instead.', ko: (v) => `${word(SUBSCRIPTION_ADJ, v.status)} 구독은 재개할 수 없습니다. 요금제를 다시 선택해 주세요.` },
  ],
  subscription_not_cancellable: [{ en: 'The subscription is already {status}.', ko: (v) => `이미 ${word(SUBSCRIPTION_ADJ, v.status)} 구독입니다.` }],

  // payment methods
  invalid_payment_method: [{ en: null, ko: '결제 수단 정보가 올바르지 않습니다.' }],
  payment_method_declined: [
    { en: null, ko: (v) => `결제 대행사에서 결제 수단을 거절했습니다.${DECLINE[s(v.gatewayCode)] ? ` ${DECLINE[s(v.gatewayCode)]}` : ''}` },
  ],

  // discounts and coupons
  discount_inactive: [{ en: 'This discount is not active.', ko: '현재 진행 중이 아닌 할인입니다.' }],
  discount_not_started: [{ en: 'This discount is not valid yet.', ko: '아직 시작되지 않은 할인입니다.' }],
  discount_expired: [{ en: 'This discount has expired.', ko: '기간이 끝난 할인입니다.' }],
  discount_plan_not_eligible: [{ en: 'This discount does not apply to this plan.', ko: '이 요금제에는 적용되지 않는 할인입니다.' }],
  discount_exhausted: [{ en: 'This discount has been used up.', ko: '사용 가능 횟수가 모두 소진된 할인입니다.' }],
  discount_currency_mismatch: [{ en: 'This discount is in another currency.', ko: '다른 통화로 설정된 할인입니다.' }],
  coupon_not_started: [{ en: 'This coupon is not valid yet.', ko: '아직 사용 기간이 시작되지 않은 쿠폰입니다.' }],
  coupon_expired: [
    { en: 'This coupon has expired.', ko: '사용 기간이 끝난 쿠폰입니다.' },
    { en: 'This coupon has expired and can no longer be issued.', ko: '사용 기간이 끝나 더 이상 발급할 수 없는 쿠폰입니다.' },
  ],
  coupon_below_minimum: [{ en: 'The amount is below the minimum for this coupon.', ko: (v) => `결제 금액이 이 쿠폰의 최소 결제 금액${v.minAmount !== undefined ? `(${s(v.minAmount)})` : ''}보다 적습니다.` }],
  coupon_currency_mismatch: [{ en: 'This coupon is in another currency.', ko: '다른 통화로 설정된 쿠폰입니다.' }],
  plan_code_taken: [{ en: 'A plan with code "{code}" already exists.', ko: (v) => `'${s(v.code)}' 코드의 요금제가 이미 있습니다.` }],
  coupon_code_taken: [{ en: 'A coupon with code "{code}" already exists.', ko: (v) => `'${s(v.code)}' 코드의 쿠폰이 이미 있습니다.` }],
  coupon_limit_reached: [
    { en: 'Only {remaining} more of this coupon can be issued (asked for {requested}).', ko: (v) => `이 쿠폰은 ${s(v.remaining)}장만 더 발급할 수 있습니다(요청: ${s(v.requested)}장).` },
  ],
  coupon_user_limit_reached: [
    {
      en: 'These users already hold the most of this coupon allowed per user ({per_user_limit}): {users}.',
      ko: (v) => `다음 회원은 이미 1인당 한도(${s(v.per_user_limit)}장)만큼 이 쿠폰을 가지고 있습니다: ${list(v.users)}.`,
    },
  ],
  coupon_already_used: [
    { en: 'This coupon has been used and cannot be removed.', ko: '이미 사용한 쿠폰은 삭제할 수 없습니다.' },
    { en: 'This coupon has already been used.', ko: '이미 사용한 쿠폰입니다.' },
  ],
  invalid_offer: [{ en: 'Invalid fields: {fields}.', ko: (v) => `입력값이 올바르지 않습니다: ${s(v.fields)}.` }],
  invalid_pricing_rule: [{ en: null, ko: (v) => `${v.rule === 'coupon' ? '쿠폰' : '할인'} 설정이 올바르지 않습니다.` }],
  invalid_time: [{ en: 'now must be a valid Date.', ko: '유효한 시각이 아닙니다.' }],

  // money (domain/money.ts)
  invalid_amount: [{ en: null, ko: '금액이 올바르지 않습니다.' }],
  unsupported_currency: [{ en: null, ko: (v) => `지원하지 않는 통화입니다${v.currency ? `: ${s(v.currency)}` : ''}.` }],
  currency_mismatch: [{ en: null, ko: (v) => `통화가 일치하지 않습니다${v.expected ? `: ${s(v.expected)} / ${s(v.actual)}` : ''}.` }],
  negative_result: [{ en: null, ko: '금액이 0보다 작아질 수 없습니다.' }],
  invalid_percentage: [{ en: null, ko: '할인율이 올바르지 않습니다. 0~100 사이의 값을 소수점 둘째 자리까지 입력해 주세요.' }],
  invalid_period: [{ en: null, ko: '기간이 올바르지 않습니다.' }],

  // idempotency (idempotency.ts; the two 400s have no `code` in the body)
  idempotency_key_missing: [
    {
      en: 'This request moves money: send an {header} header (8–100 printable characters, e.g. a UUID) and reuse it when you retry.',
      ko: (v) => `결제·환불 요청에는 ${s(v.header)} 헤더가 필요합니다. 8~100자의 출력 가능한 문자(예: UUID)를 보내고, 다시 시도할 때는 같은 키를 사용해 주세요.`,
    },
  ],
  idempotency_key_invalid: [{ en: '{header} must be 8–100 printable ASCII characters without spaces.', ko: (v) => `${s(v.header)}는 공백 없이 8~100자의 출력 가능한 ASCII 문자여야 합니다.` }],
  idempotency_key_reused: [
    { en: 'This {header} was already used with a different request; use a new key for a new request.', ko: (v) => `이 ${s(v.header)}는 이미 다른 요청에 사용되었습니다. 새 요청에는 새 키를 사용해 주세요.` },
    { en: 'This idempotency key was already used for a different request.', ko: '이 멱등성 키는 이미 다른 요청에 사용되었습니다. 새 요청에는 새 키를 사용해 주세요.' },
  ],
  idempotency_in_progress: [{ en: 'A request with this {header} is still being processed; retry in a moment.', ko: (v) => `같은 ${s(v.header)}의 요청을 아직 처리하고 있습니다. 잠시 후 다시 시도해 주세요.` }],

  // payment gateways (gateways/*): their texts may come from the gateway, so most match any message
  gateway_error: [
    { en: 'The payment gateway failed; try again later.', ko: '결제 대행사 오류로 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.' },
    { en: 'The payment gateway failed to refund; nothing was refunded.', ko: '결제 대행사 오류로 환불하지 못했습니다. 환불된 금액은 없습니다.' },
  ],
  gateway_auth_failed: [{ en: null, ko: '결제 대행사 연동에 문제가 있어 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.' }],
  gateway_timeout: [{ en: null, ko: '결제 대행사가 제때 응답하지 않았습니다. 같은 Idempotency-Key로 다시 시도해 주세요.' }],
  gateway_unavailable: [{ en: null, ko: '지금은 결제 대행사를 이용할 수 없습니다. 잠시 후 다시 시도해 주세요.' }],
  gateway_payment_not_found: [{ en: null, ko: '결제 대행사에서 이 결제를 찾을 수 없습니다.' }],
  gateway_invalid_response: [{ en: null, ko: '결제 대행사의 응답을 처리할 수 없습니다. 잠시 후 다시 시도해 주세요.' }],
  gateway_rejected: [{ en: null, ko: '결제 대행사가 요청을 거절했습니다.' }],
  invalid_idempotency_key: [{ en: null, ko: '1~300자의 멱등성 키가 필요합니다.' }],
  no_action_required: [{ en: null, ko: '추가 인증이 필요한 결제가 아닙니다.' }],
  already_captured: [
    { en: 'A captured payment cannot be voided; refund it.', ko: '매입된 결제는 승인 취소할 수 없습니다. 환불해 주세요.' },
    { en: null, ko: '이미 매입된 결제입니다.' },
  ],
  requires_action: [{ en: null, ko: '추가 인증이 끝나지 않아 매입할 수 없습니다.' }],
  not_capturable: [{ en: 'Cannot capture an authorisation that is {status}.', ko: (v) => `'${s(v.status)}' 상태의 승인은 매입할 수 없습니다.` }],
  amount_exceeds_authorized: [{ en: 'At most {amount} {currency} can be captured.', ko: (v) => `최대 ${s(v.amount)} ${s(v.currency)}까지 매입할 수 있습니다.` }],
  already_voided: [{ en: null, ko: '이미 승인 취소된 결제입니다.' }],
  not_voidable: [{ en: null, ko: '거절된 승인은 취소할 수 없습니다.' }],
  not_refundable: [{ en: 'Cannot refund an authorisation that is {status}.', ko: (v) => `'${s(v.status)}' 상태의 승인은 환불할 수 없습니다.` }],
  refund_exceeds_balance: [
    { en: 'At most {balance} {currency} can be refunded.', ko: (v) => `최대 ${s(v.balance)} ${s(v.currency)}까지 환불할 수 있습니다.` },
    { en: null, ko: '환불 가능한 잔액을 넘었습니다.' },
  ],
  not_captured: [{ en: null, ko: '결제 대행사에서 결제가 완료되지 않았습니다.' }],
  already_cancelled: [{ en: null, ko: '이미 취소된 결제입니다.' }],
  not_cancelable: [{ en: null, ko: '취소할 수 없는 결제입니다.' }],
  already_processed: [{ en: null, ko: '이미 처리된 결제입니다.' }],
  duplicate_order: [{ en: null, ko: '이미 사용된 주문 번호입니다.' }],
  invalid_signature: [{ en: null, ko: '웹훅 서명이 올바르지 않습니다.' }],
  invalid_webhook_payload: [{ en: null, ko: '웹훅 본문이 올바르지 않습니다.' }],
  webhooks_not_found: [{ en: 'This server does not take webhooks from "{gateway}".', ko: (v) => `이 서버는 "${s(v.gateway)}"의 웹훅을 받지 않습니다.` }],
  webhooks_not_configured: [
    { en: 'Webhooks of "{gateway}" are not configured on this server.', ko: (v) => `이 서버에는 "${s(v.gateway)}" 웹훅이 설정되어 있지 않습니다.` },
    { en: null, ko: '이 서버에는 웹훅이 설정되어 있지 않습니다.' },
  ],
  payment_changed: [{ en: null, ko: '웹훅을 처리하는 동안 결제 상태가 바뀌었습니다. 다시 시도해 주세요.' }],
};

// ---- field errors (400 {"field": ["message"]}) -----------------------------------------------

export const FIELD_MESSAGES: readonly Variant[] = [
  // payment methods (gateways/gateway.ts tokenizeMethod, methods.service.ts)
  { en: 'Enter a card number of 12 to 19 digits.', ko: '12~19자리 카드 번호를 입력해 주세요.' },
  { en: 'This card number is not valid.', ko: '유효하지 않은 카드 번호입니다.' },
  { en: 'A {brand} card number has {lengths} digits.', ko: (v) => `${s(v.brand)} 카드 번호는 ${orKo(v.lengths)}자리입니다.` },
  { en: 'Enter the 4-digit security code.', ko: '4자리 보안 코드(CVC)를 입력해 주세요.' },
  { en: 'Enter the 3-digit security code.', ko: '3자리 보안 코드(CVC)를 입력해 주세요.' },
  { en: 'Enter a month from 1 to 12.', ko: '1~12 사이의 월을 입력해 주세요.' },
  { en: 'Enter a valid expiry year.', ko: '올바른 유효기간 연도를 입력해 주세요.' },
  { en: 'This card has expired.', ko: '유효기간이 지난 카드입니다.' },
  { en: 'At most {n} characters.', ko: (v) => `최대 ${s(v.n)}자까지 입력할 수 있습니다.` },
  { en: 'Enter a valid e-mail address.', ko: '유효한 이메일 주소를 입력해 주세요.' },
  { en: 'Enter the bank name (at most 40 characters).', ko: '은행 이름을 입력해 주세요(최대 40자).' },
  { en: 'Enter an account number of 6 to 20 digits.', ko: '6~20자리 계좌 번호를 입력해 주세요.' },
  { en: 'An account number needs at least 4 digits.', ko: '계좌 번호는 4자리 이상이어야 합니다.' },
  { en: 'Type must be "card", "paypal" or "bank_transfer".', ko: '결제 수단 유형은 "card", "paypal", "bank_transfer" 중 하나여야 합니다.' },
  { en: 'Only a card has an expiry date.', ko: '유효기간은 카드에만 있습니다.' },
  { en: 'A PayPal account has no holder name.', ko: 'PayPal 계정에는 소유자 이름을 지정할 수 없습니다.' },
  { en: 'A member always has one default method: make another method the default instead.', ko: '기본 결제 수단은 항상 하나 있어야 합니다. 대신 다른 결제 수단을 기본으로 지정해 주세요.' },
  // discounts and coupons (domain/pricing.ts validators, offers.service.ts)
  { en: 'A percentage must be greater than 0 and at most 100.', ko: '할인율은 0보다 크고 100 이하여야 합니다.' },
  { en: 'A percentage may have at most 2 decimals.', ko: '할인율은 소수점 둘째 자리까지만 입력할 수 있습니다.' },
  { en: 'A fixed amount must be a positive integer in minor units.', ko: '정액 금액은 최소 화폐 단위의 양의 정수여야 합니다.' },
  { en: 'A fixed amount needs a currency.', ko: '정액 금액에는 통화를 지정해야 합니다.' },
  { en: 'Type must be "percent" or "fixed".', ko: '유형은 "percent" 또는 "fixed"여야 합니다.' },
  { en: 'validUntil must be later than validFrom.', ko: '종료 시각(valid_until)은 시작 시각(valid_from)보다 늦어야 합니다.' },
  { en: 'remainingUses must be an integer.', ko: '남은 사용 횟수는 정수여야 합니다.' },
  { en: 'minAmount must be a non-negative integer in minor units.', ko: '최소 결제 금액은 최소 화폐 단위의 0 이상 정수여야 합니다.' },
  { en: 'Unknown plan code(s): {codes}.', ko: (v) => `존재하지 않는 요금제 코드입니다: ${s(v.codes)}.` },
  { en: 'Already issued {n}; the limit cannot be lower.', ko: (v) => `이미 ${s(v.n)}장 발급되어 발급 한도를 그보다 낮출 수 없습니다.` },
  { en: 'A plan with code "{code}" already exists.', ko: (v) => `'${s(v.code)}' 코드의 요금제가 이미 있습니다.` },
  { en: 'Already used {n} times; the cap cannot be lower.', ko: (v) => `이미 ${s(v.n)}회 사용되어 사용 한도를 그보다 낮출 수 없습니다.` },
  { en: 'Name at least one user.', ko: '회원을 한 명 이상 지정해 주세요.' },
  { en: 'Unknown user id(s): {ids}.', ko: (v) => `존재하지 않는 회원 ID입니다: ${s(v.ids)}.` },
];

// ---- lookup ----------------------------------------------------------------------------------

const compiled = new Map<string, RegExp>();

function matcher(template: string): RegExp {
  let re = compiled.get(template);
  if (!re) {
    const source = template
      .split(/(\{\w+\})/)
      .map((part) => (/^\{\w+\}$/.test(part) ? `(?<${part.slice(1, -1)}>.+?)` : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${source}$`, 's');
    compiled.set(template, re);
  }
  return re;
}

/** The variant whose English template matches `message`, with the values it captured. */
function find(variants: readonly Variant[] | undefined, message: string): { variant: Variant; captured: Vars } | null {
  for (const variant of variants ?? []) {
    if (variant.en === null) return { variant, captured: {} };
    const m = matcher(variant.en).exec(message);
    if (m) return { variant, captured: { ...m.groups } };
  }
  return null;
}

function render(text: Text, vars: Vars): string {
  return typeof text === 'function' ? text(vars) : text.replace(/\{(\w+)\}/g, (_, k: string) => s(vars[k]));
}

/** Whether the catalogue has a text for this code and English message (tests). */
export function hasCommerceText(code: string, english: string): boolean {
  return find(COMMERCE_MESSAGES[code], english) !== null;
}

/** Whether a field message has a Korean text, under `code` or in FIELD_MESSAGES (tests). */
export function hasFieldText(english: string, code?: string): boolean {
  return (code !== undefined && find(COMMERCE_MESSAGES[code], english)?.variant.en != null) || find(FIELD_MESSAGES, english) !== null;
}

/** The text of an error: English as thrown; Korean from the catalogue (English when it has none). */
export function commerceMessage(code: string, english: string, details: Readonly<Vars>, lang: Lang): string {
  if (lang === 'en') return english;
  const hit = find(COMMERCE_MESSAGES[code], english);
  return hit ? render(hit.variant.ko, { ...details, ...hit.captured }) : english;
}

/** A message the commerce module writes itself (idempotency): the code's first variant, rendered in `lang`. */
export function commerceText(code: string, lang: Lang, vars: Vars = {}): string {
  const variant = COMMERCE_MESSAGES[code]?.[0];
  if (!variant?.en) throw new Error(`no commerce message "${code}"`);
  return render(lang === 'en' ? variant.en : variant.ko, vars);
}

/** Field errors in `lang`: each message by the error's code (exact variants only), then FIELD_MESSAGES. */
export function localizeFields(fields: Record<string, string[]>, code: string, lang: Lang): Record<string, string[]> {
  if (lang === 'en') return fields;
  const one = (message: string): string => {
    const own = find(COMMERCE_MESSAGES[code], message);
    const hit = own && own.variant.en !== null ? own : find(FIELD_MESSAGES, message);
    return hit ? render(hit.variant.ko, hit.captured) : message;
  };
  return Object.fromEntries(Object.entries(fields).map(([field, messages]) => [field, messages.map(one)]));
}
