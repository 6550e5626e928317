import type { Context } from '@netlify/functions';
import {
  deliveryStore,
  REQUEST_BUDGET_MS,
  requestBound,
  type KeyValueStore,
  type StoreBound,
} from './delivery/store.ts';
import type { Env } from './env.ts';
import type { Transport } from './mail/email.ts';
import { mailConfig, type MailConfig } from './mail/transport.ts';
import { settings as siteSettings } from './settings/index.ts';
import { builtFrame } from './site-pages/built-pages.ts';
import type { Settings } from './settings/schema.ts';
import { now } from './time/clock.ts';

/** Everything a function's work depends on besides the request: tests build their own. */
export interface Runtime {
  readonly env: Env;
  readonly settings: Settings;
  /** The instant every rule of this request or run uses (KOMMA_NOW outside production). */
  readonly now: Date;
  /** Opens the delivery store, its calls bounded by `bound`; may throw where Netlify Blobs is not set up. */
  readonly store: (bound: StoreBound) => KeyValueStore;
  /** The email transport; without it, the one the environment configures (mailConfig). */
  readonly transport?: Transport;
  /** A signal that aborts after `ms`: AbortSignal.timeout, unless a test ends the time itself. */
  readonly timer?: (ms: number) => AbortSignal;
  /** A built page whose frame holds a form's error pages; without one, pages of their own. */
  readonly frame?: string;
  /** A request's time in all: REQUEST_BUDGET_MS unless set (see requestBudgetMs()). */
  readonly requestBudgetMs?: number | undefined;
}

/**
 * KOMMA_REQUEST_BUDGET_MS gives requests more time outside production, so that a test on a
 * machine busy with other work never depends on how long a real request takes there; production
 * ignores it, like KOMMA_NOW.
 */
export function requestBudgetMs(env: Env): number | undefined {
  const budget = Number(env['KOMMA_REQUEST_BUDGET_MS']);
  return env['CONTEXT'] !== 'production' && budget >= REQUEST_BUDGET_MS ? budget : undefined;
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
  return {
    env: resolved,
    settings: siteSettings,
    now: now(resolved),
    store: (bound) => deliveryStore(resolved, bound),
    requestBudgetMs: requestBudgetMs(resolved),
  };
}

/**
 * The runtime of a form function: functionRuntime() and the built frame for its error pages, which
 * only the form functions carry in their bundles (src/site-pages/built-pages.ts).
 */
export function formRuntime(context: Pick<Context, 'deploy'> | undefined, env: Env = process.env): Runtime {
  const frame = builtFrame();
  return { ...functionRuntime(context, env), ...(frame && { frame }) };
}

/** The mail setup of `runtime`: the environment's, with the runtime's own transport if it has one. */
export function runtimeMail(runtime: Runtime): MailConfig {
  const config = mailConfig(runtime.env, runtime.settings);
  return config.ok && runtime.transport
    ? { ok: true, setup: { ...config.setup, transport: runtime.transport } }
    : config;
}

/** A request's time in all. */
export const budgetOf = (runtime: Runtime): number => runtime.requestBudgetMs ?? REQUEST_BUDGET_MS;

/** A signal that aborts when a request's time is up. */
export const requestSignal = (runtime: Runtime): AbortSignal =>
  (runtime.timer ?? AbortSignal.timeout)(budgetOf(runtime));

/** The store of a request: no call of it outlasts the request's time. */
export const requestStore = (runtime: Runtime, signal: AbortSignal = requestSignal(runtime)): KeyValueStore =>
  runtime.store(requestBound(signal, budgetOf(runtime)));
