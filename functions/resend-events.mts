import type { Config, Context } from '@netlify/functions';
import { functionRuntime } from '../src/runtime.ts';
import { resendEvents } from '../src/webhooks/resend-events.ts';

/** POST /api/resend-events: Resend's delivery events, signed with RESEND_WEBHOOK_SECRET (src/webhooks/). */
export default (request: Request, context: Context): Promise<Response> =>
  resendEvents(request, functionRuntime(context));

export const config: Config = {
  path: '/api/resend-events',
  // No `method`: with one, other methods fall through to the static 404; resendEvents answers 405.
  // No rateLimit: Svix sends bursts from a few addresses, and an unsigned request costs one HMAC.
};
