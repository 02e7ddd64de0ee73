// The commerce module's messages, by code: Korean (the API's default) and English (Accept-Language:
// en, and every error's `message` in logs). Services throw CommerceErrors (domain/errors.ts) with a
// code from here and the values its text needs; the routes (defineRoute) and the panel
// (admin/service-form.ts inPanelLanguage) translate them. Nothing here is matched against a
// message: a code, its form and its values are all a text is made of.
//
// A code whose text comes in several forms (an illegal transition found before the change, after
// it, by a manual correction or by a refund…) lists them with `forms`: the error's `form` picks
// one, none = `default`. Texts of a payment gateway (Toss's `message`) are values too (`said`):
// English answers show them as they came, Korean answers the code's own text.
import { renderEntry, type Catalogue, type Entry, type Text, type Vars } from '../shared/messages.js';

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
/** A decline by its normalised reason (or the gateway's code). */
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
/** A JSON string literal shown without its quotes ("a\"b" → a\"b). */
const unquote = (v: unknown) => s(v).replace(/^"(.*)"$/s, '$1');
const FINANCE_ONLY = (what: string) => `재무 담당자와 관리자만 ${what} 수 있습니다.`;

/** What a payment gateway said (Toss's `message`), else its HTTP status. */
const said = (v: Vars) => (typeof v.said === 'string' && v.said ? v.said : `Toss answered HTTP ${s(v.upstreamStatus)}.`);

/** A code with several texts: the error's `form` (vars.form) picks one, `default` when it names none. */
function forms<F extends { default: Entry } & Record<string, Entry>>(f: F): Entry & { readonly forms: F } {
  const pick = (v: Vars): Entry => (typeof v.form === 'string' && Object.hasOwn(f, v.form) ? f[v.form] : f.default);
  return { ko: (v) => renderEntry(pick(v), 'ko', v), en: (v) => renderEntry(pick(v), 'en', v), forms: f };
}
/** Forms that differ in English only (a gateway's wording of one refusal). */
function enForms<F extends { default: Text } & Record<string, Text>>(ko: Text, en: F): Entry & { readonly forms: { [K in keyof F]: Entry } } {
  return forms(Object.fromEntries(Object.entries(en).map(([k, text]) => [k, { ko, en: text }])) as { default: Entry } & { [K in keyof F]: Entry });
}

