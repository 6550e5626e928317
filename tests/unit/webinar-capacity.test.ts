import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { parseSettings } from '../../src/settings/parse.ts';
import type { WebinarSession } from '../../src/settings/schema.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import type { Runtime } from '../../src/runtime.ts';
import { webinarForm } from '../../src/submissions/webinar.ts';
import { webinarPlaces } from '../../src/webinar/places.ts';
import {
  admit,
  forgetPastRegistrations,
  registrations,
  REGISTRATIONS,
  ROSTER_TRIES,
  rosterKey,
} from '../../src/webinar/roster.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import { testSessions, testSettingsFile } from '../fixtures/settings.ts';
import type { TestBlobs } from '../helpers/blobs.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { useStubAndBlobs } from '../helpers/stub-and-blobs.ts';
import { TEST_REQUEST_BUDGET_MS } from '../helpers/request-budget.ts';

/** The test settings with three places in the winter session; the summer session stays unlimited. */
const CAPACITY = 3;
const settings = parseSettings({
  ...testSettingsFile,
  webinars: [{ ...testSettingsFile.webinars[0], capacity: CAPACITY }, testSettingsFile.webinars[1]],
});
const [winter, summer] = settings.webinars as [WebinarSession, WebinarSession];
const now = testSessions.beforeBoth;
/** Registrations sent at the same moment for the three places. */
const AT_ONCE = 24;

const parts = useStubAndBlobs();
let resend: ResendStub;
let blobs: TestBlobs;
beforeEach(() => ({ resend, blobs } = parts));

const runtime = (): Runtime => ({
  env: { RESEND_API_KEY: 're_test', MAIL_FROM: 'KommA <komma@komma-test.example>', RESEND_BASE_URL: resend.url },
  settings,
  now,
  store: () => blobs.store,
  requestBudgetMs: TEST_REQUEST_BUDGET_MS,
});

/** The real pipeline, its emails to the stub, its store on a local Blobs server. */
async function register(person: number, session: WebinarSession, submissionId = randomUUID()) {
  const request = new Request('https://komma.example/api/webinar', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      ...validRegistration,
      session: session.id,
      name: `Person Nummer ${person}`,
      // One address each: at most three confirmations go to one address a day.
      email: `person${person}@musterstadt.de`,
      submissionId,
    }),
  });
  const response = await handleSubmission(request, webinarForm(settings), runtime());
  return { status: response.status, body: await response.json() };
}

const confirmationsTo = (address: string) =>
  resend.delivered.filter((request) => request.body.to === address || request.body.to?.[0] === address);

