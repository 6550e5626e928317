import type { Config } from '@netlify/functions';
import { adminPage } from '../src/admin/page.ts';

/** GET /admin/: the web editor's page with a policy of its own (see src/admin/page.ts). */
export default (): Response => adminPage();

export const config: Config = {
  path: ['/admin', '/admin/'],
  method: 'GET',
};
