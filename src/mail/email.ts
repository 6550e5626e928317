/** An email as the forms produce it, before any transport. */
export interface Attachment {
  readonly filename: string;
  readonly contentType: string;
  readonly content: string;
}

export interface Email {
  readonly to: string;
  readonly replyTo: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments?: readonly Attachment[];
}

/** An email with its sender: everything a provider request holds, stored so a retry repeats it byte for byte. */
export interface OutgoingEmail extends Email {
  readonly from: string;
}

/** What the provider said about the rate limit (Resend's `ratelimit-*` headers), when it said it. */
export interface RateLimit {
  readonly limit?: number;
  readonly remaining?: number;
  /** Milliseconds until the window resets. */
  readonly resetMs?: number;
}

/**
 * What a transport reports: facts, not judgements (src/delivery/verdict.ts judges them). Failures
 * are values the caller must look at; a transport never throws.
 */
export type SendResult =
  | { readonly ok: true; readonly id: string; readonly rateLimit?: RateLimit }
  | {
      readonly ok: false;
      /** HTTP status; null when no answer came (network error, timeout). */
      readonly status: number | null;
      /** The provider's error name, e.g. "rate_limit_exceeded", "daily_quota_exceeded". */
      readonly name: string;
      /** Our own timeout ended the call: the email may have left all the same. */
      readonly timedOut: boolean;
      readonly retryAfterMs?: number;
      readonly rateLimit?: RateLimit;
    };

export interface SendOptions {
  /** Sending the same key again must not deliver a second email. */
  readonly idempotencyKey: string;
  /** Names the email for people, e.g. "B-7F3K-9Q2M-team"; no personal data. */
  readonly label: string;
  /** Longest wait for the provider's answer. */
  readonly timeoutMs: number;
}

export interface Transport {
  send(email: OutgoingEmail, options: SendOptions): Promise<SendResult>;
}
