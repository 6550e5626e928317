import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONFIRMATIONS_PER_RECIPIENT as LIMIT } from '../../src/delivery/allowance.ts';
import { drain } from '../../src/delivery/drain.ts';
import { resendTransport } from '../../src/mail/resend.ts';
import { parseSettings } from '../../src/settings/parse.ts';
import type { WebinarSession } from '../../src/settings/schema.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import type { Runtime } from '../../src/runtime.ts';
import { webinarForm } from '../../src/submissions/webinar.ts';
import { remindersDue } from '../../src/webinar/access.ts';
import { webinarCancel } from '../../src/webinar/cancel.ts';
import { cancelLinks } from '../../src/webinar/cancel-token.ts';
import { linkVariable, webinarReminders } from '../../src/webinar/reminders.ts';
import { registrations } from '../../src/webinar/roster.ts';
import { berlinDay } from '../../src/time/format.ts';
import { testSettingsFile } from '../fixtures/settings.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import { startBlobs, type TestBlobs } from '../helpers/blobs.ts';
import type { ResendEmailBody } from '../helpers/resend-stub.ts';
import { useStubAndBlobs } from '../helpers/stub-and-blobs.ts';

/**
 * A model-based test of the webinar lifecycle (fast-check commands): random sequences of register,
 * retry, cancel, double cancel, cancel again, reminders run, drain, clock forward and store faults
 * run against the real modules (the pipeline, the cancel page's code, the reminders run, the
 * drain; Netlify's Blobs server, the Resend SDK against the stub) and are checked after every
 * command against a few lines of model: who holds a place, who waits in which order, who was
 * cancelled, and which emails each registration is owed or allowed. Every email to a person counts
 * toward the limit of 3 per address per Berlin day (src/delivery/allowance.ts): the model counts
 * them where no fault can have counted one unseen, and else reads what the team's notes say.
 *
 * Seeded in `npm test`; KOMMA_MODEL_RUNS (and KOMMA_MODEL_SEED) run more, as CI does.
 */

const CAPACITY = 2;
const settings = parseSettings({
  ...testSettingsFile,
  webinars: [{ ...testSettingsFile.webinars[0], capacity: CAPACITY }, testSettingsFile.webinars[1]],
});
const session = settings.webinars[0] as WebinarSession; // Tuesday 12 March 2030, 14:00 Berlin
/** The session an amendment moves a registration to: unlimited, in April, beyond the model's days. */
const other = settings.webinars[1] as WebinarSession;
const START = new Date('2030-03-10T12:00:00+01:00'); // two days before: no reminders due yet
const LAST_QUARTER = new Date('2030-03-12T13:50:00+01:00'); // after the 13:45 reminders run
const LINK = 'https://konferenz.komma-test.example/raum/winter-2030';
const TEAM = settings.teamInbox;
const MAIL_FROM = 'KommA <komma@komma-test.example>';
const env = {
  RESEND_API_KEY: 're_test',
  MAIL_FROM,
  URL: 'https://komma.example',
  WEBINAR_TOKEN_SECRET: 'model-test-secret',
  [linkVariable(session.id)]: LINK,
};
const PEOPLE = 3;
/** One mailbox, two spellings: the same person however they type it. */
const spellings = (person: number) => [`person${person}@musterstadt.de`, `Person${person}+webinar@musterstadt.de`];
/**
 * Longest wait for a store call: generous, so that a busy machine never makes a slow call look
 * like a fault. A hanging call ends its store's time instead (faultyStore()), at once.
 */
const CALL_MS = 10_000;
/** The Blobs client tries a failed request 6 times (5 retries): a 500 fault of 6 requests fails one call. */
const CLIENT_TRIES = 6;

const parts = useStubAndBlobs();

// ---------------------------------------------------------------------------------------------
// The real system, with a store whose next N requests fail

interface Faults {
  kind: 500 | 'hang';
  left: number;
}

interface Real {
  readonly blobs: TestBlobs;
  readonly faults: Faults;
  clock: Date;
}

/**
 * The store over a fetch in front of the Blobs server that fails the next `faults.left` requests:
 * with 500, or with no answer. A request without an answer ends the time of the store it came
 * from, as if its time bound had passed: that call and every later one fail as timeouts (in a
 * request, untilFirstTimeout() does the same), and no test waits for a real timeout.
 */
function faultyStore(real: Real, signal: AbortSignal = never()) {
  const { faults } = real;
  const hung = new AbortController();
  const fetch: typeof globalThis.fetch = async (input, init) => {
    if (faults.left <= 0) return globalThis.fetch(input, init);
    faults.left -= 1;
    if (faults.kind === 500) return new Response(null, { status: 500 });
    hung.abort();
    return Promise.reject(new DOMException('no answer', 'TimeoutError'));
  };
  return real.blobs.storeWith(fetch, { signal: AbortSignal.any([signal, hung.signal]), callMs: CALL_MS });
}

const never = () => new AbortController().signal;

function runtimeOf(real: Real): Runtime {
  return {
    env,
    settings,
    now: real.clock,
    store: (bound) => faultyStore(real, bound.signal),
    transport: resendTransport({ apiKey: 're_test', baseUrl: parts.resend.url }),
    // The request's time never ends by itself here: only the faults decide what fails.
    timer: never,
  };
}

