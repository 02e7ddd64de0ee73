// API authentication: JWT in `Authorization: JWT <token>` (the seed's client) or `Bearer <token>`.
// The token payload carries user_id, username, email, exp and orig_iat, as the seed's example does,
// plus `tv` (the account's token version when issued) and `jti` (the token's id): a password
// change, deactivation, role change or "log out everywhere" increments the version, and earlier
// tokens answer 401 on their next request (the user lookup compares them). A token without `exp`
// is refused.
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { Passport } from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import type { Role } from '../modules/users/user.entity.js';
import { forbidden, HttpError } from './errors.js';
import { langOf, t } from './i18n.js';

export interface AuthUser {
  id: number;
  username: string;
  email: string;
  role: Role;
  /** The id (`jti`) of the token this request came with, when it has one. */
  tokenId?: string;
  /** When that token was issued by a login (orig_iat, seconds since the epoch). */
  tokenIssuedAt?: number;
}

export interface TokenPayload {
  user_id: number;
  username: string;
  email: string;
  exp: number;
  orig_iat: number;
  /** The account's token version at issue. */
  tv: number;
  jti: string;
}

export interface TokenIssuer {
  /** A token for `user` under the account's current token `version`. */
  issue(user: AuthUser, version: number, opts?: { origIat?: number }): string;
}

/**
 * Resolves a token's user id to the current user (null when gone or deactivated). The payload is
 * passed too: a device token (device_id claim) is valid only while its device is not revoked.
 */
export type UserLookup = (id: number, payload: Partial<TokenPayload> & { device_id?: unknown }) => Promise<AuthUser | null>;

export function createTokenIssuer(secret: string, expiresInSeconds: number): TokenIssuer {
  return {
    issue(user, version, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: TokenPayload = { user_id: user.id, username: user.username, email: user.email, exp: now + expiresInSeconds, orig_iat: opts.origIat ?? now, tv: version, jti: randomBytes(12).toString('hex') };
      return jwt.sign(payload, secret, { algorithm: 'HS256', noTimestamp: true });
    },
  };
}

export interface Authenticator {
  /** Sets req.user when a valid token is present; 401 for a present but invalid token. */
  optional: RequestHandler;
  required: RequestHandler;
  roles(...roles: Role[]): RequestHandler;
}

export function createAuthenticator(secret: string, lookup: UserLookup): Authenticator {
  const passport = new Passport();
  passport.use(
    'jwt',
    new JwtStrategy(
      {
        jwtFromRequest: ExtractJwt.fromExtractors([ExtractJwt.fromAuthHeaderWithScheme('JWT'), ExtractJwt.fromAuthHeaderAsBearerToken()]),
        secretOrKey: secret,
        algorithms: ['HS256'],
      },
      (payload: Partial<TokenPayload>, done: (err: unknown, user?: AuthUser | false) => void) => {
        // jsonwebtoken accepts a token without exp as never expiring: ours always have one.
        if (typeof payload.user_id !== 'number' || typeof payload.exp !== 'number') return done(null, false);
        lookup(payload.user_id, payload).then(
          (u) => done(null, u ? { ...u, tokenId: typeof payload.jti === 'string' ? payload.jti : undefined, tokenIssuedAt: typeof payload.orig_iat === 'number' ? payload.orig_iat : undefined } : false),
          done,
        );
      },
    ),
  );

  const authenticate =
    (mustHaveUser: boolean): RequestHandler =>
    (req, res, next) => {
      const header = req.headers.authorization;
      if (!header) {
        if (mustHaveUser) return next(new HttpError(401, { message: t(langOf(req), 'noCredentials') }, { 'WWW-Authenticate': 'JWT realm="api"' }));
        return next();
      }
      passport.authenticate('jwt', { session: false }, (err: unknown, user: AuthUser | false) => {
        if (err) return next(err);
        if (!user) return next(new HttpError(401, { message: t(langOf(req), 'badToken') }, { 'WWW-Authenticate': 'JWT realm="api"' }));
        req.user = user;
        next();
      })(req, res, next);
    };

  const required = authenticate(true);
  return {
    optional: authenticate(false),
    required,
    roles(...roles) {
      return (req, res, next) =>
        required(req, res, (err?: unknown) => {
          if (err) return next(err);
          const user = req.user as AuthUser;
          if (!roles.includes(user.role)) return next(forbidden(t(langOf(req), 'permission')));
          next();
        });
    },
  };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends AuthUser {}
  }
}
