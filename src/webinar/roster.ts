import type { DeliveryStore } from '../delivery/store.ts';
import type { Admission } from '../mail/submission.ts';
import { berlinDay } from '../time/format.ts';

/**
 * Who has a place in a webinar session and who waits: one record per registration in the delivery
 * store, kept until the day after the session (then forgetPastRegistrations() deletes it).
 *
 * Places are handed out with Lamport's bakery algorithm over single-writer keys, not with a
 * counter under conditional writes. Every key below is written by one registration only, so the
 * scheme needs no compare-and-swap at all: it relies only on a write being visible to every read
 * and list that starts after it has finished (the store is opened with strong consistency, which
 * the Blobs client applies to list() as well, and the local emulator writes files). That holds in
 * production and in the local emulator alike, whose conditional writes are check-then-write and
 * would let two writers both win. The steps for one registration:
 *
 * 1. announce itself under `choosing/<key>`;
 * 2. list the session, draw a ticket one above the highest it sees, store its entry under
 *    `entries/<ticket>-<key>`, withdraw the announcement;
 * 3. wait until every registration that was choosing when it looked has stored its ticket;
 * 4. its place is its position among the entries ordered by (ticket, key), stored under
 *    `places/<key>`, where a retry of the same registration finds it.
 *
 * A registration that starts choosing after another has stored its ticket sees that ticket and
 * draws a higher one, so the position found in step 4 never changes: with capacity N, exactly the
 * first N in that order are confirmed, however many register at once.
 *
 * A cancellation (src/webinar/cancel.ts) adds `cancelled/<key>` and leaves the entry in place. Who
 * holds a place is then always the same rule, registrations(): the first N entries that are not
 * cancelled, in (ticket, key) order. A cancellation can only move people up, never down.
 *
 * Limits: a registration that crashes between announcing and storing its ticket holds the others
 * up for `patienceMs` at most (its retry starts anew); one that stalls longer than that and then
 * stores a low ticket after all could be counted ahead of one that stopped waiting for it, which
 * would confirm one too many. A registration that took its place but could then be neither stored
 * nor sent (answered 503) keeps the place until the same submission is sent again, which finds it.
 */
export interface Registration {
  readonly version: 1;
  /** The submission's key: a retry of the same submission finds its entry again. */
  readonly key: string;
  readonly reference: string;
  readonly session: string;
  readonly name: string;
  readonly email: string;
  readonly ticket: number;
  readonly registeredAt: string;
}

export interface RosterSession {
  readonly id: string;
  readonly start: Date;
  readonly capacity?: number | undefined;
}

export interface Registrant {
  readonly key: string;
  readonly reference: string;
  readonly name: string;
  readonly email: string;
}

export interface RosterOptions {
  /** Waiting between looks at the session, injected so tests need not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** How long to wait for another registration's ticket before taking it as crashed. */
  readonly patienceMs?: number;
}

/** Everything of the registrations lives under this prefix: `registrations/<Berlin day>/<session>/`. */
export const REGISTRATIONS = 'registrations/';
const TICKET_DIGITS = 6;

/** The session's day leads the key, so that housekeeping needs no settings to know what is over. */
export const sessionPrefix = (session: RosterSession) => `${REGISTRATIONS}${berlinDay(session.start)}/${session.id}/`;

const entryKey = (prefix: string, ticket: number, key: string) =>
  `${prefix}entries/${String(ticket).padStart(TICKET_DIGITS, '0')}-${key}`;

interface Listed {
  /** Entry keys in (ticket, key) order: the zero-padded ticket sorts as text. */
  readonly entries: string[];
  /** Keys of the registrations still drawing a ticket. */
  readonly choosing: Set<string>;
  /** Keys of the cancelled registrations. */
  readonly cancelled: Set<string>;
}

/**
 * The keys under `prefix`, read until two lists in a row agree. The local emulator lists by
 * walking its folders, and a file that vanishes during the walk (another writer's temporary file,
 * a withdrawn announcement) ends the walk early, answering with what it has so far: a list that
 * silently lacks keys. Production lists are complete; there this costs one more list.
 */
async function stableKeys(store: DeliveryStore, prefix: string, mustInclude?: string): Promise<string[]> {
  let previous = await store.keys(prefix);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const keys = await store.keys(prefix);
    const same = keys.length === previous.length && [...keys].sort().join('\n') === [...previous].sort().join('\n');
    if (same && (!mustInclude || keys.includes(mustInclude))) return keys;
    previous = keys;
  }
  throw new Error('the registrations kept changing while being listed');
}

