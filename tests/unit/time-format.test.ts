import { describe, expect, it } from 'vitest';
import { formatDate, formatSession, formatShortTimeRange, formatTime, formatTimeRange } from '../../src/time/format.ts';

describe('German dates in Berlin time', () => {
  it('writes a date with the month in words', () => {
    expect(formatDate(new Date('2026-12-28T00:00:00+01:00'))).toBe('28. Dezember 2026');
  });

  it('uses the Berlin day, not the UTC day, around midnight', () => {
    // 23:30 UTC on 27 December is already 28 December in Berlin.
    expect(formatDate(new Date('2026-12-27T23:30:00Z'))).toBe('28. Dezember 2026');
    expect(formatDate(new Date('2027-02-28T23:59:59+01:00'))).toBe('28. Februar 2027');
  });

  it('names a session with weekday, date and time range', () => {
    const session = { start: new Date('2027-02-16T11:00:00+01:00'), end: new Date('2027-02-16T12:00:00+01:00') };
    expect(formatSession(session)).toBe('Dienstag, 16. Februar 2027, 11:00–12:00 Uhr');
  });

  it('writes full-hour ranges as running text does and keeps minutes otherwise', () => {
    expect(formatShortTimeRange(new Date('2027-01-31T13:00:00Z'), new Date('2027-01-31T14:00:00Z'))).toBe('14–15 Uhr');
    expect(formatShortTimeRange(new Date('2027-01-31T13:30:00Z'), new Date('2027-01-31T14:30:00Z'))).toBe(
      '14:30–15:30 Uhr',
    );
  });

  it('follows the switch to summer time (28 March 2027, 02:00 → 03:00)', () => {
    // One hour of real time across the switch reads as two hours on the clock.
    expect(formatTimeRange(new Date('2027-03-28T00:30:00Z'), new Date('2027-03-28T01:30:00Z'))).toBe('01:30–03:30 Uhr');
    expect(formatTime(new Date('2027-03-29T12:00:00Z'))).toBe('14:00 Uhr');
    expect(formatTime(new Date('2027-03-27T12:00:00Z'))).toBe('13:00 Uhr');
  });

  it('follows the switch back to winter time (31 October 2027)', () => {
    expect(formatTime(new Date('2027-10-30T12:00:00Z'))).toBe('14:00 Uhr');
    expect(formatTime(new Date('2027-10-31T12:00:00Z'))).toBe('13:00 Uhr');
  });
});
