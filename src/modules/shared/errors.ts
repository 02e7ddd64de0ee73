// Domain errors: what a service throws when it refuses. A stable code (looked up in the message
// catalogues, src/modules/shared/catalogue.ts), the values its text needs, a kind, and — for bad
// input — field errors as codes. No language and no HTTP here: the edges translate
// (src/http/errors.ts `toHttpError` for the API, admin/service-form.ts for the panel).
import { translate, type MessageCode } from './catalogue.js';
import type { Vars } from './messages.js';

/** What went wrong, as the edges map it: invalid 400, unauthorized 401, forbidden 403, not_found 404, … */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'payment_required'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gone'
  | 'too_large'
  | 'unsupported'
  | 'unprocessable'
  | 'too_many'
  | 'upstream'
  | 'unavailable'
  | 'timeout'
  | 'bad_signature';

/**
 * The HTTP status each kind is answered with (src/http/errors.ts). A service reads it only to tell a
 * client's refusal from upstream trouble (≥ 500), e.g. what an idempotency key keeps.
 * `bad_signature` is a 401 without a login challenge (a webhook's signature); `timeout` a 504.
 */
export const STATUS_OF: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthorized: 401,
  bad_signature: 401,
  payment_required: 402,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported: 415,
  unprocessable: 422,
  too_many: 429,
  upstream: 502,
  unavailable: 503,
  timeout: 504,
};

/** One message: its code and the values of its template. */
export interface Message {
  code: MessageCode;
  vars?: Vars;
}
/** Field errors by field (the API's key; `non_field_errors` for the whole input). */
export type FieldMessages = Record<string, Message[]>;

export interface DomainErrorOptions {
  /** Field errors: the API answers them as 400 {"field": ["message"]}. */
  fields?: FieldMessages;
  /** Extra JSON-safe keys of the answer next to the message (counts, limits, a code). */
  extra?: Record<string, unknown>;
  /** Seconds until a retry may succeed (Retry-After). */
  retryAfter?: number;
}

export class DomainError extends Error {
  readonly fields?: FieldMessages;
  readonly extra: Record<string, unknown>;
  readonly retryAfter?: number;
  constructor(
    public readonly kind: ErrorKind,
    public readonly code: MessageCode,
    public readonly vars: Vars = {},
    opts: DomainErrorOptions = {},
  ) {
    // The English text as the error's message: logs and stack traces read it.
    super(opts.fields ? Object.entries(opts.fields).map(([f, ms]) => `${f}: ${ms.map((m) => translate('en', m.code, m.vars)).join(' ')}`).join('; ') : translate('en', code, vars));
    this.name = 'DomainError';
    this.fields = opts.fields;
    this.extra = opts.extra ?? {};
    this.retryAfter = opts.retryAfter;
  }
}

/** A message for field errors: `invalidFields({ name: [msg('uniqueGenre')] })`. */
export const msg = (code: MessageCode, vars?: Vars): Message => (vars ? { code, vars } : { code });

/** Bad input on fields: 400 {"field": ["message"]}. */
export const invalidFields = (fields: FieldMessages) => new DomainError('invalid', 'invalid', {}, { fields });
/** Bad input, one message: 400 {"message"}. */
export const invalid = (code: MessageCode, vars?: Vars, extra?: Record<string, unknown>) => new DomainError('invalid', code, vars, { extra });
export const unauthorized = (code: MessageCode = 'noCredentials', vars?: Vars) => new DomainError('unauthorized', code, vars);
export const forbidden = (code: MessageCode = 'permission', vars?: Vars, extra?: Record<string, unknown>) => new DomainError('forbidden', code, vars, { extra });
export const notFound = (code: MessageCode = 'notFound', vars?: Vars) => new DomainError('not_found', code, vars);
export const conflict = (code: MessageCode, vars?: Vars, extra?: Record<string, unknown>) => new DomainError('conflict', code, vars, { extra });
export const gone = (code: MessageCode, vars?: Vars) => new DomainError('gone', code, vars);
export const tooLarge = (code: MessageCode, vars?: Vars) => new DomainError('too_large', code, vars);
export const unsupported = (code: MessageCode, vars?: Vars) => new DomainError('unsupported', code, vars);
export const tooMany = (retryAfterSeconds: number, code: MessageCode, vars?: Vars) => new DomainError('too_many', code, vars, { retryAfter: retryAfterSeconds });

export const isDomainError = (err: unknown): err is DomainError => err instanceof DomainError;
