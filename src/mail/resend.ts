import { Resend } from 'resend';
import type { OutgoingEmail, RateLimit, SendOptions, SendResult, Transport } from './email.ts';

export interface ResendOptions {
  readonly apiKey: string;
  /** Where the SDK sends requests; by default the SDK's own (RESEND_BASE_URL or Resend's API). */
  readonly baseUrl?: string;
}

const number = (value: string | undefined): number | undefined => {
  const parsed = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : undefined;
};

/** Retry-After as delta-seconds or HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = number(value);
  if (seconds !== undefined) return seconds * 1000;
  // An HTTP date names a weekday and a month; Date.parse alone would also read "-5" as a year.
  const date = /[a-z]/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Resend's `ratelimit-limit`, `ratelimit-remaining` and `ratelimit-reset` (seconds) headers. */
export function rateLimitOf(headers: Readonly<Record<string, string>> | null): RateLimit | undefined {
  if (!headers) return undefined;
  const limit = number(headers['ratelimit-limit']);
  const remaining = number(headers['ratelimit-remaining']);
  const reset = number(headers['ratelimit-reset']);
  if (limit === undefined && remaining === undefined && reset === undefined) return undefined;
  return {
    ...(limit !== undefined && { limit }),
    ...(remaining !== undefined && { remaining }),
    ...(reset !== undefined && { resetMs: reset * 1000 }),
  };
}

/**
 * One call of the Resend SDK per send, with the email's idempotency key and a timeout. It never
 * waits and never retries: the request answers within its budget, and the drain paces itself
 * (src/delivery/drain.ts). The SDK resolves `{ data, error, headers }`; the one way it throws, an
 * abort while reading an error body, is caught here too.
 */
export function resendTransport(options: ResendOptions): Transport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);

  return {
    async send(email: OutgoingEmail, { idempotencyKey, timeoutMs }: SendOptions): Promise<SendResult> {
      // AbortSignal.timeout takes whole milliseconds only (a fraction is a RangeError).
      const signal = AbortSignal.timeout(Math.max(1, Math.floor(timeoutMs)));
      try {
        const { data, error, headers } = await resend.emails.send(
          {
            from: email.from,
            to: email.to,
            replyTo: email.replyTo,
            subject: email.subject,
            text: email.text,
            html: email.html,
            ...(email.attachments && {
              attachments: email.attachments.map((a) => ({
                filename: a.filename,
                content: Buffer.from(a.content, 'utf8'),
                contentType: a.contentType,
              })),
            }),
          },
          { idempotencyKey, signal },
        );
        const rateLimit = rateLimitOf(headers);
        if (data) return { ok: true, id: data.id, ...(rateLimit && { rateLimit }) };
        const wait = retryAfterMs(headers?.['retry-after']);
        return {
          ok: false,
          status: error?.statusCode ?? null,
          name: error?.name ?? 'unknown',
          timedOut: signal.aborted,
          ...(wait !== undefined && { retryAfterMs: wait }),
          ...(rateLimit && { rateLimit }),
        };
      } catch {
        return { ok: false, status: null, name: 'application_error', timedOut: signal.aborted };
      }
    },
  };
}
