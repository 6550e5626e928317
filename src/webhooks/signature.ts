import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Svix's webhook signatures, as Resend sends them (https://docs.svix.com/receiving/verifying-payloads/how-manual):
 * `v1,` and the base64 HMAC-SHA256 of `${svix-id}.${svix-timestamp}.${body}`, keyed with the
 * base64 secret after `whsec_`. The svix-signature header lists one or more such signatures,
 * space-separated (several while a secret is rotated). node:crypto does it in a few lines, and the
 * unit tests check it against the Resend SDK's own verify().
 */

/** Svix refuses a timestamp further than this from its clock, either way: replays end with it. */
export const TOLERANCE_SECONDS = 5 * 60;

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The key of a signing secret ("whsec_…"), or undefined when it is not one (a configuration error). */
export function signingKey(secret: string | undefined): Buffer | undefined {
  const trimmed = secret?.trim();
  const encoded = trimmed?.startsWith(PREFIX) ? trimmed.slice(PREFIX.length) : trimmed;
  if (!encoded || !BASE64.test(encoded)) return undefined;
  const key = Buffer.from(encoded, 'base64');
  return key.length > 0 ? key : undefined;
}

/** The signature `v1,<base64>` of one message. */
export function sign(key: Buffer, id: string, timestamp: string, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export interface SignedHeaders {
  readonly id: string | null;
  readonly timestamp: string | null;
  readonly signature: string | null;
}

export const signedHeaders = (headers: Headers): SignedHeaders => ({
  id: headers.get('svix-id'),
  timestamp: headers.get('svix-timestamp'),
  signature: headers.get('svix-signature'),
});

export type Verification =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly reason: 'unsigned' | 'stale' | 'mismatch' };

/**
 * Whether `body` came, as it is, from whoever holds the secret, and lately: `nowMs` is the real
 * clock (never the test clock KOMMA_NOW), as Svix checks it.
 */
export function verify(key: Buffer, headers: SignedHeaders, body: string, nowMs: number): Verification {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return { ok: false, reason: 'unsigned' };
  const seconds = /^\d{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
  if (!(Math.abs(nowMs / 1000 - seconds) <= TOLERANCE_SECONDS)) return { ok: false, reason: 'stale' };
  const expected = Buffer.from(sign(key, id, timestamp, body));
  const matches = signature
    .split(' ')
    .map((candidate) => Buffer.from(candidate))
    .some((candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected));
  return matches ? { ok: true, id } : { ok: false, reason: 'mismatch' };
}