let submissions = 0;
/** A fresh submissionId, as the page makes one per filled-in form (unique across runs). */
const newSubmissionId = () => `00000000-0000-4000-8000-${(submissions += 1).toString(16).padStart(12, '0')}`;

interface Answer {
  readonly status: number;
  readonly body: {
    ok?: boolean;
    reference?: string;
    waitingList?: number;
    message?: string;
    confirmationSent?: boolean;
  };
}

async function post(real: Real, email: string, submissionId: string, to = session.id): Promise<Answer> {
  const request = new Request('https://komma.example/api/webinar', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ ...validRegistration, session: to, name: nameOf(email), email, submissionId }),
  });
  const runtime = runtimeOf(real);
  const response = await handleSubmission(request, webinarForm(settings, cancelLinks(env), env), runtime);
  return { status: response.status, body: await response.json() };
}

const nameOf = (email: string) => `Person ${/\d+/.exec(email)![0]}`;

type CancelKind = 'cancelled' | 'already' | 'over' | 'unavailable' | 'other';

async function cancelPost(real: Real, token: string): Promise<{ status: number; kind: CancelKind; html: string }> {
  const request = new Request('https://komma.example/webinar/abmelden/', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://komma.example' },
    body: new URLSearchParams({ t: token }).toString(),
  });
  const response = await webinarCancel(request, runtimeOf(real));
  const html = await response.text();
  const kind: CancelKind = html.includes('<h1>Ihre Anmeldung ist storniert</h1>')
    ? 'cancelled'
    : html.includes('<h1>Ihre Anmeldung ist bereits storniert</h1>')
      ? 'already'
      : response.status === 410
        ? 'over'
        : response.status === 503
          ? 'unavailable'
          : 'other';
  return { status: response.status, kind, html };
}

const sendPending = (real: Real) =>
  drain({
    store: faultyStore(real),
    transport: resendTransport({ apiKey: 're_test', baseUrl: parts.resend.url }),
    team: { to: TEAM, from: MAIL_FROM },
    // Later than any backoff of a failed run (at most an hour): everything queued is due.
    now: new Date(real.clock.getTime() + 2 * 60 * 60_000),
    clock: () => 0,
    sleep: async () => {},
  });

// ---------------------------------------------------------------------------------------------
// The model

interface Registration {
  readonly reference: string;
  readonly person: number;
  /** The confirmation was withheld, as the answer said (the per-address limit, counters down). */
  withheld: boolean;
  /** It was told „Warteliste" when it registered. */
  toldWaiting: boolean;
  /** The access link belongs in its confirmation: a place given when reminders were due. */
  linkInConfirmation: boolean;
  cancelled: boolean;
  /** An amendment moved it to the other session: it left this one (no cancellation email). */
  left?: boolean;
  /** The amendment reached the person's copy of the first version: they get „Änderung eingegangen“. */
  amendedOwed?: boolean;
  movedUp: boolean;
  /**
   * Its cancellation, or moving up, was followed up by a run that met no fault (the cancel request,
   * or a reminders run that settles cancellations): its emails must arrive.
   */
  cancellationOwed?: boolean;
  movedUpOwed?: boolean;
  /** Whether its moved-up email carries the access link; unknown where a fault left it to a later run. */
  movedUpWithLink?: boolean;
  /** Moved up in a run that met a fault: its moved-up email may be queued (and counted) already. */
  movedUpMaybeQueued?: boolean;
  /** Whether the limit withholds its cancellation, or moved-up, email: undefined where the model cannot tell. */
  cancellationWithheld?: boolean;
  movedUpWithheld?: boolean;
}

interface Model {
  clock: Date;
  /** Every registration, in the order they were made: that order alone decides the places. */
  readonly order: Registration[];
  /** Each person's last submission: what a retry sends again, and the registration it made. */
  readonly last: Map<number, { submissionId: string; email: string; to?: string; made?: Registration }>;
  /** Held a place in a reminders run while reminders were due (and was not cancelled before it went out). */
  readonly reminderAllowed: Set<string>;
  /** The same, from runs that met no fault: these must arrive. */
  readonly reminderOwed: Set<string>;
  /** Reminders a run that met a fault may have queued (and counted). */
  readonly reminderMaybe: Set<string>;
  /** Emails counted toward each person's limit, per Berlin day (`<person> <day>`). */
  readonly counted: Map<string, number>;
  /** Person-days on which a fault may have counted an email the model did not see. */
  readonly loose: Set<string>;
  /** Every Berlin day the clock has shown. */
  readonly days: Set<string>;
  /** A store fault was armed in this run (amendments are tried only before). */
  faulted: boolean;
}

const active = (model: Model) => model.order.filter((registration) => !registration.cancelled && !registration.left);
function holdsPlace(model: Model, registration: Registration) {
  const index = active(model).indexOf(registration);
  return index >= 0 && index < CAPACITY;
}
const activeOf = (model: Model, person: number) => active(model).find((r) => r.person === person);
const started = (model: Model) => model.clock >= session.start;
/** Its waiting-list place now, or undefined for a place. */
function waitingPlace(model: Model, registration: Registration): number | undefined {
  const position = active(model).indexOf(registration) + 1;
  return position > CAPACITY ? position - CAPACITY : undefined;
}

const personDay = (model: Model, person: number) => `${person} ${berlinDay(model.clock)}`;

