import { labelWithColon } from '../forms/fields.ts';
import type { FieldErrors } from '../forms/validate.ts';
import { pageHeaders } from '../site-pages/compose.ts';
import { renderErrorPage } from './error-page.ts';

/** The outcome of a submission, independent of how the client wants to hear it. */
export type Outcome =
  | {
      kind: 'received';
      reference: string;
      /** Stored, but the team email has not gone out yet: the drain sends it. */
      queued: boolean;
      confirmationSent: boolean;
      /** Why the confirmation has not gone out (yet), when it has not. */
      message?: string;
      /** The place on the waiting list, when the registration's session was full. */
      waitingList?: number;
      /** The same person registered for this session before: `reference` is that registration's. */
      already?: boolean;
    }
  | { kind: 'invalid'; errors: FieldErrors }
  | { kind: 'refused'; status: number; message: string; headers?: Record<string, string> };

export interface ResponseContext {
  readonly json: boolean;
  readonly formPath: string;
  readonly thanksPath: string;
  /** Title of the error page: „Ihre Bewerbung konnte nicht gesendet werden". */
  readonly failureTitle: string;
  /** German label of each field, for the error page's list of problems. */
  readonly labels: Readonly<Record<string, string>>;
  /** A built page of the site whose frame holds the error pages (src/site-pages/built-pages.ts). */
  readonly frame?: string;
}

/** The thank-you page beneath each form's own for a confirmation that has not gone out yet. */
export const DELAYED = 'verzoegert/';

/** The thank-you page beneath the webinar's own for a place on the waiting list. */
export const WAITING_LIST = 'warteliste/';

/** The page beneath the webinar's thank-you page for a person registered for the session before. */
export const ALREADY = 'bereits/';

const COMMON = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'same-origin' };

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { ...COMMON, ...headers } });
}

function html(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...pageHeaders(body), ...COMMON, ...headers } });
}

/** One place that turns outcomes into HTTP: JSON for scripts and API clients, HTML or 303 for forms. */
export function respond(outcome: Outcome, context: ResponseContext): Response {
  switch (outcome.kind) {
    case 'received': {
      if (context.json) {
        return json(200, {
          ok: true,
          reference: outcome.reference,
          queued: outcome.queued,
          confirmationSent: outcome.confirmationSent,
          ...(outcome.message && { message: outcome.message }),
          ...(outcome.waitingList && { waitingList: outcome.waitingList }),
        });
      }
      // Without JavaScript the page cannot read the answer: a thank-you page of its own says the
      // confirmation may take a while.
      const page = outcome.already
        ? `${context.thanksPath}${ALREADY}`
        : outcome.waitingList
          ? `${context.thanksPath}${WAITING_LIST}`
          : outcome.confirmationSent
            ? context.thanksPath
            : `${context.thanksPath}${DELAYED}`;
      const location = `${page}?ref=${encodeURIComponent(outcome.reference)}`;
      return new Response(null, { status: 303, headers: { ...COMMON, location } });
    }
    case 'invalid': {
      if (context.json) return json(422, { errors: outcome.errors });
      const problems = Object.entries(outcome.errors).map(
        ([field, message]) => `${labelWithColon(context.labels[field] ?? field)} ${message}`,
      );
      return html(
        422,
        renderErrorPage(
          { title: context.failureTitle, problems, formPath: context.formPath, next: 'correct' },
          context.frame,
        ),
      );
    }
    case 'refused': {
      if (context.json) return json(outcome.status, { message: outcome.message }, outcome.headers);
      const page = renderErrorPage(
        {
          title: context.failureTitle,
          problems: [outcome.message],
          formPath: context.formPath,
          // A too-long text is the person's to fix; an outage passes; a closed window does not.
          next: outcome.status === 413 ? 'correct' : outcome.status >= 500 ? 'retry-later' : 'none',
        },
        context.frame,
      );
      return html(outcome.status, page, outcome.headers);
    }
  }
}
