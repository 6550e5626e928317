import type { Problem } from './problems.ts';
import type { Site } from './routes.ts';

/** The anchors a page has: for "/" the questions' ids, for a content page its headings' ids. */
export type Anchors = ReadonlyMap<string, readonly string[]>;

/** "/impressum" and "/impressum/" are one page (trailingSlash: 'ignore'). */
export function pageKey(pathname: string): string {
  return pathname.endsWith('/') ? pathname : `${pathname}/`;
}

/**
 * Internal links of one file ("/…" and "#…"; external ones are not ours to check): the page must be
 * a route of the site, and an anchor on a page whose anchors we know must be one of them. `ownPage`
 * is where the file's text appears, the target of a bare "#…".
 */
export function checkLinks(
  file: string,
  ownPage: string,
  links: readonly { readonly url: string; readonly line: number | undefined }[],
  site: Site,
  anchors: Anchors,
): Problem[] {
  const problems: Problem[] = [];
  for (const { url, line } of links) {
    if (!/^(\/(?!\/)|#)/.test(url)) continue;
    const target = new URL(url, `https://site.invalid${ownPage}`);
    const problem = (message: string) => problems.push({ file, line, message, severity: 'error' });
    const path = decodeURIComponent(target.pathname);
    if (!site.has(path)) {
      problem(
        `Link auf „${url}“: Diese Seite gibt es nicht – Lösung: die Adresse prüfen; vorhanden sind ${site.examples.join(', ')}.`,
      );
      continue;
    }
    const id = decodeURIComponent(target.hash.slice(1));
    const known = anchors.get(pageKey(path));
    if (!id || !known || known.includes(id)) continue;
    problem(
      pageKey(path) === '/'
        ? `Link auf „${url}“: Auf der Startseite gibt es keine Frage mit der Sprungadresse „${id}“ – Lösung: den Dateinamen einer Frage in content/faq ohne „.mdx“ verwenden, z. B. #${known[0] ?? 'bewerbungsfrist'}.`
        : `Link auf „${url}“: Die Seite ${pageKey(path)} hat keine Überschrift mit der Sprungadresse „${id}“ – Lösung: eine der vorhandenen verwenden: ${known.map((k) => `#${k}`).join(', ') || '(keine)'}.`,
    );
  }
  return problems;
}
