import { randomUUID } from 'node:crypto';
import type { DrainReport } from '../../src/delivery/drain.ts';
import type { ResendStub } from './resend-stub.ts';
import type { RunningSite } from './site.ts';
import { startTestSite } from './test-site.ts';

export interface SiteWithResend {
  readonly site: RunningSite;
  readonly resend: ResendStub;
  /** Runs the scheduled function deliver-pending once, as Netlify's scheduler would. */
  drain(): Promise<DrainReport>;
  stop(): Promise<void>;
}

/**
 * The built site with its functions (tests/helpers/test-site.ts), whose emails go through the real
 * Resend SDK to a local stub, with the functions' clock pinned at `now` and a delivery store of its
 * own, so that test files never see each other's submissions. `cwd`: the project of another build
 * to serve, e.g. a pinnedBuild's, whose settings the functions then read.
 */
export async function startSiteWithResend(
  now: string,
  env: Record<string, string> = {},
  options: { cwd?: string } = {},
): Promise<SiteWithResend> {
  const site = await startTestSite({
    now: new Date(now),
    env: { MAIL_FROM: 'KommA <komma@imap-institut.de>', ...env },
    ...(options.cwd !== undefined && { projectDir: options.cwd }),
  });
  return { site, resend: site.resend, drain: () => site.drain(), stop: () => site.stop() };
}

let sequence = 0;

/**
 * A submission as the page script sends it for a new filled-in form: its own submissionId, and its
 * own address (a dot, not a `+tag`: tags count as one mailbox), so that the per-address allowance of three confirmations a day never decides a test
 * that is not about it.
 */
export function fresh<T extends { email: string }>(submission: T): T & { submissionId: string } {
  sequence += 1;
  const [local, domain] = submission.email.split('@');
  return { ...submission, email: `${local}.${sequence}@${domain}`, submissionId: randomUUID() };
}
