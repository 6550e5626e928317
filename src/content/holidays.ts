/**
 * The calendar facts the content check needs about a day ("2027-01-31"): its German weekday and
 * whether it is a public holiday in every German state (the nine nationwide ones; state holidays
 * such as Fronleichnam are left out, as the project runs across states). Pure, no time zones: a
 * calendar day is the same everywhere.
 */

const WEEKDAYS = ['Sonntag', 'Montag', 'Dienstag', 'Mittwoch', 'Donnerstag', 'Freitag', 'Samstag'] as const;

/** „Sonntag" for "2027-01-31". */
export function weekdayName(day: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[toUtc(day).getUTCDay()]!;
}

export function isWeekend(day: string): boolean {
  const weekday = toUtc(day).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** The name of the nationwide public holiday on `day`, e.g. „Karfreitag", or undefined. */
export function nationwideHoliday(day: string): string | undefined {
  return nationwideHolidays(Number(day.slice(0, 4))).get(day);
}

/** The nine holidays every German state keeps, by day ("2027-03-26" → „Karfreitag"). */
export function nationwideHolidays(year: number): Map<string, string> {
  const easter = easterSunday(year);
  const fromEaster = (days: number) => isoDay(new Date(easter.getTime() + days * 86_400_000));
  const fixed = (month: number, date: number) => isoDay(new Date(Date.UTC(year, month - 1, date)));
  return new Map([
    [fixed(1, 1), 'Neujahr'],
    [fromEaster(-2), 'Karfreitag'],
    [fromEaster(1), 'Ostermontag'],
    [fixed(5, 1), 'Tag der Arbeit'],
    [fromEaster(39), 'Christi Himmelfahrt'],
    [fromEaster(50), 'Pfingstmontag'],
    [fixed(10, 3), 'Tag der Deutschen Einheit'],
    [fixed(12, 25), '1. Weihnachtsfeiertag'],
    [fixed(12, 26), '2. Weihnachtsfeiertag'],
  ]);
}

/** Easter Sunday of the Gregorian calendar (the anonymous algorithm, Meeus/Jones/Butcher), as UTC midnight. */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, date));
}

function toUtc(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

function isoDay(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
