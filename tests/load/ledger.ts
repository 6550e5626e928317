/**
 * Counts what the stub delivered per submission and role, by content rather than by idempotency
 * key: a submission's email delivered under two different keys is a duplicate the key would hide.
 * The reference is in every email's text; the team's emails go to the team inbox, confirmations
 * to the sender.
 */
import type { ReceivedRequest } from '../helpers/resend-stub.ts';

export type Role = 'team' | 'confirmation' | 'notice';

export interface Ledger {
  /** Team emails delivered for the submitted references (duplicates included). */
  readonly teamEmails: number;
  readonly confirmations: number;
  /** Notes to the team that a confirmation could not be delivered. */
  readonly notices: number;
  /** Emails beyond the first for the same reference and role. */
  readonly duplicates: number;
  /** Team emails and confirmations that never arrived. */
  readonly lost: number;
  /** Delivered emails that name none of the submitted references. */
  readonly unknown: number;
  /** A few references with a problem, for the progress lines. */
  readonly examples: readonly string[];
}

const REFERENCE = /\b[BW]-[0-9A-Z]{4}-[0-9A-Z]{4}\b/g;
const NOTICE_SUBJECT = /^Bestätigung nicht zugestellt/;

const recipients = (to: string | string[]) => [to].flat().map((address) => address.toLowerCase());

export function roleOf(email: ReceivedRequest, teamInbox: string): Role {
  if (!recipients(email.body.to).includes(teamInbox.toLowerCase())) return 'confirmation';
  return NOTICE_SUBJECT.test(email.body.subject) ? 'notice' : 'team';
}

export function tallyDeliveries(
  delivered: readonly ReceivedRequest[],
  references: readonly string[],
  teamInbox: string,
): Ledger {
  const expected = new Set(references);
  const counts = new Map<string, number>();
  let unknown = 0;
  let notices = 0;
  for (const email of delivered) {
    const named = `${email.body.subject}\n${email.body.text ?? ''}`.match(REFERENCE) ?? [];
    const reference = named.find((candidate) => expected.has(candidate));
    if (!reference) {
      unknown += 1;
      continue;
    }
    const role = roleOf(email, teamInbox);
    if (role === 'notice') notices += 1;
    const key = `${reference} ${role}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let teamEmails = 0;
  let confirmations = 0;
  let duplicates = 0;
  let lost = 0;
  const examples: string[] = [];
  for (const reference of expected) {
    for (const role of ['team', 'confirmation'] as const) {
      const count = counts.get(`${reference} ${role}`) ?? 0;
      if (role === 'team') teamEmails += count;
      else confirmations += count;
      if (count === 0) lost += 1;
      if (count > 1) duplicates += count - 1;
      if (count !== 1 && examples.length < 5) examples.push(`${reference} ${role}: ${count}×`);
    }
  }
  return { teamEmails, confirmations, notices, duplicates, lost, unknown, examples };
}
