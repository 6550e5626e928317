import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { calendarText, fold, parameter, text, utcDateTime } from '../../src/mail/icalendar.ts';

const octets = (line: string) => new TextEncoder().encode(line).length;

describe('iCalendar content lines', () => {
  it('writes instants in UTC without separators', () => {
    expect(utcDateTime(new Date('2030-03-31T01:30:00+01:00'))).toBe('20300331T003000Z');
  });

  it('escapes text so that a parser reads it back as written', () => {
    const written = 'Zeile 1; mit Komma, Backslash \\ und\nZeile 2';
    const parsed = ICAL.parse(calendarText(['BEGIN:VCALENDAR', `DESCRIPTION:${text(written)}`, 'END:VCALENDAR']));
    expect(new ICAL.Component(parsed).getFirstPropertyValue('description')).toBe(written);
  });

  it('quotes a parameter value that holds a comma', () => {
    expect(parameter('KommA-Team, IMAP Institut')).toBe('"KommA-Team, IMAP Institut"');
    expect(parameter('KommA')).toBe('KommA');
  });

  it('folds long lines at 75 octets, never inside an umlaut, and a parser joins them again', () => {
    const value = 'Größenordnung äöü ß '.repeat(12);
    const folded = fold(`DESCRIPTION:${value}`);
    const lines = folded.split('\r\n');
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(lines.slice(1).every((line) => line.startsWith(' '))).toBe(true);
    const parsed = ICAL.parse(calendarText(['BEGIN:VCALENDAR', `DESCRIPTION:${value}`, 'END:VCALENDAR']));
    expect(new ICAL.Component(parsed).getFirstPropertyValue('description')).toBe(value);
  });
});
