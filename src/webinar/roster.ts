import { StoreError, type DeliveryStore } from '../delivery/store.ts';
import { mailbox } from '../forms/address.ts';
import type { Admission } from '../mail/submission.ts';
import { berlinDay } from '../time/format.ts';

/**
 * Who has a place in a webinar session and who waits: one document per session in the delivery
 * store, `registrations/<Berlin day>/<session>`, kept until the day after the session (then
 * forgetPastRegistrations() deletes it).
 *
 * Every change reads the document with its ETag, decides the new document with a pure function and
 * writes it back with onlyIfMatch (onlyIfNew for the first registration); a writer that lost the race
 * reads again after a short random wait, a bounded number of times. Netlify Blobs applies conditional
 * writes atomically (locally, src/server/local-blobs.ts makes the emulator do so), so no two writers
 * both win: with capacity N, exactly the first N registrations that are not cancelled hold a place.
 *
 * Each registration records what it was told (`told`): whoever holds a place now but was told to
 * wait has moved up (movedUp()). A retry of the same submission hears where it stands now.
 */
export interface RosterEntry {
  /** The submission's key: a retry of the same submission finds its entry again. */
  readonly key: string;
  readonly reference: string;
  readonly name: string;
  readonly email: string;
  readonly registeredAt: string;
  /** What the person was told: at registration, or when they moved up. */
  readonly told: Admission;
  /** When it was cancelled, and where it stood then (for its emails, also on a retry). */
  readonly cancelled?: { readonly at: string; readonly standing: Admission };
}

