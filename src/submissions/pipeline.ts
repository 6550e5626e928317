import { confirmationWithheld } from '../delivery/allowance.ts';
import { attemptInRequest, withOutcomes, type Outcome as EmailOutcome } from '../delivery/attempt.ts';
import {
  confirmationState,
  type ConfirmationState,
  dueNow,
  idempotencyKey,
  isSettled,
  teamAccepted,
  tombstoneOf,
  type QueuedEmail,
  type SubmissionRecord,
} from '../delivery/record.ts';
import type { DeliveryStore, Found } from '../delivery/store.ts';
import { normalise } from '../forms/normalise.ts';
import { validate } from '../forms/validate.ts';
import { logEvent, logProblem } from '../log.ts';
import type { Admission } from '../mail/submission.ts';
import { mailConfig, type MailSetup } from '../mail/transport.ts';
import { berlinDay } from '../time/format.ts';
import type { FormSpec } from './form-spec.ts';
import { confirmationNote, unavailable, unconfirmed } from './messages.ts';
import { fingerprint, referenceFrom, submissionIdOf } from './reference.ts';
import { parseRequest, wantsJson } from './request.ts';
import { respond, type Outcome } from './respond.ts';
import type { Runtime } from './runtime.ts';
import { looksLikeSpam } from './spam.ts';

/**
 * A person waits at most about two seconds for the answer: the sending gets what is left of this
 * after parsing, checking and storing, and the drain takes over the rest.
 */
export const REQUEST_BUDGET_MS = 1800;

/** A new record waits this long before the drain may pick it up, so it does not race the request. */
const REQUEST_GRACE_MS = 60_000;

interface Step {
  readonly form: FormSpec<unknown>;
  readonly runtime: Runtime;
  readonly key: string;
  readonly reference: string;
  /** When the request's time is up (performance.now() milliseconds). */
  readonly deadline: number;
}

/** Runs a store call; a failing store is logged and treated as absent, never as a failed submission. */
async function tryStore<T>(step: Pick<Step, 'form' | 'reference'>, what: string, call: () => Promise<T>) {
  try {
    return { ok: true as const, value: await call() };
  } catch (error) {
    logProblem({
      form: step.form.id,
      outcome: 'store-failed',
      reference: step.reference,
      during: what,
      error: error instanceof Error ? error.name : typeof error,
    });
    return { ok: false as const };
  }
}

/** The answer for a received submission, new or repeated: the same reference, nothing twice. */
function received(
  step: Step,
  reference: string,
  queued: boolean,
  confirmation: ConfirmationState,
  teamInbox: string,
  waitingList: number | undefined,
): Outcome {
  const message = confirmationNote(confirmation, step.form.receivedText, teamInbox);
  return {
    kind: 'received',
    reference,
    queued,
    confirmationSent: confirmation === 'sent',
    ...(message && { message }),
    ...(waitingList && { waitingList }),
  };
}

const receivedFrom = (step: Step, record: SubmissionRecord, teamInbox: string) =>
  received(step, record.reference, !teamAccepted(record), confirmationState(record), teamInbox, record.waitingList);

/** Tries the pending emails of `record` now, and stores what happened (merged with any other writer). */
async function sendAndSave(
  step: Step,
  record: SubmissionRecord,
  mail: MailSetup,
  store: DeliveryStore | undefined,
): Promise<{ record: SubmissionRecord; outcomes: EmailOutcome[] }> {
  const budgetMs = step.deadline - performance.now();
  const outcomes = await attemptInRequest(record, mail.transport, step.runtime.now, budgetMs);
  const attempted = withOutcomes(record, outcomes);
  if (!store) return { record: attempted, outcomes };
  const saved = await tryStore(step, 'update', () =>
    store.update(step.key, (stored) => dueNow(withOutcomes(stored, outcomes), step.runtime.now)),
  );
  const current = (saved.ok && saved.value) || attempted;
  if (isSettled(current))
    await tryStore(step, 'complete', () => store.complete(tombstoneOf(current, step.runtime.now)));
  return { record: current, outcomes };
}

