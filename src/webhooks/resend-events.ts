import { isUndeliverable } from '../delivery/delivery-state.ts';
import { enqueue, outboxMessage } from '../delivery/outbox.ts';
import { findByProviderId, recordDelivery, type ProviderEntry } from '../delivery/provider-index.ts';
import { isPersonalRole } from '../delivery/record.ts';
import { markSeen, seenBefore } from '../delivery/seen-events.ts';
import type { KeyValueStore } from '../delivery/store.ts';
import { logEvent, logProblem } from '../log.ts';
import { undeliverableNotice, type Undeliverable } from '../mail/notice.ts';
import type { MailSetup } from '../mail/transport.ts';
import { runtimeMail, type Runtime } from '../runtime.ts';
import { parseEvent, type DeliveryEvent } from './event.ts';
import { signedHeaders, signingKey, verify } from './signature.ts';

const FORM = 'resend-events';
const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
/**
 * Nobody waits on this answer but Svix, which gives up after 15 s and delivers again later: the
 * store calls get more time than a person's request, each at most 2 s and all within 8 s.
 */
const STORE_BUDGET_MS = 8000;
const STORE_CALL_MS = 2000;
/** Resend's events are a few kilobytes; anything far larger is not one. */
const MAX_BODY_BYTES = 256 * 1024;

const answer = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { ...HEADERS, ...headers } });

/** The source of the team's notes about emails that did not arrive: such a note is never noted itself. */
export const UNDELIVERABLE_SOURCE = 'undeliverable';

const WHAT: Partial<Record<ProviderEntry['role'], string>> = { confirmation: 'Bestätigung', reminder: 'Erinnerung' };

/**
 * POST /api/resend-events: Resend's webhook (Svix-signed). An email to a person that bounced, failed
 * or was reported as spam becomes one note to the team; the same for a team email is a configuration
 * alert in the log; every reported state is recorded on the message or its tombstone. A 2xx tells
 * Svix to stop; a 5xx (the store failed) has it deliver again later, which changes nothing twice.
 */
export async function resendEvents(request: Request, runtime: Runtime, nowMs: number = Date.now()): Promise<Response> {
  if (request.method !== 'POST') return answer(405, { message: 'Nur POST.' }, { allow: 'POST' });
  const key = signingKey(runtime.env['RESEND_WEBHOOK_SECRET']);
  const mail = runtimeMail(runtime);
  if (!key || !mail.ok) {
    const missing = key ? (mail.ok ? '' : mail.missing) : 'RESEND_WEBHOOK_SECRET';
    logProblem({ form: FORM, outcome: 'configuration-error', missing });
    return answer(503, { message: `${missing} is not set or not valid` });
  }
  const length = Number(request.headers.get('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) return answer(413, { message: 'Too large.' });
  const body = await request.text();
  if (Buffer.byteLength(body) > MAX_BODY_BYTES) return answer(413, { message: 'Too large.' });

  const verified = verify(key, signedHeaders(request.headers), body, nowMs);
  if (!verified.ok) {
    logEvent({ form: FORM, outcome: 'rejected', reason: verified.reason });
    return answer(400, { message: `Signature ${verified.reason}.` });
  }
  const parsed = parseEvent(body);
  if (parsed.kind === 'malformed') {
    logEvent({ form: FORM, outcome: 'malformed' });
    return answer(400, { message: 'Not a Resend email event.' });
  }
  if (parsed.kind === 'other') return answer(200, { ignored: parsed.type });

  const store = runtime.store({
    signal: (runtime.timer ?? AbortSignal.timeout)(STORE_BUDGET_MS),
    callMs: STORE_CALL_MS,
  });
  const seen = { id: verified.id, createdAt: parsed.event.createdAt };
  try {
    if (await seenBefore(store, seen)) return answer(200, { duplicate: true });
    const outcome = await handle(store, parsed.event, mail.setup, runtime.now);
    // After the work, which repeats harmlessly: a failure in between leaves Svix to deliver again.
    await markSeen(store, seen, runtime.now);
    return answer(200, { outcome });
  } catch (error) {
    logProblem({
      form: FORM,
      outcome: 'store-failed',
      event: parsed.event.type,
      error: error instanceof Error ? error.name : typeof error,
    });
    return answer(503, { message: 'Try again later.' });
  }
}

/** Acts on one event; gives the outcome for the answer. */
async function handle(
  store: KeyValueStore,
  event: DeliveryEvent,
  mail: Pick<MailSetup, 'teamInbox' | 'from'>,
  now: Date,
): Promise<string> {
  const entry = await findByProviderId(store, event.emailId);
  if (!entry) {
    // Not ours (another sender on the account), from before the index, or a send whose entry failed.
    logEvent({ form: FORM, outcome: 'unknown-email', event: event.type });
    return 'unknown-email';
  }
  const log = { form: FORM, reference: entry.reference, email: entry.role, event: event.type };
  if (isUndeliverable(event.state)) {
    if (isPersonalRole(entry.role)) {
      await enqueue(store, noteMessage(entry, event, event.state, mail, now));
      logEvent({ ...log, outcome: 'team-notified' });
    } else {
      logProblem({
        ...log,
        outcome: 'configuration-alert',
        note: 'An email to the team inbox did not arrive: check MAIL_TO and the inbox (full, blocked, spam filter).',
      });
    }
  } else logEvent({ ...log, outcome: event.state });
  await recordDelivery(store, entry, event.emailId, event.state);
  return event.state;
}

/** The team's note, keyed by the email: a bounce and a later spam report of one email make one note. */
function noteMessage(
  entry: ProviderEntry,
  event: DeliveryEvent,
  kind: Undeliverable,
  mail: Pick<MailSetup, 'teamInbox' | 'from'>,
  now: Date,
) {
  const email = undeliverableNotice(mail.teamInbox, {
    reference: entry.reference,
    what: WHAT[entry.role] ?? 'E-Mail',
    kind,
    to: event.to,
    detail: event.detail,
  });
  return outboxMessage({
    key: `${UNDELIVERABLE_SOURCE}-${event.emailId}`,
    source: UNDELIVERABLE_SOURCE,
    reference: entry.reference,
    from: mail.from,
    emails: [{ role: 'notice', label: 'unzustellbar', email }],
    receivedAt: now,
  });
}
