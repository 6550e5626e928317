import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { drain } from '../../src/delivery/drain.ts';
import { resendTransport } from '../../src/mail/resend.ts';
import { parseSettings } from '../../src/settings/parse.ts';
import type { WebinarSession } from '../../src/settings/schema.ts';
import type { Runtime } from '../../src/runtime.ts';
import { webinarCancel } from '../../src/webinar/cancel.ts';
import { readCancelToken, signCancelToken, type CancelLinks } from '../../src/webinar/cancel-token.ts';
import { cancelRegistration, moveUp } from '../../src/webinar/cancellation.ts';
import { queueReminders } from '../../src/webinar/reminders.ts';
import { admit, registered, registrations } from '../../src/webinar/roster.ts';
import { testSettingsFile } from '../fixtures/settings.ts';
import type { TestBlobs } from '../helpers/blobs.ts';
import { attachmentText, type ResendStub } from '../helpers/resend-stub.ts';
import { useStubAndBlobs } from '../helpers/stub-and-blobs.ts';
import { TEST_REQUEST_BUDGET_MS } from '../helpers/request-budget.ts';

/** The test settings with two places in the winter session (Tuesday 12 March 2030, 14:00–15:00). */
const settings = parseSettings({
  ...testSettingsFile,
  webinars: [{ ...testSettingsFile.webinars[0], capacity: 2 }, testSettingsFile.webinars[1]],
});
const [winter] = settings.webinars as [WebinarSession, WebinarSession];
const registeredAt = new Date('2030-03-05T09:00:00+01:00');
const now = new Date('2030-03-06T10:00:00+01:00');
const SECRET = 'unit-test-secret';
const mail = { from: 'KommA <komma@komma-test.example>', teamInbox: 'postfach@komma-test.example' };
const links: CancelLinks = (target) => `https://komma.example/webinar/abmelden/?t=${signCancelToken(SECRET, target)}`;

const parts = useStubAndBlobs();
let resend: ResendStub;
let blobs: TestBlobs;
beforeEach(() => ({ resend, blobs } = parts));

const person = (n: number) => ({
  key: `webinar-${n}`,
  reference: `W-000${n}-TEST`,
  name: `Person ${n}`,
  email: `p${n}@x.de`,
});

/** Persons 1 … n register in that order: with two places, 1 and 2 hold them, the rest wait. */
async function registerInOrder(n: number) {
  for (let i = 1; i <= n; i += 1) await admit(blobs.store, winter, person(i), registeredAt);
}

const cancel = (n: number) =>
  cancelRegistration(
    { store: blobs.store, session: winter, mail, links, now },
    { session: winter.id, key: `webinar-${n}` },
  );

const send = (at = now) =>
  drain({
    store: blobs.store,
    transport: resendTransport({ apiKey: 're_test', baseUrl: resend.url }),
    team: { to: mail.teamInbox, from: mail.from },
    now: at,
    clock: () => 0,
    sleep: async () => {},
  });

const to = (address: string) => resend.delivered.filter((request) => request.body.to === address).map((r) => r.body);

/** The one event of an email's calendar file, parsed back. */
function eventOf(attachment: { content: string }) {
  const calendar = new ICAL.Component(ICAL.parse(attachmentText(attachment)));
  const [vevent] = calendar.getAllSubcomponents('vevent');
  return { method: calendar.getFirstPropertyValue('method'), vevent: vevent! };
}

const standing = async () =>
  (await registrations(blobs.store, winter)).map((entry) => `${entry.key} ${entry.status} ${entry.place}`);

