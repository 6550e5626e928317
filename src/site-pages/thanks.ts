import { escapeHtml } from '../mail/html.ts';
import { renderPage } from '../submissions/error-page.ts';
import { isReference } from '../submissions/reference.ts';
import type { BuiltPages } from './built-pages.ts';
import { pageHeaders, withReference } from './compose.ts';

/**
 * GET of a thank-you page (/bewerbung/danke/?ref=B-7F3K-9Q2M): the built page with the reference
 * from the address in it, so that it shows without JavaScript. Only a value of the reference's
 * form is taken, and escaped anyway; anything else leaves the page as built.
 */
export function thanksPage(url: URL, pages: BuiltPages): Response {
  const reference = url.searchParams.get('ref');
  const valid = isReference(reference) ? reference : undefined;
  const built = pages[url.pathname.replace(/\/?$/, '/')];
  const page = built
    ? ((valid && withReference(built, valid)) ?? built)
    : // No build beside the sources (astro dev): the message and the reference, plainly.
      renderPage(
        'Vielen Dank',
        `<h1>Vielen Dank – Ihre Angaben sind eingegangen</h1>${valid ? `<p>Ihre Vorgangsnummer: <strong>${escapeHtml(valid)}</strong></p>` : ''}`,
      );
  return new Response(page, {
    status: 200,
    headers: { ...pageHeaders(page), 'cache-control': valid ? 'private, no-store' : 'no-cache' },
  });
}