/** A command that met a fault may have counted an email to anyone today: the model stops counting. */
function loosen(model: Model, person?: number) {
  for (let p = 0; p < PEOPLE; p += 1) if (person === undefined || p === person) model.loose.add(personDay(model, p));
}

/**
 * Counts one more email to `person` today, if the limit leaves room: true when it goes out, false
 * when the limit withholds it, undefined when a fault today leaves the model unsure.
 */
function allowance(model: Model, person: number): boolean | undefined {
  const day = personDay(model, person);
  if (model.loose.has(day)) return undefined;
  const count = model.counted.get(day) ?? 0;
  if (count >= LIMIT) return false;
  model.counted.set(day, count + 1);
  return true;
}

/** The limit's answer for an email that a run with a fault may have queued already: unsure. */
function allowanceOnce(model: Model, person: number, maybeQueued: boolean): boolean | undefined {
  if (!maybeQueued) return allowance(model, person);
  loosen(model, person);
  return undefined;
}

/**
 * After a cancellation: whoever holds a place now but was told to wait has moved up, once. A
 * follow-up without faults (`settled`) queues the moved-up emails of all who moved up so far.
 */
function moveUp(model: Model, settled: boolean) {
  for (const registration of active(model)) {
    if (registration.toldWaiting && holdsPlace(model, registration)) {
      registration.toldWaiting = false;
      registration.movedUp = true;
      if (settled) registration.movedUpWithLink = remindersDue(session, model.clock);
      else registration.movedUpMaybeQueued = true;
    }
  }
  if (!settled) return;
  for (const registration of model.order) {
    if (!registration.movedUp || registration.movedUpOwed) continue;
    registration.movedUpOwed = true;
    const allowed = allowanceOnce(model, registration.person, registration.movedUpMaybeQueued === true);
    if (allowed !== undefined) registration.movedUpWithheld = !allowed;
  }
}

// ---------------------------------------------------------------------------------------------
// What the stub received, read back

type Kind = 'confirmation' | 'waiting' | 'amended' | 'cancellation' | 'moved-up' | 'reminder' | 'team';

interface Received {
  readonly kind: Kind;
  readonly reference: string;
  readonly body: ResendEmailBody;
}

const REFERENCE = /W-[0-9A-Z]{4}-[0-9A-Z]{4}/;

function classify(body: ResendEmailBody): Received {
  const to = Array.isArray(body.to) ? body.to[0]! : body.to;
  const kind: Kind =
    to === TEAM
      ? 'team'
      : body.subject.startsWith('Änderung eingegangen')
        ? 'amended'
        : body.subject.startsWith('Ihre Anmeldung zum')
          ? 'confirmation'
          : body.subject.startsWith('Warteliste')
            ? 'waiting'
            : body.subject.startsWith('Ihre Anmeldung ist storniert')
              ? 'cancellation'
              : body.subject.startsWith('Ein Platz ist frei')
                ? 'moved-up'
                : body.subject.startsWith('Erinnerung')
                  ? 'reminder'
                  : (() => {
                      throw new Error(`An email nobody expects: ${body.subject}`);
                    })();
  const reference = REFERENCE.exec(kind === 'reminder' || kind === 'team' ? body.text! : body.subject)?.[0] ?? '';
  return { kind, reference, body };
}

const received = () => parts.resend.delivered.map((request) => classify(request.body));

/** The person's cancel link, from any email they got (confirmation, moved-up, reminder). */
function tokenOf(reference: string): string | undefined {
  for (const email of received()) {
    if (email.kind === 'team' || email.reference !== reference) continue;
    const token = /\/webinar\/abmelden\/\?t=([\w.-]+)/.exec(email.body.text ?? '')?.[1];
    if (token) return token;
  }
  return undefined;
}

/**
 * Whether the team's note on a registration's cancellation or moving up says the person's email
 * was withheld; undefined while no such note arrived.
 */
function noteWithheld(emails: readonly Received[], kind: 'cancellation' | 'moved-up', reference: string) {
  const subject = kind === 'cancellation' ? 'Abmeldung' : 'Nachgerückt';
  const note = emails.find(
    (email) =>
      email.kind === 'team' && email.body.subject.startsWith(subject) && email.body.subject.includes(reference),
  );
  return note && note.body.text!.includes('Hinweis: Die E-Mail an die Person wurde nicht verschickt.');
}