/**
 * Entries and announcements live in folders of their own, listed apart: churn in one (withdrawn
 * announcements) cannot cut a list of the other short. `mine`, once written, must be in the list.
 */
async function look(store: DeliveryStore, prefix: string, mine?: string): Promise<Listed> {
  const [entries, choosing, cancelled] = await Promise.all([
    stableKeys(store, `${prefix}entries/`, mine),
    stableKeys(store, `${prefix}choosing/`),
    stableKeys(store, `${prefix}cancelled/`),
  ]);
  const keysIn = (folder: string, keys: string[]) => new Set(keys.map((key) => key.slice(`${prefix}${folder}`.length)));
  return {
    entries: entries.sort(),
    choosing: keysIn('choosing/', choosing),
    cancelled: keysIn('cancelled/', cancelled),
  };
}

const ticketOf = (prefix: string, entry: string) =>
  Number(entry.slice(`${prefix}entries/`.length, `${prefix}entries/`.length + TICKET_DIGITS));

/** The registration's key in an entry key: what follows the ticket. */
const keyOfEntry = (prefix: string, entry: string) => entry.slice(`${prefix}entries/`.length + TICKET_DIGITS + 1);

/** The entries that still count, in order: the cancelled ones left out. */
const activeEntries = (prefix: string, listed: Listed) =>
  listed.entries.filter((entry) => !listed.cancelled.has(keyOfEntry(prefix, entry)));

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The others drawing a ticket, less those whose announcement is older than `patienceMs`: a
 * registration that crashed between announcing and storing its ticket would hold up every later
 * one. Its retry announces itself anew.
 */
async function activeChoosers(
  store: DeliveryStore,
  prefix: string,
  listed: Listed,
  own: string,
  now: Date,
  patienceMs: number,
): Promise<string[]> {
  const others = [...listed.choosing].filter((key) => key !== own);
  const markers = await Promise.all(others.map((key) => store.read<{ at?: string }>(`${prefix}choosing/${key}`)));
  return others.filter((_, index) => {
    const at = Date.parse(markers[index]?.at ?? '');
    return Number.isNaN(at) || now.getTime() - at < patienceMs;
  });
}

/** The admission for a position in the session's order (1 = first). */
export function admissionAt(position: number, capacity: number | undefined): Admission {
  return capacity === undefined || position <= capacity
    ? { status: 'confirmed', place: position }
    : { status: 'waiting', place: position - capacity };
}

/**
 * Registers `person` for `session` and says whether they have a place or which one on the waiting
 * list. The same registration again (a retry) gets the answer it got the first time.
 */
export async function admit(
  store: DeliveryStore,
  session: RosterSession,
  person: Registrant,
  now: Date,
  options: RosterOptions = {},
): Promise<Admission> {
  const sleep = options.sleep ?? realSleep;
  const patienceMs = options.patienceMs ?? 5000;
  const prefix = sessionPrefix(session);
  // A retry of a registration that has its place: one read.
  const placed = await store.read<Admission>(`${prefix}places/${person.key}`);
  if (placed) return placed;

  if (session.capacity === undefined) {
    // Nothing to count without a limit: no ticket to draw, nobody to wait for. The entry (ticket 0)
    // is kept for the reminder; should a limit come later, these registrations were there first.
    const registration: Registration = {
      version: 1,
      ...person,
      session: session.id,
      ticket: 0,
      registeredAt: now.toISOString(),
    };
    await store.write(entryKey(prefix, 0, person.key), registration);
    const admission = admissionAt(1, undefined);
    await store.write(`${prefix}places/${person.key}`, admission);
    return admission;
  }

  let listed = await look(store, prefix);
  let mine = listed.entries.find((entry) => entry.endsWith(`-${person.key}`));
  if (!mine) {
    const marker = `${prefix}choosing/${person.key}`;
    await store.write(marker, { at: now.toISOString() });
    listed = await look(store, prefix);
    const ticket = 1 + Math.max(0, ...listed.entries.map((entry) => ticketOf(prefix, entry)));
    mine = entryKey(prefix, ticket, person.key);
    const registration: Registration = {
      version: 1,
      ...person,
      session: session.id,
      ticket,
      registeredAt: now.toISOString(),
    };
    await store.write(mine, registration);
    await store.remove(marker);
  }

  // Whoever was drawing a ticket when ours was stored may draw one as low as ours: wait for them.
  // Those who start later see ours and draw higher; they need no waiting for.
  listed = await look(store, prefix, mine);
  const waitingFor = new Set(await activeChoosers(store, prefix, listed, person.key, now, patienceMs));
  for (let waited = 0, round = 0; waitingFor.size > 0 && waited < patienceMs; round += 1) {
    const wait = Math.min(200, 5 * 2 ** round) * (0.5 + Math.random());
    await sleep(wait);
    waited += wait;
    listed = await look(store, prefix, mine);
    for (const key of waitingFor) if (!listed.choosing.has(key)) waitingFor.delete(key);
  }
  // A registration that announced itself and never stored a ticket has failed; its retry starts anew.

  const admission = admissionAt(activeEntries(prefix, listed).indexOf(mine) + 1, session.capacity);
  await store.write(`${prefix}places/${person.key}`, admission);
  return admission;
}

