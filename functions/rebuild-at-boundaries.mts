import type { Config, Context } from '@netlify/functions';
import { rebuildAtBoundaries } from '../src/rebuild/rebuild-at-boundaries.ts';
import { runtimeEnv } from '../src/runtime.ts';
import { settings } from '../src/settings/index.ts';
import { now } from '../src/time/clock.ts';

/**
 * Every five minutes: rebuilds the site through its build hook just after the application window
 * opens or closes and just after each webinar session starts (src/rebuild/), so the static pages
 * state the new situation. Netlify runs it on published production deploys only.
 */
export default (_request: Request, context: Context): Promise<Response> => {
  const env = runtimeEnv(context);
  return rebuildAtBoundaries({ env, settings, now: now(env), fetch });
};

// A literal: Netlify reads the schedule from the source without running it. REBUILD_INTERVAL_MS in
// src/rebuild/boundaries.ts must match (a unit test checks).
export const config: Config = {
  schedule: '*/5 * * * *',
};
