// The devices module's messages, by code (device sign-in codes and the device list): Korean and
// English. Services throw these codes; the routes translate them.
import type { Catalogue } from '../shared/messages.js';

export const devicesMessages = {
  codeNotFound: { ko: '코드를 찾을 수 없습니다. 기기에 표시된 코드를 확인하세요.', en: 'No such code. Check the code shown on the device.' },
  codeExpired: { ko: '코드가 만료되었습니다. 기기에서 새 코드를 받으세요.', en: 'The code has expired. Get a new code on the device.' },
  codeUsed: { ko: '이미 사용된 코드입니다. 기기에서 새 코드를 받으세요.', en: 'The code has already been used. Get a new code on the device.' },
  deviceLimit: {
    ko: '연결할 수 있는 기기 수({n}대)를 모두 사용 중입니다. 기기를 해제한 뒤 다시 시도하세요.',
    en: 'You already have the {n} device(s) your plan allows. Remove a device and try again.',
  },
  deviceNotFound: { ko: '기기를 찾을 수 없습니다.', en: 'Device not found.' },
} as const satisfies Catalogue;
