import type { Config } from '@netlify/functions';
import { builtThanksPages } from '../src/site-pages/built-pages.ts';
import { thanksPage } from '../src/site-pages/thanks.ts';

/**
 * GET of the thank-you pages: the built page with the reference from `?ref=` in it, so that it
 * shows without JavaScript (see src/site-pages/). The paths are every page getStaticPaths() of
 * src/pages/{bewerbung,webinar}/danke/ builds; tests/site/site-files.test.ts holds them equal.
 */
export default (request: Request): Response =>
  request.method === 'GET' || request.method === 'HEAD'
    ? thanksPage(new URL(request.url), builtThanksPages())
    : new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });

export const config: Config = {
  // With and without the trailing slash, as Netlify matches a literal path exactly.
  path: [
    '/bewerbung/danke',
    '/bewerbung/danke/',
    '/bewerbung/danke/verzoegert',
    '/bewerbung/danke/verzoegert/',
    '/webinar/danke',
    '/webinar/danke/',
    '/webinar/danke/verzoegert',
    '/webinar/danke/verzoegert/',
    '/webinar/danke/warteliste',
    '/webinar/danke/warteliste/',
    '/webinar/danke/bereits',
    '/webinar/danke/bereits/',
  ],
};
