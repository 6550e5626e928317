import { createHash } from 'node:crypto';
import { escapeHtml } from '../mail/html.ts';
import { framed } from '../site-pages/compose.ts';

/**
 * The page a plain form post (no JavaScript) gets when something is wrong: what, and the way back.
 * The browser's Back button returns to the form with every input still there.
 */
const STYLE =
  'body{font-family:system-ui,sans-serif;line-height:1.6;color:#1b1b1b;max-width:46rem;margin:0 auto;padding:1rem}' +
  '.error-summary{border:5px solid #b3261e;padding:1rem 1.25rem}h1{font-size:1.8rem;line-height:1.25}' +
  '.panel{border:5px solid #6d1f7a;padding:1rem 1.25rem}' +
  '.button{padding:.6rem 1.2rem;border:0;border-bottom:3px solid #2d0a33;background:#6d1f7a;color:#fff;font:inherit;font-weight:700;cursor:pointer}' +
  '.button:hover{background:#561860}' +
  'a{color:#6d1f7a}:focus-visible{outline:3px solid #1b1b1b;box-shadow:0 0 0 6px #ffbf47}';

/** Content-Security-Policy for the functions' pages: nothing but their own hashed style. */
export const ERROR_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

export interface ErrorPage {
  readonly title: string;
  readonly problems: readonly string[];
  readonly formPath: string;
  /** What the person can do: correct the input, try again later, or nothing here (a closed window). */
  readonly next: 'correct' | 'retry-later' | 'none';
}

/**
 * A page a function answers with (no JavaScript, nothing from elsewhere): German, one h1 in `main`.
 * `title` names it in the browser's tab.
 */
export function renderPage(title: string, main: string): string {
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)} – KommA</title><style>${STYLE}</style></head>
<body><main>
${main}
</main></body></html>
`;
}

/**
 * The error page in `frame`, a built page of the site (src/site-pages/), so that it has the site's
 * header, footer and CSS; without one (no build beside the sources), a page of its own.
 */
export function renderErrorPage(page: ErrorPage, frame?: string): string {
  const problems = page.problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('');
  const next = {
    correct:
      '<p>Gehen Sie mit der Zurück-Funktion Ihres Browsers zum Formular zurück und korrigieren Sie diese Angaben. Ihre Eingaben sind dort noch vorhanden.</p>',
    'retry-later':
      '<p>Gehen Sie mit der Zurück-Funktion Ihres Browsers zum Formular zurück. Ihre Eingaben sind dort noch vorhanden, und Sie können es später erneut versuchen.</p>',
    none: '',
  }[page.next];
  const title = `Fehler: ${page.title}`;
  const main = `<div class="error-summary" role="alert"><h1>${escapeHtml(page.title)}</h1><ul>${problems}</ul></div>
${next}
<p><a href="${escapeHtml(page.formPath)}">Formular neu laden</a> (ohne Ihre bisherigen Eingaben)</p>`;
  return (frame && framed(frame, title, main)) ?? renderPage(title, main);
}
