// Rate limits, Redis-backed in full mode (shared by every API replica), in memory when embedded.
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimiterOptions {
  keyPrefix: string;
  points: number;
  durationSeconds: number;
  blockSeconds: number;
}

export function createLimiter(redis: Redis | null, o: LimiterOptions): RateLimiterAbstract {
  const opts = { keyPrefix: o.keyPrefix, points: o.points, duration: o.durationSeconds, blockDuration: o.blockSeconds };
  if (!redis) return new RateLimiterMemory(opts);
  // While Redis is unreachable, limits keep working per process instead of failing the request.
  return new RateLimiterRedis({ storeClient: redis, ...opts, insuranceLimiter: new RateLimiterMemory(opts) });
}

/** Seconds until the key may try again, or 0 when it is not blocked. */
export async function blockedFor(limiter: RateLimiterAbstract, key: string): Promise<number> {
  const res = await limiter.get(key);
  if (!res || res.remainingPoints > 0) return 0;
  return Math.ceil(res.msBeforeNext / 1000);
}

/**
 * Consumes one point; the point that exhausts the budget starts a block of `blockSeconds`.
 * Returns seconds to wait when blocked, else 0.
 */
export async function consume(limiter: RateLimiterAbstract, key: string, blockSeconds: number): Promise<number> {
  try {
    const res = await limiter.consume(key);
    if (res.remainingPoints > 0) return 0;
    await limiter.block(key, blockSeconds);
    return blockSeconds;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.ceil(e.msBeforeNext / 1000);
    throw e;
  }
}

/**
 * Takes one request out of the key's budget (`points` per window) atomically (Redis MULTI / one
 * process's memory), before the guarded work runs; once it is spent the limiter's block starts, so
 * a parallel burst never gets past the budget. Returns seconds to wait when refused, else 0.
 */
export async function spend(limiter: RateLimiterAbstract, key: string): Promise<number> {
  try {
    await limiter.consume(key);
    return 0;
  } catch (e) {
    if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
    throw e;
  }
}

/**
 * Login throttle, shared by the API's `POST /user/login/` and the panel's `/admin/login`: every
 * attempt takes a point from its IP's budget (5 × points) and from its account's budget (points)
 * *before* the password is verified. The account key is the user id when the identifier names an
 * account (resolved through the database's collation, so `rláqw0fqrzo`, `rlaqw0fqrzo` and the
 * e-mail of that account are one budget), else a canonical form of the identifier
 * (UsersService.resolveLogin). A success clears the account's count and gives the IP its point back.
 */
export class LoginThrottle {
  private readonly byAccount: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;

  constructor(redis: Redis | null, prefix: string, o: { points: number; durationSeconds: number; blockSeconds: number }) {
    this.byAccount = createLimiter(redis, { keyPrefix: `${prefix}:rl:login:account`, ...o });
    this.byIp = createLimiter(redis, { keyPrefix: `${prefix}:rl:login:ip`, ...o, points: o.points * 5 });
  }

  /** Takes this attempt's points; seconds the caller must wait instead (0 = go on and verify). */
  async take(ip: string, accountKey: string): Promise<number> {
    const ipWait = await spend(this.byIp, ip);
    if (ipWait > 0) return ipWait;
    return spend(this.byAccount, accountKey);
  }

  /** Seconds this IP must wait, 0 if allowed (a cheap look before any work; takes nothing). */
  async checkIp(ip: string): Promise<number> {
    return blockedFor(this.byIp, ip);
  }

  async succeeded(ip: string, accountKey: string): Promise<void> {
    // The IP gets its point back, never more than it spent (a valid account must not buy credit).
    const ipRes = await this.byIp.get(ip);
    await Promise.all([this.byAccount.delete(accountKey), ipRes && ipRes.consumedPoints > 0 ? this.byIp.reward(ip, 1) : null]);
  }
}
