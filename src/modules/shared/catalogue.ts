// Every module's message catalogue, joined: a code is looked up here by the edges (defineRoute and
// the error handler, the panel's actions). Codes are unique across catalogues
// (test/unit/errors-by-code.test.ts checks it, and that every code has both languages).
import { ageMessages } from '../age/age.messages.js';
import { catalogMessages } from '../catalog/catalog.messages.js';
import { cinemasMessages } from '../cinemas/cinemas.messages.js';
import { commerceMessages } from '../commerce/commerce.messages.js';
import { devicesMessages } from '../devices/devices.messages.js';
import { membersMessages } from '../members/members.messages.js';
import { ratingsMessages } from '../ratings/ratings.messages.js';
import { usersMessages } from '../users/users.messages.js';
import { renderEntry, sharedMessages, type Catalogue, type Lang, type Vars } from './messages.js';

/** Each catalogue by its module (the unit test checks that no code is in two). */
export const CATALOGUES = {
  shared: sharedMessages,
  age: ageMessages,
  catalog: catalogMessages,
  cinemas: cinemasMessages,
  commerce: commerceMessages,
  devices: devicesMessages,
  members: membersMessages,
  ratings: ratingsMessages,
  users: usersMessages,
} as const satisfies Record<string, Catalogue>;

type Catalogues = typeof CATALOGUES;
/** Every message code of every module. */
export type MessageCode = { [M in keyof Catalogues]: keyof Catalogues[M] & string }[keyof Catalogues];

const ALL: Catalogue = Object.assign({}, ...Object.values(CATALOGUES));

export function hasMessage(code: string): code is MessageCode {
  return Object.hasOwn(ALL, code);
}

/** The text of `code` in `lang`, its vars filled in (an unknown code is answered as itself). */
export function translate(lang: Lang, code: MessageCode | string, vars: Vars = {}): string {
  const entry = ALL[code];
  return entry ? renderEntry(entry, lang, vars) : code;
}
