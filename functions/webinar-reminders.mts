import type { Config, Context } from '@netlify/functions';
import { functionRuntime } from '../src/runtime.ts';
import { webinarReminders } from '../src/webinar/reminders.ts';

/**
 * Every 15 minutes: finishes what a failed cancellation request left undone (its emails, the moving
 * up), then queues one reminder with the access link (WEBINAR_LINK_<session id>) for each
 * confirmed registrant from the day before their session (src/webinar/reminders.ts); the scheduled
 * function deliver-pending sends them. Netlify runs it on published production deploys only.
 */
export default (_request: Request, context: Context): Promise<Response> => webinarReminders(functionRuntime(context));

export const config: Config = {
  schedule: '*/15 * * * *',
};
