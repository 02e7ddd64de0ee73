// The one login door for the API (`POST /user/login/`) and the panel (`/admin/login`): resolve
// the identifier to its account, take the attempt's points from the shared throttle, and only
// then verify the password. Known and unknown accounts take the same steps (and time).
import type { User } from '../modules/users/user.entity.js';
import type { UsersService } from '../modules/users/users.service.js';
import type { LoginThrottle } from './rate-limit.js';

export type LoginOutcome = { kind: 'ok'; user: User } | { kind: 'failed' } | { kind: 'blocked'; seconds: number };

export class LoginGate {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
  ) {}

  async attempt(ip: string, identifier: string, password: string, opts: { staffOnly?: boolean } = {}): Promise<LoginOutcome> {
    const { user, key } = await this.users.resolveLogin(identifier, opts);
    const wait = await this.throttle.take(ip, key);
    if (wait > 0) return { kind: 'blocked', seconds: wait };
    const verified = await this.users.verifyLogin(user, password, opts);
    if (!verified) return { kind: 'failed' };
    await this.throttle.succeeded(ip, key);
    return { kind: 'ok', user: verified };
  }

  /** Seconds this IP must wait before any attempt (takes nothing). */
  checkIp(ip: string): Promise<number> {
    return this.throttle.checkIp(ip);
  }
}
