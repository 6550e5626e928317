/**
 * The instants the suites pin KOMMA_NOW to, derived from the real content (content/settings.json
 * through tests/helpers/content-dates.ts), never written down: editors move the dates every round.
 *
 * A new application needs the window open; a webinar registration needs its session ahead. The
 * content need not have one instant that satisfies both, so each form gets its own list of days,
 * and a run moves the clock between phases. One day per phase also keeps each phase within the
 * settings' `confirmationsPerDay` (counted per Berlin day, across both forms).
 */
import { settings } from '../../src/settings/index.ts';
import { berlinDay, berlinOffset } from '../../src/time/format.ts';
import { contentSessions, contentWindow } from '../helpers/content-dates.ts';

const DAY = 24 * 3_600_000;

/** Noon in Berlin on each calendar day whose noon lies in [from, until): far from any DST switch. */
export function berlinNoons(from: Date, until: Date): Date[] {
  const noons: Date[] = [];
  const [year, month, day] = berlinDay(from).split('-').map(Number) as [number, number, number];
  // Ten years of days at most: a bound, whatever the dates.
  for (let offset = 0; offset < 3660; offset += 1) {
    const date = new Date(Date.UTC(year, month - 1, day + offset));
    const wall = `${date.toISOString().slice(0, 10)}T12:00:00`;
    const noon = new Date(`${wall}${berlinOffset(new Date(`${wall}Z`))}`);
    if (noon >= until) return noons;
    if (noon >= from) noons.push(noon);
  }
  return noons;
}

export interface ContentClock {
  /** Days on which a new application is accepted (inside the window). */
  readonly applicationDays: readonly Date[];
  /** Days on which a registration for `webinarSession` is accepted (before it starts). */
  readonly webinarDays: readonly Date[];
  /** The session the suites register for: the content's second by start, as the fixtures use. */
  readonly webinarSession: string;
  /** The settings' limit of confirmations per Berlin day, for both forms together. */
  readonly confirmationsPerDay: number;
}

/** Registrations open well before a session; the suites look back this far for days to use. */
const WEBINAR_LOOKBACK_DAYS = 120;

export function contentClock(): ContentClock {
  const session = contentSessions.ahead;
  const { opens, closes } = contentWindow;
  const applicationDays = berlinNoons(opens, new Date(closes.getTime() + 1000));
  const webinarDays = berlinNoons(new Date(session.start.getTime() - WEBINAR_LOOKBACK_DAYS * DAY), session.start);
  return {
    // A window shorter than a day may hold no noon: then its middle.
    applicationDays: applicationDays.length > 0 ? applicationDays : [contentWindow.inside],
    webinarDays: webinarDays.length > 0 ? webinarDays : [new Date(session.start.getTime() - 60_000)],
    webinarSession: session.id,
    confirmationsPerDay: settings.confirmationsPerDay,
  };
}

/** The later of two instants. */
export const latest = (a: Date, b: Date): Date => (a > b ? a : b);
