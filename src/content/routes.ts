import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** A route of src/pages as path segments; "[...rest]" matches any tail, "[param]" one content page. */
type Route = readonly string[];

/** The addresses the site serves, to check internal links against without a build. */
export interface Site {
  /** Whether /path (with or without trailing slash) is a page or a file of the site. */
  has(path: string): boolean;
  /** Addresses to suggest in a message. */
  readonly examples: readonly string[];
}

const PAGE = /\.(astro|md|mdx|html)$/;
const ENDPOINT = /\.(ts|js)$/;

/**
 * Routes as Astro derives them from file names under src/pages (index → the folder, endpoints keep
 * their name, e.g. robots.txt.ts → /robots.txt), plus the files in public/. A single "[param]"
 * segment is [page].astro, whose paths are `pageIds`, the files of content/pages.
 */
export async function readSite(root: string, pageIds: readonly string[]): Promise<Site> {
  const routes: Route[] = [];
  for (const file of await filesBelow(join(root, 'src/pages'))) {
    if (!PAGE.test(file) && !ENDPOINT.test(file)) continue;
    const segments = file.replace(PAGE, '').replace(ENDPOINT, '').split('/');
    if (segments.at(-1) === 'index') segments.pop();
    routes.push(segments);
  }
  for (const file of await filesBelow(join(root, 'public'))) routes.push(file.split('/'));

  const matches = (route: Route, parts: readonly string[]): boolean => {
    const [head, ...rest] = route;
    if (head === undefined) return parts.length === 0;
    if (/^\[\.\.\.\w+\]$/.test(head)) return true;
    const [part, ...tail] = parts;
    if (part === undefined) return false;
    const fits = /^\[\w+\]$/.test(head) ? pageIds.includes(part) : head === part;
    return fits && matches(rest, tail);
  };
  const examples = routes
    .filter((route) => !route.some((segment) => segment.startsWith('[')) && !route.at(-1)?.includes('.'))
    .map((route) => `/${route.map((segment) => `${segment}/`).join('')}`)
    .concat(pageIds.map((id) => `/${id}/`));
  return {
    has: (path) => routes.some((route) => matches(route, path.split('/').filter(Boolean))),
    examples: [...new Set(examples)].sort(),
  };
}

/** Files below `dir`, relative and with "/" separators; none if it does not exist. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) =>
      join(entry.parentPath, entry.name)
        .slice(dir.length + 1)
        .split('\\')
        .join('/'),
    );
}