describe('a session with a capacity', () => {
  it('confirms exactly its capacity when many register at once, and puts the rest on the waiting list in order', async () => {
    const answers = await Promise.all(Array.from({ length: AT_ONCE }, (_, person) => register(person, winter)));
    expect(answers.every((answer) => answer.status === 200 && answer.body.ok)).toBe(true);
    const confirmed = answers.filter((answer) => answer.body.waitingList === undefined);
    expect(confirmed).toHaveLength(CAPACITY);
    const waiting = Array.from({ length: AT_ONCE - CAPACITY }, (_, index) => index + 1);
    expect(
      answers
        .map((answer) => answer.body.waitingList)
        .filter(Boolean)
        .sort((a, b) => a - b),
    ).toEqual(waiting);

    const stored = await registrations(blobs.store, winter);
    expect(stored).toHaveLength(AT_ONCE);
    expect(stored.map((entry) => `${entry.status} ${entry.place}`)).toEqual([
      'confirmed 1',
      'confirmed 2',
      'confirmed 3',
      ...waiting.map((place) => `waiting ${place}`),
    ]);
    // What the person was told is what the roster holds.
    for (const answer of answers) {
      const entry = stored.find((candidate) => candidate.reference === answer.body.reference)!;
      expect(entry.status).toBe(answer.body.waitingList ? 'waiting' : 'confirmed');
      if (answer.body.waitingList) expect(entry.place).toBe(answer.body.waitingList);
    }
  });

  it('says „Warteliste, Platz N" in both emails and sends no calendar file beyond the capacity', async () => {
    for (let person = 0; person < CAPACITY + 1; person += 1) await register(person, winter);
    const [placed] = confirmationsTo('person0@musterstadt.de');
    expect(placed!.body.attachments?.map((file) => file.filename)).toEqual(['komma-webinar-winter-2030.ics']);

    const [waiting] = confirmationsTo(`person${CAPACITY}@musterstadt.de`);
    expect(waiting!.body.subject).toMatch(/^Warteliste, Platz 1: KommA-Webinar am 12\. März 2030 – W-/);
    expect(waiting!.body.text).toContain(
      'ist leider ausgebucht. Wir haben Sie auf die Warteliste gesetzt: Warteliste, Platz 1.',
    );
    expect(waiting!.body.attachments ?? []).toEqual([]);

    const team = resend.delivered.filter((request) => request.body.subject.includes('Person Nummer 3'));
    expect(team.map((request) => request.body.subject)).toEqual([
      'Warteliste, Platz 1 – Webinar-Anmeldung 12. März 2030: Person Nummer 3, Stadt Musterstadt',
    ]);
    expect(team[0]!.body.text).toContain('Der Termin ist ausgebucht (3 Plätze): Warteliste, Platz 1.');
  });

  it('keeps the place of a retried registration, also after others have registered', async () => {
    const id = randomUUID();
    const first = await register(0, winter, id);
    for (let person = 1; person <= CAPACITY; person += 1) await register(person, winter);
    const again = await register(0, winter, id);
    expect(again.body).toEqual(first.body);
    expect(again.body.waitingList).toBeUndefined();
    expect(await registrations(blobs.store, winter)).toHaveLength(CAPACITY + 1);
  });
});

describe('GET /api/webinar/plaetze', () => {
  const places = async (method = 'GET') => {
    const response = await webinarPlaces(
      new Request('https://komma.example/api/webinar/plaetze', { method }),
      runtime(),
    );
    return { status: response.status, body: await response.json() };
  };

  it('names a session with a capacity as full once its places are taken, and only then', async () => {
    for (let person = 0; person < CAPACITY - 1; person += 1) await register(person, winter);
    expect(await places()).toEqual({ status: 200, body: { full: [] } });
    await register(CAPACITY, winter);
    for (let person = 0; person < 5; person += 1) await register(10 + person, summer);
    expect(await places()).toEqual({ status: 200, body: { full: [winter.id] } });
  });

  it('answers other methods with 405', async () => {
    expect((await places('POST')).status).toBe(405);
  });
});

describe('a session without a capacity', () => {
  it('confirms everyone and keeps each registration for the reminder', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, (_, person) => register(person, summer)));
    expect(answers.map((answer) => answer.body.waitingList)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    const stored = await registrations(blobs.store, summer);
    expect(stored.map((entry) => entry.status)).toEqual(Array(5).fill('confirmed'));
    expect(stored.map((entry) => entry.email).sort()).toEqual(
      Array.from({ length: 5 }, (_, person) => `person${person}@musterstadt.de`).sort(),
    );
  });
});

