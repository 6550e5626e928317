import { logProblem } from '../log.ts';
import type { RateLimit, Transport } from '../mail/email.ts';
import { isConfigurationProblem, withVerdict, type EmailRole, type OutboxMessage } from './record.ts';
import { verdictOf, type Verdict } from './verdict.ts';

export interface Outcome {
  readonly role: EmailRole;
  /** Names the very email tried: an amendment may have replaced it since (src/submissions/amendment.ts). */
  readonly idempotencyKey: string;
  readonly verdict: Verdict;
  /** What the transport said about the provider's limits, for the drain's pacing. */
  readonly rateLimit?: RateLimit;
  readonly retryAfterMs?: number;
}

/**
 * Applies outcomes to a record, in order: the same step for the request and the drain. An outcome
 * of an email the record no longer holds (replaced by an amendment meanwhile) changes nothing.
 */
export function withOutcomes(record: OutboxMessage, outcomes: readonly Outcome[]): OutboxMessage {
  return outcomes.reduce((current, outcome) => {
    const entry = current.emails.find((candidate) => candidate.role === outcome.role);
    return entry?.idempotencyKey === outcome.idempotencyKey
      ? withVerdict(current, outcome.role, outcome.verdict)
      : current;
  }, record);
}

/** The next email of a record still to send, in the record's order (team first). */
export function nextPending(record: OutboxMessage, skip: ReadonlySet<EmailRole> = new Set()) {
  return record.emails.find((entry) => entry.status === 'pending' && !skip.has(entry.role));
}

/** One call of the transport for one email of a record, judged. */
export async function attemptEmail(
  record: OutboxMessage,
  role: EmailRole,
  transport: Transport,
  timeoutMs: number,
  now: Date,
): Promise<Outcome> {
  const entry = record.emails.find((candidate) => candidate.role === role)!;
  const result = await transport.send(entry.email, {
    idempotencyKey: entry.idempotencyKey,
    label: entry.label,
    timeoutMs,
  });
  const verdict = verdictOf(result, now);
  if (isConfigurationProblem(role, verdict)) {
    // An alert for whoever runs the site: the provider refuses us, not the address.
    logProblem({
      form: record.source,
      outcome: 'configuration-alert',
      reference: record.reference,
      email: role,
      reason: verdict.kind === 'refused' ? verdict.reason : verdict.kind,
      note: 'The email provider refused the request: check RESEND_API_KEY, MAIL_FROM and MAIL_TO. The email stays queued.',
    });
  }
  return {
    role,
    idempotencyKey: entry.idempotencyKey,
    verdict,
    ...(!result.ok && result.retryAfterMs !== undefined && { retryAfterMs: result.retryAfterMs }),
    ...(result.rateLimit && { rateLimit: result.rateLimit }),
  };
}

/** An attempt shorter than this would time out before any provider answers: leave it to the drain. */
const SHORTEST_ATTEMPT_MS = 300;

/**
 * The request's own try: each pending email at most once, within `budgetMs` in all, stopping at the
 * first failure (the drain retries; nobody waits on Retry-After while a person watches a spinner).
 */
export async function attemptInRequest(
  record: OutboxMessage,
  transport: Transport,
  now: Date,
  budgetMs: number,
  clock: () => number = () => performance.now(),
): Promise<Outcome[]> {
  const start = clock();
  const outcomes: Outcome[] = [];
  let current = record;
  for (let entry = nextPending(current); entry; entry = nextPending(current)) {
    const remaining = budgetMs - (clock() - start);
    if (remaining < SHORTEST_ATTEMPT_MS) break;
    const outcome = await attemptEmail(current, entry.role, transport, remaining, now);
    outcomes.push(outcome);
    current = withOutcomes(current, [outcome]);
    if (outcome.verdict.kind !== 'accepted') break;
  }
  return outcomes;
}
