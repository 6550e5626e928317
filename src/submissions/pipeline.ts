import { createHash } from 'node:crypto';
import { COUNTERS_UNAVAILABLE, confirmationWithheld, FILLED_FAST, giveBack } from '../delivery/allowance.ts';
import { attemptInRequest, withOutcomes, type Outcome as EmailOutcome } from '../delivery/attempt.ts';
import { complete, enqueue, lookup, outboxMessage, update, writeKeptCopy, type Found } from '../delivery/outbox.ts';
import { rememberProviderIds } from '../delivery/provider-index.ts';
import {
  type AnswerDigests,
  confirmationState,
  type ConfirmationState,
  dueNow,
  isSettled,
  kept,
  revisionOf,
  teamAccepted,
  tombstoneOf,
  type OutboxMessage,
} from '../delivery/record.ts';
import { StoreError, unavailableStore, untilFirstTimeout, type KeyValueStore } from '../delivery/store.ts';
import { normalise } from '../forms/normalise.ts';
import { validate } from '../forms/validate.ts';
import { logEvent, logProblem } from '../log.ts';
import { amendmentTeamEmail, type FieldChange } from '../mail/amendment.ts';
import { withheldNote } from '../mail/layout.ts';
import type { Admission } from '../mail/submission.ts';
import type { MailSetup } from '../mail/transport.ts';
import { berlinDay } from '../time/format.ts';
import { answerDigests, changedFields, fieldChanges, isAmendment, type PreviousAnswers } from './amendment.ts';
import type { Admitted, AdmissionTicket, FormSpec, Refusal } from './form-spec.ts';
import { alreadyRegistered, confirmationNote, unavailable, unconfirmed } from './messages.ts';
import { fingerprint, referenceFrom, submissionIdOf } from './reference.ts';
import { parseRequest, wantsJson } from './request.ts';
import { respond, type Outcome } from './respond.ts';
import { budgetOf, requestSignal, requestStore, runtimeMail, type Runtime } from '../runtime.ts';
import { spamSignal } from './spam.ts';

/** A new record waits this long before the drain may pick it up, so it does not race the request. */
const REQUEST_GRACE_MS = 60_000;

/**
 * What the sending leaves of the request's time for storing its outcome: a provider that hangs
 * then still leaves a record the drain sends at its next run, not only after the grace above.
 */
const SAVE_RESERVE_MS = 300;

/** The request's time: its signal aborts the store calls, and the sending gets what is left. */
interface Deadline {
  readonly signal: AbortSignal;
  remainingMs(): number;
}

function requestDeadline(runtime: Runtime): Deadline {
  const start = performance.now();
  const signal = requestSignal(runtime);
  const budget = budgetOf(runtime);
  return {
    signal,
    remainingMs: () => (signal.aborted ? 0 : budget - (performance.now() - start)),
  };
}

/** One submission on its way: what every step knows. */
interface Step {
  readonly form: FormSpec<unknown>;
  readonly runtime: Runtime;
  readonly key: string;
  readonly reference: string;
  readonly deadline: Deadline;
  readonly mail: MailSetup;
  /** Bounded by the deadline; after its first timeout, the store's absence (unavailableStore). */
  readonly store: KeyValueStore;
}

/** Logs a failing store step with the reference only; the error's kind, never its data. */
function storeFailed(step: Pick<Step, 'form' | 'reference'>, during: string, error: unknown) {
  logProblem({
    form: step.form.id,
    outcome: 'store-failed',
    reference: step.reference,
    during,
    error: error instanceof Error ? error.name : typeof error,
    ...(error instanceof Error && 'kind' in error && { kind: String(error.kind) }),
  });
}

/** Runs a store step; a failure is logged and answered as "not stored", never as a failed submission. */
async function tryStore<T>(step: Step, during: string, call: () => Promise<T>) {
  try {
    return { ok: true as const, value: await call() };
  } catch (error) {
    storeFailed(step, during, error);
    return { ok: false as const, error };
  }
}

