import { startResendStub, type ResendStub } from './resend-stub.ts';
import { startSite, type RunningSite } from './site.ts';

export interface SiteWithResend {
  readonly site: RunningSite;
  readonly resend: ResendStub;
  stop(): Promise<void>;
}

/**
 * The built site with its functions, whose emails go through the real Resend SDK to a local stub,
 * with the server's clock pinned at `now`.
 */
export async function startSiteWithResend(now: string): Promise<SiteWithResend> {
  const resend = await startResendStub();
  const site = await startSite({
    RESEND_API_KEY: 're_test_key',
    RESEND_BASE_URL: resend.url,
    MAIL_FROM: 'KommA <komma@imap-institut.de>',
    KOMMA_NOW: now,
  });
  return {
    site,
    resend,
    async stop() {
      await site.stop();
      await resend.close();
    },
  };
}