export const commerceMessages = {
  // ---- request schemas (payments.routes.ts, instruments.routes.ts, offers.schemas.ts) ----
  commercePlanOrItem: { ko: '요금제(plan)와 영화(item) 중 하나만 지정해 주세요.', en: 'Give either plan or item.' },
  commerceRefundCode: { ko: '환불 코드 형식이 아닙니다.', en: 'Not a refund code.' },
  commerceCvc: { ko: 'CVC는 3자리 또는 4자리 숫자여야 합니다.', en: 'CVC must be 3 or 4 digits.' },
  commerceAccountNumber: { ko: '6~20자리 계좌 번호를 입력해 주세요.', en: 'Enter an account number of 6 to 20 digits.' },
  commerceMethodUpdate: { ko: 'is_default, holder, exp_month, exp_year 중 하나 이상을 지정해 주세요.', en: 'Give is_default, holder, exp_month or exp_year.' },
  commerceAnyField: { ko: '수정할 항목을 하나 이상 지정해 주세요.', en: 'Give at least one field.' },
  commerceCouponCode: { ko: '쿠폰 코드는 영문자, 숫자, "-", "_"로 된 3~40자여야 합니다.', en: 'A code is 3–40 letters, digits, "-" or "_".' },
  commerceIssueUsers: { ko: '쿠폰을 발급할 회원을 지정해 주세요.', en: 'Name the users to issue to.' },

  // ---- field messages of the services (400 {"field": ["message"]}) ----
  // payment methods (gateways/gateway.ts tokenizeMethod, methods.service.ts)
  commerceCardNumber: { ko: '12~19자리 카드 번호를 입력해 주세요.', en: 'Enter a card number of 12 to 19 digits.' },
  commerceCardInvalid: { ko: '유효하지 않은 카드 번호입니다.', en: 'This card number is not valid.' },
  commerceCardLength: { ko: (v) => `${s(v.brand)} 카드 번호는 ${orKo(v.lengths)}자리입니다.`, en: 'A {brand} card number has {lengths} digits.' },
  commerceCvc4: { ko: '4자리 보안 코드(CVC)를 입력해 주세요.', en: 'Enter the 4-digit security code.' },
  commerceCvc3: { ko: '3자리 보안 코드(CVC)를 입력해 주세요.', en: 'Enter the 3-digit security code.' },
  commerceExpMonth: { ko: '1~12 사이의 월을 입력해 주세요.', en: 'Enter a month from 1 to 12.' },
  commerceExpYear: { ko: '올바른 유효기간 연도를 입력해 주세요.', en: 'Enter a valid expiry year.' },
  commerceCardExpired: { ko: '유효기간이 지난 카드입니다.', en: 'This card has expired.' },
  commerceHolderLength: { ko: '최대 {n}자까지 입력할 수 있습니다.', en: 'At most {n} characters.' },
  commerceEmail: { ko: '유효한 이메일 주소를 입력해 주세요.', en: 'Enter a valid e-mail address.' },
  commerceBankName: { ko: '은행 이름을 입력해 주세요(최대 40자).', en: 'Enter the bank name (at most 40 characters).' },
  commerceAccountShort: { ko: '계좌 번호는 4자리 이상이어야 합니다.', en: 'An account number needs at least 4 digits.' },
  commerceMethodType: { ko: '결제 수단 유형은 "card", "paypal", "bank_transfer" 중 하나여야 합니다.', en: 'Type must be "card", "paypal" or "bank_transfer".' },
  commerceExpiryCardOnly: { ko: '유효기간은 카드에만 있습니다.', en: 'Only a card has an expiry date.' },
  commercePaypalHolder: { ko: 'PayPal 계정에는 소유자 이름을 지정할 수 없습니다.', en: 'A PayPal account has no holder name.' },
  commerceKeepDefault: {
    ko: '기본 결제 수단은 항상 하나 있어야 합니다. 대신 다른 결제 수단을 기본으로 지정해 주세요.',
    en: 'A member always has one default method: make another method the default instead.',
  },
  // requests (payments.service.ts, subscriptions.service.ts)
  commerceNoSuchMovie: { ko: '해당 ID의 영화가 없습니다.', en: 'No movie with this id.' },
  commerceDiscountPlansOnly: { ko: '할인은 요금제 결제에만 적용됩니다.', en: 'Discounts apply to plans only.' },
  commerceSubscriptionInput: { ko: '요금제(plan), 결제 수단(method_id), 해지(cancel) 중 하나 이상을 지정해 주세요.', en: 'Give a plan, a method_id or cancel.' },
  commercePlanOrCancel: { ko: '요금제 변경과 해지는 함께 요청할 수 없습니다. 하나만 선택해 주세요.', en: 'Choose a plan or cancel, not both.' },
  // discounts and coupons (domain/pricing.ts validators, offers.service.ts)
  commercePercentRange: { ko: '할인율은 0보다 크고 100 이하여야 합니다.', en: 'A percentage must be greater than 0 and at most 100.' },
  commercePercentDecimals: { ko: '할인율은 소수점 둘째 자리까지만 입력할 수 있습니다.', en: 'A percentage may have at most 2 decimals.' },
  commerceFixedAmount: { ko: '정액 금액은 최소 화폐 단위의 양의 정수여야 합니다.', en: 'A fixed amount must be a positive integer in minor units.' },
  commerceFixedCurrency: { ko: '정액 금액에는 통화를 지정해야 합니다.', en: 'A fixed amount needs a currency.' },
  commerceAdjustmentType: { ko: '유형은 "percent" 또는 "fixed"여야 합니다.', en: 'Type must be "percent" or "fixed".' },
  commerceUntilAfterFrom: { ko: '종료 시각(valid_until)은 시작 시각(valid_from)보다 늦어야 합니다.', en: 'validUntil must be later than validFrom.' },
  commerceRemainingUses: { ko: '남은 사용 횟수는 정수여야 합니다.', en: 'remainingUses must be an integer.' },
  commerceMinAmount: { ko: '최소 결제 금액은 최소 화폐 단위의 0 이상 정수여야 합니다.', en: 'minAmount must be a non-negative integer in minor units.' },
  commerceUnknownPlanCodes: { ko: '존재하지 않는 요금제 코드입니다: {codes}.', en: 'Unknown plan code(s): {codes}.' },
  commerceIssuedBelow: { ko: '이미 {n}장 발급되어 발급 한도를 그보다 낮출 수 없습니다.', en: 'Already issued {n}; the limit cannot be lower.' },
  commerceUsedBelow: { ko: '이미 {n}회 사용되어 사용 한도를 그보다 낮출 수 없습니다.', en: 'Already used {n} times; the cap cannot be lower.' },
  commerceNameUsers: { ko: '회원을 한 명 이상 지정해 주세요.', en: 'Name at least one user.' },
  commerceUnknownUserIds: { ko: '존재하지 않는 회원 ID입니다: {ids}.', en: 'Unknown user id(s): {ids}.' },

  // ---- not found (404 {"detail"}) ----
  payment_not_found: { ko: '결제를 찾을 수 없습니다.', en: 'Payment not found.' },
  payment_method_not_found: { ko: '결제 수단을 찾을 수 없습니다.', en: 'Payment method not found.' },
  refund_not_found: { ko: '환불 내역을 찾을 수 없습니다.', en: 'Refund not found.' },
  subscription_not_found: { ko: '구독 정보를 찾을 수 없습니다.', en: 'No subscription found.' },
  // `plan` as the English shows it, a JSON string: the Korean shows it without the quotes.
  plan_not_found: { ko: (v) => `이용할 수 있는 '${unquote(JSON.stringify(s(v.plan)))}' 요금제가 없습니다.`, en: (v) => `No active plan ${JSON.stringify(s(v.plan))}.` },
  discount_not_found: { ko: '할인을 찾을 수 없습니다.', en: 'Discount not found.' },
  coupon_not_found: { ko: '쿠폰을 찾을 수 없습니다.', en: 'Coupon not found.' },
  webhooks_not_found: { ko: '이 서버는 "{gateway}"의 웹훅을 받지 않습니다.', en: 'This server does not take webhooks from "{gateway}".' },

  // ---- requests ----
  invalid_request: { ko: '요금제(plan)와 영화(item) 중 하나만 지정해 주세요.', en: 'Give either plan or item.' },
  item_not_found: { ko: '해당 ID의 영화가 없습니다.', en: 'No movie with this id.' },
  discount_not_applicable: { ko: '할인은 요금제 결제에만 적용됩니다.', en: 'Discounts apply to plans only.' },
  invalid_subscription: forms({
    default: { ko: '요금제(plan), 결제 수단(method_id), 해지(cancel) 중 하나 이상을 지정해 주세요.', en: 'Give a plan, a method_id or cancel.' },
    both: { ko: '요금제 변경과 해지는 함께 요청할 수 없습니다. 하나만 선택해 주세요.', en: 'Choose a plan or cancel, not both.' },
  }),
  forbidden: forms({
    default: { ko: FINANCE_ONLY('결제 상태를 수정할'), en: 'Only finance and admin may correct payments.' },
    override: { ko: FINANCE_ONLY('환불 정책의 예외를 적용할'), en: 'Only finance and admin may override the refund policy.' },
    approve: { ko: FINANCE_ONLY('환불을 승인할'), en: 'Only finance and admin may approve refunds.' },
    reject: { ko: FINANCE_ONLY('환불을 거절할'), en: 'Only finance and admin may reject refunds.' },
  }),
  reason_required: forms({
    default: { ko: '사유를 입력해 주세요.', en: 'A reason is required.' },
    manual: { ko: '결제 상태를 직접 수정하려면 사유를 입력해 주세요.', en: 'A manual status correction needs a reason.' },
    correction: { ko: '결제 상태를 직접 수정하려면 사유를 입력해 주세요.', en: 'A manual correction needs a reason.' },
    override: { ko: '정책 예외 환불에는 사유를 입력해 주세요.', en: 'A refund override needs a reason.' },
    reject: { ko: '환불을 거절하려면 사유를 입력해 주세요.', en: 'Rejecting a refund needs a reason.' },
    toss: { ko: '취소 사유를 입력해 주세요.', en: 'Toss needs a cancelReason.' },
  }),
  reason_too_long: forms({
    default: { ko: '사유는 최대 {max}자까지 입력할 수 있습니다.', en: 'The reason may have at most {max} characters.' },
  }),

  // ---- payments ----
  payment_declined: forms({
    default: { ko: (v) => DECLINE[s(v.reason)] ?? '결제가 거절되었습니다.', en: (v) => (typeof v.said === 'string' ? v.said : `The payment was declined (${s(v.reason)}).`) },
    renewal: { ko: DECLINE.requires_action, en: 'The card needs the member to confirm; a renewal cannot complete unattended.' },
  }),
  payment_method_gone: { ko: '이 결제에 사용한 결제 수단이 삭제되었습니다. 결제를 새로 요청해 주세요.', en: 'The payment method of this payment was removed; request a new payment.' },
  amount_mismatch: forms({
    default: { ko: '결제 금액이 요청 내용과 일치하지 않습니다. 결제를 새로 요청해 주세요.', en: 'The payment amount does not match its request; request a new payment.' },
    toss: { ko: '결제 대행사가 요청과 다른 금액을 매입했습니다.', en: 'Toss captured {captured}, expected {expected}.' },
  }),
  capture_mismatch: { ko: '결제 대행사가 요청과 다른 금액을 매입했습니다.', en: 'The gateway captured a different amount than requested.' },
  correction_not_allowed: {
    ko: (v) => `결제 상태는 직접 ${pay(v.target)} 상태로 바꿀 수 없습니다. 승인·실행, 취소 또는 환불 기능을 이용해 주세요.`,
    en: 'A payment cannot be set to "{target}" by hand: use approve/execute, cancel or refunds.',
  },
  no_payment_method: { ko: '등록된 결제 수단이 없습니다.', en: 'The member has no payment method.' },
  refunds_unavailable: { ko: '지금은 환불을 처리할 수 없습니다.', en: 'Refunds are not available.' },
  // `value` as the English shows it (a JSON string); the Korean without the quotes.
  unknown_payment_state: { ko: (v) => `알 수 없는 결제 상태입니다: ${unquote(v.value)}`, en: 'Unknown payment status {value}.' },
  illegal_transition: forms({
    default: { ko: (v) => `${payAdj(v.status)} 결제는 ${pay(v.attempted)} 상태로 바꿀 수 없습니다.`, en: 'A payment in status "{status}" cannot become "{attempted}".' },
    /** Someone else moved the payment between our read and our conditional update. */
    now: { ko: (v) => `결제가 그사이 ${pay(v.status)} 상태가 되어 ${pay(v.attempted)} 상태로 바꿀 수 없습니다.`, en: 'The payment is {status} now; it cannot become {attempted}.' },
    manual: { ko: (v) => `${payAdj(v.status)} 결제는 직접 수정으로 ${pay(v.attempted)} 상태로 바꿀 수 없습니다.`, en: 'A manual correction cannot change a payment from "{status}" to "{attempted}".' },
    refund: { ko: (v) => `${payAdj(v.status)} 결제는 환불할 수 없습니다.`, en: 'A payment in status "{status}" cannot be refunded.' },
  }),
  payment_changed: { ko: '웹훅을 처리하는 동안 결제 상태가 바뀌었습니다. 다시 시도해 주세요.', en: 'The payment changed while the webhook was applied.' },

  // ---- refunds ----
  refund_not_allowed: {
    ko: (v) =>
      ({
        item_watched: '이미 시청한 영화는 환불할 수 없습니다.',
        item_window_passed: '결제 후 7일이 지나 환불할 수 없습니다.',
        period_ended: '이용 기간이 끝난 결제는 환불할 수 없습니다.',
        fully_refunded: '이미 전액 환불된 결제입니다.',
      })[s(v.rule)] ?? `환불 정책(${word(REFUND_RULE, v.rule)})상 이 결제는 환불할 수 없습니다.`,
    en: 'This payment cannot be refunded ({rule}).',
  },
  cancel_needs_full_refund: {
    ko: (v) =>
      `결제가 완료된 뒤의 취소는 전액 환불이며, 환불 정책상 결제 후 ${s(v.days)}일 이내이고 시청하지 않은 경우에만 가능합니다(적용 규칙: ${word(REFUND_RULE, v.rule)}). 대신 환불을 요청해 주세요. 환불 가능 금액은 ${s(v.refundable)}입니다.`,
    en: 'Cancelling a captured payment refunds it in full, which the refund policy allows only within {days} days of payment and before anything is watched (rule: {rule}). Ask for a refund instead: {refundable} can be refunded.',
  },
  refund_amount_invalid: { ko: '환불 금액은 최소 화폐 단위의 양의 정수여야 합니다.', en: 'The refund amount must be a positive integer in minor units.' },
  refund_amount_required: { ko: '정책 예외 환불에는 환불 금액을 지정해야 합니다.', en: 'An override needs an explicit amount.' },
  refund_amount_exceeds_allowed: { ko: (v) => `환불 정책(${word(REFUND_RULE, v.rule)})에 따라 최대 ${s(v.max)}까지 환불할 수 있습니다.`, en: 'At most {max} can be refunded under the refund policy ({rule}).' },
  refund_amount_exceeds_remaining: { ko: '이 결제에서 더 환불할 수 있는 금액은 최대 {max}입니다.', en: 'At most {max} is left to refund on this payment.' },
  refund_exceeds_policy: { ko: (v) => `환불 정책(${word(REFUND_RULE, v.rule)})에 따라 최대 ${s(v.max)}까지 환불할 수 있습니다.`, en: 'At most {max} can be refunded under the refund policy ({rule}).' },
  refund_exceeds_remaining: { ko: '이 결제에서 더 환불할 수 있는 금액은 최대 {max}입니다.', en: 'At most {max} is left to refund on this payment.' },
  refund_invariant: forms({
    default: { ko: '환불 합계({refunded})는 0 이상, 결제 금액({paid}) 이하여야 합니다.', en: 'Refunded total {refunded} must be between 0 and the paid amount {paid}.' },
    exceeded: { ko: '환불 합계({refunded})가 결제 금액({paid})을 넘습니다.', en: 'Refunded total {refunded} exceeds the paid amount {paid}.' },
  }),
  refund_not_pending: forms({
    default: { ko: (v) => `${REFUND_ADJ[s(v.status)] ?? `'${s(v.status)}' 상태인`} 환불입니다.`, en: 'The refund is {status}.' },
    decided: { ko: '다른 담당자가 이미 처리한 환불입니다.', en: 'The refund was decided by someone else.' },
  }),

  // ---- subscriptions ----
  subscription_not_resumable: { ko: (v) => `${word(SUBSCRIPTION_ADJ, v.status)} 구독은 재개할 수 없습니다. 요금제를 다시 선택해 주세요.`, en: 'A {status} subscription cannot be resumed; choose a plan instead.' },
  subscription_not_cancellable: { ko: (v) => `이미 ${word(SUBSCRIPTION_ADJ, v.status)} 구독입니다.`, en: 'The subscription is already {status}.' },

  // ---- payment methods ----
  invalid_payment_method: { ko: '결제 수단 정보가 올바르지 않습니다.', en: 'Invalid payment method: {fields}.' },
  payment_method_declined: {
    ko: (v) => `결제 대행사에서 결제 수단을 거절했습니다.${DECLINE[s(v.gatewayCode)] ? ` ${DECLINE[s(v.gatewayCode)]}` : ''}`,
    en: (v) => `The payment method was declined by the gateway${v.said ? `: ${s(v.said)}` : '.'}`,
  },

  // ---- plans, discounts and coupons ----
  discount_inactive: { ko: '현재 진행 중이 아닌 할인입니다.', en: 'This discount is not active.' },
  discount_not_started: { ko: '아직 시작되지 않은 할인입니다.', en: 'This discount is not valid yet.' },
  discount_expired: { ko: '기간이 끝난 할인입니다.', en: 'This discount has expired.' },
  discount_plan_not_eligible: { ko: '이 요금제에는 적용되지 않는 할인입니다.', en: 'This discount does not apply to this plan.' },
  discount_exhausted: { ko: '사용 가능 횟수가 모두 소진된 할인입니다.', en: 'This discount has been used up.' },
  discount_currency_mismatch: { ko: '다른 통화로 설정된 할인입니다.', en: 'This discount is in another currency.' },
  coupon_not_started: { ko: '아직 사용 기간이 시작되지 않은 쿠폰입니다.', en: 'This coupon is not valid yet.' },
  coupon_expired: forms({
    default: { ko: '사용 기간이 끝난 쿠폰입니다.', en: 'This coupon has expired.' },
    issue: { ko: '사용 기간이 끝나 더 이상 발급할 수 없는 쿠폰입니다.', en: 'This coupon has expired and can no longer be issued.' },
  }),
  coupon_below_minimum: { ko: (v) => `결제 금액이 이 쿠폰의 최소 결제 금액${v.minAmount !== undefined ? `(${s(v.minAmount)})` : ''}보다 적습니다.`, en: 'The amount is below the minimum for this coupon.' },
  coupon_currency_mismatch: { ko: '다른 통화로 설정된 쿠폰입니다.', en: 'This coupon is in another currency.' },
  plan_code_taken: { ko: "'{code}' 코드의 요금제가 이미 있습니다.", en: 'A plan with code "{code}" already exists.' },
  coupon_code_taken: { ko: "'{code}' 코드의 쿠폰이 이미 있습니다.", en: 'A coupon with code "{code}" already exists.' },
  coupon_limit_reached: {
    ko: (v) => `이 쿠폰은 ${String(v.remaining)}장만 더 발급할 수 있습니다(요청: ${s(v.requested)}장).`,
    en: (v) => `Only ${String(v.remaining)} more of this coupon can be issued (asked for ${s(v.requested)}).`,
  },
  coupon_user_limit_reached: {
    ko: (v) => `다음 회원은 이미 1인당 한도(${s(v.per_user_limit)}장)만큼 이 쿠폰을 가지고 있습니다: ${list(v.users)}.`,
    en: (v) => `These users already hold the most of this coupon allowed per user (${s(v.per_user_limit)}): ${list(v.users)}.`,
  },
  coupon_already_used: forms({
    default: { ko: '이미 사용한 쿠폰입니다.', en: 'This coupon has already been used.' },
    revoke: { ko: '이미 사용한 쿠폰은 삭제할 수 없습니다.', en: 'This coupon has been used and cannot be removed.' },
  }),
  invalid_offer: { ko: '입력값이 올바르지 않습니다: {fields}.', en: 'Invalid fields: {fields}.' },
  invalid_pricing_rule: { ko: (v) => `${v.rule === 'coupon' ? '쿠폰' : '할인'} 설정이 올바르지 않습니다.`, en: 'The {rule} is misconfigured.' },
  invalid_time: { ko: '유효한 시각이 아닙니다.', en: 'now must be a valid Date.' },

  // ---- money (domain/money.ts) and amounts ----
  invalid_amount: forms({
    default: { ko: '금액이 올바르지 않습니다.', en: '{field} must be a non-negative integer in minor units (got {got}).' },
    object: { ko: '금액이 올바르지 않습니다.', en: '{field} must be a Money object.' },
    decimal: { ko: '금액이 올바르지 않습니다.', en: '{value} is not a valid {currency} amount (at most {decimals} decimals).' },
    /** A payment gateway's: nothing to charge or refund. */
    positive: { ko: '금액이 올바르지 않습니다.', en: '{field} must be greater than zero.' },
  }),
  unsupported_currency: { ko: (v) => `지원하지 않는 통화입니다${v.currency ? `: ${s(v.currency)}` : ''}.`, en: 'Unsupported currency {given} (supported: {supported}).' },
  currency_mismatch: { ko: (v) => `통화가 일치하지 않습니다${v.expected ? `: ${s(v.expected)} / ${s(v.actual)}` : ''}.`, en: 'Currency mismatch: {expected} vs {actual}.' },
  negative_result: { ko: '금액이 0보다 작아질 수 없습니다.', en: 'Cannot subtract {subtrahend} from {minuend} {currency}.' },
  invalid_percentage: enForms('할인율이 올바르지 않습니다. 0~100 사이의 값을 소수점 둘째 자리까지 입력해 주세요.', {
    default: 'Percentage must be between 0 and 100 (got {got}).',
    decimals: 'Percentage may have at most 2 decimals (got {got}).',
  }),
  invalid_period: enForms('기간이 올바르지 않습니다.', {
    default: 'Total seconds must be a positive integer (got {got}).',
    remaining: 'Remaining seconds must be an integer (got {got}).',
    order: 'periodEnd must be after periodStart.',
  }),

  // ---- Idempotency-Key (idempotency.ts; the two 400s have no `code` in the body) ----
  idempotency_key_missing: {
    ko: '결제·환불 요청에는 {header} 헤더가 필요합니다. 8~100자의 출력 가능한 문자(예: UUID)를 보내고, 다시 시도할 때는 같은 키를 사용해 주세요.',
    en: 'This request moves money: send an {header} header (8–100 printable characters, e.g. a UUID) and reuse it when you retry.',
  },
  idempotency_key_invalid: { ko: '{header}는 공백 없이 8~100자의 출력 가능한 ASCII 문자여야 합니다.', en: '{header} must be 8–100 printable ASCII characters without spaces.' },
  idempotency_key_reused: forms({
    default: { ko: '이 {header}는 이미 다른 요청에 사용되었습니다. 새 요청에는 새 키를 사용해 주세요.', en: 'This {header} was already used with a different request; use a new key for a new request.' },
    /** The payment gateway's own key (the sandbox's). */
    gateway: { ko: '이 멱등성 키는 이미 다른 요청에 사용되었습니다. 새 요청에는 새 키를 사용해 주세요.', en: 'This idempotency key was already used for a different request.' },
  }),
  idempotency_in_progress: { ko: '같은 {header}의 요청을 아직 처리하고 있습니다. 잠시 후 다시 시도해 주세요.', en: 'A request with this {header} is still being processed; retry in a moment.' },

  // ---- payment gateways (gateways/*) ----
  gateway_error: forms({
    default: { ko: '결제 대행사 오류로 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.', en: 'The payment gateway failed; try again later.' },
    refund: { ko: '결제 대행사 오류로 환불하지 못했습니다. 환불된 금액은 없습니다.', en: 'The payment gateway failed to refund; nothing was refunded.' },
  }),
  gateway_auth_failed: enForms('결제 대행사 연동에 문제가 있어 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.', {
    default: 'The payment gateway refused our credentials.',
    toss: (v) => `Toss refused the secret key: ${said(v)}`,
  }),
  gateway_timeout: enForms('결제 대행사가 제때 응답하지 않았습니다. 같은 Idempotency-Key로 다시 시도해 주세요.', {
    default: 'The payment gateway did not answer in time.',
    toss: 'Toss did not answer {request} within {ms} ms.',
  }),
  gateway_unavailable: enForms('지금은 결제 대행사를 이용할 수 없습니다. 잠시 후 다시 시도해 주세요.', {
    default: 'The payment gateway is unavailable; try again later.',
    toss: said,
    unreachable: 'Could not reach Toss: {cause}',
  }),
  gateway_payment_not_found: enForms('결제 대행사에서 이 결제를 찾을 수 없습니다.', {
    default: 'The payment gateway does not know this payment.',
    toss: said,
    sandbox: 'The sandbox has no authorisation {ref}.',
  }),
  gateway_invalid_response: enForms('결제 대행사의 응답을 처리할 수 없습니다. 잠시 후 다시 시도해 주세요.', {
    default: 'The payment gateway answered something we cannot use.',
    status: 'Toss answered an unknown payment status {status}.',
    cancel_key: 'Toss answered a cancel without its transactionKey.',
    amount: 'Toss returned an invalid amount {amount}.',
    unrepresentable: 'Toss returned an amount {amount} {currency} we cannot represent.',
    full_cancel: 'Toss answered {status} to a full cancel.',
    no_cancellation: 'Toss answered a cancel without the cancellation.',
    cancelled_amount: 'Toss cancelled {cancelled}, asked {asked}.',
    order: 'Toss answered order {orderId} for {total}; expected {expectedOrderId} for {expected}.',
    not_json: 'Toss answered HTTP {upstreamStatus} with a body that is not JSON.',
    no_payment: 'Toss answered without a Payment object.',
  }),
  gateway_rejected: { ko: '결제 대행사가 요청을 거절했습니다.', en: said },
  invalid_idempotency_key: { ko: '1~300자의 멱등성 키가 필요합니다.', en: 'An idempotency key of 1–300 characters is required.' },
  no_action_required: { ko: '추가 인증이 필요한 결제가 아닙니다.', en: 'This authorisation is {status}; there is nothing to confirm.' },
  already_captured: forms({
    default: { ko: '이미 매입된 결제입니다.', en: 'This authorisation has already been captured.' },
    void: { ko: '매입된 결제는 승인 취소할 수 없습니다. 환불해 주세요.', en: 'A captured payment cannot be voided; refund it.' },
  }),
  requires_action: { ko: '추가 인증이 끝나지 않아 매입할 수 없습니다.', en: 'Cannot capture an authorisation that is {status}.' },
  not_capturable: { ko: "'{status}' 상태의 승인은 매입할 수 없습니다.", en: 'Cannot capture an authorisation that is {status}.' },
  amount_exceeds_authorized: { ko: '최대 {amount} {currency}까지 매입할 수 있습니다.', en: 'At most {amount} {currency} can be captured.' },
  already_voided: { ko: '이미 승인 취소된 결제입니다.', en: 'This authorisation has already been voided.' },
  not_voidable: { ko: '거절된 승인은 취소할 수 없습니다.', en: 'A declined authorisation holds nothing to void.' },
  not_refundable: { ko: "'{status}' 상태의 승인은 환불할 수 없습니다.", en: 'Cannot refund an authorisation that is {status}.' },
  refund_exceeds_balance: forms({
    default: { ko: '최대 {balance} {currency}까지 환불할 수 있습니다.', en: 'At most {balance} {currency} can be refunded.' },
    toss: { ko: '환불 가능한 잔액을 넘었습니다.', en: said },
  }),
  not_captured: { ko: '결제 대행사에서 결제가 완료되지 않았습니다.', en: 'The Toss payment is {status}, not DONE.' },
  already_cancelled: { ko: '이미 취소된 결제입니다.', en: said },
  not_cancelable: { ko: '취소할 수 없는 결제입니다.', en: said },
  already_processed: { ko: '이미 처리된 결제입니다.', en: said },
  duplicate_order: { ko: '이미 사용된 주문 번호입니다.', en: said },

  // ---- gateway webhooks ----
  invalid_signature: { ko: '웹훅 서명이 올바르지 않습니다.', en: 'Invalid webhook signature.' },
  invalid_webhook_payload: enForms('웹훅 본문이 올바르지 않습니다.', {
    default: 'The webhook body is not valid JSON.',
    event_id: 'The webhook has no usable event id.',
    object: 'The webhook body is not a JSON object.',
    data: 'The webhook data is not an object.',
    toss_fields: 'The Toss webhook has no eventType, paymentKey or status.',
    event_type: 'The Toss webhook has no eventType.',
  }),
  webhooks_not_configured: forms({
    default: { ko: '이 서버에는 "{gateway}" 웹훅이 설정되어 있지 않습니다.', en: 'Webhooks of "{gateway}" are not configured on this server.' },
    toss: { ko: '이 서버에는 웹훅이 설정되어 있지 않습니다.', en: 'Toss webhooks are not configured on this server (TOSS_WEBHOOK_SECRET).' },
  }),
} as const satisfies Catalogue;

type CommerceCatalogue = typeof commerceMessages;
/** Every code of the commerce catalogue. */
export type CommerceCode = keyof CommerceCatalogue & string;
/** The forms of a code (`never` for a code with one text). */
export type CommerceForm<C extends CommerceCode> = C extends CommerceCode ? (CommerceCatalogue[C] extends { readonly forms: infer F } ? Exclude<keyof F & string, 'default'> : never) : never;

/** The form names of a code, `default` first (tests: every thrown form has a text). */
export function formsOf(code: string): string[] {
  const entry = (commerceMessages as Record<string, Entry & { forms?: Record<string, Entry> }>)[code];
  return entry?.forms ? Object.keys(entry.forms) : [];
}
