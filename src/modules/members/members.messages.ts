// The members module's messages, by code (my page, profile image, watch progress, privacy lookup): Korean (the seed's) and English.
// Services throw these codes (src/modules/shared/errors.ts); the routes and the panel translate them.
import type { Catalogue } from '../shared/messages.js';

export const membersMessages = {
  userNotFound: { ko: '회원을 찾을 수 없습니다.', en: 'User not found.' },
  invalidFile: { ko: '유효하지 않은 파일입니다.', en: 'Invalid file.' },
  imageRequired: { ko: '이미지는 필수입니다.', en: 'An image is required.' },
  imageTooLarge: { ko: '이미지 파일이 너무 큽니다. 최대 {n}바이트까지 올릴 수 있습니다.', en: 'The image is too large: at most {n} bytes are accepted.' },
  positionPastEnd: { ko: '재생 위치는 전체 길이보다 클 수 없습니다.', en: 'The position cannot be past the end of the content.' },
  unmaskAdminOnly: { ko: '개인정보 마스킹 해제는 관리자만 할 수 있습니다.', en: 'Only an admin may see unmasked personal data.' },
} as const satisfies Catalogue;
