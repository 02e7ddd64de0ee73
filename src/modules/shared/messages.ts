// Messages shared by every module, by code: the generic validation texts (DRF's, in Korean by
// default), not found, permission, the request-level errors. Each module keeps its own codes in
// src/modules/<m>/<m>.messages.ts; catalogue.ts joins them for the edges (routes, panel).
export type Lang = 'ko' | 'en';
export const LANGS: readonly Lang[] = ['ko', 'en'];

export type Vars = Readonly<Record<string, unknown>>;
/** A template (`{name}` = the value of vars.name) or a function of the vars. */
export type Text = string | ((vars: Vars) => string);
export interface Entry {
  ko: Text;
  en: Text;
}
export type Catalogue = Record<string, Entry>;

export const sharedMessages = {
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
  alreadyRated: { ko: '이미 평가한 영화입니다.', en: 'You have already rated this movie.' },
  noPermission: { ko: '권한이 없습니다.', en: 'You are not allowed to do this.' },
  badPk: { ko: '유효하지 않은 pk "{v}" - 객체가 존재하지 않습니다.', en: 'Invalid pk "{v}" - object does not exist.' },
  notFound: { ko: '찾을 수 없습니다.', en: 'Not found.' },
  badJson: { ko: '잘못된 JSON 형식입니다.', en: 'Malformed JSON.' },
  tooLarge: { ko: '요청 본문이 너무 큽니다.', en: 'Request body is too large.' },
  unsupportedMedia: { ko: '지원하지 않는 미디어 형식입니다.', en: 'Unsupported media type.' },
  badRequest: { ko: '잘못된 요청입니다.', en: 'Bad request.' },
  internal: { ko: '서버 오류가 발생했습니다.', en: 'Internal server error.' },
  invalidPage: { ko: '페이지가 유효하지 않습니다.', en: 'Invalid page.' },
  noCredentials: { ko: '자격 인증데이터(authentication credentials)가 제공되지 않았습니다.', en: 'Authentication credentials were not provided.' },
  badToken: { ko: '유효하지 않은 토큰입니다.', en: 'Invalid token.' },
  permission: { ko: '이 작업을 수행할 권한(permission)이 없습니다.', en: 'You do not have permission to perform this action.' },
  time: { ko: '시간(Time) 형식이 잘못되었습니다. 이 형식들 중 한가지를 사용하세요: hh:mm[:ss].', en: 'Time has wrong format. Use one of these formats instead: hh:mm[:ss].' },
  /** A text that is already final (a gateway's message, a zod default): shown as it is in both languages. */
  text: { ko: (v) => String(v.text ?? ''), en: (v) => String(v.text ?? '') },
} as const satisfies Catalogue;

/** One entry's text in `lang` with its vars filled in. */
export function renderEntry(entry: Entry, lang: Lang, vars: Vars = {}): string {
  const text = entry[lang];
  return typeof text === 'function' ? text(vars) : text.replace(/\{(\w+)\}/g, (_, k: string) => (vars[k] === undefined || vars[k] === null ? '' : String(vars[k])));
}
