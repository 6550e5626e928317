import { createHash } from 'node:crypto';
import { escapeHtml } from '../mail/html.ts';

/**
 * The page a plain form post (no JavaScript) gets when something is wrong: what, and the way back.
 * The browser's Back button returns to the form with every input still there.
 */
const STYLE =
  'body{font-family:system-ui,sans-serif;line-height:1.6;color:#1b1b1b;max-width:46rem;margin:0 auto;padding:1rem}' +
  '.error-summary{border:5px solid #b3261e;padding:1rem 1.25rem}h1{font-size:1.8rem;line-height:1.25}' +
  'a{color:#6d1f7a}:focus-visible{outline:3px solid #1b1b1b;box-shadow:0 0 0 6px #ffbf47}';

/** Content-Security-Policy for the page: nothing but its own hashed style. */
export const ERROR_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`;

export interface ErrorPage {
  readonly title: string;
  readonly problems: readonly string[];
  readonly formPath: string;
  /** What the person can do: correct the input, try again later, or nothing here (a closed window). */
  readonly next: 'correct' | 'retry-later' | 'none';
}

export function renderErrorPage(page: ErrorPage): string {
  const problems = page.problems.map((problem) => `<li>${escapeHtml(problem)}</li>`).join('');
  const next = {
    correct:
      '<p>Gehen Sie mit der Zurück-Funktion Ihres Browsers zum Formular zurück und korrigieren Sie diese Angaben. Ihre Eingaben sind dort noch vorhanden.</p>',
    'retry-later':
      '<p>Gehen Sie mit der Zurück-Funktion Ihres Browsers zum Formular zurück. Ihre Eingaben sind dort noch vorhanden, und Sie können es später erneut versuchen.</p>',
    none: '',
  }[page.next];
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Fehler: ${escapeHtml(page.title)} – KommA</title><style>${STYLE}</style></head>
<body><main>
<div class="error-summary" role="alert"><h1>${escapeHtml(page.title)}</h1><ul>${problems}</ul></div>
${next}
<p><a href="${escapeHtml(page.formPath)}">Formular neu laden</a> (ohne Ihre bisherigen Eingaben)</p>
</main></body></html>
`;
}
