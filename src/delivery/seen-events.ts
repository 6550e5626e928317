import { WEBHOOK_EVENTS, webhookEventDay, webhookEventKey } from './keys.ts';
import { mapLimited, type KeyValueStore } from './store.ts';

/**
 * Which webhook events were handled, by svix-id, so that a redelivery changes nothing again. Svix
 * redelivers the same body (with a fresh timestamp and signature) for up to about 28 hours
 * (https://docs.svix.com/retries): the marker sits under the event's own creation day, which every
 * redelivery shares, and goes after KEEP_DAYS.
 */
export const KEEP_DAYS = 3;

const DAY_MS = 24 * 60 * 60_000;
const utcDay = (instant: Date) => instant.toISOString().slice(0, 10);

export interface SeenEvent {
  /** The svix-id. */
  readonly id: string;
  /** When the event happened at the provider (its `created_at`). */
  readonly createdAt: Date;
}

const markerKey = (event: SeenEvent) => webhookEventKey(utcDay(event.createdAt), event.id);

export async function seenBefore(store: KeyValueStore, event: SeenEvent): Promise<boolean> {
  return (await store.read(markerKey(event))) !== undefined;
}

/** Marks `event` as handled; a marker there already (a redelivery at the same moment) is fine. */
export async function markSeen(store: KeyValueStore, event: SeenEvent, now: Date): Promise<void> {
  await store.writeIfNew(markerKey(event), { handledAt: now.toISOString() });
}

/** Housekeeping of the drain: markers of events older than KEEP_DAYS go. */
export async function forgetWebhookEventsBefore(store: KeyValueStore, now: Date): Promise<void> {
  const cutoff = utcDay(new Date(now.getTime() - KEEP_DAYS * DAY_MS));
  const old = (await store.keys(WEBHOOK_EVENTS)).filter((key) => webhookEventDay(key) < cutoff);
  await mapLimited(old, 8, (key) => store.remove(key));
}