/** The checks after every command: places, answers (in the commands), emails. */
async function verify(model: Model, real: Real, drained: { faultFree: boolean } | undefined) {
  // Places: exactly the model's order, never more confirmed than the capacity.
  const stored = await registrations(real.blobs.store, session);
  expect(stored.map((entry) => `${entry.reference} ${entry.status} ${entry.place}`)).toEqual(
    active(model).map((registration, index) =>
      index < CAPACITY
        ? `${registration.reference} confirmed ${index + 1}`
        : `${registration.reference} waiting ${index + 1 - CAPACITY}`,
    ),
  );
  expect(stored.filter((entry) => entry.status === 'confirmed').length).toBeLessThanOrEqual(CAPACITY);

  // Emails: each at most once, and only what the model allows.
  const emails = received();
  const personal = emails.filter((email) => email.kind !== 'team');
  const seen = personal.map((email) => `${email.kind === 'waiting' ? 'confirmation' : email.kind} ${email.reference}`);
  expect(seen.length, `an email twice: ${seen.join(', ')}`).toBe(new Set(seen).size);
  const byReference = new Map(model.order.map((registration) => [registration.reference, registration]));
  for (const email of personal) {
    const registration = byReference.get(email.reference);
    expect(registration, `${email.kind} for ${email.reference}, which the model does not know`).toBeDefined();
    const { withheld, toldWaiting, movedUp, cancelled, linkInConfirmation } = registration!;
    switch (email.kind) {
      case 'confirmation':
      case 'waiting':
        expect(withheld).toBe(false);
        expect(email.body.text!.includes(LINK)).toBe(linkInConfirmation);
        if (linkInConfirmation) reached.add('access link in a confirmation');
        break;
      case 'amended':
        expect(registration!.left && registration!.amendedOwed !== false).toBe(true);
        expect(email.body.text).not.toContain(LINK);
        reached.add('session switch');
        break;
      case 'cancellation':
        expect(cancelled).toBe(true);
        expect(registration!.cancellationWithheld, `cancellation for ${email.reference}`).not.toBe(true);
        break;
      case 'moved-up':
        expect(movedUp && !toldWaiting).toBe(true);
        expect(registration!.movedUpWithheld, `moved-up email for ${email.reference}`).not.toBe(true);
        const { movedUpWithLink } = registration!;
        if (movedUpWithLink !== undefined) expect(email.body.text!.includes(LINK)).toBe(movedUpWithLink);
        reached.add('moved-up email');
        break;
      case 'reminder':
        expect(model.reminderAllowed.has(email.reference), `reminder for ${email.reference}`).toBe(true);
        // Only where the confirmation or the moved-up email reached the address.
        expect(
          !withheld || (movedUp && registration!.movedUpWithheld !== true),
          `reminder for ${email.reference}`,
        ).toBe(true);
        expect(email.body.text).toContain(LINK);
        reached.add('reminder');
        break;
    }
  }
  // The limit, however the faults fell: at most 3 emails to a person on each day the clock showed.
  for (let person = 0; person < PEOPLE; person += 1) {
    const mine = personal.filter((email) => byReference.get(email.reference)!.person === person);
    expect(mine.length, `emails to person ${person}`).toBeLessThanOrEqual(LIMIT * model.days.size);
  }
  // The team's notes say when the limit withheld a person's email: then it never arrives, and the
  // model, where it can count, agrees.
  const seenSet = new Set(seen);
  for (const registration of model.order) {
    for (const [kind, predicted] of [
      ['cancellation', registration.cancellationWithheld],
      ['moved-up', registration.movedUpWithheld],
    ] as const) {
      const withheld = noteWithheld(emails, kind, registration.reference);
      if (withheld === undefined) continue;
      if (withheld) {
        expect(seenSet.has(`${kind} ${registration.reference}`), `${kind} for ${registration.reference}`).toBe(false);
        reached.add('cancellation or moved-up email withheld');
      }
      if (predicted !== undefined) expect(withheld, `${kind} of ${registration.reference} withheld`).toBe(predicted);
    }
  }
  if (!drained?.faultFree) return;
  // After a drain that met no fault, nothing owed is missing: a 2xx answer was stored or sent.
  const got = new Set(
    emails.map((email) => `${email.kind === 'waiting' ? 'confirmation' : email.kind} ${email.reference}`),
  );
  const team = emails.filter((email) => email.kind === 'team');
  for (const registration of model.order) {
    const { reference } = registration;
    expect(
      team.some((email) => email.body.text!.includes(`Vorgangsnummer: ${reference}`)),
      `team email for ${reference}`,
    ).toBe(true);
    if (!registration.withheld) expect(got.has(`confirmation ${reference}`), `confirmation ${reference}`).toBe(true);
    if (registration.amendedOwed) expect(got.has(`amended ${reference}`), `amended ${reference}`).toBe(true);
    // Owed: the person's email arrived, or the team's note says why not.
    if (registration.cancellationOwed) {
      const note = noteWithheld(emails, 'cancellation', reference);
      expect(note, `team note on the cancellation ${reference}`).toBeDefined();
      expect(got.has(`cancellation ${reference}`), `cancellation ${reference}`).toBe(!note);
    }
    if (registration.movedUpOwed) {
      const note = noteWithheld(emails, 'moved-up', reference);
      expect(note, `team note on the moving up ${reference}`).toBeDefined();
      expect(got.has(`moved-up ${reference}`), `moved-up ${reference}`).toBe(!note);
    }
    if (model.reminderOwed.has(reference)) expect(got.has(`reminder ${reference}`), `reminder ${reference}`).toBe(true);
  }
}

/**
 * What the runs reached, so that a generator that never reaches a case fails the test instead of
 * passing it by not trying: each of these must happen in some run.
 */
const REACHED = [
  'waiting list',
  'already registered',
  'registered again after cancelling',
  'moved-up email',
  'reminder',
  'access link in a confirmation',
  'double click',
  'cancel again',
  'honest 503',
  'confirmation withheld',
  'cancellation or moved-up email withheld',
  'session switch',
] as const;
const reached = new Set<(typeof REACHED)[number]>();

/** Faults armed when a command starts: its answers may be honest failures. */
const faulted = (real: Real) => real.faults.left > 0;

// ---------------------------------------------------------------------------------------------
// The commands

