/**
 * Runs in a child process of the bench (see handler.ts), which hands it the environment a deployed
 * function has: Blobs context, Resend key and base URL, a pinned clock. Imports the deployed module,
 * posts distinct valid applications to its handler one at a time and reports each duration.
 */
import { pathToFileURL } from 'node:url';
import { validApplication } from '../fixtures/applications.ts';

export interface ChildRequest {
  readonly bundleFile: string;
  readonly submissions: number;
  readonly warmup: number;
}

export interface ChildReport {
  readonly durationsMs: number[];
  /** Set when an answer was not "received, both emails sent": then the figures mean nothing. */
  readonly failure?: string;
}

type Handler = (request: Request, context: unknown) => Promise<Response>;

/** The minimal context the function reads: its deploy context. */
const CONTEXT = { deploy: { context: 'dev' } };

/**
 * A new application each time: its own submissionId (so its own reference and record) and its own
 * address, as the pipeline sends at most 3 emails per address and day (a `+tag` counts as the same
 * address, so the number goes into the local part).
 */
function application(index: number): Request {
  const [local, domain] = validApplication.email.split('@');
  const body = { ...validApplication, submissionId: crypto.randomUUID(), email: `${local}.${index}@${domain}` };
  return new Request('http://localhost/api/bewerbung', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Why an answer is not the measured path, or undefined when it is. */
async function offPath(response: Response): Promise<string | undefined> {
  const text = await response.text();
  const body = JSON.parse(text) as { ok?: boolean; queued?: boolean; confirmationSent?: boolean };
  const expected = response.status === 200 && body.ok === true && !body.queued && body.confirmationSent === true;
  return expected ? undefined : `${response.status} ${text}`;
}

async function run(
  handler: Handler,
  count: number,
  firstIndex: number,
  durations: number[],
): Promise<string | undefined> {
  for (let index = firstIndex; index < firstIndex + count; index += 1) {
    const request = application(index);
    const start = performance.now();
    const response = await handler(request, CONTEXT);
    durations.push(performance.now() - start);
    const failure = await offPath(response);
    if (failure) return failure;
  }
  return undefined;
}

process.once('message', async (message) => {
  const { bundleFile, submissions, warmup } = message as ChildRequest;
  const { default: handler } = (await import(pathToFileURL(bundleFile).href)) as { default: Handler };
  // The warm-up fills the JIT and the connection pools; in a store of its own, so that its
  // confirmations do not count against the day's limit of the measured ones.
  process.env['KOMMA_STORE'] = 'komma-bench-warmup';
  const durationsMs: number[] = [];
  let failure = await run(handler, warmup, 0, []);
  if (!failure) {
    process.env['KOMMA_STORE'] = 'komma-bench';
    failure = await run(handler, submissions, warmup, durationsMs);
  }
  const report: ChildReport = failure ? { durationsMs, failure } : { durationsMs };
  // exit() once the report is out: the SDK's and Blobs' keep-alive sockets would hold the process.
  process.send!(report, () => process.exit(0));
});
