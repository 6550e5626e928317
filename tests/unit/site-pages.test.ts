import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { framed, pageHeaders, withReference } from '../../src/site-pages/compose.ts';
import { thanksPage } from '../../src/site-pages/thanks.ts';
import { respond } from '../../src/submissions/respond.ts';

/** Pages as Astro builds them (src/layouts/Base.astro, src/components/form/ThanksPage.astro), cut short. */
const STYLE = ':root{--accent:#6d1f7a}.site-header{background:var(--accent)}@media (width<=40rem){.long{display:none}}';
const frame = (title: string, main: string) =>
  `<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>${title} – KommA</title>` +
  `<meta name="description" content="Diese Seite gibt es nicht (mehr)."><meta name="robots" content="noindex">` +
  `<meta property="og:title" content="${title}"><meta property="og:description" content="Diese Seite gibt es nicht (mehr).">` +
  `<meta http-equiv="content-security-policy" content="script-src 'self'; style-src 'self' 'sha256-x';"><style>${STYLE}</style></head>` +
  `<body><a class="skip-link" href="#inhalt">Zum Inhalt springen</a><header class="site-header">KommA</header>` +
  `<main id="inhalt" class="wrapper" tabindex="-1">${main}</main><footer class="site-footer"><nav aria-label="Fußzeile"></nav></footer>` +
  `<script type="module" src="/_astro/ThanksPage.js"></script></body></html>`;
const THANKS = frame(
  'Bewerbung eingegangen',
  '<h1>Vielen Dank</h1><p data-reference-line data-draft-key="komma-entwurf:bewerbung" hidden>Ihre Vorgangsnummer: <strong data-reference></strong></p><p>Wir schicken Ihnen eine Bestätigung.</p>',
);
const NOT_FOUND = frame('Seite nicht gefunden', '<h1>Seite nicht gefunden</h1>');
const pages = { '/404.html': NOT_FOUND, '/bewerbung/danke/': THANKS };
const styleHash = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

const get = (path: string) => thanksPage(new URL(`https://komma.example${path}`), pages);

describe('the thank-you page a function serves', () => {
  it('shows the reference from the address without any script, in the line the page had hidden', async () => {
    const response = get('/bewerbung/danke/?ref=B-7F3K-9Q2M');
    const page = await response.text();
    expect(response.status).toBe(200);
    expect(page).toContain(
      '<p data-reference-line data-draft-key="komma-entwurf:bewerbung">Ihre Vorgangsnummer: <strong data-reference>B-7F3K-9Q2M</strong></p>',
    );
    expect(
      page.replace('data-reference>B-7F3K-9Q2M', 'data-reference>').replace('bewerbung">', 'bewerbung" hidden>'),
    ).toBe(THANKS);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
  });

  it.each([
    ['no reference', ''],
    ['markup', '?ref=%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
    ['a reference with letters Crockford leaves out', '?ref=B-ILOU-9Q2M'],
    ['a reference with more after it', '?ref=B-7F3K-9Q2M%22%3E'],
    ['lower case', '?ref=b-7f3k-9q2m'],
  ])('serves the page as built for %s', async (_, query) => {
    expect(await get(`/bewerbung/danke/${query}`).text()).toBe(THANKS);
  });

  it('brings its own strict headers, as Netlify applies no header rule to a function', async () => {
    const response = get('/bewerbung/danke/?ref=B-7F3K-9Q2M');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`style-src ${styleHash}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d{8,}/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('says thank you with the reference even where no build lies beside the sources', async () => {
    const response = thanksPage(new URL('https://komma.example/bewerbung/danke/?ref=B-7F3K-9Q2M'), {});
    const page = await response.text();
    expect(page).toContain('<html lang="de">');
    expect(page).toContain('Ihre Vorgangsnummer: <strong>B-7F3K-9Q2M</strong>');
  });

  it('leaves a page without the reference line as it is', () => {
    expect(withReference(NOT_FOUND, 'B-7F3K-9Q2M')).toBeUndefined();
  });
});

describe('a page in the site’s frame', () => {
  it('keeps header, footer, skip link and CSS, and puts its own title and main in', () => {
    const page = framed(NOT_FOUND, 'Fehler: <Bewerbung>', '<h1>Fehler</h1>')!;
    expect(page).toContain('<title>Fehler: &lt;Bewerbung&gt; – KommA</title>');
    expect(page).toContain('<main id="inhalt" class="wrapper" tabindex="-1">\n<h1>Fehler</h1>\n</main>');
    expect(page).not.toContain('Seite nicht gefunden');
    expect(page).not.toContain('Diese Seite gibt es nicht');
    expect(page).toContain('<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>');
    expect(page).toContain('<header class="site-header">');
    expect(page).toContain('<footer class="site-footer">');
    expect(page).toContain(`<style>${STYLE}</style>`);
  });

  it('is no page when the frame is none', () => {
    expect(framed('<p>kein Rahmen</p>', 'Fehler', '<h1>Fehler</h1>')).toBeUndefined();
  });

  it('holds the error page after a post without JavaScript, under a CSP with the frame’s style hash', async () => {
    const response = respond(
      { kind: 'invalid', errors: { municipality: 'Geben Sie den Namen der Kommune an.' } },
      {
        json: false,
        formPath: '/bewerbung/',
        thanksPath: '/bewerbung/danke/',
        failureTitle: 'Ihre Bewerbung konnte nicht gesendet werden',
        labels: { municipality: 'Name der Kommune' },
        frame: NOT_FOUND,
      },
    );
    const page = await response.text();
    expect(response.status).toBe(422);
    expect(page).toContain('<title>Fehler: Ihre Bewerbung konnte nicht gesendet werden – KommA</title>');
    expect(page).toContain(
      '<div class="error-summary" role="alert"><h1>Ihre Bewerbung konnte nicht gesendet werden</h1><ul><li>Name der Kommune: Geben Sie den Namen der Kommune an.</li></ul></div>',
    );
    expect(page).toContain('<footer class="site-footer">');
    expect(response.headers.get('content-security-policy')).toContain(`style-src ${styleHash}`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(pageHeaders(page)['content-security-policy']).toBe(response.headers.get('content-security-policy'));
  });
});