/**
 * Whether a failed enqueue may have stored the message all the same: only a write that was refused
 * outright did not. A write that timed out may land after it, and one that landed may fail the
 * check that follows it (enqueue()): then the drain sends what the request could not.
 */
const mayHaveStored = (error: unknown) =>
  !(error instanceof StoreError && error.kind === 'failed' && error.during === 'writeIfNew');

/** The store for this request: bounded by its deadline, and absent after its first timeout. */
function openStore(step: Omit<Step, 'store'>): KeyValueStore {
  try {
    return untilFirstTimeout(requestStore(step.runtime, step.deadline.signal));
  } catch (error) {
    storeFailed(step, 'open', error);
    return unavailableStore;
  }
}

/** The answer for a received submission, new or repeated: the same reference, nothing twice. */
function received(
  step: Step,
  reference: string,
  queued: boolean,
  confirmation: ConfirmationState,
  waitingList: number | undefined,
): Outcome {
  const message = confirmationNote(confirmation, step.form.receivedText, step.mail.teamInbox);
  return {
    kind: 'received',
    reference,
    queued,
    confirmationSent: confirmation === 'sent',
    ...(message && { message }),
    ...(waitingList && { waitingList }),
  };
}

const receivedFrom = (step: Step, record: OutboxMessage) =>
  received(step, record.reference, !teamAccepted(record), confirmationState(record), record.waitingList);

/**
 * The answer when the team email went out but the message is not known to be stored: a
 * confirmation not sent by now may never be, so the answer promises none.
 */
function receivedUnstored(step: Step, record: OutboxMessage): Outcome {
  const state = confirmationState(record);
  return received(step, record.reference, false, state === 'pending' ? 'unchecked' : state, record.waitingList);
}

/**
 * Tries the pending emails of `record` now and, when it is stored, stores what happened (merged
 * with any other writer): the copy to keep too, if `keeping` wrote it.
 */
async function sendAndSave(
  step: Step,
  record: OutboxMessage,
  stored: boolean,
  keeping?: Promise<boolean>,
): Promise<{ record: OutboxMessage; outcomes: EmailOutcome[] }> {
  const { runtime } = step;
  const sendMs = step.deadline.remainingMs() - (stored ? SAVE_RESERVE_MS : 0);
  const outcomes = await attemptInRequest(record, step.mail.transport, runtime.now, Math.max(0, sendMs));
  const keptNow = (await keeping) ?? false;
  const attempted = withOutcomes(keptNow ? kept(record) : record, outcomes);
  if (!stored) return { record: attempted, outcomes };
  const [saved] = await Promise.all([
    tryStore(step, 'update', () =>
      update(step.store, step.key, (current) =>
        dueNow(withOutcomes(keptNow ? kept(current) : current, outcomes), runtime.now),
      ),
    ),
    rememberProviderIds(step.store, record, outcomes),
  ]);
  const current = (saved.ok && saved.value) || attempted;
  if (isSettled(current))
    await tryStore(step, 'complete', () => complete(step.store, tombstoneOf(current, runtime.now)));
  return { record: current, outcomes };
}

/** The waiting-list place of `standing`, where there is one; else what the record remembers. */
const waitingOf = (standing: Admission | undefined, remembered: number | undefined) =>
  standing ? (standing.status === 'waiting' ? standing.place : undefined) : remembered;

/**
 * A retry of a submission the store holds: finish what is pending, answer as the first time, but
 * with where it stands now (`standing`: a place, once moved up from the waiting list).
 */
async function resume(step: Step, found: Found, standing: Admission | undefined): Promise<Outcome> {
  logEvent({ form: step.form.id, outcome: 'repeated', reference: step.reference });
  if (found.kind === 'done') {
    const { reference, confirmation, waitingList } = found.tombstone;
    return received(step, reference, false, confirmation, waitingOf(standing, waitingList));
  }
  const { record } = await sendAndSave(step, found.record, true);
  const waiting = waitingOf(standing, record.waitingList);
  return received(step, record.reference, !teamAccepted(record), confirmationState(record), waiting);
}

