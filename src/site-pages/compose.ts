/**
 * Fills the built pages (src/site-pages/built-pages.ts) with what only a request knows. Each edit
 * adds text or markup without style or script, so the hashes in the page's own CSP stay valid.
 */
import { createHash } from 'node:crypto';
import { escapeHtml } from '../mail/html.ts';

const REFERENCE_LINE = /(<p\b[^>]*\bdata-reference-line\b[^>]*?)\s+hidden(?=[\s>])/;
const REFERENCE_SLOT = '<strong data-reference></strong>';

/**
 * The thank-you page with its reference line shown; undefined when the page has no such line
 * (then the page's script shows it from the address, as before).
 */
export function withReference(page: string, reference: string): string | undefined {
  if (!REFERENCE_LINE.test(page) || !page.includes(REFERENCE_SLOT)) return undefined;
  return page
    .replace(REFERENCE_LINE, '$1')
    .replace(REFERENCE_SLOT, () => `<strong data-reference>${escapeHtml(reference)}</strong>`);
}

const TITLE = /<title>[^<]*<\/title>/;
const DESCRIPTION = /<meta name="description" content="[^"]*">/;
const OG = /<meta property="og:(?:title|description)" content="[^"]*">/g;
const MAIN = /(<main\b[^>]*>)[\s\S]*<\/main>/;

/**
 * `frame` (a built page) with its own title and `main` in place of the page's: the header, footer,
 * skip link and CSS of the site around them. Undefined when `frame` is not such a page.
 */
export function framed(frame: string, title: string, main: string): string | undefined {
  if (!TITLE.test(frame) || !MAIN.test(frame)) return undefined;
  return frame
    .replace(TITLE, () => `<title>${escapeHtml(title)} – KommA</title>`)
    .replace(DESCRIPTION, '')
    .replace(OG, '')
    .replace(MAIN, (_, open: string) => `${open}\n${main}\n</main>`);
}

/** The inline styles of `page`, as CSP hashes. */
function styleHashes(page: string): string[] {
  // Lazily up to the first end tag: the CSS itself may hold "<" (`@media (width<=40rem)`).
  return [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
    ([, css]) => `'sha256-${createHash('sha256').update(css!).digest('base64')}'`,
  );
}

/**
 * The headers of a page a function answers with. Netlify applies the header rules of netlify.toml
 * to static files only, so a function's page brings its own: nothing but files of this site, its
 * own inline styles by hash, no inline script.
 */
export function pageHeaders(page: string): Record<string, string> {
  const styles = styleHashes(page);
  return {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      `style-src ${styles.length > 0 ? styles.join(' ') : "'none'"}`,
      "img-src 'self' data:",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
    ].join('; '),
    'strict-transport-security': 'max-age=63072000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
    'cross-origin-opener-policy': 'same-origin',
    'x-robots-tag': 'noindex',
  };
}
