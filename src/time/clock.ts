import type { Env } from '../env.ts';

/**
 * The instant KOMMA_NOW pins the clock to, for tests and previews; undefined when it is not set,
 * not a valid instant, or in production, which ignores it so that nobody can move the
 * application window on the live site.
 */
export function pinnedNow(env: Env = process.env): Date | undefined {
  const pinned = env['KOMMA_NOW'];
  if (!pinned || env['CONTEXT'] === 'production') return undefined;
  const instant = new Date(pinned);
  return Number.isNaN(instant.getTime()) ? undefined : instant;
}

/** The current instant, or the pinned one. */
export function now(env: Env = process.env): Date {
  return pinnedNow(env) ?? new Date();
}