describe('cancelling a webinar registration', () => {
  it('frees the place, sends the person a calendar cancellation and the team a note, and moves the first waiting person up with a calendar entry', async () => {
    await registerInOrder(4);
    expect(await cancel(1)).toEqual({ kind: 'cancelled', reference: 'W-0001-TEST' });
    expect(await standing()).toEqual(['webinar-2 confirmed 1', 'webinar-3 confirmed 2', 'webinar-4 waiting 1']);
    await send();

    const [cancelled] = to('p1@x.de');
    expect(cancelled!.subject).toBe('Ihre Anmeldung ist storniert: KommA-Webinar am 12. März 2030 – W-0001-TEST');
    expect(cancelled!.text).toContain(
      'Ihre Anmeldung zur Online-Informationsveranstaltung am Dienstag, 12. März 2030, 14:00–15:00 Uhr ist storniert.',
    );
    const { method, vevent } = eventOf(cancelled!.attachments![0]!);
    expect(method).toBe('CANCEL');
    expect(vevent.getFirstPropertyValue('uid')).toBe('W-0001-TEST@komma.imap-institut.de');
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(vevent.getFirstPropertyValue('sequence')).toBe(1);

    const team = to(mail.teamInbox).map((email) => email.subject);
    expect(team.sort()).toEqual([
      'Abmeldung – Webinar 12. März 2030: Person 1 – W-0001-TEST',
      'Nachgerückt – Webinar 12. März 2030: Person 3 – W-0003-TEST',
    ]);

    const [movedUp] = to('p3@x.de');
    expect(movedUp!.subject).toBe(
      'Ein Platz ist frei geworden: Ihre Anmeldung zum KommA-Webinar am 12. März 2030 – W-0003-TEST',
    );
    const entry = eventOf(movedUp!.attachments![0]!);
    expect(entry.method).toBe('PUBLISH');
    expect(entry.vevent.getFirstPropertyValue('uid')).toBe('W-0003-TEST@komma.imap-institut.de');
    // Their own cancel link, for their own registration.
    const link = movedUp!.text!.match(/https:\/\/komma\.example\/webinar\/abmelden\/\?t=(\S+)/)![1]!;
    expect(readCancelToken(SECRET, link)).toEqual({ session: winter.id, key: 'webinar-3' });
    expect(to('p4@x.de')).toEqual([]);
    expect(to('p2@x.de')).toEqual([]);
  });

  it('does it once: a second cancellation of the same registration sends nothing more', async () => {
    await registerInOrder(3);
    await cancel(1);
    await send();
    const sent = resend.delivered.length;
    expect(sent).toBe(4);
    expect(await cancel(1)).toEqual({ kind: 'already', reference: 'W-0001-TEST' });
    await send();
    expect(resend.delivered).toHaveLength(sent);
    expect(await standing()).toEqual(['webinar-2 confirmed 1', 'webinar-3 confirmed 2']);
  });

  it('moves each waiting person up once when two places are freed at the same moment', async () => {
    await registerInOrder(5);
    // Person 1 twice at once (a double click): one of the two marks it, the other finds it marked.
    const results = await Promise.all([cancel(1), cancel(2), cancel(1)]);
    expect(results.map((result) => result.kind).sort()).toEqual(['already', 'cancelled', 'cancelled']);
    expect(results[1]!.kind).toBe('cancelled');
    await send();
    expect(to('p3@x.de').map((email) => email.subject)).toEqual([expect.stringMatching(/^Ein Platz ist frei/)]);
    expect(to('p4@x.de').map((email) => email.subject)).toEqual([expect.stringMatching(/^Ein Platz ist frei/)]);
    expect(to('p5@x.de')).toEqual([]);
    expect(to('p1@x.de')).toHaveLength(1);
    expect(await standing()).toEqual(['webinar-3 confirmed 1', 'webinar-4 confirmed 2', 'webinar-5 waiting 1']);
  });

  it('sends a waiting person who cancels no calendar file and moves nobody up', async () => {
    await registerInOrder(4);
    await cancel(3);
    await send();
    const [cancelled] = to('p3@x.de');
    expect(cancelled!.text).toContain('ist storniert, und Sie stehen nicht mehr auf der Warteliste.');
    expect(cancelled!.attachments ?? []).toEqual([]);
    expect(to(mail.teamInbox).map((email) => email.subject)).toEqual([
      'Abmeldung – Webinar 12. März 2030: Person 3 – W-0003-TEST',
    ]);
    expect(to(mail.teamInbox)[0]!.text).toContain(
      'Person 3 <p3@x.de> hat die Anmeldung zur Online-Informationsveranstaltung am Dienstag, 12. März 2030, 14:00–15:00 Uhr über den persönlichen Link storniert (stand auf der Warteliste, Platz 1).',
    );
    expect(await standing()).toEqual(['webinar-1 confirmed 1', 'webinar-2 confirmed 2', 'webinar-4 waiting 1']);
  });

  it('gives a freed place to the next one to register, and the places count knows it', async () => {
    await registerInOrder(2);
    expect(await registered(blobs.store, winter)).toBe(2);
    await cancel(2);
    expect(await registered(blobs.store, winter)).toBe(1);
    expect(await admit(blobs.store, winter, person(7), now)).toEqual({ status: 'confirmed', place: 2 });
  });

  it('knows no registration it never had', async () => {
    await registerInOrder(1);
    expect(await cancel(9)).toEqual({ kind: 'unknown' });
    await send();
    expect(resend.delivered).toEqual([]);
  });

  it('sends the reminder to the one who moved up, not to the one who cancelled', async () => {
    await registerInOrder(3);
    await cancel(2);
    const dayBefore = new Date('2030-03-11T10:00:00+01:00');
    const report = await queueReminders({
      store: blobs.store,
      env: { WEBINAR_LINK_WINTER_2030: 'https://konferenz.example/raum', WEBINAR_TOKEN_SECRET: SECRET },
      sessions: settings.webinars,
      mail,
      now: dayBefore,
    });
    expect(report.queued).toBe(2);
    resend.reset();
    await send(dayBefore);
    expect(
      resend.delivered
        .filter((request) => request.body.subject.startsWith('Erinnerung'))
        .map((r) => r.body.to)
        .sort(),
    ).toEqual(['p1@x.de', 'p3@x.de']);
    // With their own cancel link.
    const reminder = resend.delivered.find((request) => request.body.to === 'p3@x.de')!.body;
    const token = /\/webinar\/abmelden\/\?t=(\S+)/.exec(reminder.text!)![1]!;
    expect(readCancelToken(SECRET, token)).toEqual({ session: winter.id, key: 'webinar-3' });
  });
});

