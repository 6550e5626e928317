import { Resend } from 'resend';
import type { Email, SendOptions, SendResult, Transport } from './email.ts';

export interface ResendOptions {
  readonly apiKey: string;
  readonly from: string;
  /** Longest wait for one API call. */
  readonly timeoutMs?: number;
  /** Longest time for one email, retries after 429 included. */
  readonly budgetMs?: number;
  /** Where the SDK sends requests; by default the SDK's own (RESEND_BASE_URL or Resend's API). */
  readonly baseUrl?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Milliseconds from a Retry-After header (delta-seconds or HTTP date); 1 s when absent or
 * unreadable, and never under half a second, so a "0" cannot turn the retries into a busy loop.
 */
function retryAfterMs(headers: Record<string, string> | null): number {
  const value = headers?.['retry-after'];
  if (!value) return 1000;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(500, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? 1000 : Math.max(500, date - Date.now());
}

/**
 * Sends through the Resend SDK. Each email carries its idempotency key, so a retry (ours or a
 * person's) never delivers twice. Resend answers 429 beyond 2 requests per second: we wait as
 * Retry-After says while the budget allows, then report failure instead of hanging the form.
 */
export function resendTransport(options: ResendOptions): Transport {
  const resend = new Resend(options.apiKey, options.baseUrl ? { baseUrl: options.baseUrl } : undefined);
  const timeoutMs = options.timeoutMs ?? 3500;
  const budgetMs = options.budgetMs ?? 4500;

  return {
    async send(email: Email, { idempotencyKey }: SendOptions): Promise<SendResult> {
      const deadline = Date.now() + budgetMs;
      for (;;) {
        const remaining = deadline - Date.now();
        const signal = AbortSignal.timeout(Math.min(timeoutMs, Math.max(remaining, 1)));
        const { data, error, headers } = await resend.emails.send(
          {
            from: options.from,
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
        if (data) return { ok: true, id: data.id };
        const status = error?.statusCode ?? null;
        // 429 (rate limit) and a request with the same key still in flight: wait and try again.
        if (status === 429 || error?.name === 'concurrent_idempotent_requests') {
          const wait = retryAfterMs(headers);
          if (Date.now() + wait < deadline) {
            await sleep(wait);
            continue;
          }
        }
        return {
          ok: false,
          reason: `resend ${signal.aborted ? 'timeout' : (status ?? 'no response')}: ${error?.name ?? 'unknown'}`,
          maybeDelivered: signal.aborted,
        };
      }
    },
  };
}
