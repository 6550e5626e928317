import { formatIssues } from './issues.ts';
import { settingsSchema, type Settings } from './schema.ts';

export const SETTINGS_FILE = 'content/settings.json';

/** Validates settings data; the error names the file and each failing field. */
export function parseSettings(data: unknown): Settings {
  const result = settingsSchema.safeParse(data);
  if (!result.success) {
    throw new Error(`Ungültige Einstellungen:\n${formatIssues(SETTINGS_FILE, result.error.issues)}`);
  }
  return result.data;
}
