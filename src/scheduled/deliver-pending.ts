import { logEvent, logProblem } from '../log.ts';
import { runtimeMail, type Runtime } from '../runtime.ts';
import { forgetPastRegistrations } from '../webinar/roster.ts';
import { drain } from '../delivery/drain.ts';
import { scheduledBound } from '../delivery/store.ts';

/** Netlify posts `{"next_run": "…"}`; a local trigger may post nothing. Read it, never trust it. */
async function nextRun(request: Request): Promise<string | undefined> {
  try {
    const body: unknown = JSON.parse(await request.text());
    const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['next_run'] : undefined;
    return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The scheduled function's work: one drain run; its report is the answer and one log line. */
export async function deliverPending(request: Request, runtime: Runtime): Promise<Response> {
  const next = await nextRun(request);
  const config = runtimeMail(runtime);
  if (!config.ok) {
    logProblem({ form: 'delivery', outcome: 'configuration-error', missing: config.missing });
    return Response.json({ error: `${config.missing} is not set` }, { status: 503 });
  }
  try {
    const store = runtime.store(scheduledBound());
    const { transport, teamInbox, from } = config.setup;
    const report = await drain({ store, transport, team: { to: teamInbox, from }, now: runtime.now });
    // Housekeeping: webinar registrations are kept until the day after their session. A failure
    // here leaves them for the next run and does not fail the delivery.
    const registrationsDeleted = await forgetPastRegistrations(store, runtime.now).catch((error: unknown) => {
      logProblem({
        form: 'delivery',
        outcome: 'housekeeping-failed',
        error: error instanceof Error ? error.name : typeof error,
      });
      return 0;
    });
    logEvent({ form: 'delivery', outcome: 'drained', ...report, registrationsDeleted, ...(next && { nextRun: next }) });
    return Response.json(report);
  } catch (error) {
    // The store is unreachable or kept conflicting: nothing is lost, the next run tries again.
    logProblem({
      form: 'delivery',
      outcome: 'drain-failed',
      error: error instanceof Error ? error.name : typeof error,
    });
    return Response.json({ error: 'drain failed' }, { status: 503 });
  }
}
