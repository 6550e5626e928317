import { logProblem } from '../log.ts';
import type { Outcome } from './attempt.ts';
import { messageWithDelivery, tombstoneWithDelivery } from './delivery-state.ts';
import { doneKey, pendingKey, providerKey } from './keys.ts';
import { revisionOf, type DeliveryState, type EmailRole, type OutboxMessage, type Tombstone } from './record.ts';
import { compareAndSwap, type KeyValueStore } from './store.ts';
import { KNOWN_KEY } from './verdict.ts';

/**
 * The provider's id of an accepted email → the message and email it belongs to: Resend's webhook
 * events name an email by that id only. No personal data: a message key, a role, a reference. An
 * entry lives as long as the tombstone it points to.
 */
export interface ProviderEntry {
  readonly key: string;
  readonly role: EmailRole;
  readonly revision: number;
  readonly reference: string;
}

/**
 * Writes the entries for the emails `outcomes` accepted. Never throws: a missing entry only means
 * that the webhook cannot place that email's later events, which it logs; the sending goes on.
 */
export async function rememberProviderIds(
  store: KeyValueStore,
  record: OutboxMessage,
  outcomes: readonly Outcome[],
): Promise<void> {
  const accepted = outcomes.flatMap(({ role, verdict }) =>
    verdict.kind === 'accepted' && verdict.providerId !== KNOWN_KEY ? [{ role, id: verdict.providerId }] : [],
  );
  const { key, reference } = record;
  const revision = revisionOf(record);
  try {
    await Promise.all(
      accepted.map(({ role, id }) =>
        store.write(providerKey(id), { key, role, revision, reference } satisfies ProviderEntry),
      ),
    );
  } catch (error) {
    logProblem({
      form: record.source,
      outcome: 'provider-index-failed',
      reference,
      error: error instanceof Error ? error.name : typeof error,
    });
  }
}

export const findByProviderId = (store: KeyValueStore, id: string) => store.read<ProviderEntry>(providerKey(id));

/**
 * Records `state` on the queued message or, once it is done, on its tombstone. A message that the
 * drain completes in the very moment may lose the state to its tombstone: it is information for
 * the team, and the failures that matter were told by a note already.
 */
export async function recordDelivery(
  store: KeyValueStore,
  entry: ProviderEntry,
  providerId: string,
  state: DeliveryState,
): Promise<void> {
  let queued = false;
  await compareAndSwap<OutboxMessage>(store, pendingKey(entry.key), (current) => {
    queued = current !== undefined && revisionOf(current) === entry.revision;
    return current && messageWithDelivery(current, providerId, state);
  });
  if (queued) return;
  await compareAndSwap<Tombstone>(
    store,
    doneKey(entry.key),
    (current) => current && tombstoneWithDelivery(current, entry.role, entry.revision, state),
  );
}
