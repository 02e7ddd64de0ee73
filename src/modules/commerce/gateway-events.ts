// The database WebhookEventStore (gateways/webhook.ts) on gateway_events (event_id primary key).
//
// claim = INSERT; a duplicate key answers false. Pass the transaction's manager so the claim
// commits with the event's effects: a crash (or a failed effect) rolls both back, so the event is
// never recorded without its effects and the gateway's retry is processed. Of N parallel claims of
// one id exactly one inserts (InnoDB makes the others wait on the key, then report the duplicate).
import type { DataSource, EntityManager } from 'typeorm';
import { GatewayEvent } from './commerce.entities.js';
import type { WebhookEventStore } from './gateways/webhook.js';
import { isUniqueViolation } from './tx.js';

export class DbWebhookEventStore implements WebhookEventStore {
  constructor(private readonly ds: DataSource) {}

  /** true if this call recorded the event (process it), false if it was already recorded. */
  async claim(gateway: string, eventId: string, manager?: EntityManager): Promise<boolean> {
    try {
      await (manager ?? this.ds.manager).insert(GatewayEvent, { eventId, gateway });
      return true;
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
  }

  /** Forgets a claim made outside a transaction whose processing failed (inside one, roll back instead). */
  async release(gateway: string, eventId: string, manager?: EntityManager): Promise<void> {
    await (manager ?? this.ds.manager).delete(GatewayEvent, { eventId, gateway });
  }

  /** Whether the event is recorded already (a cheap pre-check; the claim is what decides). */
  async seen(gateway: string, eventId: string, manager?: EntityManager): Promise<boolean> {
    return (await (manager ?? this.ds.manager).countBy(GatewayEvent, { eventId, gateway })) > 0;
  }

  /** Deletes events received before `before` (the gateways stop retrying long before); returns how many. */
  async prune(before: Date): Promise<number> {
    const res = await this.ds.createQueryBuilder().delete().from(GatewayEvent).where('received_at < :before', { before }).execute();
    return res.affected ?? 0;
  }
}
