import { describe, expect, it } from 'vitest';
import {
  easterSunday,
  isWeekend,
  nationwideHoliday,
  nationwideHolidays,
  weekdayName,
} from '../../src/content/holidays.ts';

describe('German calendar facts for the content check', () => {
  it('finds Easter Sunday in years with early, late and century-rule dates', () => {
    const easter = (year: number) => easterSunday(year).toISOString().slice(0, 10);
    // Published dates: 2008 early (23 March), 2011 and 2038 late (24/25 April), 2000 and 2100 century years.
    expect(['2000', '2008', '2011', '2024', '2027', '2038', '2100'].map((year) => easter(Number(year)))).toEqual([
      '2000-04-23',
      '2008-03-23',
      '2011-04-24',
      '2024-03-31',
      '2027-03-28',
      '2038-04-25',
      '2100-03-28',
    ]);
  });

  it('lists the nine nationwide holidays of 2027 by day', () => {
    expect(Object.fromEntries(nationwideHolidays(2027))).toEqual({
      '2027-01-01': 'Neujahr',
      '2027-03-26': 'Karfreitag',
      '2027-03-29': 'Ostermontag',
      '2027-05-01': 'Tag der Arbeit',
      '2027-05-06': 'Christi Himmelfahrt',
      '2027-05-17': 'Pfingstmontag',
      '2027-10-03': 'Tag der Deutschen Einheit',
      '2027-12-25': '1. Weihnachtsfeiertag',
      '2027-12-26': '2. Weihnachtsfeiertag',
    });
  });

  it('names a holiday only on its day, and no state-only holiday', () => {
    expect(nationwideHoliday('2026-05-14')).toBe('Christi Himmelfahrt');
    expect(nationwideHoliday('2026-05-25')).toBe('Pfingstmontag');
    expect(nationwideHoliday('2026-05-26')).toBeUndefined();
    // Fronleichnam 2027 and Reformationstag are holidays in some states only.
    expect(nationwideHoliday('2027-05-27')).toBeUndefined();
    expect(nationwideHoliday('2027-10-31')).toBeUndefined();
  });

  it('names the weekday and tells weekends from weekdays', () => {
    expect(['2030-01-25', '2030-01-26', '2030-01-27', '2030-01-28'].map(weekdayName)).toEqual([
      'Freitag',
      'Samstag',
      'Sonntag',
      'Montag',
    ]);
    expect(['2030-01-25', '2030-01-26', '2030-01-27', '2030-01-28'].map(isWeekend)).toEqual([false, true, true, false]);
  });
});
