/**
 * Counts what the stub delivered per submission and role, by content rather than by idempotency
 * key: a submission's email delivered under two different keys is a duplicate the key would hide.
 * The reference is in every email's text; the team's emails go to the team inbox, confirmations
 * to the sender.
 */
import { WITHHELD_NOTE } from '../../src/mail/layout.ts';
import type { ReceivedRequest } from '../helpers/resend-stub.ts';

export type Role = 'team' | 'confirmation' | 'notice';

/** What arrived for one reference. */
export interface Arrivals {
  readonly team: number;
  readonly confirmation: number;
  /** Notes to the team that a confirmation could not be delivered. */
  readonly notice: number;
  /** A team email for it says that no confirmation went to the sender (src/mail/layout.ts). */
  readonly withheld: boolean;
}

export interface Ledger {
  /** Team emails delivered for the submitted references (duplicates included). */
  readonly teamEmails: number;
  readonly confirmations: number;
  /** Notes to the team that a confirmation could not be delivered. */
  readonly notices: number;
  /** Emails beyond the first for the same reference and role. */
  readonly duplicates: number;
  /** Team emails and confirmations that never arrived, but confirmations the team email says were withheld. */
  readonly lost: number;
  /** Confirmations the team email says were withheld (a day counter full, or unreadable). */
  readonly withheld: number;
  /** Delivered emails that name none of the submitted references. */
  readonly unknown: number;
  /** A few references with a problem, for the progress lines. */
  readonly examples: readonly string[];
}

const REFERENCE = /\b[BW]-[0-9A-Z]{4}-[0-9A-Z]{4}\b/g;
const NOTICE_SUBJECT = /^Bestätigung nicht zugestellt/;
const NONE: Arrivals = { team: 0, confirmation: 0, notice: 0, withheld: false };

const recipients = (to: string | string[]) => [to].flat().map((address) => address.toLowerCase());

export function roleOf(email: ReceivedRequest, teamInbox: string): Role {
  if (!recipients(email.body.to).includes(teamInbox.toLowerCase())) return 'confirmation';
  return NOTICE_SUBJECT.test(email.body.subject) ? 'notice' : 'team';
}

/**
 * What arrived for each of `references`, and how many delivered emails named none of them. An
 * email counts for the first of the references it names.
 */
export function arrivals(
  delivered: readonly ReceivedRequest[],
  references: Iterable<string>,
  teamInbox: string,
): { readonly byReference: ReadonlyMap<string, Arrivals>; readonly unknown: number } {
  const expected = new Set(references);
  const byReference = new Map<string, Arrivals>();
  let unknown = 0;
  for (const email of delivered) {
    const text = email.body.text ?? '';
    const named = `${email.body.subject}\n${text}`.match(REFERENCE) ?? [];
    const reference = named.find((candidate) => expected.has(candidate));
    if (!reference) {
      unknown += 1;
      continue;
    }
    const role = roleOf(email, teamInbox);
    const known = byReference.get(reference) ?? NONE;
    byReference.set(reference, {
      ...known,
      [role]: known[role] + 1,
      withheld: known.withheld || (role === 'team' && text.includes(WITHHELD_NOTE)),
    });
  }
  return { byReference, unknown };
}

/** What arrived for `reference`: nothing, if it is not in the map. */
export const arrivalsOf = (byReference: ReadonlyMap<string, Arrivals>, reference: string): Arrivals =>
  byReference.get(reference) ?? NONE;

/** The plain count, for runs where every submission was received. */
export function tallyDeliveries(
  delivered: readonly ReceivedRequest[],
  references: readonly string[],
  teamInbox: string,
): Ledger {
  const { byReference, unknown } = arrivals(delivered, references, teamInbox);
  let teamEmails = 0;
  let confirmations = 0;
  let notices = 0;
  let duplicates = 0;
  let lost = 0;
  let withheld = 0;
  const examples: string[] = [];
  for (const reference of new Set(references)) {
    const got = arrivalsOf(byReference, reference);
    notices += got.notice;
    if (got.withheld) withheld += 1;
    for (const role of ['team', 'confirmation'] as const) {
      const count = got[role];
      const owed = role === 'team' || !got.withheld;
      if (role === 'team') teamEmails += count;
      else confirmations += count;
      if (count === 0 && owed) lost += 1;
      if (count > 1) duplicates += count - 1;
      if ((count > 1 || (count === 0 && owed)) && examples.length < 5) examples.push(`${reference} ${role}: ${count}×`);
    }
  }
  return { teamEmails, confirmations, notices, duplicates, lost, withheld, unknown, examples };
}
