import { LAST_OVERVIEW } from '../delivery/keys.ts';
import { enqueue, lookup, outboxMessage } from '../delivery/outbox.ts';
import type { OutboxMessage } from '../delivery/record.ts';
import { scheduledRun } from '../scheduled/scheduled-run.ts';
import { scheduledBound, type DeliveryStore } from '../delivery/store.ts';
import { overviewEmail } from '../mail/overview.ts';
import type { MailSetup } from '../mail/transport.ts';
import type { Settings } from '../settings/schema.ts';
import type { Runtime } from '../runtime.ts';
import { berlinDay, berlinOffset } from '../time/format.ts';
import { forgetApplications, keptApplications } from './kept.ts';
import { summarise } from './overview.ts';

/** The overview goes out from 07:00 Berlin time and covers what arrived before then. */
export const OVERVIEW_HOUR = '07:00';

/** What the last overview covered (under LAST_OVERVIEW): the next one counts as new what came after. */
interface LastOverview {
  readonly day: string;
  readonly total: number;
}

/** 07:00 Berlin time on `day` ("2027-01-12"); Berlin's clocks never change at that hour. */
export function overviewTime(day: string): Date {
  const offset = berlinOffset(new Date(`${day}T${OVERVIEW_HOUR}:00Z`));
  return new Date(`${day}T${OVERVIEW_HOUR}:00${offset}`);
}

/** The record of one day's overview: its key is the exactly-once guard (created with onlyIfNew). */
export const overviewKey = (day: string) => `overview-${day}`;

export interface OverviewRun {
  readonly store: DeliveryStore;
  readonly settings: Pick<Settings, 'applicationWindow' | 'retainApplicationsUntil' | 'sizeClasses'>;
  readonly mail: Pick<MailSetup, 'from' | 'teamInbox'>;
  readonly now: Date;
}

/** A type, not an interface: it is a log line's details too (scheduledRun). */
export type OverviewReport = {
  /** The Berlin day of the run. */
  day: string;
  /** True when this run queued the day's overview. */
  queued: boolean;
  /** Applications the day's overview covers (0 when none was due). */
  applications: number;
  /** Of those, new since the last overview. */
  fresh: number;
  /** Kept applications deleted by this run (after retainApplicationsUntil). */
  deleted: number;
};

/** The day's overview as an outbox message, due at once; once sent, it becomes a tombstone. */
function overviewMessage(run: OverviewRun, day: string, email: ReturnType<typeof overviewEmail>): OutboxMessage {
  return outboxMessage({
    key: overviewKey(day),
    source: 'selection-overview',
    reference: `uebersicht-${day}`,
    from: run.mail.from,
    emails: [{ role: 'overview', label: 'versand', email }],
    receivedAt: run.now,
  });
}

/**
 * One run of the scheduled function. From 07:00 Berlin time on a day whose overview is not queued
 * yet, it queues one when applications arrived before 07:00 that the last overview did not cover,
 * or when the window has closed since the last overview (the closing overview, also with no new
 * application). The record's key names the day and is written with onlyIfNew, so however often
 * and however concurrently this runs, the team gets one overview a day. After
 * retainApplicationsUntil (Berlin), it deletes the kept applications and sends nothing more.
 */
export async function queueOverview(run: OverviewRun): Promise<OverviewReport> {
  const { store, settings, now } = run;
  const day = berlinDay(now);
  const report: OverviewReport = { day, queued: false, applications: 0, fresh: 0, deleted: 0 };
  if (day > settings.retainApplicationsUntil) {
    report.deleted = await forgetApplications(store);
    await store.remove(LAST_OVERVIEW);
    return report;
  }
  const asOf = overviewTime(day);
  if (now < asOf || (await lookup(store, overviewKey(day)))) return report;

  const last = await store.read<LastOverview>(LAST_OVERVIEW);
  const covered = (await keptApplications(store)).filter((entry) => new Date(entry.receivedAt) < asOf);
  const closeDay = berlinDay(settings.applicationWindow.closes);
  const closing = day > closeDay && (last?.day ?? '') <= closeDay;
  if (covered.length <= (last?.total ?? 0) && !closing) return report;

  const overview = summarise(covered, last?.total ?? 0, settings.sizeClasses);
  const email = overviewEmail({
    asOf,
    day,
    overview,
    applications: covered,
    closing,
    closes: settings.applicationWindow.closes,
    retainUntil: settings.retainApplicationsUntil,
    teamInbox: run.mail.teamInbox,
  });
  if (!(await enqueue(store, overviewMessage(run, day, email)))) return report; // another run came first
  // Only the run that created the day's record gets here: a single writer.
  await store.write(LAST_OVERVIEW, { day, total: covered.length } satisfies LastOverview);
  return { ...report, queued: true, applications: overview.total, fresh: overview.fresh };
}

/** The scheduled function's work: one run; its report (counts only) is the answer and one log line. */
export function selectionOverview(runtime: Runtime): Promise<Response> {
  return scheduledRun('selection-overview', runtime, (mail) =>
    queueOverview({ store: runtime.store(scheduledBound()), settings: runtime.settings, mail, now: runtime.now }),
  );
}
