// The devices module (seed 000 §9): pairing a TV or projector with a member's account, modelled on
// the OAuth 2.0 device authorization grant (RFC 8628).
//
// 1. The device asks for codes (requestCode): a long random device_code it keeps, and a short
//    user_code (8 letters from an alphabet without vowels or look-alikes, shown XXXX-XXXX) that the
//    member types in the app. Both are stored hashed; they expire after codeTtlSeconds.
// 2. The signed-in member confirms (or denies) the user_code (confirm). Approving creates the
//    device, unless the member already has as many active devices as their plan allows
//    (Plan.deviceLimit of an active subscription, else defaultLimit).
// 3. The device polls with its device_code (poll) no faster than `interval` seconds; polling too
//    fast answers slow_down and adds 5 s to the interval. Once approved, one poll gets the device
//    token (a JWT carrying device_id); the code is then consumed (single use).
// 4. The member lists and revokes devices; every request with a device token checks that its
//    device is still active (authUserForToken), so revoking takes effect at once.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { IsNull, MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { dialectOf } from '../../db/data-source.js';
import type { Principal as AuthUser } from '../access/principal.js';
import { forbidden, gone, notFound } from '../shared/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { PlansPort, SubscriptionsPort } from '../commerce/contracts.js';
import { transactionWithRetry } from '../commerce/tx.js';
import { Device, DeviceAuthorization, type DeviceType } from './device.entities.js';

/** RFC 8628 §6.1: no vowels (no words), no look-alikes (0/O, 1/I/L, 5/S… digits left out). */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
export const USER_CODE_LENGTH = 8;
export const SLOW_DOWN_STEP_SECONDS = 5;

export interface DevicesOptions {
  codeTtlSeconds: number;
  pollIntervalSeconds: number;
  tokenTtlSeconds: number;
  /** Devices allowed without an active subscription. */
  defaultLimit: number;
  jwtSecret: string;
}

export interface DevicesDeps {
  ds: DataSource;
  subscriptions: Pick<SubscriptionsPort, 'findForUser'>;
  plans: Pick<PlansPort, 'get'>;
  users: { findAuthUser(id: number): Promise<AuthUser | null> };
  audit: AuditService;
}

export type PollError = 'authorization_pending' | 'slow_down' | 'expired_token' | 'access_denied' | 'invalid_grant';

export type PollResult = { ok: true; accessToken: string; expiresIn: number; device: Device } | { ok: false; error: PollError; interval?: number };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The user code as typed: case, dashes and spaces do not matter. Returns the 8 letters or null. */
export function normalizeUserCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '');
  if (s.length !== USER_CODE_LENGTH) return null;
  for (const c of s) if (!USER_CODE_ALPHABET.includes(c)) return null;
  return s;
}

export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

function newUserCode(): string {
  let s = '';
  for (let i = 0; i < USER_CODE_LENGTH; i++) s += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
  return s;
}

export class DevicesService {
  /** The service's clock (tests move it forward instead of sleeping). */
  clock: () => Date = () => new Date();

  constructor(
    private readonly deps: DevicesDeps,
    private readonly opts: DevicesOptions,
  ) {}

  private get ds() {
    return this.deps.ds;
  }

  get pollIntervalSeconds(): number {
    return this.opts.pollIntervalSeconds;
  }

  // ---- 1. device: request codes ------------------------------------------------------------------

  async requestCode(input: { name: string; type: DeviceType }): Promise<{ deviceCode: string; userCode: string; expiresIn: number; interval: number }> {
    const now = this.clock();
    const deviceCode = randomBytes(32).toString('base64url');
    const repo = this.ds.getRepository(DeviceAuthorization);
    // A user code must not name two live authorizations at once: draw again on the rare clash.
    let userCode = newUserCode();
    for (let i = 0; i < 5 && (await repo.existsBy({ userCodeHash: sha256(userCode), status: 'pending', expiresAt: MoreThan(now) })); i++) userCode = newUserCode();
    await repo.insert({
      deviceCodeHash: sha256(deviceCode),
      userCodeHash: sha256(userCode),
      deviceName: input.name,
      deviceType: input.type,
      status: 'pending',
      intervalSeconds: this.opts.pollIntervalSeconds,
      expiresAt: new Date(now.getTime() + this.opts.codeTtlSeconds * 1000),
    });
    return { deviceCode, userCode: formatUserCode(userCode), expiresIn: this.opts.codeTtlSeconds, interval: this.opts.pollIntervalSeconds };
  }

  // ---- 2. member: confirm or deny -----------------------------------------------------------------

