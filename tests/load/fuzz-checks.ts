/**
 * The fuzz suite's judgements: of each answer (no 5xx; every refusal in German), and of every email
 * the stub received (none for a refused request; user markup escaped in HTML; no line breaks in
 * headers).
 */
import { unavailable, unconfirmed } from '../../src/submissions/messages.ts';
import type { ReceivedRequest } from '../helpers/resend-stub.ts';
import { ADDRESS, ESCAPED_TAG, RAW_TAG, TOKEN } from './fuzz-forms.ts';

/** One request and its answer. */
export interface Observation {
  readonly n: number;
  readonly family: string;
  readonly method: string;
  readonly hostile: boolean;
  /** 0 when no answer came (the request timed out or the connection failed). */
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
  readonly location: string | null;
}

export type AnswerProblem = 'status5xx' | 'noAnswer' | 'nonGerman' | 'unexpectedStatus' | 'unescapedPage';

/** The statuses the API documents (docs/api.md). */
const DOCUMENTED = new Set([200, 303, 400, 403, 405, 413, 415, 422]);

/**
 * German, as far as a machine can tell from a sentence: one of its common words. Every message the
 * functions write has several; an English or empty one has none. \p{L} instead of \b, which ends
 * words at umlauts.
 */
const GERMAN_WORD =
  /(?<!\p{L})(Sie|Ihre?[mnrs]?|bitte|nicht|der|die|das|und|ist|den|dem|ein|eine[mnrs]?|zu|mit|für|höchstens|Geben|Wählen|Bestätigen|Beschreiben|Anfrage|Formular|Termin|darf|muss)(?!\p{L})/u;

export const looksGerman = (text: unknown): boolean => typeof text === 'string' && GERMAN_WORD.test(text);

const REFERENCE = /\b[BW]-[0-9A-Z]{4}-[0-9A-Z]{4}\b/g;

/** A 4xx JSON body has a German `message`, or `errors` whose every value is German. */
function germanJson(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; errors?: unknown };
    if (parsed.message !== undefined) return looksGerman(parsed.message);
    if (typeof parsed.errors === 'object' && parsed.errors !== null) {
      const messages = Object.values(parsed.errors);
      return messages.length > 0 && messages.every(looksGerman);
    }
    return false;
  } catch {
    return false;
  }
}

export interface Judgement {
  readonly problems: readonly AnswerProblem[];
  /** The reference of an accepted submission (JSON answer or the redirect's ?ref=). */
  readonly reference?: string;
  /**
   * A 503 that says, in its words, that the store did not answer in time: honest for input that
   * passed validation, on a machine busy enough to slow the local Blobs server beyond a request's
   * bound. The suite accepts it only where the functions logged that store failure. "maybe": the
   * answer said the submission may have arrived (its team email may have left).
   */
  readonly storeUnavailable?: 'nothing arrived' | 'maybe';
}

export function judgeAnswer(answer: Observation, teamInbox: string): Judgement {
  const { status, contentType, body } = answer;
  if (status === 0) return { problems: ['noAnswer'] };
  if (status === 503 && body.includes(unavailable(teamInbox)))
    return { problems: [], storeUnavailable: 'nothing arrived' };
  if (status === 503 && body.includes(unconfirmed(teamInbox))) return { problems: [], storeUnavailable: 'maybe' };
  if (status >= 500) return { problems: ['status5xx'] };
  const problems: AnswerProblem[] = [];
  if (!DOCUMENTED.has(status)) problems.push('unexpectedStatus');
  if (contentType.includes('html') && RAW_TAG.test(body)) problems.push('unescapedPage');
  if (status === 303) {
    const reference = answer.location ? new URL(answer.location, 'http://x').searchParams.get('ref') : null;
    return reference ? { problems, reference } : { problems: [...problems, 'unexpectedStatus'] };
  }
  if (status === 200) {
    try {
      const parsed = JSON.parse(body) as { ok?: unknown; reference?: unknown };
      if (parsed.ok === true && typeof parsed.reference === 'string') return { problems, reference: parsed.reference };
    } catch {
      // Fall through: a 200 without its JSON is not what the API promises.
    }
    return { problems: [...problems, 'unexpectedStatus'] };
  }
  // A refusal: the person (or the page script) must be told why, in German. HEAD has no body.
  if (status >= 400 && answer.method !== 'HEAD') {
    const german = contentType.includes('json') ? germanJson(body) : /<html lang="de"/.test(body) && looksGerman(body);
    if (!german) problems.push('nonGerman');
  }
  return { problems };
}

export interface EmailFindings {
  /** Emails for requests that were refused (4xx), or that no accepted (or maybe arrived) request explains. */
  readonly emailsForInvalid: number;
  /** Emails whose HTML shows a marker tag (or a script tag) unescaped. */
  readonly unescaped: number;
  /** Emails whose HTML shows a marker tag escaped: proof that the escaping check saw hostile input. */
  readonly escapedMarkers: number;
  /** Emails with a line break in a header field (subject, from, to, reply_to). */
  readonly headerInjection: number;
  readonly examples: readonly string[];
}

const numbers = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].map((match) => Number(match[1]));

/**
 * `maybeArrived`: the cases answered 503 "may have arrived" (Judgement.storeUnavailable), whose
 * emails may have left all the same.
 */
export function scanEmails(
  emails: readonly ReceivedRequest[],
  answers: ReadonlyMap<number, Observation>,
  acceptedReferences: ReadonlySet<string>,
  maybeArrived: ReadonlySet<number>,
): EmailFindings {
  let emailsForInvalid = 0;
  let unescaped = 0;
  let escapedMarkers = 0;
  let headerInjection = 0;
  const examples: string[] = [];
  const note = (text: string) => examples.length < 8 && examples.push(text);
  for (const { body } of emails) {
    const recipients = [body.to, body.reply_to ?? []].flat().join(' ');
    const text = `${body.subject}\n${body.text ?? ''}\n${recipients}`;
    const cases = new Set([...numbers(text, TOKEN), ...numbers(text, ADDRESS)]);
    const refused = [...cases].filter((n) => {
      const status = answers.get(n)?.status ?? 0;
      return status >= 400 && status < 500;
    });
    const references = text.match(REFERENCE) ?? [];
    const explained = [...cases].some(
      (n) => answers.get(n)?.status === 200 || answers.get(n)?.status === 303 || maybeArrived.has(n),
    );
    if (refused.length > 0) {
      emailsForInvalid += 1;
      note(`email for refused case ${refused[0]} (${answers.get(refused[0]!)?.family}): ${body.subject}`);
    } else if (!explained && !references.some((reference) => acceptedReferences.has(reference))) {
      emailsForInvalid += 1;
      note(`email no accepted request explains: ${body.subject}`);
    }
    const html = body.html ?? '';
    if (RAW_TAG.test(html) || /<script/i.test(html)) {
      unescaped += 1;
      note(`unescaped markup in ${body.subject}: ${html.match(RAW_TAG)?.[0] ?? '<script'}`);
    }
    if (ESCAPED_TAG.test(html)) escapedMarkers += 1;
    if ([body.subject, body.from, recipients].some((header) => /[\r\n]/.test(header))) {
      headerInjection += 1;
      note(`line break in a header of ${JSON.stringify(body.subject)}`);
    }
  }
  return { emailsForInvalid, unescaped, escapedMarkers, headerInjection, examples };
}
