import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseSettings, SETTINGS_FILE } from '../settings/parse.ts';
import type { Settings } from '../settings/schema.ts';
import { berlinDay, formatWeekdayDate } from '../time/format.ts';
import { isWeekend, nationwideHoliday } from './holidays.ts';
import { lineAt, type Problem } from './problems.ts';

/** content/settings.json through parseSettings, the loader pages and functions use, one problem per line. */
export async function checkSettings(root: string): Promise<Problem[]> {
  const problem = (message: string, line?: number, field?: string): Problem => ({
    file: SETTINGS_FILE,
    line,
    field,
    message,
    severity: 'error',
  });
  const text = await readFile(join(root, SETTINGS_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return [problem('Die Datei fehlt – Lösung: content/settings.json wiederherstellen.')];
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    // Node says "… in JSON at position 120 (line 6 column 3)".
    const line = /line (\d+)/.exec(String(error))?.[1];
    return [
      problem(
        'Die Datei ist kein gültiges JSON – Lösung: Kommas, Klammern und gerade Anführungszeichen "…" rund um die Zeile prüfen.',
        line ? Number(line) : undefined,
      ),
    ];
  }
  try {
    return webinarDateWarnings(text, parseSettings(data));
  } catch (error) {
    // parseSettings names each failing field on a line of its own: "content/settings.json: field: message".
    const prefix = `${SETTINGS_FILE}: `;
    return String(error instanceof Error ? error.message : error)
      .split('\n')
      .filter((line) => line.startsWith(prefix))
      .map((line) => {
        const [, field, message] = /^([\w.]+): (.*)$/.exec(line.slice(prefix.length)) ?? [];
        return field && message
          ? problem(message, locate(text, field.split('.')), field)
          : problem(line.slice(prefix.length));
      });
  }
}

/**
 * A webinar on a weekend or a nationwide public holiday is allowed but rarely meant (a typo in the
 * date, last year's calendar): a warning on the line of its start, never an error.
 */
function webinarDateWarnings(text: string, settings: Settings): Problem[] {
  return settings.webinars.flatMap((session, index) => {
    const day = berlinDay(session.start);
    const holiday = nationwideHoliday(day);
    if (!holiday && !isWeekend(day)) return [];
    const what = holiday ? `auf einen bundesweiten Feiertag (${holiday})` : 'auf ein Wochenende';
    const field = `webinars.${index}.start`;
    return [
      {
        file: SETTINGS_FILE,
        line: locate(text, field.split('.')),
        field,
        message: `Das Webinar am ${formatWeekdayDate(session.start)} fällt ${what} – nur ein Hinweis: Falls das nicht gewollt ist, Datum in start und end korrigieren.`,
        severity: 'warning',
        kind: 'date',
      },
    ];
  });
}

/**
 * The line of a field such as "webinars.1.end" in the JSON text: each name is looked for after the
 * previous one, an index skips that many objects. Good enough for the flat settings file; undefined
 * when not found (a missing field has no line).
 */
function locate(text: string, path: readonly string[]): number | undefined {
  let at = 0;
  for (const segment of path) {
    if (/^\d+$/.test(segment)) {
      for (let skip = 0; skip <= Number(segment); skip++) {
        at = text.indexOf('{', at + 1);
        if (at < 0) return undefined;
      }
    } else {
      at = text.indexOf(`"${segment}"`, at);
      if (at < 0) return undefined;
    }
  }
  return lineAt(text, at);
}