type Command = fc.AsyncCommand<Model, Real, false>;

/** A new registration, or the person's answer „bereits angemeldet", as the model says. */
function expectRegistration(model: Model, person: number, answer: Answer, fault: boolean): Registration | undefined {
  if (fault) loosen(model, person);
  if (fault && answer.status === 503) {
    reached.add('honest 503');
    return undefined; // honest: nothing stored, nothing sent
  }
  if (started(model)) {
    expect(answer.status).toBe(422);
    return undefined;
  }
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const existing = activeOf(model, person);
  if (existing) {
    expect(answer.body.reference).toBe(existing.reference);
    expect(answer.body.message).toContain('Sie sind bereits angemeldet');
    expect(answer.body.confirmationSent).toBe(false);
    reached.add('already registered');
    expect(answer.body.waitingList).toBe(waitingPlace(model, existing));
    return undefined;
  }
  expect(model.order.map((registration) => registration.reference)).not.toContain(answer.body.reference);
  const waiting = active(model).length >= CAPACITY;
  const withheld = /keine weitere Bestätigung|diesmal nicht/.test(answer.body.message ?? '');
  const allowed = allowance(model, person);
  if (allowed !== undefined) expect(withheld, `confirmation withheld: ${answer.body.message}`).toBe(!allowed);
  if (withheld) reached.add('confirmation withheld');
  const registration: Registration = {
    reference: answer.body.reference!,
    person,
    withheld,
    toldWaiting: waiting,
    linkInConfirmation: !waiting && remindersDue(session, model.clock),
    cancelled: false,
    movedUp: false,
  };
  if (model.order.some((earlier) => earlier.person === person)) reached.add('registered again after cancelling');
  model.order.push(registration);
  expect(answer.body.waitingList).toBe(waitingPlace(model, registration));
  if (waiting) reached.add('waiting list');
  return registration;
}

class Register implements Command {
  constructor(
    readonly person: number,
    readonly spelling: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const fault = faulted(real);
    const email = spellings(this.person)[this.spelling]!;
    const submissionId = newSubmissionId();
    const answer = await post(real, email, submissionId);
    const made = expectRegistration(model, this.person, answer, fault);
    model.last.set(this.person, { submissionId, email, ...(made && { made }) });
    await verify(model, real, undefined);
  }
  toString = () => `register(${this.person}, ${spellings(this.person)[this.spelling]})`;
}

/** The same submission again: the page after a lost answer, a double click. */
class Retry implements Command {
  constructor(readonly person: number) {}
  check = (model: Readonly<Model>) => model.last.has(this.person);
  async run(model: Model, real: Real) {
    const fault = faulted(real);
    const last = model.last.get(this.person)!;
    const answer = await post(real, last.email, last.submissionId, last.to);
    if (fault) loosen(model, this.person);
    if (fault && answer.status === 503) return verify(model, real, undefined);
    if (last.made && !last.made.cancelled) {
      // Its own registration: the same reference, and where it stands now („Platz" once moved up).
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(answer.body.reference).toBe(last.made.reference);
      expect(answer.body.waitingList).toBe(waitingPlace(model, last.made));
    } else {
      // Cancelled since, or never made: registering again.
      const made = expectRegistration(model, this.person, answer, fault);
      if (made) model.last.set(this.person, { ...last, made });
    }
    await verify(model, real, undefined);
  }
  toString = () => `retry(${this.person})`;
}

/** The cancel button's POST, repeated after an honest 503 as the page asks; `twice`: a double click. */
class Cancel implements Command {
  constructor(
    readonly person: number,
    readonly twice: boolean,
  ) {}
  check = (model: Readonly<Model>) => activeOf(model as Model, this.person) !== undefined;
  async run(model: Model, real: Real) {
    const registration = activeOf(model, this.person)!;
    const token = tokenOf(registration.reference);
    if (!token) return; // no email with the link reached the person (withheld): nothing to click
    const fault = faulted(real);
    const clicks = await Promise.all(Array.from({ length: this.twice ? 2 : 1 }, () => cancelPost(real, token)));
    if (started(model)) {
      for (const click of clicks) expect(click.kind).toBe('over');
      return verify(model, real, undefined);
    }
    let kinds = clicks.map((click) => click.kind);
    for (let attempt = 0; kinds.every((kind) => kind === 'unavailable') && attempt < 8; attempt += 1) {
      expect(fault, 'a 503 without a store fault').toBe(true);
      kinds = [(await cancelPost(real, token)).kind];
    }
    for (const click of clicks) if (click.kind !== 'unavailable') expect(click.html).toContain(registration.reference);
    if (fault) {
      expect(kinds.filter((kind) => kind !== 'unavailable').length).toBeGreaterThan(0);
      for (const kind of kinds) expect(['cancelled', 'already', 'unavailable']).toContain(kind);
    } else {
      // Never „nicht gefunden": one click cancels, a second one hears „bereits storniert".
      expect(kinds.sort()).toEqual(this.twice ? ['already', 'cancelled'] : ['cancelled']);
      if (this.twice) reached.add('double click');
    }
    markCancelled(model, registration, !fault);
    await verify(model, real, undefined);
  }
  toString = () => `cancel(${this.person}${this.twice ? ', double click' : ''})`;
}