/** Where a known submission stands now, if its form can tell (standing()); undefined otherwise. */
async function standingOf<T>(step: Step, data: T): Promise<Admission | undefined> {
  const standing = (step.form as FormSpec<T>).standing;
  if (!standing) return undefined;
  const found = await tryStore(step, 'standing', () => standing(data, step.key, step.store));
  return found.ok ? found.value : undefined;
}

/**
 * The step under the key its form gives a submission whose earlier version was withdrawn (renew());
 * undefined when the store cannot tell, as then nobody knows which submission this is.
 */
async function renewed<T>(step: Step, data: T): Promise<Step | undefined> {
  const renew = (step.form as FormSpec<T>).renew;
  if (!renew) return step;
  const found = await tryStore(step, 'renew', () => renew(data, step.key, step.store));
  if (!found.ok) return undefined;
  if (found.value === step.key) return step;
  const hash = createHash('sha256').update(found.value).digest('hex');
  return { ...step, key: found.value, reference: referenceFrom(step.form.referencePrefix, hash) };
}

/** The same person again (Admitted.existing): their registration's reference, nothing stored or sent. */
function alreadyThere(step: Step, admitted: Admitted & { existing: string }): Outcome {
  logEvent({ form: step.form.id, outcome: 'already-registered', reference: admitted.existing });
  return {
    kind: 'received',
    reference: admitted.existing,
    queued: false,
    // Nothing goes out now: the page shows the message instead of „Bestätigung geschickt".
    confirmationSent: false,
    message: alreadyRegistered(step.mail.teamInbox),
    ...(admitted.status === 'waiting' && { waitingList: admitted.place }),
    already: true,
  };
}

/** What a version of a submission adds to its first: its number, its answers, and the changes the team reads. */
interface Version {
  readonly revision?: number;
  /** When the first version arrived, for the copy to keep. */
  readonly firstReceivedAt?: string | undefined;
  readonly answers?: AnswerDigests | undefined;
  /** Set when the earlier version reached the team: they get these changes, not the whole again. */
  readonly changes?: readonly FieldChange[];
}

/** The outbox message of a new submission: its emails rendered once, every later send repeats them. */
function newMessage<T>(
  step: Step,
  data: T,
  withheld: string | undefined,
  admission: Admission | undefined,
  version: Version = {},
) {
  const { runtime, key, reference, mail } = step;
  const { revision, answers, changes, firstReceivedAt } = version;
  const form = step.form as FormSpec<T>;
  const ticket = {
    key,
    reference,
    now: runtime.now,
    ...(revision && { revision }),
    ...(firstReceivedAt && { firstReceivedAt }),
  };
  const submission = {
    data,
    reference,
    receivedAt: runtime.now,
    teamInbox: mail.teamInbox,
    ...(withheld && { confirmationWithheld: withheld }),
    ...(admission && { admission }),
    ...(changes && { amended: true }),
  };
  const rendered = form.emails(submission, key);
  const team = changes
    ? amendmentTeamEmail(
        rendered.team,
        {
          reference,
          revision: revision ?? 2,
          receivedAt: runtime.now,
          changes,
          waitingList: admission?.status === 'waiting' ? admission.place : undefined,
        },
        withheldNote(submission),
      )
    : rendered.team;
  const keep = form.keep?.(data, ticket);
  return outboxMessage({
    key,
    source: form.id,
    reference,
    from: mail.from,
    emails: [
      { role: 'team', label: changes ? 'aenderung' : 'team', email: team },
      ...(withheld ? [] : [{ role: 'confirmation' as const, label: 'bestaetigung', email: rendered.confirmation }]),
    ],
    receivedAt: runtime.now,
    dueAt: new Date(runtime.now.getTime() + REQUEST_GRACE_MS),
    ...(withheld && { confirmationWithheld: withheld }),
    ...(admission?.status === 'waiting' && { waitingList: admission.place }),
    ...(keep && { keep }),
    ...(revision && { revision }),
    ...(answers && { answers }),
  });
}

