import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
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

const unavailable: Outcome = {
  kind: 'refused',
  status: 503,
  message: 'Ihre Angaben konnten gerade nicht übermittelt werden.',
  headers: { 'retry-after': '120' },
};

describe('respond to a script or API client (JSON)', () => {
  it('answers a received submission with 200, the reference and whether the confirmation went out', async () => {
    const response = respond({ kind: 'received', reference: 'B-7F3K-9Q2M', confirmationSent: true }, context(true));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ ok: true, reference: 'B-7F3K-9Q2M', confirmationSent: true });
  });

  it('adds a German note when the confirmation could not be sent', async () => {
    const response = respond({ kind: 'received', reference: 'B-7F3K-9Q2M', confirmationSent: false }, context(true));
    expect(await response.json()).toEqual({
      ok: true,
      reference: 'B-7F3K-9Q2M',
      confirmationSent: false,
      message:
        'Die Bestätigung per E-Mail konnte gerade nicht verschickt werden. Ihre Angaben sind trotzdem bei uns eingegangen – bitte senden Sie sie nicht noch einmal.',
    });
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
    const response = respond({ kind: 'received', reference: 'B-7F3K-9Q2M', confirmationSent: true }, context(false));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/bewerbung/danke/?ref=B-7F3K-9Q2M');
    expect(await response.text()).toBe('');
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
    expect(page).toContain('Sie können es später erneut versuchen.');
    expect(page).not.toContain('korrigieren');
  });
});

describe('caching', () => {
  const outcomes: readonly [string, Outcome][] = [
    ['received', { kind: 'received', reference: 'B-7F3K-9Q2M', confirmationSent: true }],
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