export interface Roster {
  readonly version: 2;
  /** In the order of registration: that order alone decides who holds a place. */
  readonly entries: readonly RosterEntry[];
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

/** A registration that still counts, with where it stands now (its Admission) and what it was told. */
export type PlacedRegistration = RosterEntry & Admission;

/** Everything of the registrations lives under this prefix: `registrations/<Berlin day>/<session>`. */
export const REGISTRATIONS = 'registrations/';

/** The session's day leads the key, so that housekeeping needs no settings to know what is over. */
export const rosterKey = (session: RosterSession) => `${REGISTRATIONS}${berlinDay(session.start)}/${session.id}`;

const EMPTY: Roster = { version: 2, entries: [] };

/** The admission for a position in the session's order (1 = first). */
export function admissionAt(position: number, capacity: number | undefined): Admission {
  return capacity === undefined || position <= capacity
    ? { status: 'confirmed', place: position }
    : { status: 'waiting', place: position - capacity };
}

/**
 * The one rule of who holds a place: the registrations that are not cancelled, in the order they
 * registered; the first `capacity` hold places 1, 2, …, the others wait at 1, 2, …
 */
export function standings(roster: Roster, capacity: number | undefined): PlacedRegistration[] {
  return roster.entries
    .filter((entry) => !entry.cancelled)
    .map((entry, index) => ({ ...entry, ...admissionAt(index + 1, capacity) }));
}

/** Those who hold a place now but were told they wait: each is to hear that they moved up. */
export function movedUp(roster: Roster, capacity: number | undefined): PlacedRegistration[] {
  return standings(roster, capacity).filter(
    (standing) => standing.status === 'confirmed' && standing.told.status === 'waiting',
  );
}

/** A change of the roster: the new document (none when nothing changes) and what the caller learns. */
export interface Change<R> {
  readonly roster?: Roster;
  readonly result: R;
}

/**
 * Where a registration stands. `existing`: the reference of the registration it turned out to be,
 * when the same person (the same mailbox, src/forms/address.ts) had registered for the session
 * already under another submission: one person, one place.
 */
export type Registration = Admission & { readonly existing?: string };

/**
 * Adds `person` at the end, told where that puts them. A retry finds its entry and hears where it
 * stands now (a place, once moved up); the same mailbox again finds the registration it has.
 */
export function withRegistration(
  roster: Roster,
  person: Registrant,
  capacity: number | undefined,
  now: Date,
): Change<Registration> {
  const current = standings(roster, capacity);
  const retried = current.find((entry) => entry.key === person.key);
  if (retried) return { result: { status: retried.status, place: retried.place } };
  // Cancelled between renewedKey() and now: the caller tries again and gets a key of its own.
  if (roster.entries.some((entry) => entry.key === person.key)) throw new StoreError('conflict', 'admit');
  const same = current.find((entry) => mailbox(entry.email) === mailbox(person.email));
  if (same) return { result: { status: same.status, place: same.place, existing: same.reference } };
  const told = admissionAt(current.length + 1, capacity);
  const { key, reference, name, email } = person;
  const entry: RosterEntry = { key, reference, name, email, registeredAt: now.toISOString(), told };
  return { roster: { ...roster, entries: [...roster.entries, entry] }, result: told };
}

/**
 * The key a registration under `key` takes: `key` itself, unless that registration was cancelled;
 * registering again after cancelling (the same submission, or the same answers without JavaScript)
 * is a new registration with a key, and so a reference, of its own.
 */
export function renewedKey(roster: Roster, key: string): string {
  let candidate = key;
  for (
    let generation = 2;
    roster.entries.some((entry) => entry.key === candidate && entry.cancelled);
    generation += 1
  ) {
    candidate = `${key}~${generation}`;
  }
  return candidate;
}

/** Where one registration is: still counting, cancelled (with where it stood), or not there. */
export type Lookup =
  | { readonly kind: 'active'; readonly registration: PlacedRegistration }
  | { readonly kind: 'cancelled'; readonly registration: RosterEntry & Admission }
  | { readonly kind: 'unknown' };

export function lookup(roster: Roster, key: string, capacity: number | undefined): Lookup {
  const entry = roster.entries.find((candidate) => candidate.key === key);
  if (!entry) return { kind: 'unknown' };
  if (entry.cancelled) return { kind: 'cancelled', registration: { ...entry, ...entry.cancelled.standing } };
  return { kind: 'active', registration: standings(roster, capacity).find((standing) => standing.key === key)! };
}

/** What a cancellation found: cancelled by this change, `already` by an earlier one, or unknown. */
export type Cancellation =
  | { readonly kind: 'cancelled' | 'already'; readonly registration: RosterEntry & Admission }
  | { readonly kind: 'unknown' };

/** Marks the registration cancelled, once, with where it stood; its entry stays, so the order stays. */
export function withCancellation(
  roster: Roster,
  key: string,
  capacity: number | undefined,
  now: Date,
): Change<Cancellation> {
  const found = lookup(roster, key, capacity);
  if (found.kind === 'unknown') return { result: found };
  if (found.kind === 'cancelled') return { result: { kind: 'already', registration: found.registration } };
  const standing: Admission = { status: found.registration.status, place: found.registration.place };
  const cancelled = { at: now.toISOString(), standing };
  return {
    roster: {
      ...roster,
      entries: roster.entries.map((entry) => (entry.key === key ? { ...entry, cancelled } : entry)),
    },
    result: { kind: 'cancelled', registration: { ...found.registration, cancelled } },
  };
}

/**
 * The registration `key` as an amendment changed it (src/submissions/amendment.ts): gone from a
 * session it moved away from (`details` undefined), so that it neither holds nor blocks a place
 * and could register there afresh; or under its new name and address, its place unchanged.
 */
export function withAmended(
  roster: Roster,
  key: string,
  details: Pick<RosterEntry, 'name' | 'email'> | undefined,
): Change<void> {
  const entry = roster.entries.find((candidate) => candidate.key === key);
  if (!entry || (details && details.name === entry.name && details.email === entry.email)) return { result: undefined };
  const entries = details
    ? roster.entries.map((candidate) => (candidate === entry ? { ...candidate, ...details } : candidate))
    : roster.entries.filter((candidate) => candidate !== entry);
  return { roster: { ...roster, entries }, result: undefined };
}

/** Records that each of `told` heard the standing given there: a retry of their form hears the same. */
export function withTold(roster: Roster, told: readonly (Admission & { readonly key: string })[]): Change<void> {
  const news = new Map(told.map(({ key, status, place }) => [key, { status, place }] as const));
  const changed = roster.entries.some((entry) => {
    const next = news.get(entry.key);
    return next && (next.status !== entry.told.status || next.place !== entry.told.place);
  });
  if (!changed) return { result: undefined };
  return {
    roster: {
      ...roster,
      entries: roster.entries.map((entry) => ({ ...entry, told: news.get(entry.key) ?? entry.told })),
    },
    result: undefined,
  };
}

export interface RosterOptions {
  /** Waiting after a lost race, injected so tests need not wait. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** 0 ≤ random() < 1, for the jitter. */
  readonly random?: () => number;
}

/**
 * Tries of one change before it gives up: enough for every one of dozens at once to get its turn.
 * The caller's time usually ends it first: every store call stops at the request's deadline (or
 * the scheduled run's), so how many get through under a crowd depends on time, not on a count.
 */
export const ROSTER_TRIES = 40;
const BACKOFF_MS = 4;
const BACKOFF_CAP_MS = 100;

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reads the session's roster with its ETag, applies `decide` and writes the result back only if
 * nobody wrote in between; otherwise waits a random while ("full jitter", up to a doubling bound)
 * and tries again on a fresh copy. A decision that changes nothing writes nothing.
 */
async function change<R>(
  store: DeliveryStore,
  session: RosterSession,
  decide: (roster: Roster) => Change<R>,
  options: RosterOptions,
): Promise<R> {
  const key = rosterKey(session);
  const sleep = options.sleep ?? realSleep;
  const random = options.random ?? Math.random;
  for (let attempt = 0; attempt < ROSTER_TRIES; attempt += 1) {
    const current = await store.readWithEtag<Roster>(key);
    const { roster, result } = decide(current?.value ?? EMPTY);
    if (!roster) return result;
    const written = current ? await store.writeIfMatch(key, roster, current.etag) : await store.writeIfNew(key, roster);
    if (written) return result;
    await sleep(random() * Math.min(BACKOFF_CAP_MS, BACKOFF_MS * 2 ** attempt));
  }
  throw new Error(`the roster of ${session.id} kept changing under ${ROSTER_TRIES} tries`);
}

const read = async (store: DeliveryStore, session: RosterSession) =>
  (await store.read<Roster>(rosterKey(session))) ?? EMPTY;

/**
 * Registers `person` for `session` and says whether they have a place or which one on the waiting
 * list. The same registration again (a retry) gets the answer it was given.
 */
export function admit(
  store: DeliveryStore,
  session: RosterSession,
  person: Registrant,
  now: Date,
  options: RosterOptions = {},
): Promise<Registration> {
  return change(store, session, (roster) => withRegistration(roster, person, session.capacity, now), options);
}

/**
 * The key a registration under `key` takes now (renewedKey()), read afresh over every session: an
 * amendment can name another session than the one where the registration was cancelled, and it is
 * still the registration made after cancelling.
 */
export async function registrationKey(
  store: DeliveryStore,
  sessions: readonly RosterSession[],
  key: string,
): Promise<string> {
  const rosters = await Promise.all(sessions.map((session) => read(store, session)));
  return renewedKey({ version: 2, entries: rosters.flatMap((roster) => roster.entries) }, key);
}

/** Every registration of the session that still counts, in order, with its standing (standings()). */
export async function registrations(store: DeliveryStore, session: RosterSession): Promise<PlacedRegistration[]> {
  return standings(await read(store, session), session.capacity);
}

/** Every cancelled registration of the session, with where it stood when it was cancelled. */
export async function cancelledRegistrations(
  store: DeliveryStore,
  session: RosterSession,
): Promise<(RosterEntry & Admission)[]> {
  return (await read(store, session)).entries.flatMap((entry) =>
    entry.cancelled ? [{ ...entry, ...entry.cancelled.standing }] : [],
  );
}

/** How many still count for the session (places and waiting list). */
export async function registered(store: DeliveryStore, session: RosterSession): Promise<number> {
  return (await registrations(store, session)).length;
}

export async function findRegistration(store: DeliveryStore, session: RosterSession, key: string): Promise<Lookup> {
  return lookup(await read(store, session), key, session.capacity);
}

/** The active registration `key` in one of `sessions`: where it is, under which name and address. */
export async function registrationOf(store: DeliveryStore, sessions: readonly RosterSession[], key: string) {
  for (const session of sessions) {
    const found = await findRegistration(store, session, key);
    if (found.kind === 'active') {
      const { name, email } = found.registration;
      return { session: session.id, name, email };
    }
  }
  return undefined;
}

/** Applies an amendment to the registration `key` in `session` (withAmended()). */
export function amendRegistration(
  store: DeliveryStore,
  session: RosterSession,
  key: string,
  details: Pick<RosterEntry, 'name' | 'email'> | undefined,
  options: RosterOptions = {},
): Promise<void> {
  return change(store, session, (roster) => withAmended(roster, key, details), options);
}

/** Marks the registration cancelled, once: `cancelled` for the call that did it, `already` after that. */
export function markCancelled(
  store: DeliveryStore,
  session: RosterSession,
  key: string,
  now: Date,
  options: RosterOptions = {},
): Promise<Cancellation> {
  return change(store, session, (roster) => withCancellation(roster, key, session.capacity, now), options);
}

/** Who is to hear that they moved up (movedUp()), read afresh. */
export async function dueToMoveUp(store: DeliveryStore, session: RosterSession): Promise<PlacedRegistration[]> {
  return movedUp(await read(store, session), session.capacity);
}

/** Records that `moved` were told their place: a retry of their registration now hears it too. */
export function recordMovedUp(
  store: DeliveryStore,
  session: RosterSession,
  moved: readonly PlacedRegistration[],
  options: RosterOptions = {},
): Promise<void> {
  return change(store, session, (roster) => withTold(roster, moved), options);
}

/** Deletes the registrations of every session whose day is over: from the day after it on. */
export async function forgetPastRegistrations(store: DeliveryStore, now: Date): Promise<number> {
  const today = berlinDay(now);
  const old = (await store.keys(REGISTRATIONS)).filter((key) => key.slice(REGISTRATIONS.length).split('/')[0]! < today);
  for (const key of old) await store.remove(key);
  return old.length;
}