/** Whether a confirmation may go out; a counter that cannot be read withholds it (fail closed). */
async function withheldConfirmation<T>(step: Step, data: T): Promise<string | undefined> {
  const { runtime } = step;
  const recipient = (step.form as FormSpec<T>).recipient(data);
  const reason = await confirmationWithheld(
    step.store,
    recipient,
    berlinDay(runtime.now),
    runtime.settings.confirmationsPerDay,
  );
  if (reason === COUNTERS_UNAVAILABLE) storeFailed(step, 'allowance', new Error('counters unavailable'));
  return reason;
}

/**
 * Nothing arrived, or nobody can tell (the team email may have left, or the message may be stored
 * for the drain to send): 503, and the form keeps the input.
 */
function notReceived(step: Step, outcomes: readonly EmailOutcome[], maybeStored: boolean): Outcome {
  const team = outcomes.find((outcome) => outcome.role === 'team')?.verdict;
  const maybe = maybeStored || (team?.kind === 'retry' && team.maybeDelivered);
  logProblem({
    form: step.form.id,
    outcome: 'not-received',
    reference: step.reference,
    reason: team?.kind ?? 'not tried',
  });
  return {
    kind: 'refused',
    status: 503,
    message: (maybe ? unconfirmed : unavailable)(step.mail.teamInbox),
    headers: { 'retry-after': '120' },
  };
}

const refused = (refusal: Refusal): Outcome =>
  'errors' in refusal ? { kind: 'invalid', errors: refusal.errors } : { kind: 'refused', ...refusal };

/** The stored answers of a submission the store knows. */
const storedAnswers = (found: Found) => (found.kind === 'pending' ? found.record : found.tombstone).answers;

/**
 * Stores `message` (its copy to keep beside it), tries its emails and answers: received when
 * stored or the team email accepted, else 503. `stored`: the message is in the store already;
 * `maybeStored`: a write of it failed in a way that may have landed all the same.
 */
async function deliver(step: Step, message: OutboxMessage, stored: boolean, maybeStored = false): Promise<Outcome> {
  // The copy to keep, alongside the sending so that the answer comes no later. Where it fails,
  // the stored message still carries it, and the drain writes it.
  const keeping =
    stored && message.keep
      ? tryStore(step, 'keep', () => writeKeptCopy(step.store, message.keep!)).then((kept) => kept.ok)
      : undefined;
  const { record, outcomes } = await sendAndSave(step, message, stored, keeping);
  if (!stored && !teamAccepted(record)) return notReceived(step, outcomes, maybeStored);
  logEvent({
    form: step.form.id,
    outcome: teamAccepted(record) ? 'received' : 'queued',
    reference: step.reference,
    confirmation: confirmationState(record),
    // false: answered by the team email's acceptance alone, as a copy sent at the same moment may
    // be, while another stored the message (the same idempotency keys: each email leaves once).
    stored,
    ...(message.revision && { revision: message.revision }),
  });
  return stored ? receivedFrom(step, record) : receivedUnstored(step, record);
}

/**
 * The same submissionId with other answers: a new version under the same key and reference.
 * Still queued, the earlier version's emails are replaced by the new one's (in one conditional
 * write, so the drain sends one or the other); once it reached the team, the team gets the
 * changes and the person a copy saying the change arrived. Refused like a new submission when the
 * clock rules refuse it (the window closed).
 */
