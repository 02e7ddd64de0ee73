// API authentication: JWT in `Authorization: JWT <token>` (the seed's client) or `Bearer <token>`.
// The token payload carries user_id, username, email, exp and orig_iat, as the seed's example does,
// plus `tv` (the account's token version when issued) and `jti` (the token's id): a password
// change, deactivation, role change or "log out everywhere" increments the version, and earlier
// tokens answer 401 on their next request (the user lookup compares them). A token without `exp`
// is refused.
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwt from 'jsonwebtoken';
import { Passport } from 'passport';
import { ExtractJwt, Strategy as JwtStrategy } from 'passport-jwt';
import type { Role } from '../modules/users/user.entity.js';
import { ExactCache, type ExactCacheOptions } from '../db/exact-cache.js';
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

export type TokenUserCacheOptions = ExactCacheOptions;

/**
 * Token → user, per process: a signed-in read verifies its JWT (a few µs) and then looks the
 * account up in the database to honour revocation — on a hot read that lookup is a round trip of
 * its own. This keeps the answer of that lookup per token (user id, token version, token id) for at
 * most `ttlMs`. It is exact, not merely short-lived: every change that ends or alters what a token
 * stands for (token version bump — password change, log out everywhere, role change, deactivation
 * — rename, delete) is reported by the users service (UsersService.changes) and drops the
 * account's entries here at once and again after the commit, and in every other process through
 * the `users` invalidation channel (Redis pub/sub); a lookup that began before such a change is not
 * stored (generation check). The TTL bounds a lost message or a write made outside the service.
 * Only positive answers are kept (a refused token goes to the database every time).
 */
export class TokenUserCache extends ExactCache<string, AuthUser | null> {
  constructor(opts: TokenUserCacheOptions) {
    super(opts, { keep: (user) => user !== null, copy: (user) => (user ? { ...user } : user) });
  }
}

/** A UserLookup whose account tokens go through `cache` (device tokens, checked against their device, do not). */
export function cachedUserLookup(cache: TokenUserCache, lookup: UserLookup): UserLookup {
  return (id, payload) => {
    if (payload.device_id !== undefined) return lookup(id, payload);
    const key = `${id}:${typeof payload.tv === 'number' ? payload.tv : ''}:${typeof payload.jti === 'string' ? payload.jti : ''}`;
    return cache.through(key, id, () => lookup(id, payload));
  };
}

/**
 * The HMAC key of a JWT secret. Given the secret as a string, jsonwebtoken first tries to read it as
 * a PEM public (verify) or private (sign) key and, when that throws, makes it a secret key — on
 * every call: a quarter of a signed-in hot read's CPU time. The KeyObject is the same key (the
 * string's UTF-8 bytes, as jsonwebtoken's fallback makes it), made once.
 */
export function jwtKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

export function createTokenIssuer(secret: string, expiresInSeconds: number): TokenIssuer {
  const key = jwtKey(secret);
  return {
    issue(user, version, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: TokenPayload = { user_id: user.id, username: user.username, email: user.email, exp: now + expiresInSeconds, orig_iat: opts.origIat ?? now, tv: version, jti: randomBytes(12).toString('hex') };
      return jwt.sign(payload, key, { algorithm: 'HS256', noTimestamp: true });
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
        // jsonwebtoken takes a KeyObject (passport-jwt passes it through; its types say string | Buffer).
        secretOrKey: jwtKey(secret) as unknown as Buffer,
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
