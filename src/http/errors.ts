// One error shape for the whole API (seed 004 / DRF):
//   validation → 400 {"field": ["message"]}; other client errors → {"message": "..."};
//   not found → 404 {"detail": "..."}. Never a stack trace or SQL text in a response.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { translate } from '../modules/shared/catalogue.js';
import { DomainError, STATUS_OF, type FieldMessages } from '../modules/shared/errors.js';
import { t, type Lang, langOf } from './i18n.js';

export class HttpError extends Error {
  constructor(
    public readonly status: number,
    public readonly body: Record<string, unknown>,
    public readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.message === 'string' ? body.message : typeof body.detail === 'string' ? body.detail : `HTTP ${status}`);
  }
}

/** 400 with field errors: {"field": ["message", …]}. */
export class ValidationError extends HttpError {
  constructor(public readonly fields: Record<string, string[]>) {
    super(400, fields);
  }
}

export const badRequest = (message: string) => new HttpError(400, { message });
export const unauthorized = (message = '자격 인증데이터(authentication credentials)가 제공되지 않았습니다.') =>
  new HttpError(401, { message }, { 'WWW-Authenticate': 'JWT realm="api"' });
export const forbidden = (message = '이 작업을 수행할 권한(permission)이 없습니다.') => new HttpError(403, { message });
export const notFound = (detail = '찾을 수 없습니다.') => new HttpError(404, { detail });
export const conflict = (message: string, extra: Record<string, unknown> = {}) => new HttpError(409, { message, ...extra });
export const tooMany = (retryAfterSeconds: number, message: string) =>
  new HttpError(429, { message }, { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });

/** The HTTP status of each kind of domain error (kept with the kinds). */
export { STATUS_OF };

/** Field errors in codes as the API answers them: `{"field": ["message"]}` in `lang`. */
export function translateFields(fields: FieldMessages, lang: Lang): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(fields)) {
    const list = (out[field] ??= []);
    for (const m of messages) {
      const text = translate(lang, m.code, m.vars);
      if (!list.includes(text)) list.push(text);
    }
  }
  return out;
}

/**
 * A domain error as the API answers it, its texts in `lang` (anything else is returned as it is):
 * field errors → 400 {"field": ["message"]}; not found → 404 {"detail"}; the rest →
 * {"message", …extra} with the kind's status (Retry-After / WWW-Authenticate where they belong).
 */
export function toHttpError(err: unknown, lang: Lang): unknown {
  if (!(err instanceof DomainError)) return err;
  const status = STATUS_OF[err.kind];
  const headers: Record<string, string> = {};
  if (err.retryAfter !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(err.retryAfter)));
  if (err.kind === 'unauthorized') headers['WWW-Authenticate'] = 'JWT realm="api"';
  if (err.fields && Object.keys(err.fields).length) {
    const fields = translateFields(err.fields, lang);
    return status === 400 && !Object.keys(err.extra).length ? new ValidationError(fields) : new HttpError(status, { ...fields, ...err.extra }, headers);
  }
  const text = translate(lang, err.code, err.vars);
  if (err.kind === 'not_found') return new HttpError(404, { detail: text, ...err.extra }, headers);
  return new HttpError(status, { message: text, ...err.extra }, headers);
}

/** The HTTP status an error will be answered with (a domain error's kind, an HttpError's status). */
export function statusOf(err: unknown): number | undefined {
  if (err instanceof DomainError) return STATUS_OF[err.kind];
  if (err instanceof HttpError) return err.status;
  return undefined;
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(notFound(t(langOf(req), 'notFound')));
};

function bodyParserError(err: { type?: string; status?: number }, lang: Lang): HttpError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new HttpError(400, { message: t(lang, 'badJson') });
    case 'entity.too.large':
      return new HttpError(413, { message: t(lang, 'tooLarge') });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpError(415, { message: t(lang, 'unsupportedMedia') });
    default:
      return null;
  }
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const lang = langOf(req);
    const translated = toHttpError(err, lang);
    let httpErr: HttpError | null = translated instanceof HttpError ? translated : bodyParserError(err, lang);
    if (!httpErr && typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      httpErr = new HttpError(err.status, { message: err.expose && err.message ? String(err.message) : t(lang, 'badRequest') });
    }
    if (!httpErr) {
      (req as { log?: Logger }).log?.error({ err }, 'unhandled error') ?? logger.error({ err }, 'unhandled error');
      httpErr = new HttpError(500, { message: t(lang, 'internal') });
    }
    if (res.headersSent) return;
    res.status(httpErr.status).set(httpErr.headers).json(httpErr.body);
  };
}
