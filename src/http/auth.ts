// API authentication: JWT in `Authorization: JWT <token>` (the seed's client) or `Bearer <token>`.
// The token payload carries user_id, username, email, exp and orig_iat, as the seed's example does,
// plus `tv` (the account's token version when issued) and `jti` (the token's id): a password
// change, deactivation, role change or "log out everywhere" increments the version, and earlier
// tokens answer 401 on their next request (the user lookup compares them). A token without `exp`
// is refused.
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
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
    super(opts, { keep: (user) => user !== null, copy: (user) => (user ? signedInUser(user, user.tokenId, user.tokenIssuedAt) : user) });
  }
}

/**
 * The request's user: the account's fields and its token's, written out in one literal. A spread
 * (`{ ...user, tokenId }`) gave V8 a new hidden class for every request's user (--log-maps: three
 * new maps per signed-in request), and every read of `req.user` a shape it had not seen.
 */
function signedInUser(u: AuthUser, tokenId: string | undefined, tokenIssuedAt: number | undefined): AuthUser {
  return { id: u.id, username: u.username, email: u.email, role: u.role, tokenId, tokenIssuedAt };
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

/**
 * Authorization header → its verified JWT payload, per process: jsonwebtoken's verify (decode,
 * HMAC, JSON parse) and passport's per-request closures were a tenth of a signed-in hot read's CPU,
 * and a member's app sends the same token on every request. An entry is the result of a full
 * verification of exactly these bytes under this process's key (the key never changes while it
 * runs), so it stands for as long as the token's `exp` does: a hit past `exp` is dropped and the
 * token verified again (which refuses it). Revocation is not decided here: the user lookup still
 * runs on every request (TokenUserCache, dropped by every account change). Oldest entries go first
 * beyond `maxEntries`; 0 turns it off.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, Partial<TokenPayload>>();

  constructor(private readonly maxEntries: number) {}

  get(header: string, nowSeconds = Date.now() / 1000): Partial<TokenPayload> | undefined {
    const payload = this.entries.get(header);
    if (!payload) return undefined;
    if (typeof payload.exp !== 'number' || payload.exp <= nowSeconds) {
      this.entries.delete(header);
      return undefined;
    }
    return payload;
  }

  set(header: string, payload: Partial<TokenPayload>): void {
    if (this.maxEntries <= 0) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(header)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(header, payload);
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface AuthenticatorOptions {
  /** Bound of the verified-token memo (VerifiedTokens); default 50,000, 0 off. */
  verifiedTokens?: number;
}

export function createAuthenticator(secret: string, lookup: UserLookup, opts: AuthenticatorOptions = {}): Authenticator {
  const verified = new VerifiedTokens(opts.verifiedTokens ?? 50_000);
  /** The request's user from a verified payload (null: no such active account, or not our token's shape). */
  const userOf = async (payload: Partial<TokenPayload>): Promise<AuthUser | null> => {
    // jsonwebtoken accepts a token without exp as never expiring: ours always have one.
    if (typeof payload.user_id !== 'number' || typeof payload.exp !== 'number') return null;
    const u = await lookup(payload.user_id, payload);
    return u ? signedInUser(u, typeof payload.jti === 'string' ? payload.jti : undefined, typeof payload.orig_iat === 'number' ? payload.orig_iat : undefined) : null;
  };
  const passport = new Passport();
  passport.use(
    'jwt',
    new JwtStrategy(
      {
        jwtFromRequest: ExtractJwt.fromExtractors([ExtractJwt.fromAuthHeaderWithScheme('JWT'), ExtractJwt.fromAuthHeaderAsBearerToken()]),
        // jsonwebtoken takes a KeyObject (passport-jwt passes it through; its types say string | Buffer).
        secretOrKey: jwtKey(secret) as unknown as Buffer,
        algorithms: ['HS256'],
        passReqToCallback: true,
      },
      (req: { headers: { authorization?: string } }, payload: Partial<TokenPayload>, done: (err: unknown, user?: AuthUser | false) => void) => {
        userOf(payload).then((u) => {
          // Remembered only for a token that names an active account (a refused one is verified every time).
          if (u && req.headers.authorization) verified.set(req.headers.authorization, payload);
          done(null, u ?? false);
        }, done);
      },
    ),
  );

  const unauthorised = (req: Request, key: 'noCredentials' | 'badToken') => new HttpError(401, { message: t(langOf(req), key) }, { 'WWW-Authenticate': 'JWT realm="api"' });
  const authenticate =
    (mustHaveUser: boolean): RequestHandler =>
    (req, res, next) => {
      const header = req.headers.authorization;
      if (!header) {
        if (mustHaveUser) return next(unauthorised(req, 'noCredentials'));
        return next();
      }
      const known = verified.get(header);
      if (known) {
        userOf(known).then((user) => {
          if (!user) return next(unauthorised(req, 'badToken'));
          req.user = user;
          next();
        }, next);
        return;
      }
      passport.authenticate('jwt', { session: false }, (err: unknown, user: AuthUser | false) => {
        if (err) return next(err);
        if (!user) return next(unauthorised(req, 'badToken'));
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
