// One error shape for the whole API (seed 004 / DRF):
//   validation → 400 {"field": ["message"]}; other client errors → {"message": "..."};
//   not found → 404 {"detail": "..."}. Never a stack trace or SQL text in a response.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
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
    let httpErr: HttpError | null = err instanceof HttpError ? err : bodyParserError(err, lang);
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
