import type { Config } from '@netlify/functions';
import { adminPage } from '../src/admin/page.ts';

/** GET (and HEAD) /admin/: the web editor's page with a policy of its own (see src/admin/page.ts). */
export default (request: Request): Response => adminPage(request.method);

export const config: Config = {
  path: ['/admin', '/admin/'],
  // HEAD as well: without it, HEAD fell through to the static files and answered 404.
  method: ['GET', 'HEAD'],
};
