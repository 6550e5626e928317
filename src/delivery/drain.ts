import { logEvent, logProblem } from '../log.ts';
import type { Transport } from '../mail/email.ts';
import { berlinDay } from '../time/format.ts';
import { attemptEmail, nextPending, withOutcomes, type Outcome } from './attempt.ts';
import { createPacer } from './pacer.ts';
import { afterFailure, isConfigurationProblem, isSettled, tombstoneOf, type EmailRole } from './record.ts';
import type { DeliveryStore } from './store.ts';

export interface DrainOptions {
  readonly store: DeliveryStore;
  readonly transport: Transport;
  /** The instant every date rule of this run uses (the injectable clock, KOMMA_NOW). */
  readonly now: Date;
  /** Monotonic milliseconds and waiting, injected so tests run a long pause in no time. */
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** No new request starts after this many milliseconds: Netlify ends scheduled functions at 30 s. */
  readonly budgetMs?: number;
  /** Longest wait for one provider answer. */
  readonly timeoutMs?: number;
}

/** What a run did, in counts: the scheduled function's answer and its log line. */
export interface DrainReport {
  /** Records that were due at the start of the run. */
  due: number;
  /** Emails the provider accepted in this run. */
  accepted: number;
  /** Emails that failed for good (a refused confirmation address). */
  failed: number;
  /** Records finished in this run: their personal data is deleted. */
  completed: number;
  /** Records still queued after the run, due or not. */
  queued: number;
  /** Set when the queue waits for a provider quota to reset. */
  pausedUntil?: string;
  /** True when the run stopped before the end of what was due (time budget, quota, configuration). */
  stoppedEarly: boolean;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends what is pending, oldest first, paced to the provider's limit, and stops in time. An
 * accepted email is never sent again; a record whose emails are all out becomes a tombstone at once.
 * A quota pauses the whole queue until it resets; a configuration problem ends the run (every
 * email would meet it) and leaves everything queued.
 */
export async function drain(options: DrainOptions): Promise<DrainReport> {
  const { store, transport, now } = options;
  const clock = options.clock ?? (() => performance.now());
  const sleep = options.sleep ?? realSleep;
  const budgetMs = options.budgetMs ?? 20_000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const start = clock();
  const report: DrainReport = { due: 0, accepted: 0, failed: 0, completed: 0, queued: 0, stoppedEarly: false };

  const pause = await store.pause();
  if (pause && new Date(pause.until) > now) {
    const records = await store.pending();
    return { ...report, queued: records.length, pausedUntil: pause.until, stoppedEarly: records.length > 0 };
  }
  if (pause) await store.setPause(undefined);

  const all = await store.pending();
  const due = all
    .filter((record) => new Date(record.nextAttemptAt) <= now)
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
  report.due = due.length;
  const pacer = createPacer(clock);
  const timeLeft = () => budgetMs - (clock() - start);

  let stop = false;
  for (const record of due) {
    if (stop || timeLeft() <= 0) {
      report.stoppedEarly = true;
      break;
    }
    const outcomes: Outcome[] = [];
    let current = record;
    let failedRun = false;
    const tried = new Set<EmailRole>();
    for (let entry = nextPending(current, tried); entry; entry = nextPending(current, tried)) {
      const wait = pacer.waitMs();
      if (wait >= timeLeft()) {
        stop = true;
        break;
      }
      if (wait > 0) await sleep(wait);
      const outcome = await attemptEmail(current, entry.role, transport, timeoutMs, now);
      pacer.observe(
        outcome.rateLimit,
        outcome.retryAfterMs ?? (outcome.verdict.kind === 'rate-limited' ? outcome.verdict.waitMs : undefined),
      );
      const { verdict } = outcome;
      if (verdict.kind === 'rate-limited') continue; // the same email again, once the pacer allows
      tried.add(entry.role);
      outcomes.push(outcome);
      current = withOutcomes(current, [outcome]);
      if (verdict.kind === 'accepted') report.accepted += 1;
      else if (verdict.kind === 'quota') {
        await store.setPause({ until: verdict.resumeAt.toISOString(), reason: verdict.reason });
        report.pausedUntil = verdict.resumeAt.toISOString();
        logProblem({
          form: record.form,
          outcome: 'quota-paused',
          reference: record.reference,
          until: report.pausedUntil,
        });
        stop = true;
        break;
      } else if (verdict.kind === 'retry' || isConfigurationProblem(entry.role, verdict)) {
        failedRun = true;
        stop ||= verdict.kind === 'refused';
        break;
      } else report.failed += 1;
    }
    if (outcomes.length === 0) continue;
    const saved = await store.update(record.key, (stored) => {
      const updated = withOutcomes(stored, outcomes);
      return failedRun && !isSettled(updated) ? afterFailure(updated, now) : updated;
    });
    if (saved && isSettled(saved)) {
      await store.complete(tombstoneOf(saved, now));
      report.completed += 1;
      logEvent({ form: record.form, outcome: 'delivered', reference: record.reference });
    } else if (saved) {
      logEvent({
        form: record.form,
        outcome: failedRun ? 'retry-scheduled' : 'partly-delivered',
        reference: record.reference,
        next: saved.nextAttemptAt,
      });
    }
  }
  if (stop) report.stoppedEarly = true;
  // Housekeeping after the sending, outside its time budget: yesterday's counters go.
  await store.forgetCountersBefore(berlinDay(now));
  // What was queued at the start, less what this run finished (new arrivals wait for the next run).
  report.queued = all.length - report.completed;
  return report;
}
