import type { Config, Context } from '@netlify/functions';
import { applicationForm } from '../src/submissions/application.ts';
import { handleSubmission } from '../src/submissions/pipeline.ts';
import { formRuntime } from '../src/runtime.ts';

/** POST /api/bewerbung: the application form. All logic lives in src/submissions/. */
export default (request: Request, context: Context): Promise<Response> => {
  const runtime = formRuntime(context);
  return handleSubmission(request, applicationForm(runtime.settings), runtime);
};

export const config: Config = {
  path: '/api/bewerbung',
  // Per client IP; a bare string would count per domain (see docs/operations.md, "Rate limits").
  rateLimit: { windowLimit: 10, windowSize: 60, aggregateBy: ['ip', 'domain'] },
};
