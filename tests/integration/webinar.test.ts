import ICAL from 'ical.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { minimalRegistration, sessions, validRegistration } from '../fixtures/webinar.ts';
import { postForm, postJson } from '../helpers/post.ts';
import { deliveryFailureTests } from './delivery-failures.ts';
import { attachmentText, type ResendStub } from '../helpers/resend-stub.ts';
import { startSiteWithResend, type SiteWithResend } from '../helpers/site-with-resend.ts';
import type { RunningSite } from '../helpers/site.ts';

const PAST = 'Dieser Termin hat bereits begonnen oder ist vorbei. Bitte wählen Sie einen anderen Termin.';

let running: SiteWithResend;
let resend: ResendStub;
let site: RunningSite;
let api: string;

beforeAll(async () => {
  // After the session of 31 January, before the one of 16 February.
  running = await startSiteWithResend(sessions.between);
  ({ site, resend } = running);
  api = `${site.origin}/api/webinar`;
});
afterAll(() => running?.stop());
beforeEach(() => resend.reset());

describe('POST /api/webinar', () => {
  it('accepts a valid registration and sends the team email, then the confirmation with a calendar file', async () => {
    const response = await postJson(api, validRegistration);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      ok: true,
      reference: expect.stringMatching(/^W-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      confirmationSent: true,
    });

    expect(resend.delivered).toHaveLength(2);
    const [team, confirmation] = resend.delivered.map((request) => request.body);
    expect(team!.to).toBe('komma@imap-institut.de');
    expect(team!.reply_to).toBe('kim.beispiel@musterstadt.de');
    expect(team!.from).toBe('KommA <komma@imap-institut.de>');
    expect(team!.subject).toBe('Webinar-Anmeldung 16. Februar 2027: Kim Beispiel, Stadt Musterstadt');
    expect(team!.text).toContain('Termin:\nDienstag, 16. Februar 2027, 11:00–12:00 Uhr');
    expect(team!.text).toContain('eingegangen am 1. Februar 2027.');

    expect(confirmation!.to).toBe('kim.beispiel@musterstadt.de');
    expect(confirmation!.reply_to).toBe('komma@imap-institut.de');
    expect(confirmation!.subject).toBe(`Ihre Anmeldung zum KommA-Webinar am 16. Februar 2027 – ${body.reference}`);
    expect(confirmation!.text).toContain(
      `Ihr Termin: Dienstag, 16. Februar 2027, 11:00–12:00 Uhr\nIhre Vorgangsnummer: ${body.reference}`,
    );
    expect(confirmation!.attachments).toHaveLength(1);
    const [ics] = confirmation!.attachments!;
    expect(ics!.filename).toMatch(/\.ics$/);
    expect(ics!.content_type).toContain('text/calendar');
    const event = new ICAL.Event(new ICAL.Component(ICAL.parse(attachmentText(ics!))).getFirstSubcomponent('vevent')!);
    expect(event.uid).toBe(`${body.reference}@komma.imap-institut.de`);
    expect(event.startDate.toString()).toBe('2027-02-16T10:00:00Z');
    expect(event.endDate.toString()).toBe('2027-02-16T11:00:00Z');

    expect(resend.requests.map((request) => request.headers['idempotency-key'])).toEqual([
      expect.stringMatching(/^komma-webinar-team-[0-9a-f]{64}$/),
      expect.stringMatching(/^komma-webinar-confirmation-[0-9a-f]{64}$/),
    ]);
    expect(site.log()).toContain(`"form":"webinar","outcome":"received","reference":"${body.reference}"`);
    expect(site.log()).not.toContain('kim.beispiel@musterstadt.de');
  });

  it('answers a plain form post with 303 to the thank-you page', async () => {
    const response = await postForm(api, minimalRegistration);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/webinar\/danke\/\?ref=W-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(resend.delivered.map((request) => request.body.subject)).toEqual([
      'Webinar-Anmeldung 16. Februar 2027: Alex <Muster> & "Co", Gemeinde Süd',
      expect.stringContaining('Ihre Anmeldung zum KommA-Webinar am 16. Februar 2027'),
    ]);
  });

  it('sends the same registration only once, however often it arrives', async () => {
    const first = await (await postJson(api, validRegistration)).json();
    const second = await (await postJson(api, validRegistration)).json();
    expect(second.reference).toBe(first.reference);
    expect(resend.delivered.filter((request) => request.body.to === 'komma@imap-institut.de')).toHaveLength(1);
    expect(resend.delivered).toHaveLength(2);
  });

  it('refuses a session that is over with 422 at the session field, and sends nothing', async () => {
    const response = await postJson(api, { ...validRegistration, session: sessions.past });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ errors: { session: PAST } });
    expect(resend.requests).toHaveLength(0);
  });

  it('says so on an accessible German page when a plain form post names a session that is over', async () => {
    const response = await postForm(api, { ...validRegistration, session: sessions.past });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('<h1>Ihre Anmeldung konnte nicht gesendet werden</h1>');
    expect(page).toContain(`<li>Termin: ${PAST}</li>`);
    expect(page).toContain('<a href="/webinar/">');
    expect(resend.requests).toHaveLength(0);
  });

  it('refuses an unknown session with 422, and sends nothing', async () => {
    const response = await postJson(api, { ...validRegistration, session: '2027-13-01' });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({ errors: { session: 'Wählen Sie einen Termin aus.' } });
    expect(resend.requests).toHaveLength(0);
  });

  it('pretends success for a filled honeypot and sends nothing', async () => {
    const response = await postJson(api, { ...validRegistration, website: 'https://spam.example' });
    expect(response.status).toBe(200);
    expect((await response.json()).reference).toMatch(/^W-/);
    expect(resend.requests).toHaveLength(0);
  });
});

describe('POST /api/webinar when email delivery fails', () => {
  deliveryFailureTests(() => ({ api, resend }), validRegistration);
});
