/**
 * German wording of dates and times. Every instant is shown in Berlin time, whatever the machine's zone.
 * The page scripts import this module too: each formatter is marked pure, so a bundle keeps only
 * those its functions use.
 */
export const TIME_ZONE = 'Europe/Berlin';

const date = /* @__PURE__ */ new Intl.DateTimeFormat('de-DE', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: TIME_ZONE,
});
const weekdayDate = /* @__PURE__ */ new Intl.DateTimeFormat('de-DE', { dateStyle: 'full', timeZone: TIME_ZONE });
const clockTime = /* @__PURE__ */ new Intl.DateTimeFormat('de-DE', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: TIME_ZONE,
});
const fullHour = /* @__PURE__ */ new Intl.DateTimeFormat('de-DE', { hour: 'numeric', timeZone: TIME_ZONE });
const minutes = /* @__PURE__ */ new Intl.DateTimeFormat('de-DE', { minute: 'numeric', timeZone: TIME_ZONE });
const dayMonth = /* @__PURE__ */ new Intl.DateTimeFormat('de-DE', {
  day: 'numeric',
  month: 'long',
  timeZone: TIME_ZONE,
});

/** „28. Dezember 2026" */
export function formatDate(instant: Date): string {
  return date.format(instant);
}

/** „Dienstag, 16. Februar 2027" */
export function formatWeekdayDate(instant: Date): string {
  return weekdayDate.format(instant);
}

/** „14:00 Uhr" */
export function formatTime(instant: Date): string {
  return `${clockTime.format(instant)} Uhr`;
}

/** „10. Januar 2027, 10:00 Uhr" */
export function formatDateTime(instant: Date): string {
  return `${formatDate(instant)}, ${formatTime(instant)}`;
}

/** „12. Januar, 14:05 Uhr": a recent instant (a saved draft), whose year goes without saying. */
export function formatDayMonthTime(instant: Date): string {
  return `${dayMonth.format(instant)}, ${formatTime(instant)}`;
}

/** „vom 28. Dezember 2026, 00:00 Uhr, bis zum 28. Februar 2027, 23:59 Uhr": a window with its hours. */
export function formatWindow(window: { opens: Date; closes: Date }): string {
  return `vom ${formatDateTime(window.opens)}, bis zum ${formatDateTime(window.closes)}`;
}

/** „14:00–15:00 Uhr" */
export function formatTimeRange(start: Date, end: Date): string {
  return clockTime.formatRange(start, end);
}

/** „14–15 Uhr" for full hours, as running text says it; „14:30–15:30 Uhr" otherwise. */
export function formatShortTimeRange(start: Date, end: Date): string {
  const onTheHour = [start, end].every((instant) => Number(minutes.format(instant)) === 0);
  return (onTheHour ? fullHour : clockTime).formatRange(start, end);
}

/** „Dienstag, 16. Februar 2027, 11:00–12:00 Uhr": a session as the forms and emails name it. */
export function formatSession(session: { start: Date; end: Date }): string {
  return `${formatWeekdayDate(session.start)}, ${formatTimeRange(session.start, session.end)}`;
}

// Parts rather than a locale's layout: how a locale writes dates is CLDR data that may change with ICU.
const dayParts = /* @__PURE__ */ new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  numberingSystem: 'latn',
  timeZone: TIME_ZONE,
});

/** „2027-01-10": the Berlin calendar day of an instant. */
export function berlinDay(instant: Date): string {
  const parts = Object.fromEntries(dayParts.formatToParts(instant).map(({ type, value }) => [type, value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}`;
}

const minuteParts = /* @__PURE__ */ new Intl.DateTimeFormat('en-US', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  numberingSystem: 'latn',
  timeZone: TIME_ZONE,
});

/**
 * „2027-01-10 14:05": Berlin date and time for a spreadsheet cell. Excel (German too) and LibreOffice
 * read this ISO form as a date and time in any locale, so the column sorts and filters by time; where
 * a program leaves it as text, it still sorts right. „10.01.2027 14:05" is a date only to a German one.
 */
export function spreadsheetDateTime(instant: Date): string {
  const parts = Object.fromEntries(minuteParts.formatToParts(instant).map(({ type, value }) => [type, value]));
  return `${berlinDay(instant)} ${parts['hour']}:${parts['minute']}`;
}

const offset = /* @__PURE__ */ new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' });

/** „+01:00" in winter, „+02:00" in summer: Berlin's offset from UTC at an instant. */
export function berlinOffset(instant: Date): string {
  const name = offset.formatToParts(instant).find((part) => part.type === 'timeZoneName')!.value;
  return name === 'GMT' ? '+00:00' : name.slice(3);
}