function markCancelled(model: Model, registration: Registration, settled: boolean) {
  registration.cancelled = true;
  if (settled) {
    registration.cancellationOwed = true;
    const allowed = allowance(model, registration.person);
    if (allowed !== undefined) registration.cancellationWithheld = !allowed;
  } else loosen(model);
  const reminded = received().some((email) => email.kind === 'reminder' && email.reference === registration.reference);
  if (!reminded) {
    model.reminderAllowed.delete(registration.reference);
    model.reminderOwed.delete(registration.reference);
  }
  moveUp(model, settled);
}

/** The cancel link of a cancelled registration, used once more: „bereits storniert". */
class CancelAgain implements Command {
  constructor(readonly person: number) {}
  check = (model: Readonly<Model>) => model.order.some((r) => r.person === this.person && r.cancelled);
  async run(model: Model, real: Real) {
    const registration = model.order.find((r) => r.person === this.person && r.cancelled)!;
    const token = tokenOf(registration.reference);
    if (!token) return;
    const fault = faulted(real);
    const { kind } = await cancelPost(real, token);
    // A cancel page whose store fails may finish an earlier cancellation's follow-up: unsure.
    if (fault) loosen(model);
    if (fault && kind === 'unavailable') return verify(model, real, undefined);
    expect(kind).toBe(started(model) ? 'over' : 'already');
    reached.add('cancel again');
    // It finishes what a cancellation with a fault left undone, as a reminders run would.
    if (!fault && !started(model)) settleCancellations(model);
    await verify(model, real, undefined);
  }
  toString = () => `cancelAgain(${this.person})`;
}

/**
 * The person's last registration again under its submissionId, for the other session: an
 * amendment that moves it (the same reference), frees its place here and moves the waiting list
 * up, without a cancellation email. Tried only in runs without store faults so far, where the
 * model knows whether the first version's emails went out (then the person gets „Änderung
 * eingegangen“) or are still queued (then the new version replaces them).
 */
class Amend implements Command {
  constructor(readonly person: number) {}
  check = (model: Readonly<Model>) => {
    const made = model.last.get(this.person)?.made;
    return !model.faulted && made !== undefined && !made.cancelled && !made.left;
  };
  async run(model: Model, real: Real) {
    if (started(model)) return;
    const last = model.last.get(this.person)!;
    const registration = last.made!;
    const answer = await post(real, last.email, last.submissionId, other.id);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.reference).toBe(registration.reference);
    expect(answer.body.waitingList).toBeUndefined();
    const there = await registrations(real.blobs.store, other);
    expect(there.map((entry) => entry.reference)).toContain(registration.reference);
    registration.left = true;
    const reminded = received().some(
      (email) => email.kind === 'reminder' && email.reference === registration.reference,
    );
    if (!reminded) {
      model.reminderAllowed.delete(registration.reference);
      model.reminderOwed.delete(registration.reference);
    }
    moveUp(model, true);
    // The new version's copy counts like a confirmation.
    const withheld = /keine weitere Bestätigung|diesmal nicht/.test(answer.body.message ?? '');
    const allowed = allowance(model, this.person);
    if (allowed !== undefined) expect(withheld, `amendment copy withheld: ${answer.body.message}`).toBe(!allowed);
    // The first version reached the team (the drain sends the team's email first): the team gets
    // the changes, the person a copy saying the change arrived.
    const delivered = received().some(
      (email) =>
        email.kind === 'team' &&
        !/^(Abmeldung|Nachgerückt)/.test(email.body.subject) &&
        email.body.text!.includes(`Vorgangsnummer: ${registration.reference}`),
    );
    if (delivered) registration.amendedOwed = !withheld;
    else {
      // Still queued: the new version replaces the first, its confirmation for the other session.
      registration.withheld = withheld;
      registration.linkInConfirmation = false;
    }
    model.last.set(this.person, { ...last, to: other.id });
    await verify(model, real, undefined);
  }
  toString = () => `amend(${this.person}, to ${other.id})`;
}

/** What a run without faults does for cancellations whose follow-up a fault left undone. */
function settleCancellations(model: Model) {
  for (const registration of model.order) {
    if (!registration.cancelled || registration.cancellationOwed) continue;
    registration.cancellationOwed = true;
    allowanceOnce(model, registration.person, true);
  }
  moveUp(model, true);
}

/**
 * A reminders run meets a registration with a place: its reminder, once, unless neither its
 * confirmation nor a moved-up email reached the address, and within the day's limit (a later run
 * tries again).
 */
function remind(model: Model, registration: Registration, settled: boolean) {
  const { reference } = registration;
  if (model.reminderOwed.has(reference)) return;
  const told = !registration.withheld || (registration.movedUp && registration.movedUpWithheld !== true);
  if (!told) return;
  if (!settled || model.reminderMaybe.has(reference)) {
    model.reminderAllowed.add(reference);
    model.reminderMaybe.add(reference);
    loosen(model, registration.person);
    return;
  }
  // Told only by a moved-up email whose fate the model does not know: the run may or may not remind.
  if (registration.withheld && registration.movedUpWithheld === undefined) {
    model.reminderAllowed.add(reference);
    model.reminderMaybe.add(reference);
    loosen(model, registration.person);
    return;
  }
  const allowed = allowance(model, registration.person);
  // Over the limit: no reminder now, a later run tries again.
  if (allowed === false) return;
  model.reminderAllowed.add(reference);
  if (allowed) model.reminderOwed.add(reference);
  else model.reminderMaybe.add(reference);
}

