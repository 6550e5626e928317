import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { drain } from '../../src/delivery/drain.ts';
import { pending } from '../../src/delivery/outbox.ts';
import { StoreError } from '../../src/delivery/store.ts';
import { resendTransport } from '../../src/mail/resend.ts';
import { keptApplications } from '../../src/selection/kept.ts';
import { parseSettings } from '../../src/settings/parse.ts';
import type { WebinarSession } from '../../src/settings/schema.ts';
import { applicationForm } from '../../src/submissions/application.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import type { Runtime } from '../../src/runtime.ts';
import { webinarForm } from '../../src/submissions/webinar.ts';
import { formatDate } from '../../src/time/format.ts';
import { registrations } from '../../src/webinar/roster.ts';
import { validApplication } from '../fixtures/applications.ts';
import { testSessions, testSettings, testSettingsFile, testWindow } from '../fixtures/settings.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import type { TestBlobs } from '../helpers/blobs.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { useStubAndBlobs } from '../helpers/stub-and-blobs.ts';
import { TEST_REQUEST_BUDGET_MS } from '../helpers/request-budget.ts';

const parts = useStubAndBlobs();
let resend: ResendStub;
let blobs: TestBlobs;
beforeEach(() => ({ resend, blobs } = parts));

const TEAM = 'postfach@komma-test.example';
const MAIL_FROM = 'KommA <komma@komma-test.example>';

const runtime = (now: Date, settings = testSettings): Runtime => ({
  env: { RESEND_API_KEY: 're_test', MAIL_FROM, RESEND_BASE_URL: resend.url },
  settings,
  now,
  store: () => blobs.store,
  requestBudgetMs: TEST_REQUEST_BUDGET_MS,
});

