import type { Config, Context } from '@netlify/functions';
import { selectionOverview } from '../src/selection/selection-overview.ts';
import { functionRuntime } from '../src/runtime.ts';

/**
 * Every hour: from 07:00 Berlin time, queues the day's „Auswahlübersicht" for the team inbox when
 * applications arrived since the last one, and once the day after the window closes; after
 * retainApplicationsUntil it deletes the kept applications (src/selection/). Netlify's cron is UTC
 * and Berlin's offset changes, so it runs hourly and the code decides. deliver-pending sends it.
 */
export default (_request: Request, context: Context): Promise<Response> => selectionOverview(functionRuntime(context));

export const config: Config = {
  schedule: '0 * * * *',
};