  /**
   * The member confirms (approve) or rejects the code shown on a device. Unknown code → 404;
   * expired or already used → 410; device limit reached → 403 (the code stays usable, so the member
   * can remove a device and confirm again). Limit check and insert are one transaction: on MariaDB
   * the member's device rows (and the gap after them) are locked, so two confirmations at once
   * cannot both take the last slot.
   */
  async confirm(user: Pick<AuthUser, 'id' | 'email'>, userCode: string, approve: boolean): Promise<{ status: 'approved' | 'denied'; device: Device | null }> {
    const hash = sha256(userCode);
    const now = this.clock();
    return transactionWithRetry(this.ds, async (m) => {
      const mysql = dialectOf(this.ds) === 'mysql';
      const auth = await m.findOne(DeviceAuthorization, { where: { userCodeHash: hash }, order: { id: 'DESC' }, lock: mysql ? { mode: 'pessimistic_write' } : undefined });
      if (!auth) throw notFound('codeNotFound');
      if (auth.status !== 'pending') throw gone('codeUsed');
      if (auth.expiresAt.getTime() <= now.getTime()) throw gone('codeExpired');
      if (!approve) {
        await m.update(DeviceAuthorization, { id: auth.id }, { status: 'denied', userId: user.id });
        await this.deps.audit.record({ actor: { id: user.id, email: user.email }, action: 'deny', resource: 'device_authorizations', recordId: auth.id }, m);
        return { status: 'denied' as const, device: null };
      }
      const qb = m.getRepository(Device).createQueryBuilder('d').select('d.id').where('d.user_id = :userId AND d.revoked_at IS NULL', { userId: user.id });
      if (mysql) qb.setLock('pessimistic_write');
      const active = (await qb.getMany()).length;
      const limit = await this.deviceLimit(user.id, m);
      if (active >= limit) throw forbidden('deviceLimit', { n: limit }, { device_limit: limit, active_devices: active });
      const device = await m.save(m.create(Device, { userId: user.id, name: auth.deviceName, type: auth.deviceType, lastSeenAt: null, revokedAt: null }));
      await m.update(DeviceAuthorization, { id: auth.id }, { status: 'approved', userId: user.id, deviceId: device.id });
      await this.deps.audit.record({ actor: { id: user.id, email: user.email }, action: 'pair', resource: 'devices', recordId: device.id, after: { name: device.name, type: device.type } }, m);
      return { status: 'approved' as const, device };
    });
  }

  /** Devices the member may have: the plan's device_limit while a subscription is active, else the default. */
  async deviceLimit(userId: number, manager?: EntityManager): Promise<number> {
    const sub = await this.deps.subscriptions.findForUser(userId, manager);
    if (!sub || sub.status !== 'active') return this.opts.defaultLimit;
    const plan = await this.deps.plans.get(sub.planId, manager);
    return plan.deviceLimit;
  }

  // ---- 3. device: poll for the token --------------------------------------------------------------

  async poll(deviceCode: string): Promise<PollResult> {
    const now = this.clock();
    const repo = this.ds.getRepository(DeviceAuthorization);
    const auth = await repo.findOneBy({ deviceCodeHash: sha256(deviceCode) });
    if (!auth || auth.status === 'consumed') return { ok: false, error: 'invalid_grant' };
    if (auth.expiresAt.getTime() <= now.getTime()) return { ok: false, error: 'expired_token' };
    if (auth.lastPolledAt && now.getTime() - auth.lastPolledAt.getTime() < auth.intervalSeconds * 1000) {
      const interval = auth.intervalSeconds + SLOW_DOWN_STEP_SECONDS;
      await repo.update({ id: auth.id }, { intervalSeconds: interval, lastPolledAt: now });
      return { ok: false, error: 'slow_down', interval };
    }
    await repo.update({ id: auth.id }, { lastPolledAt: now });
    if (auth.status === 'denied') return { ok: false, error: 'access_denied' };
    if (auth.status === 'pending') return { ok: false, error: 'authorization_pending' };
    // approved: exactly one poll turns it into a token (a conditional update decides the race).
    const res = await repo.update({ id: auth.id, status: 'approved' }, { status: 'consumed' });
    if (!res.affected) return { ok: false, error: 'invalid_grant' };
    const device = await this.ds.getRepository(Device).findOneBy({ id: auth.deviceId!, revokedAt: IsNull() });
    const user = device ? await this.deps.users.findAuthUser(device.userId) : null;
    if (!device || !user) return { ok: false, error: 'invalid_grant' };
    return { ok: true, accessToken: this.issueToken(user, device.id, now), expiresIn: this.opts.tokenTtlSeconds, device };
  }

  /** The device's token: the member's usual claims plus device_id (checked on every request). */
  private issueToken(user: AuthUser, deviceId: number, now: Date): string {
    const iat = Math.floor(now.getTime() / 1000);
    const payload = { user_id: user.id, username: user.username, email: user.email, device_id: deviceId, exp: iat + this.opts.tokenTtlSeconds, orig_iat: iat };
    return jwt.sign(payload, this.opts.jwtSecret, { algorithm: 'HS256', noTimestamp: true });
  }

  /**
   * The user a device token acts for, or null when the device was revoked (or belongs to someone
   * else, or the member is gone). Notes when the device was last seen, at most once a minute.
   */
  async authUserForToken(userId: number, deviceId: unknown): Promise<AuthUser | null> {
    if (typeof deviceId !== 'number' || !Number.isInteger(deviceId)) return null;
    const device = await this.ds.getRepository(Device).findOneBy({ id: deviceId, userId, revokedAt: IsNull() });
    if (!device) return null;
    const now = this.clock();
    if (!device.lastSeenAt || now.getTime() - device.lastSeenAt.getTime() > 60_000) {
      await this.ds.getRepository(Device).update({ id: device.id }, { lastSeenAt: now });
    }
    return this.deps.users.findAuthUser(userId);
  }

  // ---- 4. member: list and revoke -----------------------------------------------------------------

  list(userId: number): Promise<Device[]> {
    return this.ds.getRepository(Device).find({ where: { userId, revokedAt: IsNull() }, order: { id: 'ASC' } });
  }

  /** Revokes one of the member's devices; another member's, unknown or already revoked → 404. */
  async revoke(user: Pick<AuthUser, 'id' | 'email'>, deviceId: number): Promise<void> {
    await this.ds.transaction(async (m) => {
      const res = await m.update(Device, { id: deviceId, userId: user.id, revokedAt: IsNull() }, { revokedAt: this.clock() });
      if (!res.affected) throw notFound('deviceNotFound');
      await this.deps.audit.record({ actor: { id: user.id, email: user.email }, action: 'revoke', resource: 'devices', recordId: deviceId }, m);
    });
  }
}
