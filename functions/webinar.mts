import type { Config, Context } from '@netlify/functions';
import { handleSubmission } from '../src/submissions/pipeline.ts';
import { formRuntime } from '../src/runtime.ts';
import { webinarForm } from '../src/submissions/webinar.ts';
import { cancelLinks } from '../src/webinar/cancel-token.ts';

/** POST /api/webinar: the webinar registration. All logic lives in src/submissions/. */
export default (request: Request, context: Context): Promise<Response> => {
  const runtime = formRuntime(context);
  return handleSubmission(request, webinarForm(runtime.settings, cancelLinks(runtime.env), runtime.env), runtime);
};

export const config: Config = {
  path: '/api/webinar',
  // Per client IP; a bare string would count per domain (see docs/operations.md, "Rate limits").
  rateLimit: { windowLimit: 10, windowSize: 60, aggregateBy: ['ip', 'domain'] },
};
