import type { Context } from '@netlify/functions';
import { deliveryStore, type DeliveryStore } from '../delivery/store.ts';
import type { Env } from '../env.ts';
import { settings as siteSettings } from '../settings/index.ts';
import type { Settings } from '../settings/schema.ts';
import { now } from '../time/clock.ts';

/** Everything a function's work depends on besides the request: tests build their own. */
export interface Runtime {
  readonly env: Env;
  readonly settings: Settings;
  /** The instant every rule of this request or run uses (KOMMA_NOW outside production). */
  readonly now: Date;
  /** Opens the delivery store; may throw where Netlify Blobs is not set up. */
  readonly store: () => DeliveryStore;
}

/**
 * The environment a function is judged in. Netlify hands functions their deploy context in
 * `context.deploy.context`; CONTEXT in process.env is certain only at build time, so take it from
 * the context when the environment lacks it. It decides whether a missing API key is an error.
 */
export function runtimeEnv(context: Pick<Context, 'deploy'> | undefined, env: Env = process.env): Env {
  return { ...env, CONTEXT: env['CONTEXT'] || context?.deploy?.context || '' };
}

/** The runtime of a deployed (or emulated) function: the site's settings, its clock and store. */
export function functionRuntime(context: Pick<Context, 'deploy'> | undefined, env: Env = process.env): Runtime {
  const resolved = runtimeEnv(context, env);
  return { env: resolved, settings: siteSettings, now: now(resolved), store: () => deliveryStore(resolved) };
}