/** One JSON post of the application form through the real pipeline. */
async function apply(body: Record<string, unknown>, now: Date = testWindow.inside) {
  const request = new Request('https://komma.example/api/bewerbung', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const response = await handleSubmission(request, applicationForm(testSettings), runtime(now));
  return { status: response.status, body: await response.json() };
}

const runDrain = (now: Date = testWindow.inside) =>
  drain({
    store: blobs.store,
    transport: resendTransport({ apiKey: 're_test', baseUrl: resend.url }),
    team: { to: TEAM, from: MAIL_FROM },
    now,
    clock: () => 0,
    sleep: async () => {},
  });

const teamEmails = () => resend.delivered.map((request) => request.body).filter((body) => body.to === TEAM);
const copiesTo = (address: string) =>
  resend.delivered.map((request) => request.body).filter((body) => body.to === address);

describe('an application sent again under the same submissionId', () => {
  it('with other answers while the first is still queued: the team gets the new version only, once', async () => {
    const submissionId = randomUUID();
    resend.plan({ status: 500 });
    const first = await apply({ ...validApplication, submissionId });
    expect(first.body).toMatchObject({ ok: true, queued: true });

    const later = new Date(testWindow.inside.getTime() + 5 * 60_000);
    const changed = await apply({ ...validApplication, municipality: 'Neustadt', submissionId }, later);
    expect(changed.status).toBe(200);
    expect(changed.body.reference).toBe(first.body.reference);
    await runDrain(later);

    const team = teamEmails();
    expect(team).toHaveLength(1);
    expect(team[0]!.subject).toContain('Neustadt');
    expect(team[0]!.text).not.toContain('Musterstadt (');
    const copies = copiesTo(validApplication.email);
    expect(copies).toHaveLength(1);
    expect(copies[0]!.text).toContain('Neustadt');
    expect(await pending(blobs.store)).toEqual([]);
    // The copy kept for the team's overview is the new version, still in the first one's place.
    const [kept] = await keptApplications(blobs.store);
    expect(kept!.data.municipality).toBe('Neustadt');
    expect(kept!.receivedAt).toBe(testWindow.inside.toISOString());
  });

  it('with other answers after the first reached the team: one „Änderung zu …" email with old → new', async () => {
    const submissionId = randomUUID();
    const first = await apply({ ...validApplication, submissionId });
    expect(first.body).toMatchObject({ ok: true, queued: false });
    resend.reset();

    const changed = await apply({
      ...validApplication,
      municipality: 'Neustadt',
      population: '50.000',
      submissionId,
    });
    expect(changed.body.reference).toBe(first.body.reference);
    const team = teamEmails();
    expect(team).toHaveLength(1);
    expect(team[0]!.subject).toBe(`Änderung zu ${first.body.reference}`);
    expect(team[0]!.text).toContain('Name der Kommune:\nbisher: Musterstadt\nneu: Neustadt');
    expect(team[0]!.text).toContain('Einwohnerzahl:\nbisher: 48.500\nneu: 50.000');
    expect(team[0]!.text).not.toContain('Bundesland');
    const [copy] = copiesTo(validApplication.email);
    expect(copy!.subject).toMatch(/^Änderung eingegangen – /);
    expect(copy!.text).toContain(`Ihre Änderung zu ${first.body.reference} ist bei uns eingegangen.`);
    expect(copy!.text).toContain('Neustadt');

    // The same change again, before and after the drain: a retry, nothing goes out twice.
    resend.reset();
    const retried = await apply({ ...validApplication, municipality: 'Neustadt', population: '50.000', submissionId });
    expect(retried.body.reference).toBe(first.body.reference);
    await runDrain();
    await apply({ ...validApplication, municipality: 'Neustadt', population: '50.000', submissionId });
    expect(resend.delivered).toEqual([]);
  });

  it('changes again after the drain finished the first: the team hears each change once', async () => {
    const submissionId = randomUUID();
    resend.plan({ status: 500 });
    await apply({ ...validApplication, submissionId });
    await runDrain();
    expect(await pending(blobs.store)).toEqual([]);
    resend.reset();

    await apply({ ...validApplication, contactRole: 'Amtsleitung', submissionId });
    await apply({ ...validApplication, contactRole: 'Bürgermeisterin', submissionId });
    await runDrain();
    expect(teamEmails().map((body) => body.text?.match(/Funktion[^\n]*:\nbisher: (.*)\nneu: (.*)/)?.slice(1))).toEqual([
      ['Referentin für Demokratieförderung', 'Amtsleitung'],
      ['Amtsleitung', 'Bürgermeisterin'],
    ]);
  });

  it('with the same answers is a plain retry: nothing is sent twice', async () => {
    const submissionId = randomUUID();
    const first = await apply({ ...validApplication, submissionId });
    const again = await apply({ ...validApplication, submissionId });
    expect(again.body.reference).toBe(first.body.reference);
    expect(resend.delivered).toHaveLength(2);
  });

  it('refuses a change after the window closed with 403 and says why, and sends nothing', async () => {
    const submissionId = randomUUID();
    const first = await apply({ ...validApplication, submissionId }, testWindow.lastSecond);
    resend.reset();
    const late = await apply({ ...validApplication, municipality: 'Neustadt', submissionId }, testWindow.closed);
    expect(late.status).toBe(403);
    expect(late.body.message).toContain(`Ihre Änderung zu ${first.body.reference} können wir`);
    expect(late.body.message).toContain('Bewerbungsfrist ist abgelaufen');
    expect(resend.delivered).toEqual([]);
    // The same answers as before stay a retry, also after the window.
    expect((await apply({ ...validApplication, submissionId }, testWindow.closed)).status).toBe(200);
  });

  it('without a submissionId (no JavaScript), other answers are another submission, as before', async () => {
    const first = await apply({ ...validApplication });
    const other = await apply({ ...validApplication, municipality: 'Neustadt' });
    expect(other.body.reference).not.toBe(first.body.reference);
    expect(teamEmails().map((body) => body.subject.startsWith('Änderung'))).toEqual([false, false]);
  });
});

describe('a webinar registration sent again with another session', () => {
  const settings = parseSettings({
    ...testSettingsFile,
    webinars: [{ ...testSettingsFile.webinars[0], capacity: 1 }, testSettingsFile.webinars[1]],
  });
  const [winter, summer] = settings.webinars as [WebinarSession, WebinarSession];

  async function register(person: string, session: WebinarSession, submissionId = randomUUID()) {
    const request = new Request('https://komma.example/api/webinar', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        ...validRegistration,
        session: session.id,
        name: `Person ${person}`,
        email: `${person}@musterstadt.de`,
        submissionId,
      }),
    });
    const response = await handleSubmission(request, webinarForm(settings), runtime(testSessions.beforeBoth, settings));
    return { status: response.status, body: await response.json() };
  }

  it('moves it: the old place goes to the first on the waiting list, the new session admits it', async () => {
    const submissionId = randomUUID();
    const first = await register('anna', winter, submissionId);
    const waiting = await register('ben', winter);
    expect(waiting.body.waitingList).toBe(1);
    resend.reset();

    const moved = await register('anna', summer, submissionId);
    expect(moved.status).toBe(200);
    expect(moved.body.reference).toBe(first.body.reference);
    expect((await registrations(blobs.store, winter)).map((entry) => [entry.name, entry.status])).toEqual([
      ['Person ben', 'confirmed'],
    ]);
    expect((await registrations(blobs.store, summer)).map((entry) => [entry.name, entry.status])).toEqual([
      ['Person anna', 'confirmed'],
    ]);
    await runDrain(testSessions.beforeBoth);
    const team = teamEmails();
    expect(team.filter((body) => body.subject === `Änderung zu ${first.body.reference}`)).toHaveLength(1);
    expect(team.find((body) => body.subject.startsWith('Änderung'))!.text).toMatch(
      /Termin:\nbisher: .*12\. März 2030.*\nneu: .*10\. April 2030/,
    );
    // Ben hears he moved up; Anna gets one copy for her new session and no cancellation.
    expect(copiesTo('ben@musterstadt.de')).toHaveLength(1);
    const anna = copiesTo('anna@musterstadt.de');
    expect(anna).toHaveLength(1);
    expect(anna[0]!.subject).toBe(
      `Änderung eingegangen – Ihre Anmeldung zum KommA-Webinar am ${formatDate(summer.start)} – ${first.body.reference}`,
    );
  });
});

