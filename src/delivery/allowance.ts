import { createHash } from 'node:crypto';
import { mailbox } from '../forms/address.ts';
import { ALLOWANCES, allowanceDay, allowanceKey } from './keys.ts';
import { compareAndSwap, mapLimited, StoreError, type KeyValueStore } from './store.ts';

/**
 * Emails one address may receive from us per Berlin day, of every kind that goes to an address
 * typed into a form (confirmations, reminders, move-up notices, cancellations): a person who
 * resends twice is still served, a stranger's mailbox is no target.
 */
export const CONFIRMATIONS_PER_RECIPIENT = 3;

/** The per-address counter: keyed by a hash of the counted address, never the address itself. */
const recipientCounter = (recipient: string, day: string) =>
  `${day}/recipient-${createHash('sha256').update(mailbox(recipient)).digest('hex')}`;

/** Why an email to `recipient` does not go out today (the per-address limit, or no counters). */
const tooMany = () => `An diese Adresse gingen heute bereits ${CONFIRMATIONS_PER_RECIPIENT} E-Mails von uns.`;

/**
 * Why no confirmation goes out when the counters cannot be read or written: the limit fails
 * closed, as a confirmation too many is the failure that matters. Shown in the team email.
 */
export const COUNTERS_UNAVAILABLE =
  'Die Tageszähler für E-Mails an eine Adresse waren nicht erreichbar. Damit niemand beliebig oft angeschrieben werden kann, ging in diesem Fall keine E-Mail an die Person hinaus.';

/**
 * Why no confirmation goes out for a form sent within seconds of its first input (src/submissions/
 * spam.ts): it is stored and reaches the team, but a machine must not make us mail a stranger.
 * Shown in the team email.
 */
export const FILLED_FAST =
  'Grund: sehr schnell ausgefüllt – bitte prüfen. Vom ersten Eintrag bis zum Absenden vergingen weniger als 2 Sekunden, wie bei einem Programm. Damit keine fremde Adresse angeschrieben wird, ging keine Kopie an die angegebene Adresse.';

/**
 * Whether a confirmation may go to `recipient` today, and why not. Without this, anyone could make
 * the institute's domain mail any address as often as they like. Counters live in the store, keyed
 * by a hash of the address (never the address itself) and deleted once their day is over. A store
 * that fails withholds the confirmation (COUNTERS_UNAVAILABLE).
 */
export async function confirmationWithheld(
  store: KeyValueStore,
  recipient: string,
  day: string,
  perDay: number,
): Promise<string | undefined> {
  try {
    if (!(await take(store, recipientCounter(recipient, day), CONFIRMATIONS_PER_RECIPIENT))) return tooMany();
    if (!(await takeFromTotal(store, day, perDay))) {
      return `Heute wurden bereits ${perDay.toLocaleString('de-DE')} Bestätigungen verschickt (Tageshöchstzahl aus den Einstellungen).`;
    }
    return undefined;
  } catch (error) {
    if (error instanceof StoreError) return COUNTERS_UNAVAILABLE;
    throw error;
  }
}

/**
 * Whether any other email to an address typed into a form (a reminder, a move-up notice, a
 * cancellation) may go out today, and why not: it counts toward the same per-address limit as the
 * confirmations, and fails closed like them (COUNTERS_UNAVAILABLE).
 */
export async function emailWithheld(store: KeyValueStore, recipient: string, day: string): Promise<string | undefined> {
  try {
    return (await take(store, recipientCounter(recipient, day), CONFIRMATIONS_PER_RECIPIENT)) ? undefined : tooMany();
  } catch (error) {
    if (error instanceof StoreError) return COUNTERS_UNAVAILABLE;
    throw error;
  }
}

/**
 * Gives back the email counted for `recipient` today by a request that then lost the race to
 * queue it (another request queued the same message: a double click, two runs at once), so that
 * one email counts once. A store that fails keeps the count: one email too few, never one too many.
 */
export async function giveBack(store: KeyValueStore, recipient: string, day: string): Promise<void> {
  try {
    await compareAndSwap<{ count?: number }>(store, allowanceKey(recipientCounter(recipient, day)), (current) =>
      current?.count ? { count: current.count - 1 } : undefined,
    );
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
  }
}

/** Counts one more under `counter` unless it reached `limit`; false when it had. */
export async function take(store: KeyValueStore, counter: string, limit: number): Promise<boolean> {
  const taken = await compareAndSwap<{ count?: number }>(store, allowanceKey(counter), (current) => {
    const count = current?.count ?? 0;
    return count < limit ? { count: count + 1 } : undefined;
  });
  return taken !== undefined;
}

/**
 * The day's total, split over several counters so that a burst of submissions does not queue on
 * one key: each counter holds its share of `perDay` (together exactly `perDay`), and a submission
 * tries them from a random start until one has room.
 */
export const TOTAL_SHARDS = 16;

async function takeFromTotal(store: KeyValueStore, day: string, perDay: number): Promise<boolean> {
  const first = Math.floor(Math.random() * TOTAL_SHARDS);
  for (let i = 0; i < TOTAL_SHARDS; i += 1) {
    const shard = (first + i) % TOTAL_SHARDS;
    const share = Math.floor(perDay / TOTAL_SHARDS) + (shard < perDay % TOTAL_SHARDS ? 1 : 0);
    if (share > 0 && (await takeUnlessContended(store, `${day}/total-${shard}`, share))) return true;
  }
  return false;
}

/** A counter that keeps losing the race is as good as full: the next one may have room. */
async function takeUnlessContended(store: KeyValueStore, counter: string, limit: number): Promise<boolean> {
  try {
    return await take(store, counter, limit);
  } catch (error) {
    if (error instanceof StoreError && error.kind === 'conflict') return false;
    throw error;
  }
}

/** Deletes the counters of days before `day` ("2027-01-10"). */
export async function forgetCountersBefore(store: KeyValueStore, day: string): Promise<void> {
  const old = (await store.keys(ALLOWANCES)).filter((key) => allowanceDay(key) < day);
  await mapLimited(old, 8, (key) => store.remove(key));
}
