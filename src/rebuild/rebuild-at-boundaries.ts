import type { Env } from '../env.ts';
import { logEvent, logProblem } from '../log.ts';
import type { Settings } from '../settings/schema.ts';
import { boundaries, dueBoundaries } from './boundaries.ts';

/** The environment variable holding the Netlify build hook (Site configuration → Build hooks). */
export const BUILD_HOOK_VARIABLE = 'NETLIFY_BUILD_HOOK_URL';

/** Netlify answers a build hook at once (the build runs afterwards): a hook that hangs has failed. */
const HOOK_TIMEOUT_MS = 10_000;

/** What a run depends on; the scheduled function passes the real ones, tests their own. */
export interface RebuildRun {
  readonly env: Env;
  readonly settings: Pick<Settings, 'applicationWindow' | 'webinars'>;
  readonly now: Date;
  readonly fetch: typeof fetch;
}

/** The hook as a URL, or why there is none. The URL is a secret of sorts: it is never logged. */
function buildHook(env: Env): { ok: true; url: URL } | { ok: false; problem: string } {
  const value = env[BUILD_HOOK_VARIABLE]?.trim();
  if (!value) return { ok: false, problem: `${BUILD_HOOK_VARIABLE} is not set` };
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return { ok: true, url };
  } catch {
    // Reported below, as for any other value that is not a web address.
  }
  return { ok: false, problem: `${BUILD_HOOK_VARIABLE} is not an http(s) URL` };
}

/**
 * One run of the scheduled function: when a boundary has just passed (see dueBoundaries), POST to
 * the build hook once, so that the static pages state the new situation. The answer is the run's
 * report; the log holds one line for each rebuild and each problem, none for a quiet run.
 */
export async function rebuildAtBoundaries(run: RebuildRun): Promise<Response> {
  const hook = buildHook(run.env);
  if (!hook.ok) {
    logProblem({
      form: 'rebuild',
      outcome: 'configuration-error',
      problem: hook.problem,
      consequence: 'The pages are not rebuilt when the application window opens or closes or a webinar starts.',
    });
    return Response.json({ error: hook.problem }, { status: 503 });
  }
  const due = dueBoundaries(boundaries(run.settings), run.now).map((boundary) => boundary.id);
  if (due.length === 0) return Response.json({ triggered: [] });

  // Netlify shows the title in the deploy list, so a person sees why the site was rebuilt.
  const url = new URL(hook.url);
  url.searchParams.set('trigger_title', `Rebuild after ${due.join(', ')}`);
  try {
    const response = await run.fetch(url, { method: 'POST', signal: AbortSignal.timeout(HOOK_TIMEOUT_MS) });
    if (!response.ok) {
      logProblem({ form: 'rebuild', outcome: 'hook-refused', status: response.status, boundaries: due });
      return Response.json({ error: `the build hook answered ${response.status}`, boundaries: due }, { status: 502 });
    }
  } catch (error) {
    logProblem({
      form: 'rebuild',
      outcome: 'hook-failed',
      error: error instanceof Error ? error.name : typeof error,
      boundaries: due,
    });
    return Response.json({ error: 'the build hook did not answer', boundaries: due }, { status: 502 });
  }
  logEvent({ form: 'rebuild', outcome: 'triggered', boundaries: due });
  return Response.json({ triggered: due });
}
