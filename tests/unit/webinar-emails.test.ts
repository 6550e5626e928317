import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/forms/normalise.ts';
import { validate } from '../../src/forms/validate.ts';
import type { Webinar } from '../../src/forms/webinar.ts';
import type { Submission } from '../../src/mail/submission.ts';
import { webinarEmails } from '../../src/mail/webinar.ts';
import type { WebinarSession } from '../../src/settings/schema.ts';
import { webinarForm } from '../../src/submissions/webinar.ts';
import { testSessions, testSettings } from '../fixtures/settings.ts';
import { minimalRegistration, validRegistration } from '../fixtures/webinar.ts';

/** Tuesday 12 March 2030, 14:00–15:00, winter time. */
const SESSION = testSessions.winter;
const form = webinarForm(testSettings);

function parsed(input: Readonly<Record<string, unknown>>): Webinar {
  const result = validate(form.schema, form.fields, normalise(form.fields, input));
  if (!result.ok) throw new Error(`fixture is invalid: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** When it arrived: 5 March 2030, 10:15:30 in Berlin. */
const RECEIVED_AT = new Date('2030-03-05T10:15:30+01:00');

const submissionOf = (data: Webinar): Submission<Webinar> => ({
  data,
  reference: 'W-TEST-0001',
  receivedAt: RECEIVED_AT,
  teamInbox: 'team@example.org',
});

const emailsFor = (data: Webinar, session: WebinarSession = SESSION) => webinarEmails(submissionOf(data), session);

/** The fixture registrations, for the winter session (the fixtures name the summer one). */
const registration = { ...validRegistration, session: SESSION.id };
const valid = emailsFor(parsed(registration));
const minimal = emailsFor(parsed({ ...minimalRegistration, session: SESSION.id }));

/** The calendar file of a confirmation, parsed back: the calendar and its one event. */
function calendarOf(email: { attachments?: readonly { content: string }[] }) {
  const [attachment] = email.attachments ?? [];
  if (!attachment) throw new Error('no attachment');
  const calendar = new ICAL.Component(ICAL.parse(attachment.content));
  const events = calendar.getAllSubcomponents('vevent');
  expect(events).toHaveLength(1);
  return { calendar, vevent: events[0]!, event: new ICAL.Event(events[0]!) };
}

describe('team email', () => {
  it('goes to the team inbox and replies go to the registrant', () => {
    expect(valid.team.to).toBe('team@example.org');
    expect(valid.team.replyTo).toBe('kim.beispiel@musterstadt.de');
  });

  it('names the session date, the person and the organisation in the subject', () => {
    expect(valid.team.subject).toBe('Webinar-Anmeldung 12. März 2030: Kim Beispiel, Stadt Musterstadt');
  });

  it('keeps the subject on one line whatever the name holds', () => {
    const { team } = emailsFor({ ...parsed(registration), name: 'Kim\r\nBcc: x@evil.example' });
    expect(team.subject).toBe('Webinar-Anmeldung 12. März 2030: Kim Bcc: x@evil.example, Stadt Musterstadt');
  });

  it('says which session, when it was received, the reference and where replies go', () => {
    const [received, reference] = valid.team.text.split('\n\n');
    expect(received).toBe(
      'Neue Anmeldung zur Online-Informationsveranstaltung am Dienstag, 12. März 2030, 14:00–15:00 Uhr, eingegangen am 5. März 2030.',
    );
    expect(reference).toBe(
      'Vorgangsnummer: W-TEST-0001\nAntworten auf diese E-Mail gehen an Kim Beispiel <kim.beispiel@musterstadt.de>.',
    );
  });

  it('lists every field with its label, in form order, the session in words', () => {
    const rows = [
      'Termin:\nDienstag, 12. März 2030, 14:00–15:00 Uhr',
      'Vor- und Nachname:\nKim Beispiel',
      'E-Mail-Adresse:\nkim.beispiel@musterstadt.de',
      'Kommune / Organisation:\nStadt Musterstadt',
      'Funktion (freiwillig):\nReferentin für Demokratieförderung',
      'Fragen oder Themen vorab (freiwillig):\nWie viel Zeit braucht das Projekt im Alltag?\nWer aus der Verwaltung sollte teilnehmen?',
    ];
    const positions = rows.map((row) => valid.team.text.indexOf(`\n\n${row}\n`));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('shows optional fields left empty as a dash', () => {
    expect(minimal.team.text).toContain('Funktion (freiwillig):\n–\n');
    expect(minimal.team.text).toContain('Fragen oder Themen vorab (freiwillig):\n–\n');
  });

  it('escapes what the registrant typed in the HTML part', () => {
    expect(minimal.team.html).not.toContain('<Muster>');
    expect(minimal.team.html).toContain('Alex &lt;Muster&gt; &amp; &quot;Co&quot;');
  });

  it('has no attachment', () => {
    expect(valid.team.attachments).toBeUndefined();
  });

  it('says so when the registrant gets no confirmation, and why', () => {
    const reason = 'An diese Adresse gingen heute bereits 3 E-Mails von uns.';
    const data = parsed(registration);
    const { team } = webinarEmails({ ...submissionOf(data), confirmationWithheld: reason }, SESSION);
    expect(team.text.split('\n\n')[2]).toBe(
      'Hinweis: Die Bestätigung an den Absender wurde nicht verschickt. An diese Adresse gingen heute bereits 3 E-Mails von uns.',
    );
    expect(valid.team.text).not.toContain('Hinweis:');
  });
});

describe('confirmation email', () => {
  it('goes to the registrant and replies go to the team inbox', () => {
    expect(valid.confirmation.to).toBe('kim.beispiel@musterstadt.de');
    expect(valid.confirmation.replyTo).toBe('team@example.org');
  });

  it('names the session date and the reference in the subject', () => {
    expect(valid.confirmation.subject).toBe('Ihre Anmeldung zum KommA-Webinar am 12. März 2030 – W-TEST-0001');
  });

  it('names the session in words and the reference', () => {
    expect(valid.confirmation.text).toContain(
      'Ihr Termin: Dienstag, 12. März 2030, 14:00–15:00 Uhr\nIhre Vorgangsnummer: W-TEST-0001',
    );
  });

  it('says what happens next and how to cancel', () => {
    expect(valid.confirmation.text).toContain('Den Zugangslink schicken wir Ihnen vor dem Webinar per E-Mail.');
    expect(valid.confirmation.text).toContain(
      'Wenn Sie nicht teilnehmen können, antworten Sie einfach auf diese E-Mail.',
    );
  });

  it('contains a copy of what was sent', () => {
    expect(valid.confirmation.text).toContain(
      'Das haben Sie uns geschickt:\n\nTermin:\nDienstag, 12. März 2030, 14:00–15:00 Uhr\n',
    );
    expect(valid.confirmation.text).toContain('Kommune / Organisation:\nStadt Musterstadt\n');
  });

  it('escapes what the registrant typed in the HTML part', () => {
    expect(minimal.confirmation.html).not.toContain('<Muster>');
    expect(minimal.confirmation.html).toContain('Guten Tag Alex &lt;Muster&gt; &amp; &quot;Co&quot;,');
  });
});

describe('calendar file of the confirmation', () => {
  const { calendar, vevent, event } = calendarOf(valid.confirmation);

  it('is one iCalendar attachment named after the session', () => {
    expect(valid.confirmation.attachments?.map(({ filename, contentType }) => ({ filename, contentType }))).toEqual([
      { filename: 'komma-webinar-winter-2030.ics', contentType: 'text/calendar; charset=utf-8; method=PUBLISH' },
    ]);
  });

  it('publishes the event under KommA’s product id, with CRLF line endings', () => {
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(calendar.getFirstPropertyValue('prodid')).toBe('-//IMAP Institut//KommA Website//DE');
    expect(valid.confirmation.attachments![0]!.content.split('\r\n').length).toBeGreaterThan(10);
    expect(valid.confirmation.attachments![0]!.content).not.toMatch(/[^\r]\n/);
  });

  it('has a UID from the reference, the same for the same registration', () => {
    expect(event.uid).toBe('W-TEST-0001@komma.imap-institut.de');
    expect(calendarOf(emailsFor(parsed(registration)).confirmation).event.uid).toBe(event.uid);
  });

  it('names summary, location, description and the team inbox as organizer', () => {
    expect(event.summary).toBe('Online-Informationsveranstaltung KommA');
    expect(event.location).toBe('Online (Zugangslink folgt per E-Mail)');
    expect(event.description).toBe(
      'Den Zugangslink schicken wir Ihnen vor dem Webinar per E-Mail.\nIhre Vorgangsnummer: W-TEST-0001',
    );
    const organizer = vevent.getFirstProperty('organizer')!;
    expect(organizer.getFirstValue()).toBe('mailto:team@example.org');
    expect(organizer.getParameter('cn')).toBe('KommA-Team, IMAP Institut');
  });

  it('is stamped with the instant of receipt, in UTC: rendered once, the same for every retry of the email', () => {
    expect(String(vevent.getFirstPropertyValue('dtstamp'))).toBe('2030-03-05T09:15:30Z');
  });

  it('starts and ends at the session’s instants, in UTC (winter: Berlin is UTC+1)', () => {
    expect(event.startDate.toString()).toBe('2030-03-12T13:00:00Z');
    expect(event.endDate.toString()).toBe('2030-03-12T14:00:00Z');
    expect(event.startDate.toJSDate().getTime()).toBe(SESSION.start.getTime());
  });

  it('puts a summer session at its UTC instant (Berlin is UTC+2)', () => {
    const data = parsed({ ...validRegistration, session: testSessions.summer.id });
    const { event: inSummer } = calendarOf(emailsFor(data, testSessions.summer).confirmation);
    expect(inSummer.startDate.toString()).toBe('2030-04-10T08:00:00Z');
    expect(inSummer.endDate.toString()).toBe('2030-04-10T09:30:00Z');
  });

  it('keeps the real length of a session across the switch to summer time', () => {
    // 01:30 CET to 03:30 CEST on 31 March 2030 reads as two hours but lasts one.
    const across = {
      id: 'umstellung-2030',
      start: new Date('2030-03-31T01:30:00+01:00'),
      end: new Date('2030-03-31T03:30:00+02:00'),
    };
    const { event: acrossSwitch } = calendarOf(emailsFor(parsed(registration), across).confirmation);
    expect(acrossSwitch.startDate.toString()).toBe('2030-03-31T00:30:00Z');
    expect(acrossSwitch.endDate.toString()).toBe('2030-03-31T01:30:00Z');
    expect(acrossSwitch.endDate.subtractDate(acrossSwitch.startDate).toSeconds()).toBe(3600);
  });
});
