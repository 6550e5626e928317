import type { Config } from '@netlify/functions';
import { adminPage } from '../src/admin/page.ts';

/** GET and HEAD /admin/: the web editor's page with a policy of its own (see src/admin/page.ts). */
export default (request: Request): Response => adminPage(request.method);

export const config: Config = {
  // No `method`: Netlify's list of methods has no HEAD, and with `method: 'GET'` a HEAD request fell
  // through to the static files (404). adminPage answers any other method with 405.
  path: ['/admin', '/admin/'],
};
