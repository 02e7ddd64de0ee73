import { BaseEntity, Column, Entity, PrimaryColumn } from 'typeorm';

/** One row per UTC day: how many users signed up that day. Written only by the statistics service. */
@Entity({ name: 'stat_daily_signups' })
export class DailySignupStat extends BaseEntity {
  /** The UTC day, `YYYY-MM-DD`. */
  @PrimaryColumn({ type: 'varchar', length: 10 })
  day!: string;

  @Column({ type: 'int' })
  signups!: number;

  @Column({ name: 'computed_at', type: 'datetime' })
  computedAt!: Date;
}
