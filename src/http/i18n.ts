// Messages of the public API. Korean by default (the seed's clients expect DRF's Korean texts);
// English when the request prefers it (Accept-Language: en…).
import type { Request } from 'express';

export type Lang = 'ko' | 'en';

export function langOf(req: Pick<Request, 'headers'>): Lang {
  const header = String(req.headers['accept-language'] ?? '').toLowerCase();
  const first = header.split(',')[0]?.trim() ?? '';
  return first.startsWith('en') ? 'en' : 'ko';
}

const messages = {
  required: { ko: '이 필드는 필수 항목입니다.', en: 'This field is required.' },
  blank: { ko: '이 필드는 blank일 수 없습니다.', en: 'This field may not be blank.' },
  maxLength: { ko: '이 필드의 글자 수가 {n} 이하인지 확인하십시오.', en: 'Ensure this field has no more than {n} characters.' },
  minLength: { ko: '이 필드의 글자 수가 적어도 {n} 이상인지 확인하십시오.', en: 'Ensure this field has at least {n} characters.' },
  maxValue: { ko: '이 값이 {n}보다 작거나 같은지 확인하십시오.', en: 'Ensure this value is less than or equal to {n}.' },
  minValue: { ko: '이 값이 {n}보다 크거나 같은지 확인하십시오.', en: 'Ensure this value is greater than or equal to {n}.' },
  email: { ko: '유효한 이메일 주소를 입력하십시오.', en: 'Enter a valid email address.' },
  url: { ko: '유효한 URL을 입력하십시오.', en: 'Enter a valid URL.' },
  number: { ko: '유효한 숫자를 넣어주세요.', en: 'A valid number is required.' },
  integer: { ko: '유효한 정수(integer)를 넣어주세요.', en: 'A valid integer is required.' },
  boolean: { ko: '유효한 불리언(Boolean)이 아닙니다.', en: 'Must be a valid boolean.' },
  string: { ko: '유효한 문자열이 아닙니다.', en: 'Not a valid string.' },
  date: { ko: '날짜 형식이 잘못되었습니다. 이 형식들 중 한가지를 사용하세요: YYYY-MM-DD.', en: 'Date has wrong format. Use one of these formats instead: YYYY-MM-DD.' },
  datetime: { ko: '날짜/시간 형식이 잘못되었습니다. ISO 8601 형식을 사용하세요.', en: 'Datetime has wrong format. Use ISO 8601.' },
  choice: { ko: '"{v}"이 유효하지 않은 선택(choice)입니다.', en: '"{v}" is not a valid choice.' },
  list: { ko: '아이템 리스트가 예상되었으나 다른 타입을 받았습니다.', en: 'Expected a list of items.' },
  object: { ko: '딕셔너리(dictionary)가 예상되었으나 다른 타입을 받았습니다.', en: 'Expected a dictionary of items.' },
  invalid: { ko: '유효하지 않은 값입니다.', en: 'Invalid value.' },
  controlChars: { ko: '제어 문자(NUL 등)나 잘못된 유니코드 문자는 사용할 수 없습니다.', en: 'Control characters (such as NUL) and invalid Unicode are not allowed.' },
  lineBreaks: { ko: '이 필드에는 줄바꿈이나 탭을 사용할 수 없습니다.', en: 'Line breaks and tabs are not allowed in this field.' },
  invalidUsername: { ko: '유효한 사용자 이름을 입력하십시오. 문자, 숫자와 @/./+/-/_ 만 쓸 수 있습니다.', en: 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.' },
  uniqueUsername: { ko: 'user의 username은/는 이미 존재합니다.', en: 'A user with that username already exists.' },
  uniqueGenre: { ko: 'genre의 name은/는 이미 존재합니다.', en: 'A genre with that name already exists.' },
  uniqueManufacturer: { ko: 'manufacturer의 name은/는 이미 존재합니다.', en: 'A production company with that name already exists.' },
  genreHasMovies: { ko: '이 장르에 속한 영화가 {n}편 있어 삭제할 수 없습니다.', en: 'The genre still has {n} movies and cannot be deleted.' },
  forceAdminOnly: { ko: '영화가 있는 장르의 강제 삭제는 관리자만 할 수 있습니다.', en: 'Only an admin may force-delete a genre that has movies.' },
  movieNotFound: { ko: '영화를 찾을 수 없습니다.', en: 'Movie not found.' },
  genreNotFound: { ko: '장르를 찾을 수 없습니다.', en: 'Genre not found.' },
  manufacturerNotFound: { ko: '제작사를 찾을 수 없습니다.', en: 'Production company not found.' },
  unknownIds: { ko: '존재하지 않는 항목입니다: {v}', en: 'These do not exist: {v}' },
  badRunningTime: { ko: '상영 시간은 분 단위 정수(예: 139 또는 "139분")여야 합니다.', en: 'Running time must be whole minutes (e.g. 139 or "139분").' },
  badCountry: { ko: '국가는 ISO 3166-1 두 글자 코드(예: KR)여야 합니다.', en: 'Country must be an ISO 3166-1 alpha-2 code (e.g. KR).' },
  endBeforeStart: { ko: '종료일은 시작일보다 빠를 수 없습니다.', en: 'The end date cannot be before the start date.' },
  alreadyRated: { ko: '이미 평가한 영화입니다.', en: 'You have already rated this movie.' },
  noPermission: { ko: '권한이 없습니다.', en: 'You are not allowed to do this.' },
  badPk: { ko: '유효하지 않은 pk "{v}" - 객체가 존재하지 않습니다.', en: 'Invalid pk "{v}" - object does not exist.' },
  halfStep: { ko: '0.5 단위로 입력하세요.', en: 'Use steps of 0.5.' },
  ratingNotFound: { ko: '평가를 찾을 수 없습니다.', en: 'Rating not found.' },
  userNotFound: { ko: '회원을 찾을 수 없습니다.', en: 'User not found.' },
  movieMismatch: { ko: '이 평가의 영화와 일치하지 않습니다.', en: 'This rating belongs to another movie.' },
  loginFailed: { ko: '제공된 인증데이터(credentials)로는 로그인할 수 없습니다.', en: 'Unable to log in with provided credentials.' },
  signedUp: { ko: '회원가입 되었습니다.', en: 'Signed up.' },
  missingData: { ko: '필수 데이터가 누락되었습니다.', en: 'Required data is missing.' },
  wrongPassword: { ko: '비밀번호가 일치하지 않습니다.', en: 'The password does not match.' },
  tooManyLogins: { ko: '로그인 시도가 너무 많습니다. {n}초 후에 다시 시도하세요.', en: 'Too many login attempts. Try again in {n} seconds.' },
  tooManySignups: { ko: '회원가입 요청이 너무 많습니다. {n}초 후에 다시 시도하세요.', en: 'Too many sign-ups. Try again in {n} seconds.' },
  notFound: { ko: '찾을 수 없습니다.', en: 'Not found.' },
  badJson: { ko: '잘못된 JSON 형식입니다.', en: 'Malformed JSON.' },
  tooLarge: { ko: '요청 본문이 너무 큽니다.', en: 'Request body is too large.' },
  unsupportedMedia: { ko: '지원하지 않는 미디어 형식입니다.', en: 'Unsupported media type.' },
  badRequest: { ko: '잘못된 요청입니다.', en: 'Bad request.' },
  internal: { ko: '서버 오류가 발생했습니다.', en: 'Internal server error.' },
  invalidPage: { ko: '페이지가 유효하지 않습니다.', en: 'Invalid page.' },
  noCredentials: { ko: '자격 인증데이터(authentication credentials)가 제공되지 않았습니다.', en: 'Authentication credentials were not provided.' },
  badToken: { ko: '유효하지 않은 토큰입니다.', en: 'Invalid token.' },
  invalidFile: { ko: '유효하지 않은 파일입니다.', en: 'Invalid file.' },
  imageRequired: { ko: '이미지는 필수입니다.', en: 'An image is required.' },
  imageTooLarge: { ko: '이미지 파일이 너무 큽니다. 최대 {n}바이트까지 올릴 수 있습니다.', en: 'The image is too large: at most {n} bytes are accepted.' },
  positionPastEnd: { ko: '재생 위치는 전체 길이보다 클 수 없습니다.', en: 'The position cannot be past the end of the content.' },
  unmaskAdminOnly: { ko: '개인정보 마스킹 해제는 관리자만 할 수 있습니다.', en: 'Only an admin may see unmasked personal data.' },
  permission: { ko: '이 작업을 수행할 권한(permission)이 없습니다.', en: 'You do not have permission to perform this action.' },
  time: { ko: '시간(Time) 형식이 잘못되었습니다. 이 형식들 중 한가지를 사용하세요: hh:mm[:ss].', en: 'Time has wrong format. Use one of these formats instead: hh:mm[:ss].' },
  cinemaNotFound: { ko: '영화관을 찾을 수 없습니다.', en: 'Cinema not found.' },
  cinemaMismatch: { ko: '이 평가의 영화관과 일치하지 않습니다.', en: 'This rating belongs to another cinema.' },
  showtimeWindow: { ko: '상영 시간표는 {from}부터 {to}까지만 조회할 수 있습니다.', en: 'Showtimes are available from {from} to {to} only.' },
  mapBoxTooLarge: { ko: '지도 범위가 너무 넓습니다. 경도와 위도 범위를 각각 {n}도 이하로 요청하세요.', en: 'The map box is too large: keep each side at most {n} degrees.' },
  seatsOverTotal: { ko: '잔여 좌석 수는 전체 좌석 수보다 클 수 없습니다.', en: 'Free seats cannot exceed the total seats.' },
  // commerce request schemas (src/modules/commerce/*.routes.ts; the rest of commerce: src/modules/commerce/messages.ts)
  commercePlanOrItem: { ko: '요금제(plan)와 영화(item) 중 하나만 지정해 주세요.', en: 'Give either plan or item.' },
  commerceRefundCode: { ko: '환불 코드 형식이 아닙니다.', en: 'Not a refund code.' },
  commerceCvc: { ko: 'CVC는 3자리 또는 4자리 숫자여야 합니다.', en: 'CVC must be 3 or 4 digits.' },
  commerceAccountNumber: { ko: '6~20자리 계좌 번호를 입력해 주세요.', en: 'Enter an account number of 6 to 20 digits.' },
  commerceMethodUpdate: { ko: 'is_default, holder, exp_month, exp_year 중 하나 이상을 지정해 주세요.', en: 'Give is_default, holder, exp_month or exp_year.' },
  commerceAnyField: { ko: '수정할 항목을 하나 이상 지정해 주세요.', en: 'Give at least one field.' },
  commerceCouponCode: { ko: '쿠폰 코드는 영문자, 숫자, "-", "_"로 된 3~40자여야 합니다.', en: 'A code is 3–40 letters, digits, "-" or "_".' },
  commerceIssueUsers: { ko: '쿠폰을 발급할 회원을 지정해 주세요.', en: 'Name the users to issue to.' },
} as const satisfies Record<string, Record<Lang, string>>;

export type MessageKey = keyof typeof messages;

export function t(lang: Lang, key: MessageKey, vars: Record<string, string | number> = {}): string {
  return messages[key][lang].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}
