/**
 * The spam signals a page sends besides the form's fields. The honeypot's name is one that no
 * browser's autofill recognises (autofill fills fields named "website", "url", "company" …), so a
 * person's browser never trips it; only a machine that fills every field does.
 */
export const HONEYPOT_FIELD = 'kontrollfeld';

/** Anything faster than this from page load to submit is a machine, not a person. */
const MIN_FILL_MS = 2000;

/**
 * Honeypot filled, or the page's script measured an impossibly fast fill. `elapsedMs` counts only
 * as a finite number: null, "", false or [] from a client are no measurement at all.
 */
export function looksLikeSpam(fields: Readonly<Record<string, unknown>>): boolean {
  const honeypot = fields[HONEYPOT_FIELD];
  if (typeof honeypot === 'string' ? honeypot.trim() !== '' : honeypot !== undefined && honeypot !== null) return true;
  const elapsed = fields['elapsedMs'];
  return typeof elapsed === 'number' && Number.isFinite(elapsed) && elapsed < MIN_FILL_MS;
}
