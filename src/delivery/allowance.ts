import { createHash } from 'node:crypto';
import type { DeliveryStore } from './store.ts';

/** Confirmations one address may receive per Berlin day: a person who resends twice is still served. */
export const CONFIRMATIONS_PER_RECIPIENT = 3;

/**
 * Whether a confirmation may go to `recipient` today, and why not. Without this, anyone could make
 * the institute's domain mail any address as often as they like. Counters live in the store, keyed
 * by a hash of the address (never the address itself) and deleted once their day is over.
 */
export async function confirmationWithheld(
  store: DeliveryStore,
  recipient: string,
  day: string,
  perDay: number,
): Promise<string | undefined> {
  const address = createHash('sha256').update(recipient.toLowerCase()).digest('hex');
  if (!(await store.take(`${day}/recipient-${address}`, CONFIRMATIONS_PER_RECIPIENT))) {
    return `An diese Adresse gingen heute bereits ${CONFIRMATIONS_PER_RECIPIENT} Bestätigungen.`;
  }
  if (!(await takeFromTotal(store, day, perDay))) {
    return `Heute wurden bereits ${perDay.toLocaleString('de-DE')} Bestätigungen verschickt (Tageshöchstzahl aus den Einstellungen).`;
  }
  return undefined;
}

/**
 * The day's total, split over several counters so that a burst of submissions does not queue on
 * one key: each counter holds its share of `perDay` (together exactly `perDay`), and a submission
 * tries them from a random start until one has room.
 */
export const TOTAL_SHARDS = 16;

async function takeFromTotal(store: DeliveryStore, day: string, perDay: number): Promise<boolean> {
  const first = Math.floor(Math.random() * TOTAL_SHARDS);
  for (let i = 0; i < TOTAL_SHARDS; i += 1) {
    const shard = (first + i) % TOTAL_SHARDS;
    const share = Math.floor(perDay / TOTAL_SHARDS) + (shard < perDay % TOTAL_SHARDS ? 1 : 0);
    // A counter that keeps losing the race is as good as full: the next one may have room. The
    // limit is a promise; a confirmation too many is the failure that matters here.
    const taken = share > 0 && (await store.take(`${day}/total-${shard}`, share).catch(() => false));
    if (taken) return true;
  }
  return false;
}
