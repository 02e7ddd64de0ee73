// The commerce module's messages, by code (commerce request schemas (the rest of commerce: src/modules/commerce/messages.ts)): Korean (the seed's) and English.
// Services throw these codes (src/modules/shared/errors.ts); the routes and the panel translate them.
import type { Catalogue } from '../shared/messages.js';

export const commerceMessages = {
  commercePlanOrItem: { ko: '요금제(plan)와 영화(item) 중 하나만 지정해 주세요.', en: 'Give either plan or item.' },
  commerceRefundCode: { ko: '환불 코드 형식이 아닙니다.', en: 'Not a refund code.' },
  commerceCvc: { ko: 'CVC는 3자리 또는 4자리 숫자여야 합니다.', en: 'CVC must be 3 or 4 digits.' },
  commerceAccountNumber: { ko: '6~20자리 계좌 번호를 입력해 주세요.', en: 'Enter an account number of 6 to 20 digits.' },
  commerceMethodUpdate: { ko: 'is_default, holder, exp_month, exp_year 중 하나 이상을 지정해 주세요.', en: 'Give is_default, holder, exp_month or exp_year.' },
  commerceAnyField: { ko: '수정할 항목을 하나 이상 지정해 주세요.', en: 'Give at least one field.' },
  commerceCouponCode: { ko: '쿠폰 코드는 영문자, 숫자, "-", "_"로 된 3~40자여야 합니다.', en: 'A code is 3–40 letters, digits, "-" or "_".' },
  commerceIssueUsers: { ko: '쿠폰을 발급할 회원을 지정해 주세요.', en: 'Name the users to issue to.' },
  // Idempotency-Key (idempotency.ts)
  idempotency_key_missing: {
    ko: '결제·환불 요청에는 {header} 헤더가 필요합니다. 8~100자의 출력 가능한 문자(예: UUID)를 보내고, 다시 시도할 때는 같은 키를 사용해 주세요.',
    en: 'This request moves money: send an {header} header (8–100 printable characters, e.g. a UUID) and reuse it when you retry.',
  },
  idempotency_key_invalid: { ko: '{header}는 공백 없이 8~100자의 출력 가능한 ASCII 문자여야 합니다.', en: '{header} must be 8–100 printable ASCII characters without spaces.' },
  idempotency_key_reused: {
    ko: '이 {header}는 이미 다른 요청에 사용되었습니다. 새 요청에는 새 키를 사용해 주세요.',
    en: 'This {header} was already used with a different request; use a new key for a new request.',
  },
  idempotency_in_progress: { ko: '같은 {header}의 요청을 아직 처리하고 있습니다. 잠시 후 다시 시도해 주세요.', en: 'A request with this {header} is still being processed; retry in a moment.' },
} as const satisfies Catalogue;
