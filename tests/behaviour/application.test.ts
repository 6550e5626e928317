import { describe, expect, it } from 'vitest';
import { anonymousUnitApplication, validApplication } from '../fixtures/applications.ts';
import { testSettings, testWindow } from '../fixtures/settings.ts';
import { spreadsheetDateTime } from '../../src/time/format.ts';
import { postForm, postJson } from '../helpers/post.ts';
import { attachmentText } from '../helpers/resend-stub.ts';
import { fresh } from '../helpers/site-with-resend.ts';
import { useHarness } from '../helpers/use-harness.ts';
import { deliveryFailureTests } from './delivery-failures.ts';

/**
 * The application function as deployed, on the in-process harness: the tests' settings, the clock
 * inside their window. What the schema refuses with which message is in
 * tests/unit/application-schema.test.ts, each refusal of the request in tests/unit/request.test.ts.
 */
const TEAM = testSettings.teamInbox;
const FROM = `KommA – IMAP-Institut <${TEAM}>`;
const run = useHarness({ now: testWindow.inside, settings: testSettings });
const api = () => run.url('/api/bewerbung');
const resend = () => run.harness.stub;

describe('POST /api/bewerbung inside the application window', () => {
  it('accepts a valid application and sends exactly two emails: team first, then the confirmation', async () => {
    const application = fresh(validApplication);
    const response = await postJson(api(), application);
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toEqual({
      ok: true,
      reference: expect.stringMatching(/^B-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      queued: false,
      confirmationSent: true,
    });

    expect(resend().delivered).toHaveLength(2);
    const [team, confirmation] = resend().delivered.map((request) => request.body);
    expect(team!.to).toBe(TEAM);
    expect(team!.reply_to).toBe(application.email);
    expect(team!.from).toBe(FROM);
    expect(team!.subject).toBe(`Bewerbung KommA: Musterstadt (Bayern) – ${body.reference}`);
    expect(team!.text).toContain('Name der Kommune:\nMusterstadt');
    expect(team!.text).toContain('Einwohnerzahl:\n48.500');
    expect(team!.text).toContain('Drohungen gegen Mitarbeitende im Bürgerbüro.\nHassrede in sozialen Medien.');
    expect(team!.html).toContain('<th scope="row"');
    const [csv] = team!.attachments!;
    expect(csv!.filename).toBe(`bewerbung-${body.reference}.csv`);
    const csvText = attachmentText(csv!);
    expect(csvText.startsWith('\ufeff"Vorgangsnummer";"Eingegangen";"Name der Kommune"')).toBe(true);
    expect(csvText).toContain(
      `"${body.reference}";"${spreadsheetDateTime(testWindow.inside)}";"Musterstadt";"Bayern";"Stadt";"48500"`,
    );

    expect(confirmation!.to).toBe(application.email);
    expect(confirmation!.reply_to).toBe(TEAM);
    expect(confirmation!.subject).toBe(`Ihre Bewerbung für das Modellprojekt KommA – ${body.reference}`);
    expect(confirmation!.text).toContain(`Ihre Vorgangsnummer: ${body.reference}`);
    expect(confirmation!.text).toContain('Antworten Sie einfach auf diese E-Mail');
    expect(confirmation!.text).toContain('Name der Kommune:\nMusterstadt');
    expect(resend().requests.map((request) => request.headers['idempotency-key'])).toEqual([
      expect.stringMatching(/^komma-bewerbung-[0-9a-f]{64}-team$/),
      expect.stringMatching(/^komma-bewerbung-[0-9a-f]{64}-confirmation$/),
    ]);
    expect(run.log()).toContain(
      `"outcome":"received","reference":"${body.reference}","confirmation":"sent","stored":true`,
    );
    expect(run.log()).not.toContain('kim.beispiel');
  });

  it('puts anonymity first in the subject and body, and escapes what the applicant typed', async () => {
    const response = await postJson(api(), fresh(anonymousUnitApplication));
    expect(response.status).toBe(200);
    const team = resend().delivered[0]!.body;
    expect(team.subject).toMatch(/^ANONYME TEILNAHME – Bewerbung KommA: Gemeinde <Süd> & "Nord" \(Sachsen\) – B-/);
    expect(team.text!.startsWith('ACHTUNG: Die Kommune wünscht eine komplett anonyme Teilnahme.')).toBe(true);
    expect(team.html).toContain('Gemeinde &lt;Süd&gt; &amp; &quot;Nord&quot;');
    expect(team.html).not.toContain('<Süd>');
    expect(team.text).toContain('Bezeichnung der Organisationseinheit:\nAmt für Bürgerdienste');
    expect(attachmentText(team.attachments![0]!)).toContain(`"'=HYPERLINK(""http://example.org"")"`);
  });

  it('answers a plain form post with 303 to the thank-you page and sends both emails', async () => {
    const response = await postForm(api(), { ...validApplication, municipality: 'Formstadt' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/bewerbung\/danke\/\?ref=B-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(resend().delivered.map((request) => request.body.subject)).toEqual([
      expect.stringContaining('Bewerbung KommA: Formstadt'),
      expect.stringContaining('Ihre Bewerbung für das Modellprojekt KommA'),
    ]);
  });

  it('sends the same application only once, however often it arrives', async () => {
    const application = fresh(validApplication);
    const first = await (await postJson(api(), application)).json();
    const second = await (await postJson(api(), application)).json();
    expect(second).toEqual(first);
    // The store knows it: the second arrival asks Resend nothing at all.
    expect(resend().requests).toHaveLength(2);
    expect(resend().delivered).toHaveLength(2);
  });

  it('knows a form posted again without JavaScript by its content: same reference, sent once', async () => {
    const fields = { ...validApplication, municipality: 'Zweimalstadt', email: 'zweimal@musterstadt.de' };
    const first = await postForm(api(), fields);
    const second = await postForm(api(), fields);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(resend().delivered).toHaveLength(2);
  });

  it('refuses an invalid application with 422, the field’s German message and no email', async () => {
    const response = await postJson(api(), { ...validApplication, municipality: '' });
    expect(response.status).toBe(422);
    expect((await response.json()).errors).toEqual({ municipality: 'Geben Sie den Namen der Kommune an.' });
    expect(resend().requests).toHaveLength(0);
  });

  it('lists every problem on an accessible German page when a plain form post is invalid', async () => {
    const response = await postForm(api(), { ...validApplication, municipality: '', email: 'kein-at' });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('<li>Name der Kommune: Geben Sie den Namen der Kommune an.</li>');
    expect(page).toContain(
      '<li>E-Mail-Adresse der Ansprechperson: Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.</li>',
    );
    expect(page).toContain('Zurück-Funktion Ihres Browsers');
    expect(resend().requests).toHaveLength(0);
  });

  it('pretends success for a filled honeypot and sends nothing', async () => {
    const response = await postJson(api(), { ...validApplication, kontrollfeld: 'https://spam.example' });
    expect(response.status).toBe(200);
    expect((await response.json()).ok).toBe(true);
    expect(resend().requests).toHaveLength(0);
  });

  it('sends a form filled faster than a person can to the team, marked for a check, and no copy to the address', async () => {
    const response = await postJson(api(), { ...validApplication, elapsedMs: 400 });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, confirmationSent: false });
    await run.harness.drain();
    const sent = resend().delivered.map((request) => request.body);
    expect(sent.map((email) => email.to)).toEqual([TEAM]);
    expect(sent[0]!.text).toContain('sehr schnell ausgefüllt – bitte prüfen');
  });

  it('refuses other methods with 405 and Allow: POST', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetch(api(), { method, headers: { accept: 'application/json' } });
      expect(response.status, method).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
    }
  });

  it('refuses other content types (415), oversized bodies (413), malformed JSON (400) and other sites (403)', async () => {
    const cases: [Record<string, string>, string, number, RegExp][] = [
      [{ 'content-type': 'text/plain' }, 'x', 415, /application\/x-www-form-urlencoded/],
      [{ 'content-type': 'application/json' }, JSON.stringify({ needs: 'x'.repeat(70_000) }), 413, /zu groß/],
      [{ 'content-type': 'application/json' }, '{"municipality":', 400, /kein gültiges JSON/],
      [{ 'content-type': 'application/json' }, '[1,2]', 400, /JSON-Objekt/],
      [
        { 'content-type': 'application/json', origin: 'https://evil.example' },
        JSON.stringify(validApplication),
        403,
        /anderen Websites/,
      ],
    ];
    for (const [headers, body, status, message] of cases) {
      const response = await fetch(api(), {
        method: 'POST',
        headers: { accept: 'application/json', ...headers },
        body,
      });
      expect(response.status, body.slice(0, 20)).toBe(status);
      expect((await response.json()).message).toMatch(message);
    }
    expect(resend().requests).toHaveLength(0);
  });
});

describe('POST /api/bewerbung when email delivery fails', () => {
  deliveryFailureTests(
    () => ({ api: api(), resend: resend(), drain: () => run.harness.drain(), log: run.log }),
    validApplication,
    'Ihre Bewerbung ist eingegangen.',
  );
});
