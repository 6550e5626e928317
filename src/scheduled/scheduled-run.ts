import { logEvent, logProblem, type LogEvent } from '../log.ts';
import type { MailSetup } from '../mail/transport.ts';
import { runtimeMail, type Runtime } from '../runtime.ts';

type Report = Record<string, LogEvent[string]>;

/**
 * The shell of a scheduled function that queues emails: the mail configuration first (its absence
 * is a 503 naming the variable), then one run whose report (counts only) is the answer and one log
 * line. A failing store fails the run with 503 and loses nothing: the next run tries again.
 */
export async function scheduledRun(
  job: string,
  runtime: Runtime,
  run: (mail: MailSetup) => Promise<Report>,
): Promise<Response> {
  const config = runtimeMail(runtime);
  if (!config.ok) {
    logProblem({ form: job, outcome: 'configuration-error', missing: config.missing });
    return Response.json({ error: `${config.missing} is not set` }, { status: 503 });
  }
  try {
    const report = await run(config.setup);
    logEvent({ form: job, outcome: 'run', ...report });
    return Response.json(report);
  } catch (error) {
    logProblem({ form: job, outcome: 'run-failed', error: error instanceof Error ? error.name : typeof error });
    return Response.json({ error: `${job} run failed` }, { status: 503 });
  }
}
