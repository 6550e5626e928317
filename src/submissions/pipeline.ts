import { normalise } from '../forms/normalise.ts';
import { validate } from '../forms/validate.ts';
import { logEvent, logProblem } from '../log.ts';
import { mailConfig } from '../mail/transport.ts';
import { settings } from '../settings/index.ts';
import { now } from '../time/clock.ts';
import { berlinDay } from '../time/format.ts';
import type { FormSpec } from './form-spec.ts';
import { fingerprint, idempotencyKey, referenceFrom } from './reference.ts';
import { parseRequest, wantsJson } from './request.ts';
import { respond, type Outcome } from './respond.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** Anything faster than this from page load to submit is a machine, not a person. */
const MIN_FILL_MS = 2000;

const UNAVAILABLE = `Ihre Angaben konnten gerade nicht übermittelt werden – bei uns ist nichts eingegangen. Bitte versuchen Sie es in einigen Minuten noch einmal. Ihre Eingaben bleiben im Formular erhalten. Wenn es weiterhin nicht klappt, schreiben Sie an ${settings.teamInbox}.`;

/** After a timeout nobody knows whether the team email left: say so, and that a retry is safe. */
const UNCONFIRMED = `Wir konnten nicht bestätigen, dass Ihre Angaben bei uns eingegangen sind. Bitte senden Sie das Formular in einigen Minuten noch einmal ab – Ihre Eingaben bleiben erhalten, und doppelt erhalten wir sie dadurch nicht. Wenn es weiterhin nicht klappt, schreiben Sie an ${settings.teamInbox}.`;

/** Honeypot filled, or the page's script measured an impossibly fast fill. */
function looksLikeSpam(fields: Readonly<Record<string, unknown>>): boolean {
  const honeypot = fields['website'];
  if (typeof honeypot === 'string' ? honeypot.trim() !== '' : honeypot !== undefined && honeypot !== null) return true;
  const elapsed = Number(fields['elapsedMs']);
  return fields['elapsedMs'] !== undefined && Number.isFinite(elapsed) && elapsed < MIN_FILL_MS;
}

/** request → parse → spam check → schema → clock rules → reference → team email → confirmation. */
async function submit<T>(request: Request, form: FormSpec<T>, env: Env): Promise<Outcome> {
  const parsed = await parseRequest(request);
  if (!parsed.ok) {
    logEvent({ form: form.id, outcome: 'refused', status: parsed.status });
    return {
      kind: 'refused',
      status: parsed.status,
      message: parsed.message,
      ...(parsed.headers && { headers: parsed.headers }),
    };
  }

  const values = normalise(form.fields, parsed.fields);
  const receivedAt = now(env);
  const day = berlinDay(receivedAt);
  const hash = fingerprint(form.id, day, values);
  const reference = referenceFrom(form.referencePrefix, hash);
  if (looksLikeSpam(parsed.fields)) {
    // Same answer as a real submission, so a bot learns nothing; nothing is sent.
    logEvent({ form: form.id, outcome: 'spam-ignored', reference });
    return { kind: 'received', reference, confirmationSent: true };
  }

  const validation = validate(form.schema, form.fields, values);
  if (!validation.ok) {
    logEvent({ form: form.id, outcome: 'invalid', fields: Object.keys(validation.errors) });
    return { kind: 'invalid', errors: validation.errors };
  }

  const refusal = form.check(validation.data, receivedAt);
  if (refusal) {
    logEvent({ form: form.id, outcome: 'refused-by-rule', reference });
    return 'errors' in refusal ? { kind: 'invalid', errors: refusal.errors } : { kind: 'refused', ...refusal };
  }

  const config = mailConfig(env);
  if (!config.ok) {
    logProblem({
      form: form.id,
      outcome: 'configuration-error',
      reference,
      missing: config.missing,
      note: `Set ${config.missing} in the site's environment variables.`,
    });
    return { kind: 'refused', status: 503, message: UNAVAILABLE };
  }
  const { transport, teamInbox } = config.setup;
  const receivedOn = new Date(`${day}T12:00:00Z`);
  const emails = form.emails({ data: validation.data, reference, receivedOn, teamInbox });

  // The team email first: only once the team has it does the submission count as received.
  const team = await transport.send(emails.team, {
    idempotencyKey: idempotencyKey(form.id, hash, 'team'),
    label: `${reference}-team`,
  });
  if (!team.ok) {
    logProblem({ form: form.id, outcome: 'team-email-failed', reference, reason: team.reason });
    const message = team.maybeDelivered ? UNCONFIRMED : UNAVAILABLE;
    return { kind: 'refused', status: 503, message, headers: { 'retry-after': '120' } };
  }
  const confirmation = await transport.send(emails.confirmation, {
    idempotencyKey: idempotencyKey(form.id, hash, 'confirmation'),
    label: `${reference}-bestaetigung`,
  });
  if (!confirmation.ok) {
    logProblem({ form: form.id, outcome: 'confirmation-failed', reference, reason: confirmation.reason });
  } else {
    logEvent({ form: form.id, outcome: 'received', reference });
  }
  return { kind: 'received', reference, confirmationSent: confirmation.ok };
}

/** The whole of a form function: every answer, success or not, goes through respond(). */
export async function handleSubmission<T>(
  request: Request,
  form: FormSpec<T>,
  env: Env = process.env,
): Promise<Response> {
  const outcome = await submit(request, form, env).catch((error: unknown): Outcome => {
    // Never a stack trace for the person at the form; the log gets the error's kind, not its data.
    logProblem({
      form: form.id,
      outcome: 'unexpected-error',
      error: error instanceof Error ? error.name : typeof error,
    });
    return { kind: 'refused', status: 503, message: UNAVAILABLE };
  });
  return respond(outcome, {
    json: wantsJson(request),
    formPath: form.formPath,
    thanksPath: form.thanksPath,
    failureTitle: form.failureTitle,
    labels: Object.fromEntries(form.fields.map((field) => [field.name, field.label])),
  });
}
