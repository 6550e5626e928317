/**
 * Distinct valid submissions for the load and faults suites, made from the named fixtures: each
 * with its own submissionId and address, sent as the page script sends them (JSON, with the time
 * the form took to fill in, so that the spam check lets them through).
 */
import { randomUUID } from 'node:crypto';
import { fingerprint, referenceFrom, submissionIdOf } from '../../src/submissions/reference.ts';
import { validApplication } from '../fixtures/applications.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import type { ContentClock } from './clocks.ts';
import { planWaves } from './waves.ts';

export type FormName = 'bewerbung' | 'webinar';

export interface Submission {
  readonly form: FormName;
  readonly body: Readonly<Record<string, unknown>>;
}

/**
 * Each form's `referencePrefix` (src/submissions/application.ts, webinar.ts). Written down: the
 * suites run under node's type stripping, which cannot import the form specs' dependencies.
 */
const PREFIX: Readonly<Record<FormName, string>> = { bewerbung: 'B', webinar: 'W' };

/**
 * The reference the function names `submission` by, known before any answer: from its
 * submissionId, as src/submissions/pipeline.ts derives it (a 503 names none).
 */
export function referenceOf(submission: Submission): string {
  const id = submissionIdOf(submission.body['submissionId']);
  if (!id) throw new Error('a suite submission without a submissionId');
  return referenceFrom(PREFIX[submission.form], fingerprint(submission.form, id, {}));
}

/** The page script reports how long the form took; under two seconds counts as a machine. */
const PERSON_FILL_MS = 95_000;

export function applications(count: number, run: string): Submission[] {
  return Array.from({ length: count }, (_, i) => ({
    form: 'bewerbung' as const,
    body: {
      ...validApplication,
      municipality: `Musterstadt ${i + 1}`,
      email: `bewerbung-${run}-${i + 1}@kommune.example`,
      submissionId: randomUUID(),
      elapsedMs: PERSON_FILL_MS,
    },
  }));
}

export function registrations(count: number, run: string, session: string): Submission[] {
  return Array.from({ length: count }, (_, i) => ({
    form: 'webinar' as const,
    body: {
      ...validRegistration,
      session,
      name: `Kim Beispiel ${i + 1}`,
      email: `webinar-${run}-${i + 1}@kommune.example`,
      submissionId: randomUUID(),
      elapsedMs: PERSON_FILL_MS,
    },
  }));
}

/** The options of the suites that send both forms: how many in all, and the registrations' share. */
export const mixOptions = (count: number) =>
  ({
    count: { default: count, help: 'submissions in all' },
    'webinar-share': { default: 0.3, help: 'share of webinar registrations' },
  }) as const;

/**
 * `count` distinct submissions, `webinarShare` of them registrations for the content's session, the
 * rest applications, named after this run, in waves of one day each (waves.ts).
 */
export function mixedWaves(count: number, webinarShare: number, clock: ContentClock) {
  const run = Date.now().toString(36);
  const registrationCount = Math.round(count * webinarShare);
  const split = { applications: count - registrationCount, registrations: registrationCount };
  const waves = planWaves(
    applications(split.applications, run),
    registrations(split.registrations, run, clock.webinarSession),
    clock,
  );
  return { split, waves };
}
