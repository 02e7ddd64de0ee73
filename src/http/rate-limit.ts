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
 * Takes one request out of the key's budget (`points` per window); once it is spent the limiter's
 * block starts. Returns seconds to wait when refused, else 0 (the request may go on).
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
 * Login throttle: failed attempts are counted per username and per IP; either budget
 * exhausted blocks further attempts (429 with Retry-After) until the block expires.
 */
export class LoginThrottle {
  private readonly byUser: RateLimiterAbstract;
  private readonly byIp: RateLimiterAbstract;

  private readonly blockSeconds: number;

  constructor(redis: Redis | null, prefix: string, o: { points: number; durationSeconds: number; blockSeconds: number }) {
    this.blockSeconds = o.blockSeconds;
    this.byUser = createLimiter(redis, { keyPrefix: `${prefix}:rl:login:user`, ...o });
    this.byIp = createLimiter(redis, { keyPrefix: `${prefix}:rl:login:ip`, ...o, points: o.points * 5 });
  }

  private userKey(username: string): string {
    return username.trim().toLowerCase().slice(0, 150);
  }

  /** Seconds the caller must wait before trying, 0 if allowed. */
  async check(ip: string, username: string): Promise<number> {
    const [u, i] = await Promise.all([blockedFor(this.byUser, this.userKey(username)), blockedFor(this.byIp, ip)]);
    return Math.max(u, i);
  }

  /** Seconds this IP must wait, 0 if allowed (before the username is known). */
  async checkIp(ip: string): Promise<number> {
    return blockedFor(this.byIp, ip);
  }

  async failed(ip: string, username: string): Promise<void> {
    await Promise.all([consume(this.byUser, this.userKey(username), this.blockSeconds), consume(this.byIp, ip, this.blockSeconds)]);
  }

  async succeeded(username: string): Promise<void> {
    await this.byUser.delete(this.userKey(username));
  }
}
