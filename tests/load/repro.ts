/**
 * Regression checks for two defects the suites brought up (both fixed; .ci/run runs them). Each
 * exits non-zero when its defect is back (same contract as the suites: progress, one JSON line).
 *
 *   node --experimental-strip-types tests/load/repro.ts --case allowance-burst
 *   node --experimental-strip-types tests/load/repro.ts --case double-submit
 *
 * allowance-burst: the daily limit of confirmations (`confirmationsPerDay`, docs/delivery.md "Limits: no relay for
 *   strangers' mailboxes") must hold when submissions arrive together. It once did not: one counter
 *   for the day lost the race under a burst, and a failed count let the confirmation out. With a
 *   limit of its own (--limit, in place of the content's 200: the race is at the limit, and a
 *   smaller one costs a third of the time), sends --limit + --over applications on one day,
 *   --concurrency in flight, and expects no more than --limit confirmations.
 * double-submit: the same submission sent --copies times at once (a double click, a retry). A copy
 *   that looked the key up before the first request stored it once created the record again after
 *   the first had completed. Expects one stored submission per reference and, after the drain, each
 *   email sent exactly once.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { settings } from '../../src/settings/index.ts';
import { progress, readOptions, runSuite, type Verdict } from './cli.ts';
import { contentClock } from './clocks.ts';
import { submitInWaves } from './delivery-run.ts';
import { withHarness } from '../helpers/harness.ts';
import { TEST_REQUEST_BUDGET } from '../helpers/request-budget.ts';
import { tallyDeliveries } from './ledger.ts';
import { applications } from './submissions.ts';

const SUITE = 'repro';
/** Requests per second the stub allows, as the load suite's default. */
const STUB_RATE = 50;
/** Command-line options: read inside runSuite, so that a wrong one still ends in a JSON line. */
const OPTIONS = {
  case: { default: 'allowance-burst', help: 'allowance-burst or double-submit' },
  limit: { default: 60, help: 'allowance-burst: the day’s limit of confirmations' },
  over: { default: 40, help: 'allowance-burst: submissions beyond the day’s limit' },
  copies: { default: 3, help: 'double-submit: copies of each submission sent at once' },
  count: { default: 60, help: 'double-submit: distinct submissions' },
  concurrency: { default: 50, help: 'requests in flight at once' },
} as const;

await runSuite(SUITE, async (): Promise<Verdict> => {
  const options = readOptions(SUITE, OPTIONS);
  const clock = contentClock();
  const day = clock.applicationDays[0]!;
  const limit = options.limit;
  const say = (line: string) => progress(SUITE, line);
  const logDirectory = await mkdtemp(join(tmpdir(), 'komma-repro-'));
  const logFile = join(logDirectory, 'functions.log');
  try {
    // The stub answers with Resend's rate-limit headers, as the load suite's does, so that the drain
    // paces by them instead of its cautious 2 per second without: the checks are about counts.
    // The tests' request budget, not the deployed 1.8 s: these are checks of counting under a
    // crowd, not of speed. On a machine shared with other work (CI runs them beside `npm test`), the
    // real budget turned most of the burst into honest 503s, and the limit was never reached.
    const env = TEST_REQUEST_BUDGET;
    return await withHarness(
      {
        now: day,
        // Only the burst has a limit of its own: double-submit's copies stay far below the content's.
        settings: options.case === 'allowance-burst' ? { ...settings, confirmationsPerDay: limit } : settings,
        env,
        logFile,
        stub: { ratePerSecond: STUB_RATE },
      },
      async (harness) => {
        const submit = (list: ReturnType<typeof applications>) =>
          submitInWaves(harness, [{ now: day, applications: list, registrations: [] }], {
            concurrency: options.concurrency,
            deadlineMs: 5 * 60_000,
          });
        if (options.case === 'allowance-burst') {
          const submissions = applications(limit + options.over, 'burst');
          say(
            `${submissions.length} applications on ${day.toISOString()}, limit ${limit}, ${options.concurrency} in flight`,
          );
          const answers = await submit(submissions);
          await harness.drainUntilEmpty({ maxRuns: 20, maxMs: 120_000, moveClock: false });
          const references = answers.flatMap((answer) => (answer.reference ? [answer.reference] : []));
          const { confirmations, teamEmails } = tallyDeliveries(harness.stub.delivered, references, settings.teamInbox);
          const failedChecks = (await readFile(logFile, 'utf8'))
            .split('\n')
            .filter((line) => line.includes('"during":"allowance"')).length;
          return {
            result: {
              case: options.case,
              submitted: submissions.length,
              limit,
              teamEmails,
              confirmations,
              failedChecks,
            },
            failures: [
              ...(confirmations > limit ? [`${confirmations} confirmations on one day, limit ${limit}`] : []),
              // No more team emails than the limit: the burst never passed it, and the check proved
              // nothing. (Fewer confirmations than the limit can be right: a request that counted one
              // and then could not store or send gives none, never one too many.)
              ...(teamEmails <= limit
                ? [`only ${teamEmails} submissions arrived: the burst did not pass the limit`]
                : []),
            ],
          };
        }
        if (options.case === 'double-submit') {
          const copies = applications(options.count, 'double').flatMap((submission) =>
            Array.from({ length: options.copies }, () => submission),
          );
          say(`${options.count} submissions, each ${options.copies} times at once, ${options.concurrency} in flight`);
          const answers = await submit(copies);
          const stored = new Map<string, number>();
          for (const line of (await readFile(logFile, 'utf8')).split('\n')) {
            const event = line ? (JSON.parse(line) as { outcome?: string; reference?: string; stored?: boolean }) : {};
            // "received"/"queued" end the path of a new submission; a recognised copy logs "repeated".
            // A copy whose store timed out may still be answered by the team email's acceptance
            // (stored: false): that is an answer, not a second record.
            const created = (event.outcome === 'received' || event.outcome === 'queued') && event.stored === true;
            if (created && event.reference) {
              stored.set(event.reference, (stored.get(event.reference) ?? 0) + 1);
            }
          }
          const storedAgain = [...stored.values()].filter((count) => count > 1).length;
          // What the requests left queued (the stub's rate limit) goes out too: each email exactly once.
          await harness.drainUntilEmpty({ maxRuns: 20, maxMs: 120_000, moveClock: false });
          const references = [...new Set(answers.flatMap((answer) => (answer.reference ? [answer.reference] : [])))];
          const ledger = tallyDeliveries(harness.stub.delivered, references, settings.teamInbox);
          return {
            result: {
              case: options.case,
              requests: answers.length,
              references: references.length,
              storedAgain,
              providerCallsForKnownKeys: harness.stub.stats.replays,
              delivered: harness.stub.delivered.length,
              duplicates: ledger.duplicates,
              lost: ledger.lost,
              withheld: ledger.withheld,
            },
            failures: [
              ...(storedAgain > 0
                ? [`${storedAgain} submissions were stored and sent again by a concurrent copy`]
                : []),
              ...(references.length < options.count
                ? [`only ${references.length} of ${options.count} submissions were answered with a reference`]
                : []),
              ...(ledger.duplicates > 0 || ledger.lost > 0
                ? [`${ledger.duplicates} emails sent twice, ${ledger.lost} never sent: ${ledger.examples.join('; ')}`]
                : []),
            ],
          };
        }
        throw new Error(`--case: unknown ${options.case}`);
      },
    );
  } finally {
    await rm(logDirectory, { recursive: true, force: true });
  }
});
