import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { confirmationNote } from '../../src/submissions/messages.ts';
import { respond, type Outcome, type ResponseContext } from '../../src/submissions/respond.ts';

const context = (json: boolean): ResponseContext => ({
  json,
  formPath: '/bewerbung/',
  thanksPath: '/bewerbung/danke/',
  failureTitle: 'Ihre Bewerbung konnte nicht gesendet werden',
  labels: { municipality: 'Name der Kommune', email: 'E-Mail-Adresse <der> Ansprechperson' },
});

const invalid: Outcome = {
  kind: 'invalid',
  errors: {
    municipality: 'Geben Sie den Namen der Kommune an.',
    email: 'Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.',
  },
};

const received: Outcome = { kind: 'received', reference: 'B-7F3K-9Q2M', queued: false, confirmationSent: true };

/** Stored, the team email sent, the confirmation still in the queue. */
const delayed: Outcome = {
  kind: 'received',
  reference: 'B-7F3K-9Q2M',
  queued: false,
  confirmationSent: false,
  message: confirmationNote('pending', 'Ihre Bewerbung ist eingegangen.', 'team@example.org')!,
};

const closed: Outcome = {
  kind: 'refused',
  status: 403,
  message: 'Die Bewerbungsfrist ist abgelaufen.',
};

const unavailable: Outcome = {
  kind: 'refused',
  status: 503,
  message: 'Ihre Angaben konnten gerade nicht übermittelt werden.',
  headers: { 'retry-after': '120' },
};

describe('respond to a script or API client (JSON)', () => {
  it('answers a received submission with 200, the reference, whether it waits in the queue and whether the confirmation went out', async () => {
    const response = respond(received, context(true));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      ok: true,
      reference: 'B-7F3K-9Q2M',
      queued: false,
      confirmationSent: true,
    });
  });

  it('passes on the German note of a submission whose confirmation has not gone out yet', async () => {
    const response = respond(delayed, context(true));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      ok: true,
      reference: 'B-7F3K-9Q2M',
      queued: false,
      confirmationSent: false,
      message: 'Ihre Bewerbung ist eingegangen. Die Bestätigung per E-Mail kann sich etwas verzögern.',
    });
  });

  it('says when a stored submission still waits for its team email', async () => {
    const queued = { ...delayed, queued: true };
    expect(await respond(queued, context(true)).json()).toMatchObject({ ok: true, queued: true });
  });

  it('answers invalid input with 422 and the errors by field', async () => {
    const response = respond(invalid, context(true));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      errors: {
        municipality: 'Geben Sie den Namen der Kommune an.',
        email: 'Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.',
      },
    });
  });

  it('answers a refusal with its status, message and headers', async () => {
    const response = respond(
      { kind: 'refused', status: 405, message: 'Nur POST.', headers: { Allow: 'POST' } },
      context(true),
    );
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
    expect(await response.json()).toEqual({ message: 'Nur POST.' });
  });
});