/** The scheduled reminders run. */
class Remind implements Command {
  check = () => true;
  async run(model: Model, real: Real) {
    const fault = faulted(real);
    const response = await webinarReminders(runtimeOf(real));
    if (!fault) expect(response.status).toBe(200);
    const settled = !fault && response.status === 200;
    if (!settled) loosen(model);
    // The run settles every cancellation first: their emails and the moving up.
    if (settled && !started(model)) settleCancellations(model);
    if (remindersDue(session, model.clock)) {
      for (const registration of active(model).slice(0, CAPACITY)) remind(model, registration, settled);
    }
    await verify(model, real, undefined);
  }
  toString = () => 'remind';
}

/** The scheduled drain: the stub receives what is queued. */
class Drain implements Command {
  check = () => true;
  async run(model: Model, real: Real) {
    const fault = faulted(real);
    await sendPending(real).catch((error: unknown) => {
      expect(fault, String(error)).toBe(true);
    });
    await verify(model, real, { faultFree: !fault });
  }
  toString = () => 'drain';
}

class ClockForward implements Command {
  constructor(readonly step: 'hour' | 'day' | 'last quarter') {}
  check = () => true;
  async run(model: Model, real: Real) {
    const next =
      this.step === 'last quarter' && model.clock < LAST_QUARTER
        ? LAST_QUARTER
        : new Date(model.clock.getTime() + (this.step === 'day' ? 24 : 1) * 60 * 60_000);
    model.clock = real.clock = next;
    model.days.add(berlinDay(next));
    await verify(model, real, undefined);
  }
  toString = () => `clock +${this.step}`;
}

/** The next N store requests fail: 500 (the client tries each call 6 times) or no answer. */
class StoreFault implements Command {
  constructor(
    readonly kind: 500 | 'hang',
    readonly calls: number,
  ) {}
  check = () => true;
  async run(model: Model, real: Real) {
    model.faulted = true;
    real.faults.kind = this.kind;
    real.faults.left = this.kind === 500 ? this.calls * CLIENT_TRIES : this.calls;
  }
  toString = () => `storeFault(${this.kind} × ${this.calls} calls)`;
}

const person = fc.integer({ min: 0, max: PEOPLE - 1 });
const register = fc.tuple(person, fc.integer({ min: 0, max: 1 })).map(([p, s]) => new Register(p, s));
const cancel = fc.tuple(person, fc.boolean()).map(([p, twice]) => new Cancel(p, twice));
/** Registrations and cancellations weigh most: the places and the waiting list are what is tested. */
const commands = fc.commands<Model, Real, false>(
  [
    register,
    register,
    register,
    register,
    person.map((p) => new Retry(p)),
    person.map((p) => new Retry(p)),
    cancel,
    cancel,
    cancel,
    person.map((p) => new CancelAgain(p)),
    person.map((p) => new Amend(p)),
    fc.constant(new Remind()),
    fc.constant(new Drain()),
    fc.constant(new Drain()),
    fc.constantFrom('hour', 'day', 'last quarter').map((step) => new ClockForward(step as ClockForward['step'])),
    fc
      .tuple(fc.constantFrom(500 as const, 'hang' as const), fc.integer({ min: 1, max: 3 }))
      .map(([kind, calls]) => new StoreFault(kind, calls)),
  ],
  { maxCommands: 40, size: 'medium' },
);

/** A fresh store and an empty stub for `use`. */
async function withSystem(use: (real: Real) => Promise<void>) {
  const blobs = await startBlobs();
  parts.resend.reset();
  try {
    await use({ blobs, faults: { kind: 500, left: 0 }, clock: START });
  } finally {
    await blobs.stop();
  }
}

/** One model run on a fresh system. */
function modelRun(cmds: Iterable<Command>) {
  return withSystem(async (real) => {
    const model: Model = {
      clock: START,
      order: [],
      last: new Map(),
      reminderAllowed: new Set(),
      reminderOwed: new Set(),
      reminderMaybe: new Set(),
      counted: new Map(),
      loose: new Set(),
      days: new Set([berlinDay(START)]),
      faulted: false,
    };
    await fc.asyncModelRun(() => ({ model, real }), cmds);
    // The end of every run: the store heals, and after a drain nothing owed is missing.
    real.faults.left = 0;
    await new Drain().run(model, real);
  });
}

const RUNS = Number(process.env['KOMMA_MODEL_RUNS'] ?? 25);
const SEED = Number(process.env['KOMMA_MODEL_SEED'] ?? 16);

describe('the webinar lifecycle against its model', () => {
  it(
    `holds for ${RUNS} random command sequences (seed ${SEED})`,
    async () => {
      await fc.assert(
        fc.asyncProperty(commands, (cmds) => modelRun(cmds)),
        { numRuns: RUNS, seed: SEED },
      );
      expect([...reached].sort()).toEqual([...REACHED].sort());
    },
    RUNS * 4000,
  );
});