describe('a webinar registration changed more than once', () => {
  const settings = parseSettings({
    ...testSettingsFile,
    webinars: [{ ...testSettingsFile.webinars[0], capacity: 1 }, testSettingsFile.webinars[1]],
  });
  const [winter, summer] = settings.webinars as [WebinarSession, WebinarSession];

  async function send(body: Record<string, unknown>) {
    const request = new Request('https://komma.example/api/webinar', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ ...validRegistration, ...body }),
    });
    const response = await handleSubmission(request, webinarForm(settings), runtime(testSessions.beforeBoth, settings));
    return response.json();
  }
  const names = async (session: WebinarSession) =>
    (await registrations(blobs.store, session)).map((entry) => [entry.email, entry.status]);

  it('moves back to the first session at the end of its list, and keeps a new address for the reminders', async () => {
    const anna = randomUUID();
    await send({ session: winter.id, email: 'anna@musterstadt.de', submissionId: anna });
    await send({ session: summer.id, email: 'anna@musterstadt.de', submissionId: anna });
    await send({ session: winter.id, email: 'ben@musterstadt.de', submissionId: randomUUID() });
    resend.reset();
    const back = await send({ session: winter.id, email: 'anna@musterstadt.de', submissionId: anna });
    expect(back.waitingList).toBe(1);
    const change = resend.delivered.find((request) => request.body.subject?.startsWith('Änderung zu'))!.body;
    expect(change.text).toContain('Die Person steht jetzt auf der Warteliste, Platz 1.');
    expect(await names(winter)).toEqual([
      ['ben@musterstadt.de', 'confirmed'],
      ['anna@musterstadt.de', 'waiting'],
    ]);
    expect(await names(summer)).toEqual([]);

    await send({ session: winter.id, email: 'anna.neu@musterstadt.de', submissionId: anna });
    expect(await names(winter)).toEqual([
      ['ben@musterstadt.de', 'confirmed'],
      ['anna.neu@musterstadt.de', 'waiting'],
    ]);
  });
});

