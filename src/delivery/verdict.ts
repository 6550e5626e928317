import type { SendResult } from '../mail/email.ts';

/**
 * What a provider's answer means for one email, in the vocabulary of GOV.UK Notify's delivery
 * states: accepted, a temporary failure to retry, a pause for the whole queue, or a permanent one.
 */
export type Verdict =
  | { readonly kind: 'accepted'; readonly providerId: string }
  /** 5xx, timeout, network error, the same key still in flight: try again later. */
  | { readonly kind: 'retry'; readonly reason: string; readonly maybeDelivered: boolean }
  /** Too many requests per second: wait as the provider says, then go on. */
  | { readonly kind: 'rate-limited'; readonly reason: string; readonly waitMs: number }
  /** The day's or month's quota is used up: nothing more can go out until it resets. */
  | { readonly kind: 'quota'; readonly reason: string; readonly resumeAt: Date }
  /** The provider refused the request itself (4xx): whether that is our configuration or the address decides the caller. */
  | { readonly kind: 'refused'; readonly reason: string; readonly status: number };

/** The provider id of an email Resend already held under its key (409): the id itself was not told. */
export const KNOWN_KEY = 'known-key';

/** Without Retry-After, Resend's documented window: one second. */
const DEFAULT_RATE_WAIT_MS = 1000;

/** When a quota without Retry-After resets: the next UTC midnight, or the first of the next month. */
function quotaReset(name: string, now: Date): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  const nextMonth = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  return new Date(name === 'monthly_quota_exceeded' ? nextMonth : midnight);
}

export function verdictOf(result: SendResult, now: Date): Verdict {
  if (result.ok) return { kind: 'accepted', providerId: result.id };
  const reason = `${result.timedOut ? 'timeout' : (result.status ?? 'no response')}: ${result.name}`;
  // Our key, another payload: Resend already holds an email under this key, so it went out.
  if (result.name === 'invalid_idempotent_request') return { kind: 'accepted', providerId: KNOWN_KEY };
  if (result.name === 'daily_quota_exceeded' || result.name === 'monthly_quota_exceeded') {
    const resumeAt =
      result.retryAfterMs !== undefined ? new Date(now.getTime() + result.retryAfterMs) : quotaReset(result.name, now);
    return { kind: 'quota', reason, resumeAt };
  }
  if (result.status === 429) {
    return { kind: 'rate-limited', reason, waitMs: result.retryAfterMs ?? DEFAULT_RATE_WAIT_MS };
  }
  if (result.name === 'concurrent_idempotent_requests') return { kind: 'retry', reason, maybeDelivered: true };
  if (result.status !== null && result.status >= 400 && result.status < 500) {
    return { kind: 'refused', reason, status: result.status };
  }
  // A 5xx, a dropped connection or a timeout can come after the provider took the email; the SDK
  // cannot tell a refused connection from one dropped after sending. Only the outbox knows.
  return { kind: 'retry', reason, maybeDelivered: !result.name.startsWith('outbox_') };
}