describe('the holes the model found, as fixed command sequences', () => {
  it('gives the same mailbox, however spelled, its registration again: same reference, „bereits angemeldet“, same waiting-list place', () =>
    modelRun([
      new Register(0, 0),
      new Register(1, 0),
      new Register(2, 0),
      new Register(2, 1),
      new Register(0, 1),
      new Drain(),
    ]));

  it('makes registering again after cancelling a new registration with a new reference, also as a retry of the cancelled one', () =>
    modelRun([
      new Register(0, 0),
      new Cancel(0, false),
      new Register(0, 1),
      new Cancel(0, false),
      new Retry(0),
      new Drain(),
    ]));

  it('tells a person who moved up „Platz“ on a retry, before and after the drain', () =>
    modelRun([
      new Register(0, 0),
      new Register(1, 0),
      new Register(2, 0),
      new Cancel(0, false),
      new Retry(2),
      new Drain(),
      new Retry(2),
    ]));

  it('puts the access link into a confirmation or moved-up email after the last reminders run before the start', () =>
    modelRun([
      new Register(0, 0),
      new Register(1, 0),
      new Register(2, 0),
      new ClockForward('last quarter'),
      new Cancel(1, false),
      new Register(1, 1),
      new Drain(),
    ]));

  it('answers a second cancel POST, also a double click, with „bereits storniert“, never „nicht gefunden“', () =>
    modelRun([new Register(0, 0), new Cancel(0, true), new CancelAgain(0), new Drain()]));

  it('sends reminders only to people with a place: not to one who cancelled after the run, not to the waiting list', () =>
    modelRun([
      new Register(0, 0),
      new Register(1, 0),
      new Register(2, 0),
      new ClockForward('day'),
      new Remind(),
      new Cancel(0, false),
      new Drain(),
      new Remind(),
      new Drain(),
    ]));

  it('counts every email toward 3 a day: a reminder over the limit waits for the next day’s run', () =>
    modelRun([
      new ClockForward('day'),
      new Register(0, 0),
      new Cancel(0, false),
      new Register(0, 1),
      new Drain(),
      // Confirmation, cancellation, confirmation: this run reminds nobody.
      new Remind(),
      new Drain(),
      new ClockForward('day'),
      new Remind(),
      new Drain(),
    ]));

  it('counts the emails of a double click on „Stornieren“ once: the moved-up person still gets the reminder that day', () =>
    modelRun([
      new Register(2, 0),
      new ClockForward('day'),
      new Register(0, 0),
      new Remind(),
      new Register(1, 0),
      new Cancel(0, true),
      new Remind(),
      new Drain(),
    ]));

  it('moves a registration to another session under the same submissionId: same reference, its place to the waiting list, the queued confirmation replaced', () =>
    modelRun([new Register(0, 0), new Register(1, 0), new Register(2, 0), new Amend(0), new Retry(0), new Drain()]));

  it('tells the person whose first version went out that the change arrived, and moves the waiting list up', () =>
    modelRun([
      new Register(0, 0),
      new Register(1, 0),
      new Register(2, 0),
      new Drain(),
      new Amend(1),
      new Drain(),
      new Register(1, 1),
      new Drain(),
    ]));

  it('moves the registration made after cancelling, not the cancelled one, when its submission names another session', () =>
    modelRun([new Register(1, 0), new Cancel(1, false), new Retry(1), new Amend(1), new Drain()]));

  it('keeps a registration where it is when it would move to a session the same person holds already', () =>
    withSystem(async (real) => {
      const id = newSubmissionId();
      const first = await post(real, 'person7@musterstadt.de', id);
      const there = await post(real, 'Person7+2@musterstadt.de', newSubmissionId(), other.id);
      const move = await post(real, 'person7@musterstadt.de', id, other.id);
      expect(move.status).toBe(200);
      expect(move.body.reference).toBe(there.body.reference);
      expect(move.body.message).toContain('Sie sind bereits angemeldet');
      expect((await registrations(real.blobs.store, session)).map((entry) => entry.reference)).toEqual([
        first.body.reference,
      ]);
      expect((await registrations(real.blobs.store, other)).map((entry) => entry.reference)).toEqual([
        there.body.reference,
      ]);
    }));

  it('answers a retry after the start honestly while the store hangs: 503, not „Termin hat begonnen“', () =>
    modelRun([
      new ClockForward('last quarter'),
      new Register(0, 0),
      new StoreFault('hang', 1),
      new ClockForward('hour'),
      new Retry(0),
    ]));

  it('makes the same answers sent again without JavaScript a retry, but after cancelling a new registration', () =>
    withSystem(async (real) => {
      const form = new URLSearchParams({ ...validRegistration, session: session.id, email: 'kim@musterstadt.de' });
      const send = async () => {
        const request = new Request('https://komma.example/api/webinar', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        });
        const response = await handleSubmission(request, webinarForm(settings, cancelLinks(env), env), runtimeOf(real));
        expect(response.status).toBe(303);
        return new URL(response.headers.get('location')!, 'https://komma.example').searchParams.get('ref')!;
      };
      const first = await send();
      expect(await send()).toBe(first);
      expect((await cancelPost(real, tokenOf(first)!)).kind).toBe('cancelled');
      const second = await send();
      expect(second).not.toBe(first);
      expect(await send()).toBe(second);
      expect((await cancelPost(real, tokenOf(second)!)).kind).toBe('cancelled');
      expect(await send()).not.toBe(second);
      const stored = await registrations(real.blobs.store, session);
      expect(stored.map((entry) => entry.reference)).toEqual([
        expect.not.stringMatching(new RegExp(`${first}|${second}`)),
      ]);
    }));
});
