/**
 * The spam signals a page sends besides the form's fields. The honeypot's name is one that no
 * browser's autofill recognises (autofill fills fields named "website", "url", "company" …), so a
 * person's browser never trips it; only a machine that fills every field does.
 */
export const HONEYPOT_FIELD = 'kontrollfeld';

/** Faster than this from the draft's first input to sending looks like a machine, not a person. */
const MIN_FILL_MS = 2000;

/**
 * `honeypot`: a machine for certain, dropped without a word. `fast`: the page's script measured an
 * impossibly fast fill; a person with a restored draft or autofill can be that fast too, so it is
 * only a doubt for the team, never a reason to drop. `elapsedMs` counts only as a finite number:
 * null, "", false or [] from a client are no measurement at all.
 */
export function spamSignal(fields: Readonly<Record<string, unknown>>): 'honeypot' | 'fast' | undefined {
  const honeypot = fields[HONEYPOT_FIELD];
  if (typeof honeypot === 'string' ? honeypot.trim() !== '' : honeypot !== undefined && honeypot !== null)
    return 'honeypot';
  const elapsed = fields['elapsedMs'];
  return typeof elapsed === 'number' && Number.isFinite(elapsed) && elapsed < MIN_FILL_MS ? 'fast' : undefined;
}
