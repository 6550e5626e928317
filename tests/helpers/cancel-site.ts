import { testSessions, testSettingsFile } from '../fixtures/settings.ts';
import { iso } from './content-dates.ts';
import { pinnedBuild, type PinnedBuild } from './pinned-build.ts';
import type { ResendEmailBody } from './resend-stub.ts';
import { startSiteWithResend, type SiteWithResend } from './site-with-resend.ts';

/** The secret of the cancel links in the tests' sites. */
export const TEST_TOKEN_SECRET = 'test-webinar-token-secret';

export interface CancelSite {
  readonly build: PinnedBuild;
  readonly running: SiteWithResend;
  stop(): Promise<void>;
}

/**
 * The tests' own settings (tests/fixtures/settings.ts) with one place in the winter session
 * (Tuesday 12 March 2030, 14:00–15:00), built and served with the functions at 5 March 2030,
 * with a cancel-link secret. A copy of the project, so the real content stays out of it.
 */
export async function startCancelSite(): Promise<CancelSite> {
  const [winter, summer] = testSettingsFile.webinars;
  const build = await pinnedBuild(testSessions.beforeBoth, {
    settings: () => ({ ...testSettingsFile, webinars: [{ ...winter, capacity: 1 }, { ...summer }] }),
  });
  const running = await startSiteWithResend(
    iso(testSessions.beforeBoth),
    { WEBINAR_TOKEN_SECRET: TEST_TOKEN_SECRET },
    { cwd: build.dir },
  );
  return {
    build,
    running,
    async stop() {
      await running.stop();
      await build.remove();
    },
  };
}

/** The cancel page's path with the token, as the confirmation's text links it (on another host). */
export function cancelPathIn(email: ResendEmailBody): string {
  const match = /https?:\/\/\S+(\/webinar\/abmelden\/\?t=[\w.-]+)/.exec(email.text ?? '');
  if (!match) throw new Error(`no cancel link in „${email.subject}"`);
  return match[1]!;
}
