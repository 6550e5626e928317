import { randomUUID } from 'node:crypto';
import type { DrainReport } from '../../src/delivery/drain.ts';
import { triggerDrain } from '../../src/server/trigger-drain.ts';
import { startResendStub, type ResendStub } from './resend-stub.ts';
import { startSite, type RunningSite } from './site.ts';

export interface SiteWithResend {
  /** The running server; a new one after restartAt(). */
  readonly site: RunningSite;
  readonly resend: ResendStub;
  /** Stops the server and starts it again on the same store and stub, with the clock at `now`. */
  restartAt(now: string): Promise<void>;
  /** Runs the scheduled function deliver-pending once, as Netlify's scheduler would. */
  drain(): Promise<DrainReport>;
  stop(): Promise<void>;
}

/**
 * The built site with its functions, whose emails go through the real Resend SDK to a local stub,
 * with the server's clock pinned at `now` and a delivery store of its own (Netlify Blobs, emulated
 * by @netlify/dev), so that test files never see each other's submissions. `cwd`: another copy of
 * the project to serve, e.g. a pinnedBuild's.
 */
export async function startSiteWithResend(
  now: string,
  env: Record<string, string> = {},
  options: { cwd?: string } = {},
): Promise<SiteWithResend> {
  const resend = await startResendStub();
  const store = `test-${randomUUID()}`;
  const start = (at: string) =>
    startSite(
      {
        RESEND_API_KEY: 're_test_key',
        RESEND_BASE_URL: resend.url,
        MAIL_FROM: 'KommA <komma@imap-institut.de>',
        KOMMA_STORE: store,
        ...env,
        KOMMA_NOW: at,
      },
      options,
    );
  let site = await start(now);
  return {
    get site() {
      return site;
    },
    resend,
    async restartAt(at) {
      await site.stop();
      site = await start(at);
    },
    async drain() {
      const { status, report } = await triggerDrain(site.origin);
      if (status !== 200) throw new Error(`deliver-pending answered ${status}: ${JSON.stringify(report)}`);
      return report as DrainReport;
    },
    async stop() {
      await site.stop();
      await resend.close();
    },
  };
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
