// The catalog module's messages, by code (movies, genres, people, production companies, contents): Korean (the seed's) and English.
// Services throw these codes (src/modules/shared/errors.ts); the routes and the panel translate them.
import type { Catalogue } from '../shared/messages.js';

export const catalogMessages = {
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
  // the panel's (no API route writes people, genre links or credits)
  personHasCredits: { ko: '이 인물에게 아직 {n}개의 출연·제작 정보가 있습니다. 먼저 삭제해 주세요.', en: 'This person still has {n} credit(s): remove them first.' },
  movieInGenreAlready: { ko: '이미 이 장르에 속한 영화입니다.', en: 'The movie is in this genre already.' },
  posterTooLarge: { ko: '이미지가 너무 큽니다. 최대 {n}바이트까지 올릴 수 있습니다.', en: 'The image is larger than {n} bytes.' },
  posterEmpty: { ko: '비어 있지 않은 이미지 파일을 선택하세요.', en: 'Choose a non-empty image file.' },
  posterNotImage: { ko: 'JPEG, PNG, WebP 이미지가 아닙니다 ({v}).', en: 'Not a JPEG, PNG or WebP image ({v}).' },
  creditExists: { ko: '이 인물은 이미 이 영화에서 같은 역할을 맡고 있습니다.', en: 'This person already has this role in the movie.' },
  // contents (contents.service.ts, contents.routes.ts)
  contentNotFound: { ko: '콘텐츠를 찾을 수 없습니다.', en: 'Content not found.' },
  unsupportedFile: {
    ko: '지원하지 않는 파일 형식입니다. 동영상(MP4, MOV, MKV, WebM, AVI, MPEG-TS) 또는 오디오(MP3, WAV, OGG, FLAC, M4A) 파일을 올려 주세요.',
    en: 'Unsupported file type: upload a video (MP4, MOV, MKV, WebM, AVI, MPEG-TS) or audio (MP3, WAV, OGG, FLAC, M4A) file.',
  },
  fileTooLarge: { ko: '파일이 너무 큽니다. 최대 {n}바이트까지 올릴 수 있습니다.', en: 'The file is too large: at most {n} bytes are accepted.' },
  emptyFile: { ko: '제출된 파일이 비어있습니다.', en: 'The submitted file is empty.' },
  notMultipart: { ko: 'multipart/form-data 형식으로 보내 주세요.', en: 'Send the upload as multipart/form-data.' },
  badMultipart: { ko: '잘못된 multipart 요청입니다.', en: 'Malformed multipart request.' },
  untilAfterFrom: { ko: '종료 시각은 시작 시각보다 늦어야 합니다.', en: 'valid_until must be later than valid_from.' },
  badLanguage: { ko: '"{v}"은(는) 유효한 ISO 639 언어 코드가 아닙니다.', en: '"{v}" is not a valid ISO 639 language code.' },
} as const satisfies Catalogue;
