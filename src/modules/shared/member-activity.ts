// Where a member's own activity is reported: their picks (catalog), ratings (ratings), watching
// (members) and their stored recommendations (recommendations). The per-member read state of the
// movie detail (RecommendationsService.memberState) is kept per process and dropped exactly by
// these reports: at once in this process, again after the writing transaction commits, and in the
// other processes through Redis pub/sub (src/db/invalidation.ts). `{ all: true }` when every
// member's state may have changed (a new model version, a full training, a movie deleted with its
// picks and ratings, a lost connection).
import type { DataSource, EntityManager } from 'typeorm';
import { ChangeFeed, LocalInvalidationBus, type InvalidationBus } from '../../db/invalidation.js';

export const MEMBER_ACTIVITY_CHANNEL = 'member-activity';

export class MemberActivity extends ChangeFeed {
  constructor(ds: DataSource, bus: InvalidationBus = new LocalInvalidationBus()) {
    super(ds, bus, MEMBER_ACTIVITY_CHANNEL);
  }

  /** The member's picks, ratings, watching or stored recommendations changed (in `m`'s transaction when given). */
  changed(m: EntityManager | null, userId: number): void {
    this.record(m, { ids: [userId] });
  }

  /** Every member's state may have changed. */
  everyone(m: EntityManager | null = null): void {
    this.record(m, { all: true });
  }
}
