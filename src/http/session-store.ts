// express-session stores for the admin panel: Redis in full mode (stateless API replicas),
// the database in embedded mode. Never the default memory store.
import session, { type SessionData } from 'express-session';
import type { Redis } from 'ioredis';
import { LessThan, type DataSource } from 'typeorm';
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

export class RedisSessionStore extends session.Store {
  constructor(private readonly redis: Redis, private readonly prefix: string) {
    super();
  }
  private key(sid: string) {
    return `${this.prefix}:sess:${sid}`;
  }
  get(sid: string, cb: Cb<SessionData | null>) {
    settle(this.redis.get(this.key(sid)).then((raw) => (raw ? (JSON.parse(raw) as SessionData) : null)), cb);
  }
  set(sid: string, sess: SessionData, cb?: Cb) {
    settle(this.redis.set(this.key(sid), JSON.stringify(sess), 'EX', ttlOf(sess)).then(() => undefined), cb);
  }
  destroy(sid: string, cb?: Cb) {
    settle(this.redis.del(this.key(sid)).then(() => undefined), cb);
  }
  touch(sid: string, sess: SessionData, cb?: Cb) {
    settle(this.redis.expire(this.key(sid), ttlOf(sess)).then(() => undefined), cb);
  }
}

export class DbSessionStore extends session.Store {
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
    settle(this.purge().then(() => this.repo.save({ sid, data: JSON.stringify(sess), expiresAt })).then(() => undefined), cb);
  }
  destroy(sid: string, cb?: Cb) {
    settle(this.repo.delete({ sid }).then(() => undefined), cb);
  }
  touch(sid: string, sess: SessionData, cb?: Cb) {
    settle(this.repo.update({ sid }, { expiresAt: new Date(Date.now() + ttlOf(sess) * 1000) }).then(() => undefined), cb);
  }
  /** Expired rows are removed at most once a minute, on writes. */
  private async purge() {
    if (Date.now() - this.lastPurge < 60_000) return;
    this.lastPurge = Date.now();
    await this.repo.delete({ expiresAt: LessThan(new Date()) });
  }
}
