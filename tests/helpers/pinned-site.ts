import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { launchBrowser, type TestBrowser } from './browser.ts';
import { iso } from './content-dates.ts';
import { pinnedBuild, type PinnedBuild } from './pinned-build.ts';
import { startSiteWithResend, type SiteWithResend } from './site-with-resend.ts';

export interface PinnedSite {
  readonly build: PinnedBuild;
  readonly running: SiteWithResend;
  readonly chromium: TestBrowser;
}

/**
 * A test file's site as built and served at `now`, with Chromium: the pages state what is true
 * then, whatever the day the tests run. Registers the file's hooks: start before all tests, a reset
 * stub and closed `contexts` before each, everything stopped after all. `started` receives the parts.
 */
export function usePinnedSite(now: Date, contexts: BrowserContext[], started: (site: PinnedSite) => void): void {
  let site: PinnedSite | undefined;
  beforeAll(async () => {
    const [build, chromium] = await Promise.all([pinnedBuild(now), launchBrowser()]);
    const running = await startSiteWithResend(iso(now), {}, { cwd: build.dir });
    site = { build, running, chromium };
    started(site);
  });
  afterAll(async () => {
    await site?.chromium.close();
    await site?.running.stop();
    await site?.build.remove();
  });
  beforeEach(async () => {
    site?.running.resend.reset();
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });
}