/**
 * A registration that still counts, with where it stands now (the one rule of registrations()) and what
 * it was told when it registered or was last moved up (`admitted`; absent while being admitted).
 */
export type PlacedRegistration = Registration & Admission & { readonly admitted?: Admission };

/**
 * Every registration of the session that is not cancelled, in order, with its standing: the first
 * `capacity` hold a place, the others wait at 1, 2, … The one answer to "who holds a place" for
 * the reminders, the places endpoint, the cancel page and the moving up of the waiting list.
 */
export async function registrations(store: DeliveryStore, session: RosterSession): Promise<PlacedRegistration[]> {
  const prefix = sessionPrefix(session);
  const active = activeEntries(prefix, await look(store, prefix));
  const read = await Promise.all(
    active.map(async (entry) => {
      const registration = await store.read<Registration>(entry);
      if (!registration) return undefined;
      const admitted = await store.read<Admission>(`${prefix}places/${registration.key}`);
      return { registration, admitted };
    }),
  );
  return read
    .filter((entry) => entry !== undefined)
    .map(({ registration, admitted }, index) => ({
      ...registration,
      ...admissionAt(index + 1, session.capacity),
      ...(admitted && { admitted }),
    }));
}

/** How many still count for the session (places and waiting list); no personal data is read. */
export async function registered(store: DeliveryStore, session: RosterSession): Promise<number> {
  const prefix = sessionPrefix(session);
  return activeEntries(prefix, await look(store, prefix)).length;
}

/** Where one registration is: still counting, cancelled, or not there (never, or deleted after its session). */
export type Lookup =
  | { readonly kind: 'active'; readonly registration: PlacedRegistration }
  | { readonly kind: 'cancelled'; readonly registration: Registration & Admission }
  | { readonly kind: 'unknown' };

/** The cancel marker: when, and where the registration stood then (for its emails, also on a retry). */
type Cancelled = Admission & { readonly at: string };

export async function findRegistration(store: DeliveryStore, session: RosterSession, key: string): Promise<Lookup> {
  const prefix = sessionPrefix(session);
  const cancelled = await store.read<Cancelled>(`${prefix}cancelled/${key}`);
  if (cancelled) {
    const entry = (await stableKeys(store, `${prefix}entries/`)).find((candidate) => candidate.endsWith(`-${key}`));
    const registration = entry && (await store.read<Registration>(entry));
    return registration
      ? { kind: 'cancelled', registration: { ...registration, status: cancelled.status, place: cancelled.place } }
      : { kind: 'unknown' };
  }
  const registration = (await registrations(store, session)).find((candidate) => candidate.key === key);
  return registration ? { kind: 'active', registration } : { kind: 'unknown' };
}

/**
 * Marks the registration cancelled, once: true for the call that did it, false when it was
 * cancelled already (a second click, a retry). The entry stays, so the order of the others stays.
 */
export function markCancelled(
  store: DeliveryStore,
  session: RosterSession,
  registration: PlacedRegistration,
  now: Date,
): Promise<boolean> {
  const marker: Cancelled = { at: now.toISOString(), status: registration.status, place: registration.place };
  return store.writeIfNew(`${sessionPrefix(session)}cancelled/${registration.key}`, marker);
}

/** Records that a registration was told it has moved up: a retry of its form then hears the same. */
export async function recordMovedUp(store: DeliveryStore, session: RosterSession, registration: PlacedRegistration) {
  await store.write(`${sessionPrefix(session)}places/${registration.key}`, {
    status: registration.status,
    place: registration.place,
  } satisfies Admission);
}

/** Deletes the registrations of every session whose day is over: from the day after it on. */
export async function forgetPastRegistrations(store: DeliveryStore, now: Date): Promise<number> {
  const today = berlinDay(now);
  const old = (await store.keys(REGISTRATIONS)).filter((key) => key.slice(REGISTRATIONS.length).split('/')[0]! < today);
  for (const key of old) await store.remove(key);
  return old.length;
}
