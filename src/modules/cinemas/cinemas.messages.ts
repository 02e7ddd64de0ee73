// The cinemas module's messages, by code (cinemas, showtimes, cinema ratings): Korean (the seed's) and English.
// Services throw these codes (src/modules/shared/errors.ts); the routes and the panel translate them.
import type { Catalogue } from '../shared/messages.js';

export const cinemasMessages = {
  cinemaNotFound: { ko: '영화관을 찾을 수 없습니다.', en: 'Cinema not found.' },
  cinemaMismatch: { ko: '이 평가의 영화관과 일치하지 않습니다.', en: 'This rating belongs to another cinema.' },
  showtimeWindow: { ko: '상영 시간표는 {from}부터 {to}까지만 조회할 수 있습니다.', en: 'Showtimes are available from {from} to {to} only.' },
  mapBoxTooLarge: { ko: '지도 범위가 너무 넓습니다. 경도와 위도 범위를 각각 {n}도 이하로 요청하세요.', en: 'The map box is too large: keep each side at most {n} degrees.' },
  seatsOverTotal: { ko: '잔여 좌석 수는 전체 좌석 수보다 클 수 없습니다.', en: 'Free seats cannot exceed the total seats.' },
  // the panel's cinema and showtime management, and the showtime CSV import
  showtimeNotFound: { ko: '상영 일정을 찾을 수 없습니다.', en: 'Showtime not found.' },
  noSuchCinema: { ko: '{id}번 영화관이 없습니다.', en: 'There is no cinema #{id}.' },
  noSuchMovie: { ko: '{id}번 영화가 없습니다.', en: 'There is no movie #{id}.' },
  showtimeTaken: { ko: '이 상영관에서는 그 시각에 이미 {other}번 상영이 시작합니다.', en: 'Showtime #{other} already starts then on this screen.' },
  csvTooLarge: { ko: '파일이 {mb}MB보다 큽니다.', en: 'The file is larger than {mb} MB.' },
  csvEmpty: { ko: '파일이 비어 있습니다.', en: 'The file is empty.' },
  csvBadHeader: { ko: '헤더가 올바르지 않습니다({parts}). 필요한 열: {columns}.', en: 'Bad header ({parts}). Expected: {columns}.' },
  csvTooManyRows: { ko: '파일 하나에 최대 {max}행까지 가져올 수 있습니다({n}행).', en: 'At most {max} rows per file (got {n}).' },
  // why a row of the showtime CSV import was skipped
  csvFieldCount: { ko: '열이 {expected}개여야 하는데 {got}개입니다.', en: 'Expected {expected} fields, got {got}.' },
  csvRepeatsLine: { ko: '{line}행과 같은 상영입니다(같은 영화관, 날짜, 시작 시각, 상영관).', en: 'Repeats line {line} (same cinema, date, start time and screen).' },
  csvSlotTaken: { ko: '이 영화관, 날짜, 시작 시각, 상영관에 이미 상영 일정이 있습니다.', en: 'A showtime already exists at this cinema, date, start time and screen.' },
  csvCollision: {
    ko: '그사이 저장된 상영 일정과 겹치는(또는 대소문자만 다른) 행이 있어 아무것도 가져오지 않았습니다. 다시 시도해 주세요.',
    en: 'Some rows collide with showtimes written meanwhile (or differ from them only in letter case); nothing was imported. Try again.',
  },
} as const satisfies Catalogue;
