/**
 * Structured log lines for the functions. Only references, outcomes and field names: never what a
 * person typed, so logs hold no personal data.
 */
export interface LogEvent {
  readonly form: string;
  readonly outcome: string;
  readonly reference?: string;
  readonly [detail: string]: string | number | boolean | readonly string[] | undefined;
}

export function logEvent(event: LogEvent): void {
  console.info(JSON.stringify({ level: 'info', ...event }));
}

export function logProblem(event: LogEvent): void {
  console.error(JSON.stringify({ level: 'error', ...event }));
}