/** A retry of a submission the store holds: finish what is pending, answer as the first time. */
async function resume(step: Step, found: Found, mail: MailSetup, store: DeliveryStore): Promise<Outcome> {
  logEvent({ form: step.form.id, outcome: 'repeated', reference: step.reference });
  if (found.kind === 'done') {
    const { reference, confirmation, waitingList } = found.tombstone;
    return received(step, reference, false, confirmation, mail.teamInbox, waitingList);
  }
  const { record } = await sendAndSave(step, found.record, mail, store);
  return receivedFrom(step, record, mail.teamInbox);
}

/** The emails of a new submission, rendered once: every later send repeats these bytes. */
function newRecord<T>(
  step: Step,
  data: T,
  mail: MailSetup,
  withheld: string | undefined,
  admission: Admission | undefined,
): SubmissionRecord {
  const { form, runtime, key, reference } = step;
  const rendered = (form as FormSpec<T>).emails(
    {
      data,
      reference,
      receivedAt: runtime.now,
      teamInbox: mail.teamInbox,
      ...(withheld && { confirmationWithheld: withheld }),
      ...(admission && { admission }),
    },
    key,
  );
  const queued = (role: 'team' | 'confirmation', label: string): QueuedEmail => ({
    role,
    label: `${reference}-${label}`,
    idempotencyKey: idempotencyKey(key, role),
    email: { ...rendered[role], from: mail.from },
    status: 'pending',
    attempts: 0,
  });
  return {
    version: 1,
    key,
    form: form.id,
    reference,
    receivedAt: runtime.now.toISOString(),
    emails: [queued('team', 'team'), ...(withheld ? [] : [queued('confirmation', 'bestaetigung')])],
    failures: 0,
    nextAttemptAt: new Date(runtime.now.getTime() + REQUEST_GRACE_MS).toISOString(),
    ...(withheld && { confirmationWithheld: withheld }),
    ...(admission?.status === 'waiting' && { waitingList: admission.place }),
  };
}

/**
 * request → parse → spam check → schema → key → known already? → clock rules → store → one
 * bounded attempt per email → respond. Stored counts as received: the drain sends the rest.
 */
