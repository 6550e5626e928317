import { APPLICATIONS, applicationKey } from '../delivery/keys.ts';
import type { KeptCopy } from '../delivery/record.ts';
import { mapLimited, type KeyValueStore } from '../delivery/store.ts';
import type { Application } from '../forms/application.ts';

/**
 * The applications kept for the team's daily overview (src/selection/overview.ts): one entry per
 * application under `applications/<submission key>`, beside its delivery record, until the end of
 * `retainApplicationsUntil` in the settings. Unlike the record, it outlives the emails.
 */
export interface KeptApplication {
  readonly version: 1;
  /** The submission key: a retry of the same application finds its entry and adds none. */
  readonly key: string;
  readonly reference: string;
  /** When it first arrived (ISO instant). */
  readonly receivedAt: string;
  /** What was submitted, after normalisation and the schema: its latest version. */
  readonly data: Application;
  /** That version: 1 (or absent), one more for each amendment. */
  readonly revision?: number;
}

export const KEPT = APPLICATIONS;

/**
 * The copy of an application to keep: its outbox message carries it, and the request or else the
 * drain writes it (writeKeptCopy()), so there is one per reference, of its latest version.
 */
export function keptCopy(application: KeptApplication): KeptCopy {
  return {
    key: applicationKey(application.key),
    value: application,
    ...(application.revision && { revision: application.revision }),
  };
}

/** The kept copy of one application, if there is one. */
export const keptApplication = (store: KeyValueStore, key: string) => store.read<KeptApplication>(applicationKey(key));

/** Every kept application in the order of arrival (ties by key, so the order is the same on every run). */
export async function keptApplications(store: KeyValueStore): Promise<KeptApplication[]> {
  const keys = await store.keys(KEPT);
  const read = await mapLimited(keys, 8, (key) => store.read<KeptApplication>(key));
  return read
    .filter((entry): entry is KeptApplication => entry !== undefined)
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt) || a.key.localeCompare(b.key));
}

/** Deletes every kept application; returns how many there were. */
export async function forgetApplications(store: KeyValueStore): Promise<number> {
  const keys = await store.keys(KEPT);
  await mapLimited(keys, 8, (key) => store.remove(key));
  return keys.length;
}
