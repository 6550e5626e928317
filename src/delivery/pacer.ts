import type { RateLimit } from '../mail/email.ts';

/** Resend's documented limit when its headers say nothing: 2 requests per second (older docs; now 5). */
export const DEFAULT_REQUESTS_PER_SECOND = 2;

export interface Pacer {
  /** Milliseconds until the next request may go. */
  waitMs(): number;
  /** Learns from an answer: the limit, what remains of the window, and any Retry-After. */
  observe(rateLimit: RateLimit | undefined, retryAfterMs?: number): void;
}

/**
 * Spaces requests as the provider's rate-limit headers say: one per 1/limit seconds, and when the
 * window is used up (remaining 0), until it resets; a 429's Retry-After pushes the next one back.
 * `clock` is monotonic milliseconds, injected so tests need not wait.
 */
export function createPacer(clock: () => number): Pacer {
  let intervalMs = 1000 / DEFAULT_REQUESTS_PER_SECOND;
  let nextAt = clock();
  return {
    waitMs: () => Math.max(0, nextAt - clock()),
    observe(rateLimit, retryAfterMs) {
      if (rateLimit?.limit) intervalMs = 1000 / rateLimit.limit;
      const now = clock();
      let next = now + intervalMs;
      if (rateLimit?.remaining === 0 && rateLimit.resetMs !== undefined) next = Math.max(next, now + rateLimit.resetMs);
      if (retryAfterMs !== undefined) next = Math.max(next, now + retryAfterMs);
      nextAt = next;
    },
  };
}
