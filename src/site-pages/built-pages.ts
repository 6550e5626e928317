/**
 * Pages of the built site that functions answer with: the thank-you pages, which a function serves
 * with the reference filled in, and the 404 page, whose frame (header, footer, skip link, the
 * site's CSS) holds the error pages after a post without JavaScript. Answering from the built
 * pages keeps one source for copy, layout and CSS: the Astro pages.
 *
 * Deployed functions cannot count on reading dist/ at run time, so `npm run build` puts the pages
 * into each bundle (KOMMA_BUILT_PAGES, src/build/function-bundles.ts). Functions run from their
 * sources (`npm start`, the browser tests) read dist/, which that build has just written.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Path as the site serves it ("/bewerbung/danke/", "/404.html") → the built HTML. */
export type BuiltPages = Readonly<Record<string, string>>;

/** The page whose frame the functions' error pages use. */
export const FRAME_PAGE = '/404.html';

/** Every thank-you page lives below a form's page in a `danke/` folder. */
const THANKS_FOLDER = 'danke';

declare const KOMMA_BUILT_PAGES: BuiltPages | undefined;

/** The HTML files below `dir`, as site paths below `path`. */
function indexPages(dist: string, path: string): [string, string][] {
  const dir = join(dist, path);
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): [string, string][] => {
    if (entry.isDirectory()) return indexPages(dist, `${path}${entry.name}/`);
    return entry.name === 'index.html' ? [[path, readFileSync(join(dir, entry.name), 'utf8')]] : [];
  });
}

/** The pages functions answer with, from a build in `dist`; none when it holds no build. */
export function readBuiltPages(dist: string): BuiltPages {
  if (!existsSync(join(dist, FRAME_PAGE))) return {};
  const thanks = readdirSync(dist, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dist, entry.name, THANKS_FOLDER)))
    .flatMap((entry) => indexPages(dist, `/${entry.name}/${THANKS_FOLDER}/`));
  return Object.fromEntries([[FRAME_PAGE, readFileSync(join(dist, FRAME_PAGE), 'utf8')], ...thanks]);
}

let fromDist: BuiltPages | undefined;

/** The bundled pages, or those in dist/ beside the sources (none without a build). */
export function builtPages(): BuiltPages {
  if (typeof KOMMA_BUILT_PAGES !== 'undefined') return KOMMA_BUILT_PAGES;
  fromDist ??= readBuiltPages('dist');
  return fromDist;
}
