import type { Undeliverable } from '../mail/notice.ts';
import type { DeliveryState, EmailRole, OutboxMessage, Tombstone } from './record.ts';

/** States that mean the email did not reach its reader, or should not have been sent there. */
export const isUndeliverable = (state: DeliveryState): state is Undeliverable =>
  state === 'bounced' || state === 'complained' || state === 'failed';

/** A delay says less than any other state and may arrive after it: it never replaces one. */
export const nextDeliveryState = (current: DeliveryState | undefined, incoming: DeliveryState): DeliveryState =>
  incoming === 'delivery-delayed' && current ? current : incoming;

/** The message with `state` on the email the provider knows as `providerId`; undefined when nothing changes. */
export function messageWithDelivery(
  record: OutboxMessage,
  providerId: string,
  state: DeliveryState,
): OutboxMessage | undefined {
  const entry = record.emails.find((candidate) => candidate.providerId === providerId);
  if (!entry) return undefined; // an earlier version's email, replaced by an amendment since
  const delivery = nextDeliveryState(entry.delivery, state);
  if (delivery === entry.delivery) return undefined;
  return {
    ...record,
    emails: record.emails.map((candidate) => (candidate === entry ? { ...entry, delivery } : candidate)),
  };
}

/** The tombstone with `state` for the email in `role` of its version; undefined when nothing changes. */
export function tombstoneWithDelivery(
  tombstone: Tombstone,
  role: EmailRole,
  revision: number,
  state: DeliveryState,
): Tombstone | undefined {
  if ((tombstone.revision ?? 1) !== revision) return undefined;
  const delivery = nextDeliveryState(tombstone.deliveries?.[role], state);
  if (delivery === tombstone.deliveries?.[role]) return undefined;
  return { ...tombstone, deliveries: { ...tombstone.deliveries, [role]: delivery } };
}