describe('a webinar registration moved while the roster cannot be read', () => {
  it('answers 503 and keeps the old place, rather than hold a place in two sessions', async () => {
    const [winter, summer] = testSettings.webinars as [WebinarSession, WebinarSession];
    const submissionId = randomUUID();
    const send = async (session: WebinarSession, store = blobs.store) => {
      const request = new Request('https://komma.example/api/webinar', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ...validRegistration, session: session.id, submissionId }),
      });
      const response = await handleSubmission(request, webinarForm(testSettings), {
        ...runtime(testSessions.beforeBoth),
        store: () => store,
      });
      return response.status;
    };
    expect(await send(winter)).toBe(200);
    resend.reset();
    const rosterFails = (key: string) => key.startsWith('registrations/');
    const failing = {
      ...blobs.store,
      read: <T>(key: string) =>
        rosterFails(key) ? Promise.reject(new StoreError('failed', 'read')) : blobs.store.read<T>(key),
      readWithEtag: <T>(key: string) =>
        rosterFails(key) ? Promise.reject(new StoreError('failed', 'readWithEtag')) : blobs.store.readWithEtag<T>(key),
    };
    expect(await send(summer, failing)).toBe(503);
    expect(resend.delivered).toEqual([]);
    expect((await registrations(blobs.store, winter)).map((entry) => entry.email)).toEqual([validRegistration.email]);
    expect(await registrations(blobs.store, summer)).toEqual([]);
  });
});

describe('an outcome of an email that an amendment replaced meanwhile', () => {
  it('changes nothing of the new version: its team email stays pending, and it stays queued', async () => {
    const { outboxMessage } = await import('../../src/delivery/outbox.ts');
    const { withOutcomes } = await import('../../src/delivery/attempt.ts');
    const email = { to: TEAM, replyTo: TEAM, subject: 's', text: 't', html: 'h' };
    const version = (revision: number) =>
      outboxMessage({
        key: 'bewerbung-x',
        source: 'bewerbung',
        reference: 'B-0000-0000',
        from: MAIL_FROM,
        emails: [{ role: 'team', label: 'team', email }],
        receivedAt: testWindow.inside,
        revision,
      });
    const [old, replaced] = [version(1), version(2)];
    expect(replaced.emails[0]!.idempotencyKey).not.toBe(old.emails[0]!.idempotencyKey);
    const accepted = { kind: 'accepted', providerId: 'p' } as const;
    const outcome = { role: 'team', idempotencyKey: old.emails[0]!.idempotencyKey, verdict: accepted } as const;
    expect(withOutcomes(replaced, [outcome]).emails[0]!.status).toBe('pending');
    expect(withOutcomes(old, [outcome]).emails[0]!.status).toBe('accepted');

    // A drain that finishes the old version after the change leaves the new one queued.
    const { complete, enqueue, lookup, update } = await import('../../src/delivery/outbox.ts');
    const { tombstoneOf } = await import('../../src/delivery/record.ts');
    expect(await enqueue(blobs.store, old)).toBe(true);
    await update(blobs.store, old.key, () => replaced);
    await complete(blobs.store, tombstoneOf(withOutcomes(old, [outcome]), testWindow.inside));
    expect(await lookup(blobs.store, old.key)).toEqual({ kind: 'pending', record: replaced });
  });
});
