/**
 * Judges each answer of the faults suite by what its sender and the team would notice: what the
 * answer said against the emails that arrived for its submission.
 *
 * - 2xx: the team email arrived exactly once, and the confirmation too, unless the team email says
 *   it was withheld (then it never arrives, and the answer did not claim it was sent) or the answer
 *   itself said none would come (a message the request could not store: nothing sends it later);
 * - anything else: at most one email per role; and if any arrived, the answer said it could not
 *   confirm the submission (messages.ts `unconfirmed`), never that nothing arrived.
 */
import { confirmationNote, unconfirmed } from '../../src/submissions/messages.ts';
import type { Answer } from './delivery-run.ts';
import { arrivals, arrivalsOf } from './ledger.ts';
import type { ReceivedRequest } from '../helpers/resend-stub.ts';
import { referenceOf } from './submissions.ts';

export interface Honesty {
  /** 2xx answers whose team email arrived exactly once. */
  readonly teamDelivered: number;
  /** 2xx answers whose team email says the confirmation was withheld. */
  readonly withheld: number;
  /** 2xx answers that said no confirmation would come, the team email saying nothing of it. */
  readonly confirmationNotPromised: number;
  /** Emails a 2xx promised that never arrived. */
  readonly lost: number;
  /** Emails beyond the first for the same submission and role, whatever the answer. */
  readonly duplicates: number;
  /** Non-2xx answers for which an email arrived all the same ("maybe delivered"). */
  readonly answeredNot2xxDelivered: number;
  /** Delivered emails that name no submission of the run. */
  readonly unknown: number;
  /** Each broken promise, in words (a few of each kind). */
  readonly failures: readonly string[];
}

const is2xx = (status: number) => status >= 200 && status < 300;

export function judgeAnswers(
  answers: readonly Answer[],
  delivered: readonly ReceivedRequest[],
  teamInbox: string,
): Honesty {
  const noConfirmation = confirmationNote('unchecked', '', teamInbox)!.trim();
  const expected = answers.map((answer) => referenceOf(answer.sent));
  const { byReference, unknown } = arrivals(delivered, expected, teamInbox);
  const problems = new Map<string, string[]>();
  const note = (kind: string, example: string) => problems.set(kind, [...(problems.get(kind) ?? []), example]);
  let teamDelivered = 0;
  let withheld = 0;
  let confirmationNotPromised = 0;
  let lost = 0;
  let duplicates = 0;
  let answeredNot2xxDelivered = 0;

  for (const [index, answer] of answers.entries()) {
    const reference = expected[index]!;
    const got = arrivalsOf(byReference, reference);
    duplicates += Math.max(0, got.team - 1) + Math.max(0, got.confirmation - 1);
    if (got.team > 1 || got.confirmation > 1)
      note('duplicate emails', `${reference} ${answer.status}: team ${got.team}×, confirmation ${got.confirmation}×`);

    if (!is2xx(answer.status)) {
      if (got.team + got.confirmation === 0) continue;
      answeredNot2xxDelivered += 1;
      if (answer.message !== unconfirmed(teamInbox))
        note('a non-2xx answer whose email arrived did not say it may have arrived', `${reference} ${answer.status}`);
      continue;
    }

    if (answer.reference !== reference)
      note('a 2xx answer named another reference', `${reference}: ${answer.reference}`);
    if (got.team === 0) {
      lost += 1;
      note('a 2xx answer whose team email never arrived', reference);
    } else teamDelivered += 1;
    if (got.withheld) {
      withheld += 1;
      if (got.confirmation > 0) note('a withheld confirmation arrived', reference);
      if (answer.confirmationSent) note('a 2xx answer said a withheld confirmation was sent', reference);
    } else if (!answer.confirmationSent && answer.message?.endsWith(noConfirmation)) {
      confirmationNotPromised += 1;
    } else if (got.confirmation === 0) {
      lost += 1;
      note('a 2xx answer whose confirmation never arrived (and was not withheld)', reference);
    }
  }
  if (unknown > 0) note('emails name no submission of the run', `${unknown}`);

  const failures = [...problems].map(
    ([kind, examples]) => `${examples.length}× ${kind}: ${examples.slice(0, 5).join('; ')}`,
  );
  return {
    teamDelivered,
    withheld,
    confirmationNotPromised,
    lost,
    duplicates,
    answeredNot2xxDelivered,
    unknown,
    failures,
  };
}
