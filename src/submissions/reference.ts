import { createHash } from 'node:crypto';

/** Crockford's base-32: no I, L, O, U, so a reference read out on the phone is unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random UUID as the page script makes it (crypto.randomUUID) once per filled-in form. */
const SUBMISSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The submissionId a client sent, if it is one; anything else counts as none. */
export function submissionIdOf(value: unknown): string | undefined {
  return typeof value === 'string' && SUBMISSION_ID.test(value) ? value.toLowerCase() : undefined;
}

/**
 * SHA-256 naming one submission, whenever it is retried: from the page's submissionId when there is
 * one, else (a post without JavaScript) from the form's normalised values. No day, no time: a retry
 * after midnight is the same submission, and the store remembers it beyond Resend's 24 hours.
 */
export function fingerprint(
  formId: string,
  submissionId: string | undefined,
  values: Readonly<Record<string, unknown>>,
): string {
  const identity = submissionId
    ? `id\n${submissionId}`
    : `values\n${JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;
  return createHash('sha256').update(`${formId}\n${identity}`).digest('hex');
}

/** "B-7F3K-9Q2M": a prefix and the hash's first 40 bits, as people can read and quote it. */
export function referenceFrom(prefix: string, hash: string): string {
  let bits = BigInt(`0x${hash.slice(0, 10)}`);
  let code = '';
  for (let i = 0; i < 8; i += 1) {
    code = ALPHABET[Number(bits & 31n)] + code;
    bits >>= 5n;
  }
  return `${prefix}-${code.slice(0, 4)}-${code.slice(4)}`;
}

const REFERENCE = new RegExp(`^[A-Z]-[${ALPHABET}]{4}-[${ALPHABET}]{4}$`);

/** Whether `value` has the form of a reference referenceFrom() makes: "B-7F3K-9Q2M". */
export function isReference(value: unknown): value is string {
  return typeof value === 'string' && REFERENCE.test(value);
}
