// Member → verified birth date (or "not verified"), per process: every signed-in public read asks
// the age gate who is viewing (AgeService.viewer), and without this that is a database round trip
// of its own on each request. Only the birth date is kept; the age is worked out from it and today
// on every request (a birthday needs no invalidation).
//
// Exact, not merely short-lived: the only writer of age_verifications is AgeService.callback, which
// reports the member on the `age` change feed (at once, and again after its commit; other processes
// through Redis pub/sub); account changes (a deleted account's rows cascade) drop the member too. A
// lookup that began before such a change is not stored (generation check). The TTL bounds a lost
// message or a write made outside the service.
import { ExactCache, type ExactCacheOptions } from '../../db/exact-cache.js';

export type VerificationCacheOptions = ExactCacheOptions;

/** Member id → verified birth date (null: not verified); a member is its own group. */
export class VerificationCache extends ExactCache<number, string | null> {
  constructor(opts: VerificationCacheOptions) {
    super(opts);
  }
}