async function amend<T>(step: Step, data: T, found: Found, answers: AnswerDigests, tries: number): Promise<Outcome> {
  const { runtime, key, reference } = step;
  const form = step.form as FormSpec<T>;
  const refusal = form.check(data, runtime.now, reference);
  if (refusal) {
    logEvent({ form: form.id, outcome: 'amendment-refused', reference });
    return refused(refusal);
  }
  const before = found.kind === 'pending' ? found.record : found.tombstone;
  const revision = revisionOf(before) + 1;
  const ticket: AdmissionTicket = { key, reference, now: runtime.now, revision, mail: step.mail };
  const previous = await tryStore(step, 'previous', async () => form.previous?.(ticket, step.store));
  const earlier: PreviousAnswers | undefined = previous.ok ? previous.value : undefined;
  const admitted = await form.admit?.(data, ticket, step.store);
  if (admitted && !('place' in admitted)) return refused(admitted);
  if (admitted?.existing) return alreadyThere(step, { ...admitted, existing: admitted.existing });

  const withheld = await withheldConfirmation(step, data);
  const changes = fieldChanges(
    form.fields,
    changedFields(before.answers ?? {}, answers),
    data as Readonly<Record<string, unknown>>,
    earlier,
  );
  const version = { revision, answers, firstReceivedAt: earlier?.receivedAt };
  const replacement = newMessage(step, data, withheld, admitted, version);
  const amendment = newMessage(step, data, withheld, admitted, { ...version, changes });
  logEvent({ form: form.id, outcome: 'amended', reference, revision });

  if (found.kind === 'pending') {
    const swapped = await tryStore(step, 'amend', () =>
      update(step.store, key, (current) =>
        revisionOf(current) !== revisionOf(before) ? current : teamAccepted(current) ? amendment : replacement,
      ),
    );
    if (swapped.ok && swapped.value) {
      if (swapped.value === amendment || swapped.value === replacement) return deliver(step, swapped.value, true);
      // Another version came first: amend that one (once more at most), or answer from it.
      return settle(step, data, { kind: 'pending', record: swapped.value }, answers, undefined, tries - 1);
    }
    // Not stored: the earlier version went out meanwhile (a tombstone now), or the store failed.
    if (!swapped.ok)
      return deliver(step, teamAccepted(found.record) ? amendment : replacement, false, mayHaveStored(swapped.error));
  }
  const created = await tryStore(step, 'enqueue', () => enqueue(step.store, amendment));
  if (created.ok && !created.value) {
    const current = await tryStore(step, 'lookup', () => lookup(step.store, key));
    if (current.ok && current.value) return settle(step, data, current.value, answers, undefined, tries - 1);
  }
  const stored = created.ok && created.value;
  return deliver(step, amendment, stored, !stored && (created.ok || mayHaveStored(created.error)));
}

/**
 * A submission the store knows: a retry of it (resume, told where it stands now: `standing` when
 * the caller just learnt it, else as its form reads it), or a change (amend). A change that lost
 * the race to another version tries once more on top of that one; `tries` bounds it.
 */
async function settle<T>(
  step: Step,
  data: T,
  found: Found,
  answers: AnswerDigests | undefined,
  standing?: Admission,
  tries = 1,
): Promise<Outcome> {
  if (tries >= 0 && isAmendment(storedAnswers(found), answers)) return amend(step, data, found, answers!, tries);
  return resume(step, found, standing ?? (await standingOf(step, data)));
}

/**
 * request → parse → honeypot → schema → key → known already? → clock rules → place → allowance
 * → store → one bounded attempt per email → respond. Received means stored, or the team email
 * accepted: the drain sends the rest.
 */