describe('the cancel page', () => {
  const open = async (env: Record<string, string>, at: Date, key = 'webinar-1') => {
    const runtime: Runtime = {
      env,
      settings,
      now: at,
      store: () => blobs.store,
      requestBudgetMs: TEST_REQUEST_BUDGET_MS,
    };
    const token = signCancelToken(SECRET, { session: winter.id, key });
    const response = await webinarCancel(new Request(`https://komma.example/webinar/abmelden/?t=${token}`), runtime);
    return { status: response.status, html: await response.text() };
  };
  const withSecret = { WEBINAR_TOKEN_SECRET: SECRET };

  it('says the cancel link cannot work now when no secret is set, and logs the variable', async () => {
    await registerInOrder(1);
    const { status, html } = await open({}, now);
    expect(status).toBe(503);
    expect(html).toContain('<h1>Die Abmeldung ist im Moment nicht möglich</h1>');
    expect(html).toContain('postfach@komma-test.example');
    expect(parts.errors.join('\n')).toContain('"missing":"WEBINAR_TOKEN_SECRET"');
  });

  it('says the session is over once it has started, also after its registrations are deleted', async () => {
    await registerInOrder(1);
    const { status, html } = await open(withSecret, winter.start);
    expect(status).toBe(410);
    expect(html).toContain('<h1>Dieser Termin hat bereits begonnen oder ist vorbei</h1>');
  });

  it('says it finds no registration for a signed link whose registration is not in the roster', async () => {
    const { status, html } = await open(withSecret, now, 'webinar-never');
    expect(status).toBe(404);
    expect(html).toContain('<h1>Anmeldung nicht gefunden</h1>');
  });
});

describe('moving up', () => {
  it('is remembered: a retry of the registration of one who moved up hears „Platz", and a second run moves nobody', async () => {
    await registerInOrder(3);
    expect(await admit(blobs.store, winter, person(3), registeredAt)).toEqual({ status: 'waiting', place: 1 });
    await cancel(1);
    expect(await admit(blobs.store, winter, person(3), registeredAt)).toEqual({ status: 'confirmed', place: 2 });
    expect(await moveUp({ store: blobs.store, session: winter, mail, links, now })).toBe(0);
    await send();
    expect(to('p3@x.de').map((email) => email.subject)).toEqual([
      expect.stringMatching(/^Ein Platz ist frei geworden/),
    ]);
  });
});
