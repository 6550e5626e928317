import type { Config, Context } from '@netlify/functions';
import { handleSubmission } from '../src/submissions/pipeline.ts';
import { runtimeEnv } from '../src/submissions/runtime-env.ts';
import { webinarForm } from '../src/submissions/webinar.ts';

/** POST /api/webinar: the webinar registration. All logic lives in src/submissions/. */
export default (request: Request, context: Context): Promise<Response> =>
  handleSubmission(request, webinarForm, runtimeEnv(context));

export const config: Config = {
  path: '/api/webinar',
  // Per client IP; a bare string would count per domain (see README, "Rate limits").
  rateLimit: { windowLimit: 10, windowSize: 60, aggregateBy: ['ip', 'domain'] },
};
