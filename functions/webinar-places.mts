import type { Config, Context } from '@netlify/functions';
import { functionRuntime } from '../src/runtime.ts';
import { webinarPlaces } from '../src/webinar/places.ts';

/** GET /api/webinar/plaetze: which webinar sessions are full. All logic lives in src/webinar/. */
export default (request: Request, context: Context): Promise<Response> =>
  webinarPlaces(request, functionRuntime(context));

export const config: Config = {
  path: '/api/webinar/plaetze',
  // Per client IP, as the form functions; a page view asks once.
  rateLimit: { windowLimit: 30, windowSize: 60, aggregateBy: ['ip', 'domain'] },
};
