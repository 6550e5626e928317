/**
 * A form's draft as the page script keeps it in the browser's localStorage: the values of the
 * form's own fields, when they were saved and when the first of them was typed. Pure, so the rules — what is kept, what is read back,
 * when a draft has expired — are unit-tested; the page script only moves strings in and out.
 * Browser-safe.
 */

/** A draft older than this is discarded: a half-filled form from last month is more confusing than helpful. */
export const DRAFT_MAX_AGE_MS = 30 * 24 * 60 * 60 * 1000;

export interface Draft {
  /** When it was saved, in milliseconds since the epoch. */
  readonly savedAt: number;
  /**
   * When its first input was made: the fill time, a spam signal, counts from here, also after the
   * draft is restored (src/submissions/spam.ts). Absent in drafts saved before it was kept.
   */
  readonly startedAt?: number;
  /** Field name → value as the form holds it (a checked box as its value, „on"). */
  readonly values: Readonly<Record<string, string>>;
}

/**
 * The storage key of a form's draft, one per form: the application and the webinar registration
 * keep theirs apart. From the path of the form page or of one of its thank-you pages, which live
 * below it (/bewerbung/, /bewerbung/danke/verzoegert/): the pages get it at build time, so the
 * thank-you page can remove the draft without the form's script.
 */
export function draftKey(pagePath: string): string {
  return `komma-entwurf:${pagePath.split('/')[1]}`;
}

/** Only the form's own fields, and only those with something in them. */
function keptValues(names: readonly string[], values: Readonly<Record<string, unknown>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of names) {
    const value = values[name];
    if (typeof value === 'string' && value !== '') kept[name] = value;
  }
  return kept;
}

/**
 * The draft to store, or undefined when nothing is filled in (then the stored one goes). `names`
 * are the form's fields: the honeypot and the submission id are never part of a draft.
 */
export function serialiseDraft(
  names: readonly string[],
  values: Readonly<Record<string, string>>,
  savedAt: number,
  startedAt?: number,
): string | undefined {
  const kept = keptValues(names, values);
  if (Object.keys(kept).length === 0) return undefined;
  return JSON.stringify({ savedAt, ...(startedAt !== undefined && { startedAt }), values: kept } satisfies Draft);
}

/**
 * The stored draft, or undefined when there is none, it cannot be read (another version, edited
 * by hand) or it is older than DRAFT_MAX_AGE_MS at `now`. Only `names` are read back.
 */
export function parseDraft(text: string | null, names: readonly string[], now: number): Draft | undefined {
  if (!text) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { savedAt, startedAt, values } = parsed as { savedAt?: unknown; startedAt?: unknown; values?: unknown };
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt) || now - savedAt > DRAFT_MAX_AGE_MS) return undefined;
  if (typeof values !== 'object' || values === null) return undefined;
  // A start after the save is no start at all (a draft edited by hand).
  const started = typeof startedAt === 'number' && Number.isFinite(startedAt) && startedAt <= savedAt;
  return { savedAt, ...(started && { startedAt }), values: keptValues(names, values as Record<string, unknown>) };
}
