// The users module's messages, by code (accounts, sign-up, login, passwords): Korean (the seed's) and English.
// Services throw these codes (src/modules/shared/errors.ts); the routes and the panel translate them.
import type { Catalogue } from '../shared/messages.js';

export const usersMessages = {
  invalidUsername: { ko: '유효한 사용자 이름을 입력하십시오. 문자, 숫자와 @/./+/-/_ 만 쓸 수 있습니다.', en: 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.' },
  uniqueUsername: { ko: 'user의 username은/는 이미 존재합니다.', en: 'A user with that username already exists.' },
  loginFailed: { ko: '제공된 인증데이터(credentials)로는 로그인할 수 없습니다.', en: 'Unable to log in with provided credentials.' },
  signedUp: { ko: '회원가입 되었습니다.', en: 'Signed up.' },
  missingData: { ko: '필수 데이터가 누락되었습니다.', en: 'Required data is missing.' },
  wrongPassword: { ko: '비밀번호가 일치하지 않습니다.', en: 'The password does not match.' },
  tooManyLogins: { ko: '로그인 시도가 너무 많습니다. {n}초 후에 다시 시도하세요.', en: 'Too many login attempts. Try again in {n} seconds.' },
  tooManySignups: { ko: '회원가입 요청이 너무 많습니다. {n}초 후에 다시 시도하세요.', en: 'Too many sign-ups. Try again in {n} seconds.' },
  // staff account management (the panel)
  deleteOwnAccount: { ko: '자신의 계정은 삭제할 수 없습니다.', en: 'You cannot delete your own account.' },
  accountInBooks: {
    ko: '결제·환불 등 장부 기록이 이 계정을 참조합니다. 대신 계정을 비활성화해 주세요.',
    en: 'Records of the books (payments, refunds, …) refer to this account: deactivate it instead.',
  },
} as const satisfies Catalogue;
