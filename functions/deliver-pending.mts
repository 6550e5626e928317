import type { Config, Context } from '@netlify/functions';
import { deliverPending } from '../src/scheduled/deliver-pending.ts';
import { functionRuntime } from '../src/runtime.ts';

/**
 * Every two minutes: sends what the forms stored but could not send (src/delivery/drain.ts).
 * Netlify runs it on published production deploys; locally `npm run deliver-pending` does.
 */
export default (request: Request, context: Context): Promise<Response> =>
  deliverPending(request, functionRuntime(context));

export const config: Config = {
  schedule: '*/2 * * * *',
};