describe('the roster', () => {
  const person = (n: number) => ({ key: `webinar-${n}`, reference: `W-${n}`, name: `P ${n}`, email: `p${n}@x.de` });

  /** The delivery store over a client that counts its requests to the same server. */
  function countingStore() {
    const calls: string[] = [];
    const counting: typeof fetch = (input, init) => {
      calls.push(`${init?.method ?? 'GET'} ${new URL(input instanceof Request ? input.url : input).pathname}`);
      return fetch(input, init);
    };
    return { calls, store: blobs.storeWith(counting) };
  }

  it('takes two store calls for a registration nobody races: a read and a conditional write', async () => {
    await admit(blobs.store, winter, person(1), now);
    const { calls, store } = countingStore();
    expect(await admit(store, winter, person(2), now)).toEqual({ status: 'confirmed', place: 2 });
    expect(calls).toHaveLength(2);
    // The first of a session, and a retry, too.
    calls.length = 0;
    expect(await admit(store, summer, person(3), now)).toEqual({ status: 'confirmed', place: 1 });
    expect(await admit(store, summer, person(3), now)).toEqual({ status: 'confirmed', place: 1 });
    expect(calls).toHaveLength(3);
  });

  it('reads and writes the roster once each for a whole new registration through the form function', async () => {
    await register(1, winter);
    const { calls, store } = countingStore();
    const request = new Request('https://komma.example/api/webinar', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ ...validRegistration, session: winter.id, submissionId: randomUUID() }),
    });
    const response = await handleSubmission(request, webinarForm(settings), { ...runtime(), store: () => store });
    expect(response.status).toBe(200);
    // A new submission key was never withdrawn: no session's roster is read to renew it.
    const roster = calls.map(decodeURIComponent).filter((call) => call.includes(REGISTRATIONS));
    expect(roster.map((call) => call.split(' ')[0]!.toUpperCase())).toEqual(['GET', 'PUT']);
    expect(roster.every((call) => call.endsWith(rosterKey(winter)))).toBe(true);
  });

  it('gives exactly its capacity when 24 register at once, everyone told a distinct standing', async () => {
    const answers = await Promise.all(
      Array.from({ length: AT_ONCE }, (_, n) => admit(blobs.store, winter, person(n), now)),
    );
    expect(
      answers
        .filter((answer) => answer.status === 'confirmed')
        .map((answer) => answer.place)
        .sort(),
    ).toEqual([1, 2, 3]);
    expect(new Set(answers.map((answer) => `${answer.status} ${answer.place}`)).size).toBe(AT_ONCE);
    expect((await registrations(blobs.store, winter)).map((entry) => entry.told)).toEqual(
      (await registrations(blobs.store, winter)).map(({ status, place }) => ({ status, place })),
    );
    // One document for the session, nothing beside it.
    expect(await blobs.store.keys(REGISTRATIONS)).toEqual([rosterKey(winter)]);
  });

  it('reads afresh and tries again after a random wait when another registration wrote first', async () => {
    const waits: number[] = [];
    // While the first one waits, another registers: the first lost its write and sees the other's.
    let raced = false;
    const { store } = countingStore();
    const racing = {
      ...store,
      async writeIfNew(key: string, value: unknown) {
        if (!raced) {
          raced = true;
          await admit(blobs.store, winter, person(0), now);
        }
        return store.writeIfNew(key, value);
      },
    };
    const sleep = async (ms: number) => void waits.push(ms);
    expect(await admit(racing, winter, person(1), now, { sleep, random: () => 0.5 })).toEqual({
      status: 'confirmed',
      place: 2,
    });
    expect(waits).toEqual([2]);
  });

  it('gives up after a bounded number of tries when it keeps losing', async () => {
    const losing = { ...blobs.store, writeIfNew: async () => false };
    const sleep = vi.fn(async () => {});
    await expect(admit(losing, winter, person(1), now, { sleep })).rejects.toThrow('kept changing');
    expect(sleep.mock.calls.length).toBe(ROSTER_TRIES);
  });

  it('deletes the registrations from the day after their session, not before', async () => {
    await admit(blobs.store, winter, person(1), now);
    await admit(blobs.store, summer, person(2), now);
    const lateOnSessionDay = new Date('2030-03-12T23:59:59+01:00');
    expect(await forgetPastRegistrations(blobs.store, lateOnSessionDay)).toBe(0);
    expect(await forgetPastRegistrations(blobs.store, new Date('2030-03-13T00:00:00+01:00'))).toBe(1);
    expect(await registrations(blobs.store, winter)).toEqual([]);
    expect(await registrations(blobs.store, summer)).toHaveLength(1);
  });
});

describe('the settings', () => {
  it('refuse a capacity that is not a whole number of at least 1', () => {
    const withCapacity = (capacity: unknown) => () =>
      parseSettings({ ...testSettingsFile, webinars: [{ ...testSettingsFile.webinars[0], capacity }] });
    expect(withCapacity(0)).toThrow('Mindestens 1 angeben.');
    expect(withCapacity(2.5)).toThrow('Eine ganze Zahl angeben, z. B. 200.');
    expect(withCapacity(40)()).toMatchObject({ webinars: [{ capacity: 40 }] });
  });
});
