import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseSettings, settings } from '../../src/settings/index.ts';

const file = JSON.parse(await readFile('content/settings.json', 'utf8'));
const withChange = (change: (data: any) => void) => {
  const data = structuredClone(file);
  change(data);
  return () => parseSettings(data);
};

describe('settings', () => {
  it('loads the application window and webinars as instants', () => {
    expect(settings.applicationWindow.opens.toISOString()).toBe('2026-12-27T23:00:00.000Z');
    expect(settings.applicationWindow.closes.toISOString()).toBe('2027-02-28T22:59:59.000Z');
    expect(settings.webinars.map((s) => [s.id, s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['2027-01-31', '2027-01-31T13:00:00.000Z', '2027-01-31T14:00:00.000Z'],
      ['2027-02-16', '2027-02-16T10:00:00.000Z', '2027-02-16T11:00:00.000Z'],
    ]);
    expect(settings.teamInbox).toBe('komma@imap-institut.de');
    expect(settings.projectLeads).toEqual(['Dr. Jenni Winterhagen', 'Leon Godeffroy']);
  });

  it('names the file and the field of a malformed date', () => {
    expect(withChange((d) => (d.applicationWindow.opens = '28.12.2026'))).toThrow(
      'content/settings.json: applicationWindow.opens: Datum und Uhrzeit mit Zeitzone angeben',
    );
  });

  it('refuses a date without time zone', () => {
    expect(withChange((d) => (d.webinars[1].start = '2027-02-16T11:00:00'))).toThrow(
      'content/settings.json: webinars.1.start: Datum und Uhrzeit mit Zeitzone angeben',
    );
  });

  it('refuses unknown keys, naming them', () => {
    expect(withChange((d) => (d.teamInobx = 'x@example.org'))).toThrow(
      'content/settings.json: Unbekanntes Feld „teamInobx“ – bitte die Schreibweise prüfen.',
    );
  });

  it('refuses a window that closes before it opens', () => {
    expect(withChange((d) => (d.applicationWindow.closes = '2026-12-01T00:00:00+01:00'))).toThrow(
      'content/settings.json: applicationWindow.closes: Das Ende der Bewerbungsfrist muss nach ihrem Beginn liegen.',
    );
  });

  it('refuses a webinar that ends before it starts, and duplicate ids', () => {
    expect(withChange((d) => (d.webinars[0].end = d.webinars[0].start.replace('14:00', '13:00')))).toThrow(
      'content/settings.json: webinars.0.end: Das Ende muss nach dem Beginn liegen.',
    );
    expect(withChange((d) => (d.webinars[1].id = d.webinars[0].id))).toThrow(
      'content/settings.json: webinars: Jede Webinar-ID darf nur einmal vorkommen.',
    );
  });
});

describe('settings times', () => {
  it('refuses a summer date written with the winter offset, and says what to write', () => {
    expect(withChange((d) => (d.webinars[1].start = '2027-04-15T14:00:00+01:00'))).toThrow(
      'content/settings.json: webinars.1.start: An diesem Tag gilt in Berlin Sommerzeit (+02:00): "2027-04-15T14:00:00+02:00" schreiben.',
    );
  });

  it('refuses a winter date written in UTC', () => {
    expect(withChange((d) => (d.applicationWindow.opens = '2026-12-28T00:00:00Z'))).toThrow(
      'content/settings.json: applicationWindow.opens: An diesem Tag gilt in Berlin Winterzeit (+01:00): "2026-12-28T00:00:00+01:00" schreiben.',
    );
  });
});
