import ICAL from 'ical.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/settings/parse.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import { testSessions, testSettingsFile } from '../fixtures/settings.ts';
import { cancelPathIn, TEST_TOKEN_SECRET } from '../helpers/cancel-site.ts';
import { postJson } from '../helpers/post.ts';
import { attachmentText, type ResendEmailBody } from '../helpers/resend-stub.ts';
import { fresh } from '../helpers/site-with-resend.ts';
import { useHarness } from '../helpers/use-harness.ts';

/**
 * The cancel link end to end, with the functions on the in-process harness and the real Resend
 * SDK against the stub: the tests' own settings, one place in the winter session (12 March 2030,
 * 14:00–15:00), the clock at 5 March 2030.
 */
const WHEN = 'Dienstag, 12. März 2030, 14:00–15:00 Uhr';
const TEAM = testSettingsFile.teamInbox;
const [winter, summer] = testSettingsFile.webinars;

const run = useHarness({
  now: testSessions.beforeBoth,
  settings: parseSettings({ ...testSettingsFile, webinars: [{ ...winter, capacity: 1 }, { ...summer }] }),
  env: { WEBINAR_TOKEN_SECRET: TEST_TOKEN_SECRET },
});
let origin = '';
beforeEach(() => {
  origin = run.harness.origin;
});

const delivered = () => run.harness.stub.delivered.map((request) => request.body);
const to = (address: string) => delivered().filter((email) => email.to === address);

/** The one event of an email's calendar file. */
function calendarOf(email: ResendEmailBody) {
  const calendar = new ICAL.Component(ICAL.parse(attachmentText(email.attachments![0]!)));
  const vevent = calendar.getFirstSubcomponent('vevent')!;
  return {
    method: calendar.getFirstPropertyValue('method'),
    uid: vevent.getFirstPropertyValue('uid'),
    status: vevent.getFirstPropertyValue('status'),
    sequence: Number(vevent.getFirstPropertyValue('sequence') ?? 0),
  };
}

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...headers },
    body,
  });

const places = async () => (await fetch(`${origin}/api/webinar/plaetze`)).json();

describe('cancelling a webinar registration by its link', () => {
  it('shows the session on GET and changes nothing, cancels on POST once, and moves the waiting list up', async () => {
    const a = fresh({ ...validRegistration, session: testSessions.winter.id });
    const b = fresh({ ...validRegistration, session: testSessions.winter.id });
    const answerA = await (await postJson(`${origin}/api/webinar`, a)).json();
    const answerB = await (await postJson(`${origin}/api/webinar`, b)).json();
    expect(answerA.waitingList).toBeUndefined();
    expect(answerB.waitingList).toBe(1);

    // Both confirmations carry a personal link, in the text and as a link in the HTML.
    const [confirmationA] = to(a.email);
    const path = cancelPathIn(confirmationA!);
    expect(confirmationA!.text).toContain('Falls Sie nicht teilnehmen können: Hier abmelden');
    expect(confirmationA!.html).toContain(`<a href="https://komma.imap-institut.de${path}">`);
    const pathB = cancelPathIn(to(b.email)[0]!);
    expect(pathB).not.toBe(path);
    const original = calendarOf(confirmationA!);
    expect(path).not.toContain(encodeURIComponent(a.email));
    run.harness.stub.reset();

    // GET (and HEAD, and the address without its slash) shows the session and changes nothing.
    const page = await fetch(`${origin}${path}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(
      `Sie sind angemeldet für die Online-Informationsveranstaltung am <strong>${WHEN}</strong>. Sie haben einen Platz.`,
    );
    expect(html).toContain('>Anmeldung verbindlich stornieren</button>');
    expect(html).toContain(`Ihre Vorgangsnummer: ${answerA.reference}`);
    expect((await fetch(`${origin}${path}`, { method: 'HEAD' })).status).toBe(200);
    expect((await fetch(`${origin}${path.replace('abmelden/', 'abmelden')}`)).status).toBe(200);
    await run.harness.drain();
    expect(delivered()).toEqual([]);
    expect(await places()).toEqual({ full: [testSessions.winter.id] });
    const waitingPage = await (await fetch(`${origin}${pathB}`)).text();
    expect(waitingPage).toContain('Sie stehen auf der Warteliste, Platz 1.');

    // A post from another site is refused, and changes nothing either.
    const token = new URL(path, origin).searchParams.get('t')!;
    const crossSite = await post('/webinar/abmelden/', new URLSearchParams({ t: token }).toString(), {
      origin: 'https://andere-seite.example',
    });
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain('Anfragen von anderen Websites werden nicht angenommen.');

    // The button's POST cancels.
    const done = await post('/webinar/abmelden/', new URLSearchParams({ t: token }).toString(), { origin });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('<h1>Ihre Anmeldung ist storniert</h1>');
    await run.harness.drain();

    const [cancellation] = to(a.email);
    expect(cancellation!.subject).toBe(
      `Ihre Anmeldung ist storniert: KommA-Webinar am 12. März 2030 – ${answerA.reference}`,
    );
    const cancelled = calendarOf(cancellation!);
    expect(cancelled).toEqual({
      method: 'CANCEL',
      uid: original.uid,
      status: 'CANCELLED',
      sequence: original.sequence + 1,
    });

    expect(
      to(TEAM)
        .map((email) => email.subject)
        .sort(),
    ).toEqual([
      `Abmeldung – Webinar 12. März 2030: ${a.name} – ${answerA.reference}`,
      `Nachgerückt – Webinar 12. März 2030: ${b.name} – ${answerB.reference}`,
    ]);
    const [movedUp] = to(b.email);
    expect(movedUp!.subject).toMatch(
      /^Ein Platz ist frei geworden: Ihre Anmeldung zum KommA-Webinar am 12\. März 2030/,
    );
    expect(calendarOf(movedUp!)).toMatchObject({
      method: 'PUBLISH',
      uid: `${answerB.reference}@komma.imap-institut.de`,
    });
    expect(await places()).toEqual({ full: [testSessions.winter.id] });

    // The same POST again (a reload, a double click): said so, and nothing more is sent.
    run.harness.stub.reset();
    const again = await post('/webinar/abmelden/', new URLSearchParams({ t: token }).toString(), { origin });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('<h1>Ihre Anmeldung ist bereits storniert</h1>');
    expect(await (await fetch(`${origin}${path}`)).text()).toContain('Ihre Anmeldung ist bereits storniert');
    await run.harness.drain();
    expect(delivered()).toEqual([]);
  });

  it('answers a forged, cut or missing token with a German page and a 404, and changes nothing', async () => {
    const forged = 'MQp3aW50ZXItMjAzMAp3ZWJpbmFyLXh5eg.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    for (const query of [`?t=${forged}`, '?t=abc', '']) {
      const response = await fetch(`${origin}/webinar/abmelden/${query}`);
      expect(response.status, query).toBe(404);
      const html = await response.text();
      expect(html).toContain('<h1>Dieser Link ist ungültig</h1>');
      expect(html).toContain('<html lang="de">');
    }
    expect((await post('/webinar/abmelden/', `t=${forged}`)).status).toBe(404);
  });

  it('refuses a POST body it cannot read with a German page and a 4xx', async () => {
    const response = await post('/webinar/abmelden/', 't=x', { 'content-type': 'text/plain' });
    expect(response.status).toBe(415);
    expect(await response.text()).toContain('Die Abmeldung wurde nicht ausgeführt');
    const put = await fetch(`${origin}/webinar/abmelden/`, { method: 'PUT' });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
  });
});
