// The one login door for the API (`POST /user/login/`) and the panel (`/admin/login`): resolve
// the identifier to its account, take the attempt's points from the shared throttle, and only
// then verify the password. Known and unknown accounts take the same steps (and time).
//
// A staff account with a second factor (required for its role, or enrolled) is not done at the
// password: its failed-attempt count is cleared only when the second factor is also right, and
// every second-factor code takes a point from the same account and IP budgets
// (`secondFactor`), so knowing the password buys no extra guesses at the code.
import type { User } from '../modules/users/user.entity.js';
import { accountKey, type UsersService } from '../modules/users/users.service.js';
import type { LoginThrottle } from './rate-limit.js';

export type LoginOutcome = { kind: 'ok'; user: User; secondFactor: boolean } | { kind: 'failed' } | { kind: 'blocked'; seconds: number };
export type SecondFactorOutcome<T> = { kind: 'ok'; value: T } | { kind: 'failed' } | { kind: 'blocked'; seconds: number };

export class LoginGate {
  constructor(
    private readonly users: UsersService,
    private readonly throttle: LoginThrottle,
    /** Whether a login of this account needs a second factor (StaffMfaService.needed). */
    private readonly needsSecondFactor: (user: User) => boolean = () => false,
  ) {}

  /**
   * The password step. `secondFactor: true` in the outcome: the password was right, and the
   * account's count stays until the second factor is (the API, which has no second step, lets
   * such an account in with the count kept; the panel asks for the code).
   */
  async attempt(ip: string, identifier: string, password: string, opts: { staffOnly?: boolean } = {}): Promise<LoginOutcome> {
    const { user, key } = await this.users.resolveLogin(identifier, opts);
    const wait = await this.throttle.take(ip, key);
    if (wait > 0) return { kind: 'blocked', seconds: wait };
    const verified = await this.users.verifyLogin(user, password, opts);
    if (!verified) return { kind: 'failed' };
    const secondFactor = this.needsSecondFactor(verified);
    if (!secondFactor) await this.throttle.succeeded(ip, key);
    return { kind: 'ok', user: verified, secondFactor };
  }

  /**
   * The second step of a login (or an enrolment code typed during one): a point from the account's
   * and the IP's budgets, then `check`; a truthy result clears the count like a successful login.
   */
  async secondFactor<T>(ip: string, userId: number, check: () => Promise<T | null>): Promise<SecondFactorOutcome<T>> {
    const key = accountKey(userId);
    const wait = await this.throttle.take(ip, key);
    if (wait > 0) return { kind: 'blocked', seconds: wait };
    const value = await check();
    if (value === null || value === undefined || (value as unknown) === false) return { kind: 'failed' };
    await this.throttle.succeeded(ip, key);
    return { kind: 'ok', value };
  }

  /** Seconds this IP must wait before any attempt (takes nothing). */
  checkIp(ip: string): Promise<number> {
    return this.throttle.checkIp(ip);
  }
}