async function submit<T>(request: Request, form: FormSpec<T>, runtime: Runtime): Promise<Outcome> {
  const deadline = requestDeadline(runtime);
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
  const submissionId = submissionIdOf(parsed.fields['submissionId']);
  const hash = fingerprint(form.id, submissionId, values);
  const key = `${form.id}-${hash}`;
  const reference = referenceFrom(form.referencePrefix, hash);
  const spam = spamSignal(parsed.fields);
  if (spam === 'honeypot') {
    // Same answer as a real submission, so a bot learns nothing; nothing is stored or sent.
    logEvent({ form: form.id, outcome: 'spam-ignored', reference });
    return { kind: 'received', reference, queued: false, confirmationSent: true };
  }

  const validation = validate(form.schema, form.fields, values);
  if (!validation.ok) {
    logEvent({ form: form.id, outcome: 'invalid', fields: Object.keys(validation.errors) });
    return { kind: 'invalid', errors: validation.errors };
  }
  const { data } = validation;

  const config = runtimeMail(runtime);
  if (!config.ok) {
    logProblem({
      form: form.id,
      outcome: 'configuration-error',
      reference,
      missing: config.missing,
      note: `Set ${config.missing} in the site's environment variables.`,
    });
    return { kind: 'refused', status: 503, message: unavailable(runtime.settings.teamInbox) };
  }

  const partial = { form: form as FormSpec<unknown>, runtime, key, reference, deadline, mail: config.setup };
  const opened: Step = { ...partial, store: openStore(partial) };

  // The answers, for a form with a submissionId: the same again is a retry, others an amendment.
  const answers = submissionId ? answerDigests(submissionId, values) : undefined;

  // Known already: a retry, also after midnight, a deploy or the window's end; or a change. A key
  // the store has never seen was never withdrawn either: only a known one (or an unreadable store)
  // asks the form for its renewed key, which reads every session's roster.
  let known = await tryStore(opened, 'lookup', () => lookup(opened.store, opened.key));
  let step = opened;
  if (!known.ok || known.value) {
    const renewedStep = await renewed(opened, data);
    if (!renewedStep) return { kind: 'refused', status: 503, message: unavailable(config.setup.teamInbox) };
    if (renewedStep.key !== opened.key) {
      step = renewedStep;
      known = await tryStore(step, 'lookup', () => lookup(step.store, step.key));
    }
  }
  if (known.ok && known.value) return settle(step, data, known.value, answers);

  const refusal = form.check(data, runtime.now);
  // Only the store knows whether this is a retry of a submission that came in time.
  if (refusal && !known.ok) return { kind: 'refused', status: 503, message: unavailable(step.mail.teamInbox) };
  if (refusal) {
    logEvent({ form: form.id, outcome: 'refused-by-rule', reference: step.reference });
    return refused(refusal);
  }

  const ticket = { key: step.key, reference: step.reference, now: runtime.now, mail: config.setup };
  const admitted = await form.admit?.(data, ticket, step.store);
  if (admitted && !('place' in admitted)) return refused(admitted);
  if (admitted?.existing) return alreadyThere(step, { ...admitted, existing: admitted.existing });

  // Too fast is only a doubt: the team gets it marked, the address no copy (and no count).
  const withheld = spam === 'fast' ? FILLED_FAST : await withheldConfirmation(step, data);
  const message = newMessage(step, data, withheld, admitted, { answers });
  const created = await tryStore(step, 'enqueue', () => enqueue(step.store, message));
  if (created.ok && !created.value) {
    // Another request with the same key came first (a double click): it counted the confirmation.
    if (!message.confirmationWithheld) await giveBack(step.store, form.recipient(data), berlinDay(runtime.now));
    // Answer from its record (or amend it).
    const again = await tryStore(step, 'lookup', () => lookup(step.store, step.key));
    if (again.ok && again.value) return settle(step, data, again.value, answers, admitted);
  }
  const stored = created.ok && created.value;
  // Not stored by this request, yet perhaps in the store: a write that failed may have landed, and
  // a message found under the key (which the lookup could not read) is another request's.
  const maybeStored = !stored && (created.ok || mayHaveStored(created.error));
  return deliver(step, message, stored, maybeStored);
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
    ...(runtime.frame && { frame: runtime.frame }),
  });
}
