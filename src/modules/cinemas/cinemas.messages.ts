// The cinemas module's messages, by code (cinemas, showtimes, cinema ratings): Korean (the seed's) and English.
// Services throw these codes (src/modules/shared/errors.ts); the routes and the panel translate them.
import type { Catalogue } from '../shared/messages.js';

export const cinemasMessages = {
  cinemaNotFound: { ko: '영화관을 찾을 수 없습니다.', en: 'Cinema not found.' },
  cinemaMismatch: { ko: '이 평가의 영화관과 일치하지 않습니다.', en: 'This rating belongs to another cinema.' },
  showtimeWindow: { ko: '상영 시간표는 {from}부터 {to}까지만 조회할 수 있습니다.', en: 'Showtimes are available from {from} to {to} only.' },
  mapBoxTooLarge: { ko: '지도 범위가 너무 넓습니다. 경도와 위도 범위를 각각 {n}도 이하로 요청하세요.', en: 'The map box is too large: keep each side at most {n} degrees.' },
  seatsOverTotal: { ko: '잔여 좌석 수는 전체 좌석 수보다 클 수 없습니다.', en: 'Free seats cannot exceed the total seats.' },
} as const satisfies Catalogue;
