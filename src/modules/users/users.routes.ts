// Seed 004, section User: sign-up, login (JWT), password change.
import { z } from 'zod';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { LoginGate } from '../../http/login.js';
import { spend } from '../../http/rate-limit.js';
import { HttpError, tooMany, ValidationError } from '../../http/errors.js';
import { t } from '../../http/i18n.js';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import type { TokenIssuer } from '../../http/auth.js';
import { toAuthUser, type UsersService } from './users.service.js';
import { PASSWORD_MIN, signupBody } from './users.schemas.js';

export { signupBody };

/**
 * The seed's web client shows sign-up errors from `message.<field>`: the field errors are answered
 * in the seed's body ({"username": [...]}) and once more under `message`.
 */
function signupErrors(err: unknown): unknown {
  return err instanceof ValidationError ? new HttpError(400, { ...err.fields, message: err.fields }) : err;
}
const signupErrorSchema = z
  .object({ message: z.record(z.string(), z.array(z.string())) })
  .catchall(z.array(z.string()))
  .openapi('SignupError', { example: { username: ['해당 사용자 이름은 이미 존재합니다.'], message: { username: ['해당 사용자 이름은 이미 존재합니다.'] } } });

export const loginBody = z.object({ username: z.string().min(1).max(150), password: z.string().min(1).max(128) }).openapi('LoginRequest');
const tokenResponse = z.object({ token: z.string() }).openapi('TokenResponse');
const messageResponse = z.object({ message: z.string() });
export const passwordBody = z.object({ password: z.string().max(128).optional(), new_password: z.string().max(128).optional() }).openapi('PasswordChange');

/** How long after a login its token may change the password without the current one (the seed's body). */
export const RECENT_LOGIN_SECONDS = 10 * 60;
const recentLogin = (issuedAt: number | undefined) => issuedAt !== undefined && Date.now() / 1000 - issuedAt <= RECENT_LOGIN_SECONDS;

export interface UsersRouteDeps {
  users: UsersService;
  tokens: TokenIssuer;
  loginGate: LoginGate;
  /** Sign-up attempts per client address (config signupRate): the answer tells whether a username exists. */
  signupLimiter: RateLimiterAbstract;
}

export function usersRoutes(ctx: RouteContext, deps: UsersRouteDeps): void {
  defineRoute(ctx, {
    method: 'post',
    path: '/user/signup',
    summary: '회원가입 (sign up)',
    tags: ['User'],
    body: signupBody,
    mapError: signupErrors,
    responses: {
      200: { description: 'Signed up', schema: messageResponse },
      400: { description: 'Field errors, in the seed’s shape and again under `message` (what the seed’s client reads)', schema: signupErrorSchema },
      429: { description: 'Too many sign-ups from this address (Retry-After)', schema: errorSchemas.message },
    },
    handler: async ({ body, lang, req }) => {
      const wait = await spend(deps.signupLimiter, req.ip ?? 'unknown');
      if (wait > 0) throw tooMany(wait, t(lang, 'tooManySignups', { n: wait }));
      await deps.users.signup({ username: body.username, email: body.email, password: body.password, getAgreement: body.get_agreement });
      return { status: 200, body: { message: t(lang, 'signedUp') } };
    },
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/user/login',
    summary: '로그인 (JWT)',
    tags: ['User'],
    body: loginBody,
    responses: {
      200: { description: 'A JWT', schema: tokenResponse },
      400: { description: 'Missing fields, or {"non_field_errors": [...]} for wrong credentials', schema: errorSchemas.validation },
      429: { description: 'Too many failed attempts (Retry-After)', schema: errorSchemas.message },
    },
    handler: async ({ body, lang, req }) => {
      const outcome = await deps.loginGate.attempt(req.ip ?? 'unknown', body.username, body.password);
      if (outcome.kind === 'blocked') throw tooMany(outcome.seconds, t(lang, 'tooManyLogins', { n: outcome.seconds }));
      if (outcome.kind === 'failed') throw new HttpError(400, { non_field_errors: [t(lang, 'loginFailed')] });
      const user = outcome.user;
      return { body: { token: deps.tokens.issue(toAuthUser(user), user.tokenVersion) } };
    },
  });

  defineRoute(ctx, {
    method: 'patch',
    path: '/user/password',
    summary: '비밀번호 변경',
    tags: ['User'],
    auth: 'required',
    body: passwordBody,
    responses: {
      203: { description: 'Changed. Earlier tokens stop working, except the one that made the change; `token` is a fresh one.', schema: tokenResponse },
      400: { description: '필수 데이터가 누락되었습니다.', schema: errorSchemas.message },
      403: { description: '비밀번호가 일치하지 않습니다. (a wrong `password`, or none from a token whose login is older than 10 minutes)', schema: errorSchemas.message },
    },
    handler: async ({ body, user, lang }) => {
      if (!body.new_password) throw new HttpError(400, { message: t(lang, 'missingData') });
      if (body.new_password.length < PASSWORD_MIN) throw new HttpError(400, { new_password: [t(lang, 'minLength', { n: PASSWORD_MIN })] });
      // The seed's client sends only new_password: accepted from a token whose login is recent.
      if (!body.password && !recentLogin(user!.tokenIssuedAt)) throw new HttpError(403, { message: t(lang, 'wrongPassword') });
      const version = await deps.users.changePassword(user!.id, body.password ?? null, body.new_password, user!.tokenId ?? null);
      // The fresh token keeps the login time of the one it replaces (a recent-login check stays honest).
      return { status: 203, body: { token: deps.tokens.issue(user!, version, { origIat: user!.tokenIssuedAt }) } };
    },
  });

  defineRoute(ctx, {
    method: 'post',
    path: '/user/logout-all',
    summary: '모든 기기에서 로그아웃 (log out everywhere: every token issued so far stops working)',
    tags: ['User'],
    auth: 'required',
    responses: { 204: { description: 'Every earlier token, this one included, answers 401 from now on' } },
    handler: async ({ user }) => {
      await deps.users.revokeTokens(user!.id);
      return { status: 204 };
    },
  });
}
