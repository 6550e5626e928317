import type { Email } from '../mail/email.ts';
import { doneKey, PAUSE, PENDING, pendingKey } from './keys.ts';
import {
  idempotencyKey,
  revisionOf,
  type AnswerDigests,
  type EmailRole,
  type KeptCopy,
  type OutboxMessage,
  type QueuedEmail,
  type Tombstone,
} from './record.ts';
import { compareAndSwap, mapLimited, type KeyValueStore } from './store.ts';

/**
 * The outbox over the key-value store: a message under `pending/<key>` until its emails are out,
 * then its tombstone under `done/<key>` (src/delivery/keys.ts). Every queued email goes through
 * enqueue(); the drain (src/delivery/drain.ts) sends what it holds.
 */

/** What a message to queue says; the rest (idempotency keys, states) follows from it. */
export interface MessageDraft {
  /** Names the message in the store; the same key again adds nothing (a retry, a second run). */
  readonly key: string;
  readonly source: string;
  readonly reference: string;
  /** The sender of every email. */
  readonly from: string;
  /** In order: the team email first where there is one, as it decides whether a submission arrived. */
  readonly emails: readonly { readonly role: EmailRole; readonly label: string; readonly email: Email }[];
  readonly receivedAt: Date;
  /** When the drain may pick it up first; at once unless given. */
  readonly dueAt?: Date;
  readonly confirmationWithheld?: string;
  readonly waitingList?: number;
  readonly keep?: KeptCopy;
  /** An amendment's version (src/submissions/amendment.ts): 2, 3, …; 1 when absent. */
  readonly revision?: number;
  readonly answers?: AnswerDigests;
}

/** The message as stored: rendered once, so that every later send repeats these bytes. */
export function outboxMessage(draft: MessageDraft): OutboxMessage {
  const { key, source, reference, from, receivedAt, dueAt, confirmationWithheld, waitingList, keep } = draft;
  const revision = draft.revision ?? 1;
  // A later version's emails are new emails: labels (outbox files) and idempotency keys of their own.
  const version = revision > 1 ? `-v${revision}` : '';
  return {
    version: 1,
    key,
    source,
    reference,
    receivedAt: receivedAt.toISOString(),
    emails: draft.emails.map(({ role, label, email }): QueuedEmail => ({
      role,
      label: `${reference}${version}-${label}`,
      idempotencyKey: idempotencyKey(key, role, revision),
      email: { ...email, from },
      status: 'pending',
      attempts: 0,
    })),
    failures: 0,
    nextAttemptAt: (dueAt ?? receivedAt).toISOString(),
    ...(confirmationWithheld && { confirmationWithheld }),
    ...(waitingList && { waitingList }),
    ...(keep && { keep }),
    ...(revision > 1 && { revision }),
    ...(draft.answers && { answers: draft.answers }),
  };
}

/**
 * Queues `message` unless one with its key is queued, or done already in this or a later version:
 * false then. Throws a StoreError when it cannot tell (the message is not queued).
 */
export async function enqueue(store: KeyValueStore, message: OutboxMessage): Promise<boolean> {
  if (!(await store.writeIfNew(pendingKey(message.key), message))) return false;
  // A copy sent at the same moment may have finished in between: complete() writes the
  // tombstone before it deletes the message, so a new message beside a tombstone of its version is
  // a duplicate. An amendment (a later version) follows its earlier version's tombstone.
  const done = await store.read<Tombstone>(doneKey(message.key));
  if (done && revisionOf(done) >= revisionOf(message)) {
    await store.remove(pendingKey(message.key));
    return false;
  }
  return true;
}

export type Found =
  | { readonly kind: 'pending'; readonly record: OutboxMessage }
  | { readonly kind: 'done'; readonly tombstone: Tombstone };

export async function lookup(store: KeyValueStore, key: string): Promise<Found | undefined> {
  const record = await store.read<OutboxMessage>(pendingKey(key));
  if (record) return { kind: 'pending', record };
  const tombstone = await store.read<Tombstone>(doneKey(key));
  return tombstone ? { kind: 'done', tombstone } : undefined;
}

/** Applies `change` to the queued message; undefined when it is no longer queued. */
export function update(
  store: KeyValueStore,
  key: string,
  change: (record: OutboxMessage) => OutboxMessage,
): Promise<OutboxMessage | undefined> {
  return compareAndSwap<OutboxMessage>(store, pendingKey(key), (current) => current && change(current));
}

/** Replaces the message by its tombstone: the personal data is gone. */
export async function complete(store: KeyValueStore, tombstone: Tombstone): Promise<void> {
  // Tombstone first: a retry in between finds one of the two, never neither.
  await store.write(doneKey(tombstone.key), tombstone);
  // An amendment may have replaced the message since it was read: that version stays queued.
  const queued = await store.read<OutboxMessage>(pendingKey(tombstone.key));
  if (queued && revisionOf(queued) !== revisionOf(tombstone)) return;
  await store.remove(pendingKey(tombstone.key));
}

/**
 * Writes a copy to keep (src/selection/kept.ts) unless the same or a later version of it is there:
 * an amendment replaces the copy, a late write of an older version changes nothing.
 */
export async function writeKeptCopy(store: KeyValueStore, copy: KeptCopy): Promise<void> {
  const revision = copy.revision ?? 1;
  await compareAndSwap<{ revision?: number }>(store, copy.key, (current) =>
    current && revisionOf(current) >= revision ? undefined : (copy.value as { revision?: number }),
  );
}

/** Every queued message, due or not. */
export async function pending(store: KeyValueStore): Promise<OutboxMessage[]> {
  const keys = await store.keys(PENDING);
  const records = await mapLimited(keys, 8, (key) => store.read<OutboxMessage>(key));
  return records.filter((record): record is OutboxMessage => record !== undefined);
}

/** The queue is paused until `until` (a provider quota is used up). */
export interface Pause {
  readonly until: string;
  readonly reason: string;
}

export const readPause = (store: KeyValueStore) => store.read<Pause>(PAUSE);

export async function setPause(store: KeyValueStore, pause: Pause | undefined): Promise<void> {
  if (pause) await store.write(PAUSE, pause);
  else await store.remove(PAUSE);
}
