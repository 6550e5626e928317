import type { Context } from '@netlify/functions';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The environment a submission is judged in. Netlify hands functions their deploy context in
 * `context.deploy.context`; CONTEXT in process.env is certain only at build time, so take it from
 * the context when the environment lacks it. It decides whether a missing API key is an error.
 */
export function runtimeEnv(context: Pick<Context, 'deploy'> | undefined, env: Env = process.env): Env {
  return { ...env, CONTEXT: env['CONTEXT'] || context?.deploy?.context || '' };
}
