import { createHash } from 'node:crypto';

/** Crockford's base-32: no I, L, O, U, so a reference read out on the phone is unambiguous. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * SHA-256 of a form's normalised values and the Berlin day they arrived: the same submission on
 * the same day always gives the same hash (Resend forgets idempotency keys after 24 hours anyway).
 */
export function fingerprint(formId: string, day: string, values: Readonly<Record<string, unknown>>): string {
  const canonical = JSON.stringify(Object.entries(values).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(`${formId}\n${day}\n${canonical}`).digest('hex');
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

/** Resend keeps idempotency keys for 24 hours; one key per email of a submission. */
export function idempotencyKey(formId: string, hash: string, email: 'team' | 'confirmation'): string {
  return `komma-${formId}-${email}-${hash}`;
}
