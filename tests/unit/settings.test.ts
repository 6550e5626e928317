import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/settings/parse.ts';
import { settings } from '../../src/settings/index.ts';
import { testSettingsFile } from '../fixtures/settings.ts';

// Editors move the real dates every round: what to expect of the real file comes from the file itself.
const file = JSON.parse(await readFile('content/settings.json', 'utf8'));

describe('the real content/settings.json', () => {
  it('loads the application window and webinars as the instants the file writes', () => {
    expect(settings.applicationWindow.opens.getTime()).toBe(Date.parse(file.applicationWindow.opens));
    expect(settings.applicationWindow.closes.getTime()).toBe(Date.parse(file.applicationWindow.closes));
    expect(settings.webinars.map((s) => [s.id, s.start.getTime(), s.end.getTime()])).toEqual(
      file.webinars.map((s: { id: string; start: string; end: string }) => [
        s.id,
        Date.parse(s.start),
        Date.parse(s.end),
      ]),
    );
    expect(settings.teamInbox).toBe(file.teamInbox);
    expect(settings.projectLeads).toEqual(file.projectLeads);
  });
});

/** The test settings with one change, parsed as the site parses content/settings.json. */
const withChange = (change: (data: any) => void) => {
  const data = structuredClone(testSettingsFile) as any;
  change(data);
  return () => parseSettings(data);
};

describe('settings', () => {
  it('accepts the test settings and loads their instants', () => {
    const parsed = withChange(() => {})();
    expect(parsed.applicationWindow.opens.toISOString()).toBe('2030-03-03T23:00:00.000Z');
    expect(parsed.applicationWindow.closes.toISOString()).toBe('2030-04-30T21:59:59.000Z');
    expect(parsed.webinars.map((s) => [s.id, s.start.toISOString(), s.end.toISOString()])).toEqual([
      ['winter-2030', '2030-03-12T13:00:00.000Z', '2030-03-12T14:00:00.000Z'],
      ['sommer-2030', '2030-04-10T08:00:00.000Z', '2030-04-10T09:30:00.000Z'],
    ]);
  });

  it.each(['31.03.2030', '04.03.2030'])('names the file and the field of a German-format date (%s)', (date) => {
    expect(withChange((d) => (d.applicationWindow.opens = date))).toThrow(
      'content/settings.json: applicationWindow.opens: Datum und Uhrzeit mit Zeitzone angeben',
    );
  });

  it('refuses a date without time zone', () => {
    expect(withChange((d) => (d.webinars[1].start = '2030-04-10T10:00:00'))).toThrow(
      'content/settings.json: webinars.1.start: Datum und Uhrzeit mit Zeitzone angeben',
    );
  });

  it('refuses unknown keys, naming them', () => {
    expect(withChange((d) => (d.teamInobx = 'x@example.org'))).toThrow(
      'content/settings.json: Unbekanntes Feld „teamInobx“ – bitte die Schreibweise prüfen.',
    );
  });

  it('refuses a window that closes before it opens', () => {
    expect(
      withChange((d) => {
        const { opens, closes } = d.applicationWindow;
        d.applicationWindow = { opens: closes, closes: opens };
      }),
    ).toThrow(
      'content/settings.json: applicationWindow.closes: Das Ende der Bewerbungsfrist muss nach ihrem Beginn liegen.',
    );
  });

  it('refuses a webinar that ends before it starts, and duplicate ids', () => {
    expect(withChange((d) => (d.webinars[0].end = '2030-03-12T13:00:00+01:00'))).toThrow(
      'content/settings.json: webinars.0.end: Das Ende muss nach dem Beginn liegen.',
    );
    expect(withChange((d) => (d.webinars[1].id = d.webinars[0].id))).toThrow(
      'content/settings.json: webinars: Jede Webinar-ID darf nur einmal vorkommen.',
    );
  });

  it('allows 200 confirmations a day unless it says otherwise', () => {
    expect(withChange(() => {})().confirmationsPerDay).toBe(200);
    expect(withChange((d) => (d.confirmationsPerDay = 50))().confirmationsPerDay).toBe(50);
  });

  it('refuses a daily number of confirmations that is not a positive whole number', () => {
    expect(withChange((d) => (d.confirmationsPerDay = 0))).toThrow(
      'content/settings.json: confirmationsPerDay: Mindestens 1 angeben.',
    );
    expect(withChange((d) => (d.confirmationsPerDay = 2.5))).toThrow(
      'content/settings.json: confirmationsPerDay: Eine ganze Zahl angeben, z. B. 200.',
    );
    expect(withChange((d) => (d.confirmationsPerDay = '200'))).toThrow(
      'content/settings.json: confirmationsPerDay: Eine ganze Zahl angeben, z. B. 200.',
    );
  });
});

describe('settings times', () => {
  it('refuses a summer date written with the winter offset, and says what to write', () => {
    expect(withChange((d) => (d.webinars[1].start = '2030-04-10T10:00:00+01:00'))).toThrow(
      'content/settings.json: webinars.1.start: An diesem Tag gilt in Berlin Sommerzeit (+02:00): "2030-04-10T10:00:00+02:00" schreiben.',
    );
  });

  it('refuses a winter date written in UTC', () => {
    expect(withChange((d) => (d.applicationWindow.opens = '2030-03-04T00:00:00Z'))).toThrow(
      'content/settings.json: applicationWindow.opens: An diesem Tag gilt in Berlin Winterzeit (+01:00): "2030-03-04T00:00:00+01:00" schreiben.',
    );
  });

  it('accepts either offset in the hour that happens twice when the clocks go back (27 October 2030)', () => {
    for (const start of ['2030-10-27T02:30:00+02:00', '2030-10-27T02:30:00+01:00']) {
      const change = withChange((d) => (d.webinars[1] = { id: 'herbst', start, end: '2030-10-27T04:00:00+01:00' }));
      expect(change().webinars[1]!.start.getTime()).toBe(Date.parse(start));
    }
  });
});
