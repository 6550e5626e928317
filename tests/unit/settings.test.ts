import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseSettings } from '../../src/settings/parse.ts';
import { settings } from '../../src/settings/index.ts';
import { testSettingsFile } from '../fixtures/settings.ts';

// Editors move the real dates every round: what to expect of the real file comes from the file itself.
const file = JSON.parse(await readFile('content/settings.json', 'utf8'));

const berlinMinuteParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Europe/Berlin',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** The minute of Berlin's wall clock an instant falls in, as the file writes it: "2027-01-31 14:00". */
function berlinMinute(instant: Date): string {
  const part = Object.fromEntries(berlinMinuteParts.formatToParts(instant).map(({ type, value }) => [type, value]));
  return `${part['year']}-${part['month']}-${part['day']} ${part['hour']}:${part['minute']}`;
}

/** That an instant is what the file wrote: that Berlin minute at `second`, or the instant an offset form names. */
function expectWritten(instant: Date, written: string, second = 0) {
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$/.test(written)) {
    expect(berlinMinute(instant)).toBe(written.replace('T', ' '));
    expect(instant.getTime() % 60_000).toBe(second * 1000);
  } else {
    expect(instant.getTime()).toBe(Date.parse(written));
  }
}

describe('the real content/settings.json', () => {
  it('loads the application window and webinars as the times the file writes', () => {
    expectWritten(settings.applicationWindow.opens, file.applicationWindow.opens);
    // `closes` counts to the end of the minute it names.
    expectWritten(settings.applicationWindow.closes, file.applicationWindow.closes, 59);
    expect(settings.webinars.map((s) => s.id)).toEqual(file.webinars.map((s: { id: string }) => s.id));
    settings.webinars.forEach((session, index) => {
      expectWritten(session.start, file.webinars[index].start);
      expectWritten(session.end, file.webinars[index].end);
    });
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

  it.each(['31.03.2030', '04.03.2030 00:00'])('names the file and the field of a German-format date (%s)', (date) => {
    expect(withChange((d) => (d.applicationWindow.opens = date))).toThrow(
      'content/settings.json: applicationWindow.opens: Datum und Uhrzeit in Berliner Zeit als „JJJJ-MM-TT HH:MM“ angeben, z. B. „2026-12-28 00:00“.',
    );
  });

  it('refuses a time with seconds but without time zone, showing the expected form', () => {
    expect(withChange((d) => (d.webinars[1].start = '2030-04-10T10:00:00'))).toThrow(
      'content/settings.json: webinars.1.start: Datum und Uhrzeit in Berliner Zeit als „JJJJ-MM-TT HH:MM“ angeben',
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
