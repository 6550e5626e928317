import { describe, expect, it } from 'vitest';
import { closedFrom, windowState } from '../../src/forms/window.ts';
import { parseSettings } from '../../src/settings/parse.ts';
import { formatSession } from '../../src/time/format.ts';
import { testSettingsFile, testWindow } from '../fixtures/settings.ts';

/** The test settings with one change, parsed as the site parses content/settings.json. */
const withChange = (change: (data: any) => void) => {
  const data = structuredClone(testSettingsFile) as any;
  change(data);
  return () => parseSettings(data);
};

/** The test settings as older files wrote them: every time with its offset. */
const offsetForm = {
  ...testSettingsFile,
  applicationWindow: { opens: '2030-03-04T00:00:00+01:00', closes: '2030-04-30T23:59:59+02:00' },
  webinars: [
    { id: 'winter-2030', start: '2030-03-12T14:00:00+01:00', end: '2030-03-12T15:00:00+01:00' },
    { id: 'sommer-2030', start: '2030-04-10T10:00:00+02:00', end: '2030-04-10T11:30:00+02:00' },
  ],
};

describe('settings times as Berlin wall clock', () => {
  it('reads winter and summer times as Berlin means them, with a space or a "T"', () => {
    for (const start of ['2030-01-15 14:00', '2030-01-15T14:00']) {
      const [winter] = withChange((d) => (d.webinars[0] = { id: 'januar', start, end: '2030-01-15 15:30' }))().webinars;
      expect([winter!.start.toISOString(), winter!.end.toISOString()]).toEqual([
        '2030-01-15T13:00:00.000Z',
        '2030-01-15T14:30:00.000Z',
      ]);
    }
    const [summer] = withChange(
      (d) => (d.webinars[0] = { id: 'juli', start: '2030-07-15 09:00', end: '2030-07-15 10:00' }),
    )().webinars;
    expect([summer!.start.toISOString(), summer!.end.toISOString()]).toEqual([
      '2030-07-15T07:00:00.000Z',
      '2030-07-15T08:00:00.000Z',
    ]);
  });

  it('gives a session the minutes it names: "14:00" to "15:00" is 14:00–15:00 Uhr', () => {
    const [winter] = withChange(() => {})().webinars;
    expect(winter!.end.getTime() - winter!.start.getTime()).toBe(3_600_000);
    expect(formatSession(winter!)).toBe('Dienstag, 12. März 2030, 14:00–15:00 Uhr');
  });

  it('keeps the window open through the whole closing minute, as the offset form with 23:59:59 did', () => {
    const asMinute = withChange(() => {})().applicationWindow;
    const asOffset = parseSettings(offsetForm).applicationWindow;
    for (const window of [asMinute, asOffset]) {
      expect(windowState(window, new Date('2030-04-30T23:59:00+02:00'))).toBe('open');
      expect(windowState(window, testWindow.lastSecond)).toBe('open'); // 23:59:59.999
      expect(windowState(window, testWindow.closed)).toBe('closed'); // 1 May, 00:00:00
      expect(closedFrom(window).toISOString()).toBe('2030-04-30T22:00:00.000Z');
    }
  });

  it('still accepts the older form with offsets, as the same instants', () => {
    expect(parseSettings(offsetForm)).toEqual(withChange(() => {})());
  });
});

describe('settings times where the clocks change', () => {
  it('refuses a time in the hour skipped in spring (28 March 2027), naming the field and the first valid time', () => {
    expect(withChange((d) => (d.webinars[0].start = '2027-03-28 02:30'))).toThrow(
      'content/settings.json: webinars.0.start: „2027-03-28 02:30“ gibt es in Berlin nicht: In dieser Nacht werden ' +
        'die Uhren um 02:00 Uhr auf 03:00 Uhr vorgestellt. Bitte eine Uhrzeit ab 03:00 Uhr wählen.',
    );
    expect(withChange((d) => (d.applicationWindow.opens = '2030-03-31T02:00'))).toThrow(
      'content/settings.json: applicationWindow.opens: „2030-03-31T02:00“ gibt es in Berlin nicht: In dieser Nacht ' +
        'werden die Uhren um 02:00 Uhr auf 03:00 Uhr vorgestellt. Bitte eine Uhrzeit ab 03:00 Uhr wählen.',
    );
  });

  it('refuses a time in the hour that happens twice in autumn (25 October 2026), saying how to choose one', () => {
    expect(withChange((d) => (d.webinars[0].start = '2026-10-25 02:30'))).toThrow(
      'content/settings.json: webinars.0.start: „2026-10-25 02:30“ gibt es in Berlin zweimal: In dieser Nacht ' +
        'werden die Uhren um 03:00 Uhr auf 02:00 Uhr zurückgestellt. Bitte eine Uhrzeit vor 02:00 Uhr oder ab ' +
        '03:00 Uhr wählen – oder mit Zeitzone schreiben, welche gemeint ist: „2026-10-25T02:30:00+02:00“ ' +
        '(die erste, Sommerzeit) oder „2026-10-25T02:30:00+01:00“ (die zweite, Winterzeit).',
    );
  });

  it('refuses a closing minute in the doubled hour (31 October 2027), suggesting offsets that keep its last second', () => {
    expect(withChange((d) => (d.applicationWindow.closes = '2027-10-31 02:00'))).toThrow(
      'content/settings.json: applicationWindow.closes: „2027-10-31 02:00“ gibt es in Berlin zweimal: In dieser ' +
        'Nacht werden die Uhren um 03:00 Uhr auf 02:00 Uhr zurückgestellt. Bitte eine Uhrzeit vor 02:00 Uhr oder ' +
        'ab 03:00 Uhr wählen – oder mit Zeitzone schreiben, welche gemeint ist: „2027-10-31T02:00:59+02:00“ ' +
        '(die erste, Sommerzeit) oder „2027-10-31T02:00:59+01:00“ (die zweite, Winterzeit).',
    );
  });

  // 01:59 to 03:00 is one minute in spring (02:00 becomes 03:00) and two hours and one in autumn.
  it.each([
    ['spring', '2027-03-28', 1],
    ['autumn', '2026-10-25', 121],
  ])('accepts 01:59 and 03:00 on the %s night, %i minutes apart', (_night, day, minutes) => {
    const [session] = withChange((d) => (d.webinars[0] = { id: 'nacht', start: `${day} 01:59`, end: `${day} 03:00` }))()
      .webinars;
    expect(session!.end.getTime() - session!.start.getTime()).toBe(minutes * 60_000);
  });
});

describe('malformed settings times', () => {
  it.each(['10.04.2030 10:00', '2030-02-30 10:00', '2030-04-10 24:00', '2030-04-10 14 Uhr', '2030-04-10'])(
    'refuses "%s", showing the expected form',
    (value) => {
      expect(withChange((d) => (d.webinars[1].end = value))).toThrow(
        'content/settings.json: webinars.1.end: Datum und Uhrzeit in Berliner Zeit als „JJJJ-MM-TT HH:MM“ ' +
          'angeben, z. B. „2026-12-28 00:00“.',
      );
    },
  );

  it('refuses a time that is not a string, asking for quotes', () => {
    expect(withChange((d) => (d.applicationWindow.opens = 203003040000))).toThrow(
      'content/settings.json: applicationWindow.opens: Datum und Uhrzeit in Anführungszeichen angeben, z. B. "2026-12-28 00:00".',
    );
  });
});
