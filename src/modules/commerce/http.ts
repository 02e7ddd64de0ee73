// The one mapping of commerce errors to the API's error shapes (ARCHITECTURE rule 7):
//   CommerceError with field errors (details.fields) and status 400 → 400 {"field": ["message"]}
//   CommerceError 404                → 404 {"detail": "..."}
//   any other CommerceError          → its httpStatus {"message": "...", "code": "...", ...details}
// Messages (and field messages) come from the catalogue in messages.ts: Korean by default,
// English with Accept-Language: en; `code` and every other key stay as they are.
// Everything else passes through unchanged to the global error handler.
import type { z, ZodObject, ZodType } from 'zod';
import type { RouteContext, RouteSpec } from '../../http/route.js';
import { defineRoute } from '../../http/route.js';
import { HttpError, toHttpError as answerDomainError, ValidationError } from '../../http/errors.js';
import type { AuthUser } from '../../http/auth.js';
import type { Lang } from '../../http/i18n.js';
import { can } from '../access/rbac.js';
import { CommerceError } from './domain/errors.js';
import { commerceMessage, localizeFields } from './messages.js';

function isFieldErrors(v: unknown): v is Record<string, string[]> {
  return typeof v === 'object' && v !== null && Object.values(v).every((a) => Array.isArray(a) && a.every((m) => typeof m === 'string'));
}

type AnyObject = ZodObject<z.core.$ZodLooseShape>;

/** The HttpError for a CommerceError or another domain error, its messages in `lang` (other errors are returned as they are). */
export function toHttpError(err: unknown, lang: Lang = 'ko'): unknown {
  if (!(err instanceof CommerceError)) return answerDomainError(err, lang);
  const fields = err.details.fields;
  if (err.httpStatus === 400 && isFieldErrors(fields) && Object.keys(fields).length) return new ValidationError(localizeFields(fields, err.code, lang));
  const message = commerceMessage(err.code, err.message, err.details, lang);
  if (err.httpStatus === 404) return new HttpError(404, { detail: message });
  const { fields: _f, ...rest } = err.details as Record<string, unknown>;
  return new HttpError(err.httpStatus, { message, code: err.code, ...rest });
}

/** Runs `fn` and rethrows a CommerceError as the matching HttpError (messages in `lang`). */
export async function mapCommerceErrors<T>(fn: () => Promise<T>, lang: Lang = 'ko'): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toHttpError(err, lang);
  }
}

/** defineRoute whose handler's CommerceErrors are mapped by toHttpError. */
export function defineCommerceRoute<B extends ZodType | undefined = undefined, Q extends AnyObject | undefined = undefined, P extends AnyObject | undefined = undefined>(
  ctx: RouteContext,
  spec: RouteSpec<B, Q, P>,
): void {
  defineRoute<B, Q, P>(ctx, { ...spec, handler: (input) => mapCommerceErrors(() => spec.handler(input), input.lang) });
}

/** Who sees (and manages) every member's commerce data: `commerce: manage` in the role table (finance, admin). */
export function isFinance(user: Pick<AuthUser, 'role'> | undefined | null): boolean {
  return can(user?.role, 'commerce', 'manage');
}
