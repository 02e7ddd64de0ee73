// Daily statistics snapshots. Each snapshot is idempotent: recomputing a day replaces its row.
import type { DataSource } from 'typeorm';
import { Between } from 'typeorm';
import type { UsersService } from '../users/users.service.js';
import { DailySignupStat } from './daily-signup-stat.entity.js';

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** [start, end) of a UTC day given as YYYY-MM-DD. */
export function dayBounds(day: string): { from: Date; to: Date } {
  if (!DAY_RE.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new RangeError(`not a day: ${day}`);
  const from = new Date(`${day}T00:00:00Z`);
  return { from, to: new Date(from.getTime() + 86_400_000) };
}

export function previousUtcDay(now = new Date()): string {
  return utcDay(new Date(now.getTime() - 86_400_000));
}

export class StatisticsService {
  constructor(
    private readonly ds: DataSource,
    private readonly users: UsersService,
  ) {}

  /** Counts the sign-ups of one UTC day and stores them (insert or replace). */
  async snapshotSignups(day: string): Promise<DailySignupStat> {
    const { from, to } = dayBounds(day);
    const signups = await this.users.countCreatedBetween(from, to);
    const row = { day, signups, computedAt: new Date() };
    await this.ds.getRepository(DailySignupStat).upsert(row, ['day']);
    return (await this.ds.getRepository(DailySignupStat).findOneByOrFail({ day }));
  }

  async signupsBetween(fromDay: string, toDay: string): Promise<DailySignupStat[]> {
    return this.ds.getRepository(DailySignupStat).find({ where: { day: Between(fromDay, toDay) }, order: { day: 'ASC' } });
  }
}
