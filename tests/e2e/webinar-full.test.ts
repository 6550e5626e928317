import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validRegistration } from '../fixtures/webinar.ts';
import { axeViolations, launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { contentSessions, iso } from '../helpers/content-dates.ts';
import { confirmAnswers, shown } from '../helpers/form-pages.ts';
import { pinnedBuild, type PinnedBuild } from '../helpers/pinned-build.ts';
import { postForm, postJson } from '../helpers/post.ts';
import { fresh, startSiteWithResend, type SiteWithResend } from '../helpers/site-with-resend.ts';

/** A copy of the project whose session still ahead has one place, served with its functions. */
const { ahead, between } = contentSessions;
const FULL = 'ausgebucht – Anmeldung auf die Warteliste';

let build: PinnedBuild;
let running: SiteWithResend;
let chromium: TestBrowser;

beforeAll(async () => {
  build = await pinnedBuild(between, {
    settings: (file) => ({
      ...file,
      webinars: file.webinars.map((entry) => (entry.id === ahead.id ? { ...entry, capacity: 1 } : entry)),
    }),
  });
  [running, chromium] = await Promise.all([startSiteWithResend(iso(between), {}, { cwd: build.dir }), launchBrowser()]);
  // The one place is taken.
  const first = await postJson(
    `${running.site.origin}/api/webinar`,
    fresh({ ...validRegistration, session: ahead.id }),
  );
  expect((await first.json()).waitingList).toBeUndefined();
}, 120_000);
afterAll(async () => {
  await chromium?.close();
  await running?.stop();
  await build?.remove();
});

describe('a full webinar session in Chromium', () => {
  it('is marked „ausgebucht – Anmeldung auf die Warteliste" and registers onto the waiting list', async () => {
    const { context } = await chromium.newContext();
    await context.clock.install({ time: between });
    const page = await context.newPage();
    await page.goto(`${running.site.origin}/webinar/`);
    const session = page.locator(`input[name="session"][value="${ahead.id}"]`);
    await page.waitForFunction((text) => document.body.textContent!.includes(text), FULL);
    expect(await page.locator('.choice', { has: session }).textContent()).toContain(FULL);
    expect(await axeViolations(page), 'full session marked').toEqual([]);

    await session.check();
    const person = fresh(validRegistration);
    for (const name of ['name', 'email', 'organization'] as const) await page.locator(`#${name}`).fill(person[name]);
    await page.clock.fastForward(3000);
    await page.locator('[data-submit]').click();
    await confirmAnswers(page);
    await shown(page, '[data-success]');
    const panel = page.locator('[data-success]');
    expect(await panel.locator('h2').textContent()).toBe(
      'Der Termin ist ausgebucht – Sie stehen auf der Warteliste, Platz 1',
    );
    expect(await panel.locator('[data-waiting-list]:visible').textContent()).toContain('Wird ein Platz frei');
    expect(await axeViolations(page), 'waiting list success').toEqual([]);
    await context.close();
  });

  it('sends a plain form post onto the waiting list to its own thanks page', async () => {
    const registration = fresh(validRegistration);
    const response = await postForm(`${running.site.origin}/api/webinar`, {
      session: ahead.id,
      name: registration.name,
      email: registration.email,
      organization: registration.organization,
    });
    expect(response.status).toBe(303);
    const location = response.headers.get('location')!;
    expect(location).toMatch(/^\/webinar\/danke\/warteliste\/\?ref=W-[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const { context } = await chromium.newContext();
    const page = await context.newPage();
    await page.goto(`${running.site.origin}${location}`);
    expect(await page.locator('h1').textContent()).toBe('Der Termin ist ausgebucht – Sie stehen auf der Warteliste');
    expect(await axeViolations(page), 'waiting list thanks page').toEqual([]);
    await context.close();
  });
});
