// The age module's messages, by code (the age gate and identity verification): Korean (the seed's
// language) and English. Services throw these codes; the routes and the panel translate them.
import type { Catalogue } from '../shared/messages.js';

export const ageMessages = {
  // the age gate (age.policy.ts)
  adultUnverified: {
    ko: '청소년 관람불가 영화입니다. 본인인증으로 만 {n}세 이상임을 확인한 뒤 이용할 수 있습니다.',
    en: 'This movie is rated 청소년 관람불가 (adults only). Verify your identity to prove you are {n} or older.',
  },
  underAge: { ko: '{grade} 영화입니다. 만 {n}세 이상만 이용할 수 있습니다.', en: 'This movie is rated {grade}: viewers must be {n} or older.' },
  verifyToPlay: { ko: '{grade} 콘텐츠입니다. 재생하려면 본인인증으로 만 {n}세 이상임을 확인하세요.', en: 'This content is rated {grade}: verify your identity to prove you are {n} or older to play it.' },
  // identity verification (age.service.ts)
  badCallback: { ko: '본인인증 결과의 서명이 올바르지 않습니다.', en: 'The verification result is not validly signed.' },
  txNotFound: { ko: '본인인증 요청을 찾을 수 없습니다.', en: 'Verification request not found.' },
  txUsed: { ko: '이미 처리된 본인인증 요청입니다. 다시 요청하세요.', en: 'This verification request was already completed. Start a new one.' },
  txExpired: { ko: '본인인증 요청이 만료되었습니다. 다시 요청하세요.', en: 'The verification request has expired. Start a new one.' },
  ciInUse: { ko: '이미 다른 계정에서 인증된 본인 정보입니다.', en: 'This identity is already verified on another account.' },
  futureBirth: { ko: '생년월일이 올바르지 않습니다.', en: 'The birth date is not valid.' },
} as const satisfies Catalogue;
