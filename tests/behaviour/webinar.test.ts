import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { formatDate, formatSession } from '../../src/time/format.ts';
import { minimalRegistration as minimalFixture, validRegistration as validFixture } from '../fixtures/webinar.ts';
import { testSessions, testSettings } from '../fixtures/settings.ts';
import { postForm, postJson } from '../helpers/post.ts';
import { attachmentText } from '../helpers/resend-stub.ts';
import { fresh } from '../helpers/site-with-resend.ts';
import { useHarness } from '../helpers/use-harness.ts';
import { deliveryFailureTests } from './delivery-failures.ts';

const PAST = 'Dieser Termin hat bereits begonnen oder ist vorbei. Bitte wählen Sie einen anderen Termin.';
const TEAM = testSettings.teamInbox;
const FROM = `KommA – IMAP Institut <${TEAM}>`;

/** The fixtures, registering for the summer session, still ahead at the test clock. */
const validRegistration = { ...validFixture, session: testSessions.summer.id };
const minimalRegistration = { ...minimalFixture, session: testSessions.summer.id };

// After the winter session started, before the summer one.
const run = useHarness({ now: testSessions.between, settings: testSettings });
const api = () => run.url('/api/webinar');
const resend = () => run.harness.stub;

describe('POST /api/webinar', () => {
  it('accepts a valid registration and sends the team email, then the confirmation with a calendar file', async () => {
    const registration = fresh(validRegistration);
    const session = testSessions.summer;
    const day = formatDate(session.start);
    const response = await postJson(api(), registration);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      ok: true,
      reference: expect.stringMatching(/^W-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      queued: false,
      confirmationSent: true,
    });

    expect(resend().delivered).toHaveLength(2);
    const [team, confirmation] = resend().delivered.map((request) => request.body);
    expect(team!.to).toBe(TEAM);
    expect(team!.reply_to).toBe(registration.email);
    expect(team!.from).toBe(FROM);
    expect(team!.subject).toBe(`Webinar-Anmeldung ${day}: Kim Beispiel, Stadt Musterstadt`);
    expect(team!.text).toContain(`Termin:\n${formatSession(session)}`);
    expect(team!.text).toContain(`eingegangen am ${formatDate(testSessions.between)}.`);

    expect(confirmation!.to).toBe(registration.email);
    expect(confirmation!.reply_to).toBe(TEAM);
    expect(confirmation!.subject).toBe(`Ihre Anmeldung zum KommA-Webinar am ${day} – ${body.reference}`);
    expect(confirmation!.text).toContain(
      `Ihr Termin: ${formatSession(session)}\nIhre Vorgangsnummer: ${body.reference}`,
    );
    expect(confirmation!.attachments).toHaveLength(1);
    const [ics] = confirmation!.attachments!;
    expect(ics!.filename).toMatch(/\.ics$/);
    expect(ics!.content_type).toContain('text/calendar');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(attachmentText(ics!))).getFirstSubcomponent('vevent')!);
    expect(event.uid).toBe(`${body.reference}@komma.imap-institut.de`);
    expect(event.startDate.toJSDate().toISOString()).toBe(session.start.toISOString());
    expect(event.endDate.toJSDate().toISOString()).toBe(session.end.toISOString());

    expect(resend().requests.map((request) => request.headers['idempotency-key'])).toEqual([
      expect.stringMatching(/^komma-webinar-[0-9a-f]{64}-team$/),
      expect.stringMatching(/^komma-webinar-[0-9a-f]{64}-confirmation$/),
    ]);
    expect(run.log()).toContain(`"form":"webinar","outcome":"received","reference":"${body.reference}"`);
    expect(run.log()).not.toContain('kim.beispiel');
  });

  it('answers a plain form post with 303 to the thank-you page', async () => {
    const response = await postForm(api(), minimalRegistration);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/webinar\/danke\/\?ref=W-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const day = formatDate(testSessions.summer.start);
    expect(resend().delivered.map((request) => request.body.subject)).toEqual([
      `Webinar-Anmeldung ${day}: Alex <Muster> & "Co", Gemeinde Süd`,
      expect.stringContaining(`Ihre Anmeldung zum KommA-Webinar am ${day}`),
    ]);
  });

  it('sends the same registration only once, however often it arrives', async () => {
    const registration = fresh(validRegistration);
    const first = await (await postJson(api(), registration)).json();
    const second = await (await postJson(api(), registration)).json();
    expect(second).toEqual(first);
    expect(resend().delivered.filter((request) => request.body.to === TEAM)).toHaveLength(1);
    expect(resend().delivered).toHaveLength(2);
  });

  it('refuses a session that is over with 422 at the session field, and sends nothing', async () => {
    const response = await postJson(api(), { ...validRegistration, session: testSessions.winter.id });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ errors: { session: PAST } });
    expect(resend().requests).toHaveLength(0);
  });

  it('says so on an accessible German page when a plain form post names a session that is over', async () => {
    const response = await postForm(api(), { ...validRegistration, session: testSessions.winter.id });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('<h1>Ihre Anmeldung konnte nicht gesendet werden</h1>');
    expect(page).toContain(`<li>Termin: ${PAST}</li>`);
    expect(page).toContain('<a href="/webinar/">');
    expect(resend().requests).toHaveLength(0);
  });

  it('refuses an unknown session with 422, and sends nothing', async () => {
    const response = await postJson(api(), { ...validRegistration, session: '2027-13-01' });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ errors: { session: 'Wählen Sie einen Termin aus.' } });
    expect(resend().requests).toHaveLength(0);
  });

  it('pretends success for a filled honeypot and sends nothing', async () => {
    const response = await postJson(api(), { ...validRegistration, kontrollfeld: 'https://spam.example' });
    expect(response.status).toBe(200);
    expect((await response.json()).reference).toMatch(/^W-/);
    expect(resend().requests).toHaveLength(0);
  });
});

describe('POST /api/webinar when email delivery fails', () => {
  deliveryFailureTests(
    () => ({ api: api(), resend: resend(), drain: () => run.harness.drain(), log: run.log }),
    validRegistration,
    'Ihre Anmeldung ist eingegangen.',
  );
});
