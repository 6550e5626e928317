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
  if (!(await store.take(`${day}/total`, perDay))) {
    return `Heute wurden bereits ${perDay.toLocaleString('de-DE')} Bestätigungen verschickt (Tageshöchstzahl aus den Einstellungen).`;
  }
  return undefined;
}
