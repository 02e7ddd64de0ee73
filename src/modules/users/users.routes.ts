// Seed 004, section User: sign-up, login (JWT), password change.
import { z } from 'zod';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { spend, type LoginThrottle } from '../../http/rate-limit.js';
import { HttpError, tooMany } from '../../http/errors.js';
import { t } from '../../http/i18n.js';
import { defineRoute, errorSchemas, type RouteContext } from '../../http/route.js';
import { looseBool } from '../../http/validation.js';
import type { TokenIssuer } from '../../http/auth.js';
import { toAuthUser, type UsersService } from './users.service.js';

const username = z.string().trim().min(1).max(150).regex(/^[\w.@+-]+$/u, 'i18n:invalid');
const password = z.string().min(8).max(128);

export const signupBody = z
  .object({
    username,
    password,
    email: z.string().trim().max(254).pipe(z.email()),
    get_agreement: looseBool.optional().default(false),
  })
  .openapi('SignupRequest');

export const loginBody = z.object({ username: z.string().min(1).max(150), password: z.string().min(1).max(128) }).openapi('LoginRequest');
const tokenResponse = z.object({ token: z.string() }).openapi('TokenResponse');
const messageResponse = z.object({ message: z.string() });
export const passwordBody = z.object({ password: z.string().max(128).optional(), new_password: z.string().max(128).optional() }).openapi('PasswordChange');

export interface UsersRouteDeps {
  users: UsersService;
  tokens: TokenIssuer;
  throttle: LoginThrottle;
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
    responses: {
      200: { description: 'Signed up', schema: messageResponse },
      400: { description: 'Validation errors', schema: errorSchemas.validation },
      429: { description: 'Too many sign-ups from this address (Retry-After)', schema: errorSchemas.message },
    },
    handler: async ({ body, lang, req }) => {
      const wait = await spend(deps.signupLimiter, req.ip ?? 'unknown');
      if (wait > 0) throw tooMany(wait, t(lang, 'tooManySignups', { n: wait }));
      await deps.users.signup({ username: body.username, email: body.email, password: body.password, getAgreement: body.get_agreement }, lang);
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
      const ip = req.ip ?? 'unknown';
      const wait = await deps.throttle.check(ip, body.username);
      if (wait > 0) throw tooMany(wait, t(lang, 'tooManyLogins', { n: wait }));
      const user = await deps.users.authenticate(body.username, body.password);
      if (!user) {
        await deps.throttle.failed(ip, body.username);
        throw new HttpError(400, { non_field_errors: [t(lang, 'loginFailed')] });
      }
      await deps.throttle.succeeded(body.username);
      return { body: { token: deps.tokens.issue(toAuthUser(user)) } };
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
      203: { description: 'Changed (no body)' },
      400: { description: '필수 데이터가 누락되었습니다.', schema: errorSchemas.message },
      403: { description: '비밀번호가 일치하지 않습니다.', schema: errorSchemas.message },
    },
    handler: async ({ body, user, lang }) => {
      if (!body.password || !body.new_password) throw new HttpError(400, { message: t(lang, 'missingData') });
      if (body.new_password.length < 8) throw new HttpError(400, { new_password: [t(lang, 'minLength', { n: 8 })] });
      await deps.users.changePassword(user!.id, body.password, body.new_password, lang);
      return { status: 203 };
    },
  });
}
