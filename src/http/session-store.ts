// express-session stores for the admin panel: Redis in full mode (stateless API replicas),
// the database in embedded mode. Never the default memory store.
import session, { type SessionData } from 'express-session';
import type { Redis } from 'ioredis';
import { LessThan, MoreThan, type DataSource } from 'typeorm';
import { HttpSession } from '../db/session.entity.js';

type Cb<T = void> = (err?: unknown, value?: T) => void;
const DEFAULT_TTL_SECONDS = 24 * 3600;

function ttlOf(sess: SessionData): number {
  const expires = sess.cookie?.expires ? new Date(sess.cookie.expires).getTime() : 0;
  const ttl = expires ? Math.ceil((expires - Date.now()) / 1000) : DEFAULT_TTL_SECONDS;
  return Math.max(1, ttl);
}

function settle<T>(p: Promise<T>, cb?: Cb<T>): void {
  p.then((v) => cb?.(undefined, v), (e) => cb?.(e));
}

/** The staff member a session is logged in as (AdminJS keeps it in `adminUser`), or null. */
export function sessionUserId(sess: SessionData): number | null {
  const id = Number((sess as { adminUser?: { id?: unknown } }).adminUser?.id);
  return Number.isInteger(id) && id > 0 ? id : null;
}

/** A session store that can find and end every session of one account. */
export interface PanelSessionStore extends session.Store {
  /** Deletes every session of the account; returns how many there were. */
  destroyUser(userId: number): Promise<number>;
  /** Ids of the account's live sessions. */
  sessionsOf(userId: number): Promise<string[]>;
}

/**
 * Sessions in Redis (`<prefix>:sess:<sid>`, expiring with the cookie) and, per account, the set of
 * its session ids (`<prefix>:sess-user:<id>`, kept as long as its longest session) so that they
 * can be ended together. A set member whose session has expired is dropped when it is next read.
 */
export class RedisSessionStore extends session.Store implements PanelSessionStore {
  constructor(private readonly redis: Redis, private readonly prefix: string) {
    super();
  }
  private key(sid: string) {
    return `${this.prefix}:sess:${sid}`;
  }
  private userKey(userId: number) {
    return `${this.prefix}:sess-user:${userId}`;
  }
  get(sid: string, cb: Cb<SessionData | null>) {
    settle(this.redis.get(this.key(sid)).then((raw) => (raw ? (JSON.parse(raw) as SessionData) : null)), cb);
  }
  set(sid: string, sess: SessionData, cb?: Cb) {
    const ttl = ttlOf(sess);
    const userId = sessionUserId(sess);
    const tx = this.redis.multi().set(this.key(sid), JSON.stringify(sess), 'EX', ttl);
    if (userId !== null) {
      const idx = this.userKey(userId);
      // The index lives as long as the account's longest session (NX: a new set; GT: only longer).
      tx.sadd(idx, sid).expire(idx, ttl, 'NX').expire(idx, ttl, 'GT');
    }
    settle(tx.exec().then(() => undefined), cb);
  }
  destroy(sid: string, cb?: Cb) {
    const run = async () => {
      const raw = await this.redis.get(this.key(sid));
      const userId = raw ? sessionUserId(JSON.parse(raw) as SessionData) : null;
      const tx = this.redis.multi().del(this.key(sid));
      if (userId !== null) tx.srem(this.userKey(userId), sid);
      await tx.exec();
    };
    settle(run(), cb);
  }
  touch(sid: string, sess: SessionData, cb?: Cb) {
    const ttl = ttlOf(sess);
    const userId = sessionUserId(sess);
    const tx = this.redis.multi().expire(this.key(sid), ttl);
    if (userId !== null) tx.expire(this.userKey(userId), ttl, 'GT');
    settle(tx.exec().then(() => undefined), cb);
  }
  async sessionsOf(userId: number): Promise<string[]> {
    const idx = this.userKey(userId);
    const sids = await this.redis.smembers(idx);
    if (!sids.length) return [];
    const pipe = this.redis.pipeline();
    for (const sid of sids) pipe.exists(this.key(sid));
    const flags = ((await pipe.exec()) ?? []).map(([, n]) => n === 1);
    const alive = sids.filter((_, i) => flags[i]);
    const gone = sids.filter((_, i) => !flags[i]);
    if (gone.length) await this.redis.srem(idx, ...gone);
    return alive;
  }
  async destroyUser(userId: number): Promise<number> {
    const idx = this.userKey(userId);
    const sids = await this.redis.smembers(idx);
    if (!sids.length) return 0;
    const tx = this.redis.multi();
    for (const sid of sids) tx.del(this.key(sid));
    tx.srem(idx, ...sids);
    const results = (await tx.exec()) ?? [];
    return results.slice(0, sids.length).reduce((n, [, deleted]) => n + Number(deleted ?? 0), 0);
  }
}

/** Sessions in the database (embedded mode); a row names its account (`user_id`) so they can be ended together. */
export class DbSessionStore extends session.Store implements PanelSessionStore {
  private lastPurge = 0;
  constructor(private readonly ds: DataSource) {
    super();
  }
  private get repo() {
    return this.ds.getRepository(HttpSession);
  }
  get(sid: string, cb: Cb<SessionData | null>) {
    settle(
      this.repo.findOneBy({ sid }).then((row) => (row && row.expiresAt.getTime() > Date.now() ? (JSON.parse(row.data) as SessionData) : null)),
      cb,
    );
  }
  set(sid: string, sess: SessionData, cb?: Cb) {
    const expiresAt = new Date(Date.now() + ttlOf(sess) * 1000);
    settle(this.purge().then(() => this.repo.save({ sid, data: JSON.stringify(sess), expiresAt, userId: sessionUserId(sess) })).then(() => undefined), cb);
  }
  destroy(sid: string, cb?: Cb) {
    settle(this.repo.delete({ sid }).then(() => undefined), cb);
  }
  touch(sid: string, sess: SessionData, cb?: Cb) {
    settle(this.repo.update({ sid }, { expiresAt: new Date(Date.now() + ttlOf(sess) * 1000) }).then(() => undefined), cb);
  }
  async sessionsOf(userId: number): Promise<string[]> {
    const rows = await this.repo.find({ where: { userId, expiresAt: MoreThan(new Date()) }, select: { sid: true } });
    return rows.map((r) => r.sid);
  }
  async destroyUser(userId: number): Promise<number> {
    const res = await this.repo.delete({ userId });
    return res.affected ?? 0;
  }
  /** Expired rows are removed at most once a minute, on writes. */
  private async purge() {
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    await this.repo.delete({ expiresAt: LessThan(new Date()) });
  }
}
