import { describe, expect, it } from 'vitest';
import { WITHHELD_NOTE } from '../../src/mail/layout.ts';
import { confirmationNote, unavailable, unconfirmed } from '../../src/submissions/messages.ts';
import type { ReceivedRequest } from '../helpers/resend-stub.ts';
import type { Answer } from '../load/delivery-run.ts';
import { judgeAnswers } from '../load/honesty.ts';
import { applications, referenceOf } from '../load/submissions.ts';

/** The judge of `npm run faults`: a wrong verdict there would hide a lie, so it is tested itself. */
const TEAM = 'postfach@komma-test.example';
const [first, second] = applications(2, 'judge');
const ref = referenceOf(first!);

const email = (to: string, text: string): ReceivedRequest => ({
  headers: {},
  body: { from: 'komma@komma-test.example', to, subject: `Bewerbung ${ref}`, text },
});
const team = (text = '') => email(TEAM, `Referenz ${ref}\n${text}`);
const confirmation = () => email('bewerbung-judge-1@kommune.example', `Referenz ${ref}`);

const answer = (change: Partial<Answer>): Answer => ({
  sent: first!,
  form: 'bewerbung',
  status: 200,
  ms: 1,
  reference: ref,
  confirmationSent: true,
  ...change,
});

describe('the faults suite judges each answer by what arrived', () => {
  it('passes a 200 whose two emails arrived once each, and an honest 503 for which nothing arrived', () => {
    const quiet = { ...answer({ status: 503, message: unavailable(TEAM) }), sent: second! };
    const judged = judgeAnswers([answer({}), quiet], [team(), confirmation()], TEAM);
    expect(judged).toMatchObject({ teamDelivered: 1, lost: 0, duplicates: 0, answeredNot2xxDelivered: 0 });
    expect(judged.failures).toEqual([]);
  });

  it('counts a confirmation the team email says was withheld, and fails one that arrives all the same', () => {
    const withheld = team(`${WITHHELD_NOTE} Die Tageszähler …`);
    expect(judgeAnswers([answer({ confirmationSent: false })], [withheld], TEAM)).toMatchObject({
      withheld: 1,
      lost: 0,
      failures: [],
    });
    const judged = judgeAnswers([answer({ confirmationSent: false })], [withheld, confirmation()], TEAM);
    expect(judged.failures).toEqual([`1× a withheld confirmation arrived: ${ref}`]);
  });

  it('fails a 200 whose confirmation never arrived, unless the answer said none would come', () => {
    expect(judgeAnswers([answer({})], [team()], TEAM)).toMatchObject({ lost: 1 });
    const noConfirmation = confirmationNote('unchecked', 'Ihre Bewerbung ist eingegangen.', TEAM)!;
    const said = answer({ confirmationSent: false, message: noConfirmation });
    expect(judgeAnswers([said], [team()], TEAM)).toMatchObject({ lost: 0, confirmationNotPromised: 1, failures: [] });
  });

  it('fails a 503 that said nothing arrived when its team email did, and passes one that said it could not confirm', () => {
    const lie = judgeAnswers([answer({ status: 503, message: unavailable(TEAM) })], [team()], TEAM);
    expect(lie.answeredNot2xxDelivered).toBe(1);
    expect(lie.failures).toEqual([
      `1× a non-2xx answer whose email arrived did not say it may have arrived: ${ref} 503`,
    ]);
    const honest = judgeAnswers([answer({ status: 503, message: unconfirmed(TEAM) })], [team()], TEAM);
    expect(honest).toMatchObject({ answeredNot2xxDelivered: 1, failures: [] });
  });

  it('counts an email delivered twice as a duplicate, whatever the answer', () => {
    const judged = judgeAnswers([answer({ status: 503, message: unconfirmed(TEAM) })], [team(), team()], TEAM);
    expect(judged.duplicates).toBe(1);
    expect(judged.failures).toHaveLength(1);
  });
});
