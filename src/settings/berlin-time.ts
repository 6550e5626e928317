import * as z from 'zod/mini';
import * as PlainDateTimeFns from 'temporal-polyfill/fns/PlainDateTime';
import * as ZonedDateTimeFns from 'temporal-polyfill/fns/ZonedDateTime';
import { berlinOffset, TIME_ZONE } from '../time/format.ts';

// Temporal's tree-shakeable function API, not `Temporal`: every function bundles the settings, and
// the whole polyfill would add ~56 KB to each; these functions add ~19 KB.

/** A time in content/settings.json as an instant, or why it cannot be one (in German, for editors). */
export type Reading = { readonly instant: Date } | { readonly problem: string };

/**
 * What a time written to the minute stands for: the minute's start ("14:00" of a session), or its last
 * second (the `closes` of a window, which counts to 23:59:59 when written "23:59").
 */
export type MinuteMeans = 'start' | 'last second';

/** "2027-01-31 14:00" (or with "T"): Berlin wall-clock time, as editors think of it. */
const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;

const OFFSET_FORM = z.iso.datetime({ offset: true, local: false });

const MALFORMED = 'Datum und Uhrzeit in Berliner Zeit als „JJJJ-MM-TT HH:MM“ angeben, z. B. „2026-12-28 00:00“.';

/** Reads a time as editors write it: Berlin wall clock to the minute, or (older files) an instant with offset. */
export function readBerlinTime(value: string, minute: MinuteMeans): Reading {
  const wallClock = WALL_CLOCK.exec(value);
  if (wallClock) return fromWallClock(value, wallClock.slice(1).map(Number), minute);
  if (OFFSET_FORM.safeParse(value).success) return fromOffsetForm(value);
  return { problem: MALFORMED };
}

function fromWallClock(value: string, [year, month, day, hour, minute]: number[], means: MinuteMeans): Reading {
  const written = calendarTime(year!, month!, day!, hour!, minute!, means === 'last second' ? 59 : 0);
  if (!written) return { problem: MALFORMED };
  // The two readings differ only where the clocks change: in the skipped hour and the doubled one.
  const earlier = PlainDateTimeFns.toZonedDateTime(written, TIME_ZONE, { disambiguation: 'earlier' });
  const later = PlainDateTimeFns.toZonedDateTime(written, TIME_ZONE, { disambiguation: 'later' });
  if (earlier.epochMilliseconds === later.epochMilliseconds) return { instant: new Date(later.epochMilliseconds) };

  const shown = `„${value}“`;
  const { before, after } = clockChange(earlier);
  if (earlier.hour !== hour) {
    // Only a skipped time comes back as another wall time: Temporal moves it out of the gap.
    return {
      problem:
        `${shown} gibt es in Berlin nicht: In dieser Nacht werden die Uhren um ${before} Uhr auf ${after} Uhr ` +
        `vorgestellt. Bitte eine Uhrzeit ab ${after} Uhr wählen.`,
    };
  }
  const withOffset = (reading: ZonedDateTimeFns.Record) =>
    `„${value.slice(0, 10)}T${value.slice(11)}:${twoDigits(reading.second)}${ZonedDateTimeFns.offset(reading)}“`;
  return {
    problem:
      `${shown} gibt es in Berlin zweimal: In dieser Nacht werden die Uhren um ${before} Uhr auf ${after} Uhr ` +
      `zurückgestellt. Bitte eine Uhrzeit vor ${after} Uhr oder ab ${before} Uhr wählen – oder mit Zeitzone ` +
      `schreiben, welche gemeint ist: ${withOffset(earlier)} (die erste, Sommerzeit) oder ` +
      `${withOffset(later)} (die zweite, Winterzeit).`,
  };
}

/** The wall times of the clock change after a reading: "02:00" → "03:00" in spring, the reverse in autumn. */
function clockChange(earlier: ZonedDateTimeFns.Record) {
  const change = ZonedDateTimeFns.getTimeZoneTransition(earlier, 'next')!;
  const clock = (reading: ZonedDateTimeFns.Record) => `${twoDigits(reading.hour)}:${twoDigits(reading.minute)}`;
  return {
    before: clock(ZonedDateTimeFns.withTimeZone(change, ZonedDateTimeFns.offset(earlier))),
    after: clock(change),
  };
}

/** A date and time the calendar has; none for e.g. "2027-02-30 10:00" or "24:00". */
function calendarTime(
  ...fields: [number, number, number, number, number, number]
): PlainDateTimeFns.Record | undefined {
  try {
    return PlainDateTimeFns.create(...fields);
  } catch {
    return undefined;
  }
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

/**
 * An instant written as Berlin wall time with its offset, e.g. "2026-12-28T00:00:00+01:00", as it
 * stands: the offset must be the one Berlin has then, since a summer date with "+01:00" is an hour off.
 */
function fromOffsetForm(value: string): Reading {
  const [, wallTime, zone] = /^(\d{4}-\d{2}-\d{2}T[\d:.]+)(Z|[+-]\d{2}:?\d{2})$/.exec(value) ?? [];
  const instant = new Date(value);
  if (!wallTime || !zone || Number.isNaN(instant.getTime())) return { problem: MALFORMED };
  const written = zone === 'Z' ? '+00:00' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const expected = berlinOffset(new Date(`${wallTime}${written}`));
  const fixed = berlinOffset(new Date(`${wallTime}${expected}`));
  if (written !== expected && written !== fixed) {
    const season = fixed === '+02:00' ? 'Sommerzeit' : 'Winterzeit';
    return { problem: `An diesem Tag gilt in Berlin ${season} (${fixed}): "${wallTime}${fixed}" schreiben.` };
  }
  return { instant };
}

/** True for a day the calendar has, written "2027-02-28"; not "2027-02-30". */
export function isCalendarDay(value: string): boolean {
  const [year, month, day] = value.split('-').map(Number);
  return calendarTime(year!, month!, day!, 0, 0, 0) !== undefined;
}