describe('respond to a plain form post (HTML)', () => {
  it('sends a received submission on to the thanks page with its reference (303)', async () => {
    const response = respond(received, context(false));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/bewerbung/danke/?ref=B-7F3K-9Q2M');
    expect(await response.text()).toBe('');
  });

  it('sends a submission whose confirmation has not gone out to the thanks page that says so (303)', async () => {
    for (const outcome of [delayed, { ...delayed, queued: true }]) {
      const response = respond(outcome, context(false));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/bewerbung/danke/verzoegert/?ref=B-7F3K-9Q2M');
    }
  });

  it('sends a person registered for the session before to the page that says so (303), with the earlier reference', () => {
    const again: Outcome = {
      ...received,
      reference: 'W-7F3K-9Q2M',
      confirmationSent: false,
      waitingList: 2,
      already: true,
    };
    const response = respond(again, { ...context(false), thanksPath: '/webinar/danke/' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/webinar/danke/bereits/?ref=W-7F3K-9Q2M');
  });

  it('sends a registration on the waiting list to the thanks page that says so (303), and tells JSON clients its place', async () => {
    const waiting: Outcome = { ...received, reference: 'W-7F3K-9Q2M', waitingList: 2 };
    const webinar = { ...context(false), thanksPath: '/webinar/danke/' };
    const response = respond(waiting, webinar);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/webinar/danke/warteliste/?ref=W-7F3K-9Q2M');
    expect(await respond(waiting, { ...webinar, json: true }).json()).toEqual({
      ok: true,
      reference: 'W-7F3K-9Q2M',
      queued: false,
      confirmationSent: true,
      waitingList: 2,
    });
  });

  it('answers invalid input with a 422 German page listing „Label: message", escaped', async () => {
    const response = respond(invalid, context(false));
    const page = await response.text();
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('<h1>Ihre Bewerbung konnte nicht gesendet werden</h1>');
    expect(page).toContain(
      '<ul><li>Name der Kommune: Geben Sie den Namen der Kommune an.</li>' +
        '<li>E-Mail-Adresse &lt;der&gt; Ansprechperson: Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.</li></ul>',
    );
    expect(page).not.toContain('<der>');
  });

  it('tells the reader to go back with the browser and correct the input', async () => {
    const page = await respond(invalid, context(false)).text();
    expect(page).toContain(
      'Gehen Sie mit der Zurück-Funktion Ihres Browsers zum Formular zurück und korrigieren Sie diese Angaben. Ihre Eingaben sind dort noch vorhanden.',
    );
    expect(page).toContain('<a href="/bewerbung/">Formular neu laden</a>');
  });

  it('protects the error page with a CSP that allows only its own hashed style', async () => {
    const response = respond(invalid, context(false));
    const csp = response.headers.get('content-security-policy') ?? '';
    const style = /<style>([^<]*)<\/style>/.exec(await response.text())?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(style).not.toBe('');
    expect(csp).toContain(`style-src 'sha256-${hash}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('tells the reader to try again later when the service is unavailable (503)', async () => {
    const response = respond(unavailable, context(false));
    const page = await response.text();
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('120');
    expect(page).toContain('<li>Ihre Angaben konnten gerade nicht übermittelt werden.</li>');
    expect(page).toContain(
      'Gehen Sie mit der Zurück-Funktion Ihres Browsers zum Formular zurück. Ihre Eingaben sind dort noch vorhanden, und Sie können es später erneut versuchen.',
    );
    expect(page).not.toContain('korrigieren');
  });

  it('tells the reader to go back and shorten a text that is too long (413)', async () => {
    const page = await respond(
      { kind: 'refused', status: 413, message: 'Ihre Angaben sind zu lang.' },
      context(false),
    ).text();
    expect(page).toContain('korrigieren Sie diese Angaben');
    expect(page).not.toContain('später erneut versuchen');
  });

  it('offers neither a correction nor a later try when the window has closed (403)', async () => {
    const response = respond(closed, context(false));
    const page = await response.text();
    expect(response.status).toBe(403);
    expect(page).toContain('<li>Die Bewerbungsfrist ist abgelaufen.</li>');
    expect(page).not.toContain('später erneut versuchen');
    expect(page).not.toContain('korrigieren');
    expect(page).not.toContain('Zurück-Funktion');
    expect(page).toContain('<a href="/bewerbung/">Formular neu laden</a>');
  });
});

describe('caching', () => {
  const outcomes: readonly [string, Outcome][] = [
    ['received', received],
    ['delayed', delayed],
    ['invalid', invalid],
    ['refused', unavailable],
  ];

  for (const [name, outcome] of outcomes) {
    for (const json of [true, false]) {
      it(`forbids caching and sniffing the ${name} answer (${json ? 'JSON' : 'HTML'})`, () => {
        const response = respond(outcome, context(json));
        expect(response.headers.get('cache-control')).toBe('no-store');
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      });
    }
  }
});

describe('the note beside a received submission', () => {
  const note = (state: Parameters<typeof confirmationNote>[0]) =>
    confirmationNote(state, 'Ihre Anmeldung ist eingegangen.', 'team@example.org');

  it('is not needed once the confirmation went out', () => {
    expect(note('sent')).toBeUndefined();
  });

  it('says that the confirmation may take a while while it waits in the queue', () => {
    expect(note('pending')).toBe(
      'Ihre Anmeldung ist eingegangen. Die Bestätigung per E-Mail kann sich etwas verzögern.',
    );
  });

  it('says why no confirmation comes when the address had too many today, naming the team inbox', () => {
    expect(note('withheld')).toBe(
      'Ihre Anmeldung ist eingegangen. An diese E-Mail-Adresse schicken wir heute keine weitere Bestätigung, weil dort heute schon mehrere E-Mails von uns eingegangen sind. Bei Fragen schreiben Sie an team@example.org.',
    );
  });

  it('asks to check the address when the provider refused it, naming the team inbox', () => {
    expect(note('failed')).toBe(
      'Ihre Anmeldung ist eingegangen. Die Bestätigung konnte nicht an Ihre E-Mail-Adresse zugestellt werden. Bitte prüfen Sie die Adresse; bei Fragen schreiben Sie an team@example.org.',
    );
  });
});