async function submit<T>(request: Request, form: FormSpec<T>, runtime: Runtime): Promise<Outcome> {
  const deadline = performance.now() + REQUEST_BUDGET_MS;
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
  const hash = fingerprint(form.id, submissionIdOf(parsed.fields['submissionId']), values);
  const step: Step = {
    form: form as FormSpec<unknown>,
    runtime,
    key: `${form.id}-${hash}`,
    reference: referenceFrom(form.referencePrefix, hash),
    deadline,
  };
  if (looksLikeSpam(parsed.fields)) {
    // Same answer as a real submission, so a bot learns nothing; nothing is stored or sent.
    logEvent({ form: form.id, outcome: 'spam-ignored', reference: step.reference });
    return { kind: 'received', reference: step.reference, queued: false, confirmationSent: true };
  }

  const validation = validate(form.schema, form.fields, values);
  if (!validation.ok) {
    logEvent({ form: form.id, outcome: 'invalid', fields: Object.keys(validation.errors) });
    return { kind: 'invalid', errors: validation.errors };
  }

  const config = mailConfig(runtime.env, runtime.settings);
  if (!config.ok) {
    logProblem({
      form: form.id,
      outcome: 'configuration-error',
      reference: step.reference,
      missing: config.missing,
      note: `Set ${config.missing} in the site's environment variables.`,
    });
    return { kind: 'refused', status: 503, message: unavailable(runtime.settings.teamInbox) };
  }
  const mail = config.setup;

  const opened = await tryStore(step, 'open', async () => runtime.store());
  let store = opened.ok ? opened.value : undefined;
  // Known already: a retry, also after midnight, a deploy or the window's end.
  const known = store ? await tryStore(step, 'lookup', () => store!.lookup(step.key)) : { ok: false as const };
  if (!known.ok) store = undefined;
  else if (known.value) return resume(step, known.value, mail, store!);

  const refusal = form.check(validation.data, runtime.now);
  if (refusal) {
    logEvent({ form: form.id, outcome: 'refused-by-rule', reference: step.reference });
    return 'errors' in refusal ? { kind: 'invalid', errors: refusal.errors } : { kind: 'refused', ...refusal };
  }

  const admitted = await form.admit?.(
    validation.data,
    { key: step.key, reference: step.reference, now: runtime.now },
    store,
  );
  if (admitted && !('place' in admitted)) {
    return 'errors' in admitted ? { kind: 'invalid', errors: admitted.errors } : { kind: 'refused', ...admitted };
  }

  const allowance = store
    ? await tryStore(step, 'allowance', () =>
        confirmationWithheld(
          store!,
          form.recipient(validation.data),
          berlinDay(runtime.now),
          runtime.settings.confirmationsPerDay,
        ),
      )
    : undefined;
  const withheld = allowance?.ok ? allowance.value : undefined;
  const record = newRecord(step, validation.data, mail, withheld, admitted);
  const created = store ? await tryStore(step, 'create', () => store!.create(record)) : { ok: false as const };
  if (created.ok && !created.value) {
    // Another request with the same key came first: answer from its record.
    const again = await tryStore(step, 'lookup', () => store!.lookup(step.key));
    if (again.ok && again.value) return resume(step, again.value, mail, store!);
  }
  const stored = created.ok && created.value;
  // One more write beside the record, alongside the sending so that the answer comes no later.
  const kept =
    stored && form.keep
      ? tryStore(step, 'keep', () =>
          form.keep!(validation.data, { key: step.key, reference: step.reference, now: runtime.now }, store!),
        )
      : undefined;

  const { record: outcomeRecord, outcomes } = await sendAndSave(step, record, mail, stored ? store : undefined);
  await kept;
  if (!stored && !teamAccepted(outcomeRecord)) {
    // Neither stored nor sent: nothing arrived, or nobody can tell. The form keeps the input.
    const team = outcomes.find((outcome) => outcome.role === 'team')?.verdict;
    const maybe = team?.kind === 'retry' && team.maybeDelivered;
    logProblem({
      form: form.id,
      outcome: 'not-received',
      reference: step.reference,
      reason: team?.kind ?? 'not tried',
    });
    return {
      kind: 'refused',
      status: 503,
      message: (maybe ? unconfirmed : unavailable)(mail.teamInbox),
      headers: { 'retry-after': '120' },
    };
  }
  logEvent({
    form: form.id,
    outcome: teamAccepted(outcomeRecord) ? 'received' : 'queued',
    reference: step.reference,
    confirmation: confirmationState(outcomeRecord),
  });
  return receivedFrom(step, outcomeRecord, mail.teamInbox);
}

/** The whole of a form function: every answer, success or not, goes through respond(). */
export async function handleSubmission<T>(request: Request, form: FormSpec<T>, runtime: Runtime): Promise<Response> {
  const outcome = await submit(request, form, runtime).catch((error: unknown): Outcome => {
    // Never a stack trace for the person at the form; the log gets the error's kind, not its data.
    logProblem({
      form: form.id,
      outcome: 'unexpected-error',
      error: error instanceof Error ? error.name : typeof error,
    });
    return { kind: 'refused', status: 503, message: unavailable(runtime.settings.teamInbox) };
  });
  return respond(outcome, {
    json: wantsJson(request),
    formPath: form.formPath,
    thanksPath: form.thanksPath,
    failureTitle: form.failureTitle,
    labels: Object.fromEntries(form.fields.map((field) => [field.name, field.label])),
  });
}
