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
} as const satisfies Catalogue;
