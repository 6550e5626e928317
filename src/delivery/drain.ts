import { logEvent, logProblem } from '../log.ts';
import type { Transport } from '../mail/email.ts';
import { berlinDay } from '../time/format.ts';
import { attemptEmail, nextPending, withOutcomes, type Outcome } from './attempt.ts';
import { createPacer } from './pacer.ts';
import { forgetCountersBefore } from './allowance.ts';
import { complete, enqueue, pending, readPause, setPause, update, writeKeptCopy } from './outbox.ts';
import {
  afterFailure,
  giveUp,
  isConfigurationProblem,
  isOverdue,
  isSettled,
  kept,
  tombstoneOf,
  type EmailRole,
  type OutboxMessage,
} from './record.ts';
import type { KeyValueStore } from './store.ts';

export interface DrainOptions {
  readonly store: KeyValueStore;
  readonly transport: Transport;
  /** Where the note about a message given up goes (the team inbox), and from whom. */
  readonly team: { readonly to: string; readonly from: string };
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
  /** Records given up in this run after 72 hours of failures (technical failures). */
  givenUp: number;
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
  const report: DrainReport = {
    due: 0,
    accepted: 0,
    failed: 0,
    completed: 0,
    givenUp: 0,
    queued: 0,
    stoppedEarly: false,
  };

  const pause = await readPause(store);
  if (pause && new Date(pause.until) > now) {
    const records = await pending(store);
    return { ...report, queued: records.length, pausedUntil: pause.until, stoppedEarly: records.length > 0 };
  }
  if (pause) await setPause(store, undefined);

  const all = await pending(store);
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
    const keptNow = record.keep ? await keepCopy(store, record) : false;
    failedRun ||= Boolean(record.keep) && !keptNow;
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
        await setPause(store, { until: verdict.resumeAt.toISOString(), reason: verdict.reason });
        report.pausedUntil = verdict.resumeAt.toISOString();
        logProblem({
          form: record.source,
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
    if (outcomes.length === 0 && !keptNow && !failedRun) continue;
    const saved = await update(store, record.key, (stored) => {
      const updated = withOutcomes(keptNow ? kept(stored) : stored, outcomes);
      return failedRun && !isSettled(updated) ? afterFailure(updated, now) : updated;
    });
    if (saved && isSettled(saved)) {
      await complete(store, tombstoneOf(saved, now));
      report.completed += 1;
      logEvent({ form: record.source, outcome: 'delivered', reference: record.reference });
    } else if (saved && failedRun && isOverdue(saved, now)) {
      await endAsTechnicalFailure(store, saved, options.team, now);
      report.givenUp += 1;
    } else if (saved) {
      logEvent({
        form: record.source,
        outcome: failedRun ? 'retry-scheduled' : 'partly-delivered',
        reference: record.reference,
        next: saved.nextAttemptAt,
      });
    }
  }
  if (stop) report.stoppedEarly = true;
  // Housekeeping after the sending, outside its time budget: yesterday's counters go.
  await forgetCountersBefore(store, berlinDay(now));
  // What was queued at the start, less what this run finished (new arrivals wait for the next run).
  report.queued = all.length - report.completed - report.givenUp;
  return report;
}

/** Writes the copy a message keeps (src/selection/kept.ts); there already counts as kept. */
async function keepCopy(store: KeyValueStore, record: OutboxMessage): Promise<boolean> {
  try {
    await writeKeptCopy(store, record.keep!);
    return true;
  } catch (error) {
    logProblem({
      form: record.source,
      outcome: 'keep-failed',
      reference: record.reference,
      error: error instanceof Error ? error.name : typeof error,
    });
    return false;
  }
}

/**
 * A message whose emails kept failing for 72 hours ends, as in GOV.UK Notify, as a technical
 * failure: the team's note is queued first (once, under its own key), then the tombstone replaces
 * the message, and the drain tries no more. A failure in between leaves the message queued, and
 * the next run ends it again without a second note.
 */
async function endAsTechnicalFailure(
  store: KeyValueStore,
  record: OutboxMessage,
  team: DrainOptions['team'],
  now: Date,
) {
  const { tombstone, note } = giveUp(record, team, now);
  if (note) await enqueue(store, note);
  await complete(store, tombstone);
  logProblem({
    form: record.source,
    outcome: 'technical-failure',
    reference: record.reference,
    since: record.receivedAt,
  });
}
