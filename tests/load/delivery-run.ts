/**
 * The part the load and faults suites share: many distinct submissions, wave by wave (one pinned
 * day each), a bounded number in flight; each answer with its time.
 */
import type { Harness } from '../helpers/harness.ts';
import { runPool } from './pool.ts';
import type { FormName, Submission } from './submissions.ts';
import type { Wave } from './waves.ts';

/** What a form function answered, as the page script reads it. */
export interface Answer {
  readonly form: FormName;
  readonly status: number;
  /** From sending the request to the end of the answer's body. */
  readonly ms: number;
  readonly reference?: string;
  readonly queued?: boolean;
  readonly confirmationSent?: boolean;
  readonly message?: string;
}

/** A new record waits 60 s before the drain may take it (REQUEST_GRACE_MS in the pipeline); a second more. */
export const AFTER_REQUEST_GRACE_MS = 61_000;

/** The function's path by its name, from its config: nothing here repeats netlify routing. */
export function pathOf(harness: Harness, form: FormName): string {
  const path = harness.functions.find((fn) => fn.name === form)?.config.path;
  const first = [path ?? []].flat()[0];
  if (!first) throw new Error(`functions/${form} has no config.path`);
  return first;
}

async function submit(harness: Harness, submission: Submission): Promise<Answer> {
  const started = performance.now();
  const response = await fetch(`${harness.origin}${pathOf(harness, submission.form)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(submission.body),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  let body: Partial<Omit<Answer, 'form' | 'status' | 'ms'>> = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON: the status says enough.
  }
  return {
    form: submission.form,
    status: response.status,
    ms,
    ...(typeof body.reference === 'string' && { reference: body.reference }),
    ...(typeof body.queued === 'boolean' && { queued: body.queued }),
    ...(typeof body.confirmationSent === 'boolean' && { confirmationSent: body.confirmationSent }),
    ...(typeof body.message === 'string' && { message: body.message }),
  };
}

/** Interleaves the two forms in their ratio, as real traffic would arrive. */
function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  const mixed: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && i * b.length <= j * a.length)) mixed.push(a[i++]!);
    else mixed.push(b[j++]!);
  }
  return mixed;
}

export interface WaveOptions {
  /** Requests in flight at most. */
  readonly concurrency: number;
  /** No request starts after this many milliseconds of a wave. */
  readonly deadlineMs: number;
  readonly onWave?: (wave: number, answers: readonly Answer[], seconds: number) => void;
}

/** Sends every wave at its own KOMMA_NOW; afterwards the clock stands after the latest wave's grace. */
export async function submitInWaves(
  harness: Harness,
  waves: readonly Wave<Submission, Submission>[],
  options: WaveOptions,
): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const [index, wave] of waves.entries()) {
    harness.setNow(wave.now);
    const started = performance.now();
    const items = interleave(wave.applications, wave.registrations);
    const waveAnswers = await runPool(items, options, (submission) => submit(harness, submission));
    answers.push(...waveAnswers);
    options.onWave?.(index + 1, waveAnswers, (performance.now() - started) / 1000);
  }
  const latest = Math.max(...waves.map((wave) => wave.now.getTime()));
  harness.setNow(new Date(latest + AFTER_REQUEST_GRACE_MS));
  return answers;
}

/** How many answers had each status: {"200": 497, "503": 3}. */
export function statusCounts(answers: readonly Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
