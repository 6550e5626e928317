import type { Config, Context } from '@netlify/functions';
import { functionRuntime } from '../src/runtime.ts';
import { webinarCancel } from '../src/webinar/cancel.ts';

/** /webinar/abmelden/?t=…: the personal cancel link of a webinar registration (src/webinar/cancel.ts). */
export default (request: Request, context: Context): Promise<Response> =>
  webinarCancel(request, functionRuntime(context));

export const config: Config = {
  // With and without the trailing slash: the link has it, a person typing it may not.
  path: ['/webinar/abmelden/', '/webinar/abmelden'],
  rateLimit: { windowLimit: 20, windowSize: 60, aggregateBy: ['ip', 'domain'] },
};
