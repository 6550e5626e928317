/**
 * Pages of the built site that functions answer with: the thank-you pages, which a function serves
 * with the reference filled in, and the 404 page, whose frame (header, footer, skip link, the
 * site's CSS) holds the error pages after a post without JavaScript. Answering from the built
 * pages keeps one source for copy, layout and CSS: the Astro pages.
 *
 * Deployed functions cannot count on reading dist/ at run time, so `npm run build` puts the pages
 * into the bundles (src/build/function-bundles.ts): the frame into those that call builtFrame(),
 * the thank-you pages into those that call builtThanksPages(), nothing into the others. Functions
 * run from their sources (`npm start`, the browser tests) read dist/, which that build has written.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';

/** Path as the site serves it ("/bewerbung/danke/") → the built HTML. */
export type BuiltPages = Readonly<Record<string, string>>;

/** The page whose frame the functions' error pages use. */
export const FRAME_PAGE = '/404.html';

/** Every thank-you page lives below a form's page in a `danke/` folder. */
const THANKS_FOLDER = 'danke';

// Set by the bundler; absent when the sources run as they are. The frame travels compressed
// (packFrame): it goes into the form functions, and `webinar` is close to its bundle budget.
declare const KOMMA_FRAME_PAGE: string | undefined;
declare const KOMMA_THANKS_PAGES: BuiltPages | undefined;

/** The `index.html` files at and below `path` of `dist`, by site path. */
function indexPages(dist: string, path: string): [string, string][] {
  const dir = join(dist, path);
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry): [string, string][] => {
    if (entry.isDirectory()) return indexPages(dist, `${path}${entry.name}/`);
    return entry.name === 'index.html' ? [[path, readFileSync(join(dir, entry.name), 'utf8')]] : [];
  });
}

/** The frame page of a build in `dist`; undefined when it holds no build. */
export function readFramePage(dist: string): string | undefined {
  const file = join(dist, FRAME_PAGE);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** The frame page as the bundler puts it in: Brotli, as base64 (about half the bytes of the page). */
export function packFrame(page: string): string {
  return brotliCompressSync(page).toString('base64');
}

/** The thank-you pages of a build in `dist`; none when it holds no build. */
export function readThanksPages(dist: string): BuiltPages {
  if (!existsSync(dist)) return {};
  return Object.fromEntries(
    readdirSync(dist, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(dist, entry.name, THANKS_FOLDER)))
      .flatMap((entry) => indexPages(dist, `/${entry.name}/${THANKS_FOLDER}/`)),
  );
}

const DIST = 'dist';

// Read (or unpacked) once per process: dist/ changes only with a new build and server.
let frameFromDist: { page: string | undefined } | undefined;
let thanksFromDist: BuiltPages | undefined;

/** The frame for the error pages: bundled, or from dist/ beside the sources (none without a build). */
export function builtFrame(): string | undefined {
  frameFromDist ??= {
    page:
      typeof KOMMA_FRAME_PAGE !== 'undefined'
        ? brotliDecompressSync(Buffer.from(KOMMA_FRAME_PAGE, 'base64')).toString('utf8')
        : readFramePage(DIST),
  };
  return frameFromDist.page;
}

/** The thank-you pages: bundled, or from dist/ beside the sources (none without a build). */
export function builtThanksPages(): BuiltPages {
  if (typeof KOMMA_THANKS_PAGES !== 'undefined') return KOMMA_THANKS_PAGES;
  thanksFromDist ??= readThanksPages(DIST);
  return thanksFromDist;
}
