import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  berlinDay,
  formatDate,
  formatDayMonthTime,
  formatSession,
  formatShortTimeRange,
  formatTime,
  formatTimeRange,
  spreadsheetDateTime,
} from '../../src/time/format.ts';

describe('German dates in Berlin time', () => {
  it('writes a date with the month in words', () => {
    expect(formatDate(new Date('2030-03-04T00:00:00+01:00'))).toBe('4. März 2030');
  });

  it('uses the Berlin day, not the UTC day, around midnight', () => {
    // 23:30 UTC on 3 March is already 4 March in Berlin.
    expect(formatDate(new Date('2030-03-03T23:30:00Z'))).toBe('4. März 2030');
    expect(formatDate(new Date('2030-04-30T23:59:59+02:00'))).toBe('30. April 2030');
  });

  it('names the time of a recent event by day, month and time, without the year', () => {
    expect(formatDayMonthTime(new Date('2030-01-12T13:05:00Z'))).toBe('12. Januar, 14:05 Uhr');
    // Summer time, and a Berlin day that is not yet the UTC day.
    expect(formatDayMonthTime(new Date('2030-06-30T22:30:00Z'))).toBe('1. Juli, 00:30 Uhr');
  });

  it('names a session with weekday, date and time range', () => {
    const session = { start: new Date('2030-03-12T14:00:00+01:00'), end: new Date('2030-03-12T15:00:00+01:00') };
    expect(formatSession(session)).toBe('Dienstag, 12. März 2030, 14:00–15:00 Uhr');
  });

  it('writes full-hour ranges as running text does and keeps minutes otherwise', () => {
    expect(formatShortTimeRange(new Date('2030-03-12T13:00:00Z'), new Date('2030-03-12T14:00:00Z'))).toBe('14–15 Uhr');
    expect(formatShortTimeRange(new Date('2030-03-12T13:30:00Z'), new Date('2030-03-12T14:30:00Z'))).toBe(
      '14:30–15:30 Uhr',
    );
  });

  it('follows the switch to summer time (31 March 2030, 02:00 → 03:00)', () => {
    // One hour of real time across the switch reads as two hours on the clock.
    expect(formatTimeRange(new Date('2030-03-31T00:30:00Z'), new Date('2030-03-31T01:30:00Z'))).toBe('01:30–03:30 Uhr');
    expect(formatTime(new Date('2030-04-01T12:00:00Z'))).toBe('14:00 Uhr');
    expect(formatTime(new Date('2030-03-30T12:00:00Z'))).toBe('13:00 Uhr');
  });

  it('follows the switch back to winter time (27 October 2030)', () => {
    expect(formatTime(new Date('2030-10-26T12:00:00Z'))).toBe('14:00 Uhr');
    expect(formatTime(new Date('2030-10-27T12:00:00Z'))).toBe('13:00 Uhr');
  });
});

describe('spreadsheetDateTime', () => {
  it.each([
    ['2030-12-28T13:05:00Z', '2030-12-28 14:05', 'winter time'],
    ['2030-07-14T22:30:00Z', '2030-07-15 00:30', 'half past midnight in summer, not „24:30“'],
    ['2029-12-31T23:00:00Z', '2030-01-01 00:00', 'New Year in Berlin while UTC is still in the old year'],
  ])('writes %s as %s (%s)', (instant, cell) => {
    expect(spreadsheetDateTime(new Date(instant))).toBe(cell);
  });
});

describe('berlinDay', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([
    ['2029-12-31T23:00:00Z', '2030-01-01', 'New Year in Berlin while UTC is still in the old year'],
    ['2029-12-31T22:59:59.999Z', '2029-12-31', 'the last millisecond of the year in Berlin'],
    ['2030-03-30T23:30:00Z', '2030-03-31', 'half past midnight in winter time, on the day of the switch'],
    ['2030-03-31T21:59:59.999Z', '2030-03-31', 'the end of the day of the switch, now in summer time'],
    ['2030-03-31T22:00:00Z', '2030-04-01', 'midnight in summer time, two hours ahead of UTC'],
    ['2030-07-14T22:30:00Z', '2030-07-15', 'a summer night'],
    ['2030-10-26T22:30:00Z', '2030-10-27', 'the day of the switch back, still in summer time'],
    ['2030-10-27T22:59:59.999Z', '2030-10-27', 'the end of that day, back in winter time'],
  ])('reads %s as %s in Berlin (%s)', (instant, day) => {
    expect(berlinDay(new Date(instant))).toBe(day);
  });

  it("takes the day from the date's parts, not from a locale's layout", () => {
    // A locale's layout is CLDR data that may change with ICU; such a change must not move the day.
    // `format` is a getter that returns a bound function, so the spy replaces the getter.
    const prototype: { format: unknown } = Intl.DateTimeFormat.prototype;
    vi.spyOn(prototype, 'format', 'get').mockReturnValue(() => '3/31/2030');
    expect(berlinDay(new Date('2030-03-30T23:30:00Z'))).toBe('2030-03-31');
  });
});
