/**
 * Splits many submissions into waves, one pinned day each, so that no day has more confirmations
 * than the settings allow (`confirmationsPerDay`, both forms together): beyond it the pipeline
 * withholds confirmations on purpose, which a load test must not mistake for lost email.
 */
import { berlinDay } from '../../src/time/format.ts';
import type { ContentClock } from './clocks.ts';

export interface Wave<A, W> {
  /** KOMMA_NOW for the whole wave. */
  readonly now: Date;
  readonly applications: A[];
  readonly registrations: W[];
}

interface Day {
  readonly now: Date;
  readonly application: boolean;
  readonly webinar: boolean;
}

/**
 * Days on which both forms are open come first (mixed waves, like real traffic), then the days of
 * one form only. The clock may jump back between waves; each wave is a day of its own.
 */
function candidateDays(clock: ContentClock): Day[] {
  const byDay = new Map<string, Day>();
  for (const now of clock.applicationDays) byDay.set(berlinDay(now), { now, application: true, webinar: false });
  for (const now of clock.webinarDays) {
    const key = berlinDay(now);
    const known = byDay.get(key);
    byDay.set(key, known ? { ...known, webinar: true } : { now, application: false, webinar: true });
  }
  const days = [...byDay.values()].sort((a, b) => a.now.getTime() - b.now.getTime());
  return [
    ...days.filter((day) => day.application && day.webinar),
    ...days.filter((day) => !day.application || !day.webinar),
  ];
}

export function planWaves<A, W>(
  applications: readonly A[],
  registrations: readonly W[],
  clock: ContentClock,
  perDay = clock.confirmationsPerDay,
): Wave<A, W>[] {
  const waves: Wave<A, W>[] = [];
  let a = 0;
  let w = 0;
  for (const day of candidateDays(clock)) {
    if (a >= applications.length && w >= registrations.length) break;
    const leftA = day.application ? applications.length - a : 0;
    const leftW = day.webinar ? registrations.length - w : 0;
    if (leftA + leftW === 0) continue;
    // Keep the mix of what is left on days that take both forms.
    let takeA = Math.min(leftA, Math.round((perDay * leftA) / (leftA + leftW)));
    const takeW = Math.min(leftW, perDay - takeA);
    takeA = Math.min(leftA, perDay - takeW);
    waves.push({
      now: day.now,
      applications: applications.slice(a, a + takeA),
      registrations: registrations.slice(w, w + takeW),
    });
    a += takeA;
    w += takeW;
  }
  if (a < applications.length || w < registrations.length) {
    throw new Error(
      `The content has too few days for ${applications.length} applications and ${registrations.length} registrations at ${perDay} confirmations a day.`,
    );
  }
  return waves;
}
