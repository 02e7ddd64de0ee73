// A service's refusal as the API answers it: services throw domain errors (codes and data); this
// translates one the way the edge does (src/http/errors.ts toHttpError), in the given language.
import { toHttpError } from '../../src/http/errors.js';
import type { Lang } from '../../src/modules/shared/messages.js';

export function answered<T>(work: Promise<T>, lang: Lang = 'ko'): Promise<T> {
  return work.catch((err: unknown) => {
    throw toHttpError(err, lang);
  });
}
