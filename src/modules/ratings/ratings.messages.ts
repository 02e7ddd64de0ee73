// The ratings module's messages, by code (movie ratings): Korean (the seed's) and English.
// Services throw these codes (src/modules/shared/errors.ts); the routes and the panel translate them.
import type { Catalogue } from '../shared/messages.js';

export const ratingsMessages = {
  halfStep: { ko: '0.5 단위로 입력하세요.', en: 'Use steps of 0.5.' },
  ratingNotFound: { ko: '평가를 찾을 수 없습니다.', en: 'Rating not found.' },
  movieMismatch: { ko: '이 평가의 영화와 일치하지 않습니다.', en: 'This rating belongs to another movie.' },
} as const satisfies Catalogue;
