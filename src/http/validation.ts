// Request validation at the edge: the input is parsed against the route's schema
// (src/modules/shared/validation.ts, in message codes) and failures become 400 {"field": ["message"]}
// with DRF's Korean messages (English on Accept-Language: en).
import type { z, ZodType } from 'zod';
import './openapi.js';
import { translate } from '../modules/shared/catalogue.js';
import { fieldCodes, issueCode, parseInput, textFieldCodes } from '../modules/shared/validation.js';
import type { Lang } from './i18n.js';
import { toHttpError, translateFields } from './errors.js';

export { translateFields };

export { idParam, looseBool, MULTILINE_FIELDS, pageQuery } from '../modules/shared/validation.js';

type Issue = z.core.$ZodIssue;

export function issueMessage(issue: Issue, input: unknown, lang: Lang): string {
  const m = issueCode(issue, input);
  return translate(lang, m.code, m.vars);
}

/** Turns zod issues into DRF's `{"field": ["message"]}` (nested paths joined with dots). */
export function fieldErrors(issues: Issue[], input: unknown, lang: Lang): Record<string, string[]> {
  return translateFields(fieldCodes(issues, input), lang);
}

/** `{"field": ["message"]}` for every string in parsed input that breaks the text rule. */
export function textFieldErrors(data: unknown, lang: Lang): Record<string, string[]> {
  return translateFields(textFieldCodes(data), lang);
}

export function parseOrThrow<S extends ZodType>(schema: S, input: unknown, lang: Lang): z.output<S> {
  try {
    return parseInput(schema, input);
  } catch (err) {
    throw toHttpError(err, lang);
  }
}
