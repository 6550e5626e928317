import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validRegistration } from '../fixtures/webinar.ts';
import { testSessions } from '../fixtures/settings.ts';
import { axeViolations, launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { cancelPathIn, startCancelSite, type CancelSite } from '../helpers/cancel-site.ts';
import { postJson } from '../helpers/post.ts';
import { fresh } from '../helpers/site-with-resend.ts';

/** The cancel link in Chromium: the tests' own settings, one place on 12 March 2030. */
let site: CancelSite;
let chromium: TestBrowser;
let origin: string;

beforeAll(async () => {
  [site, chromium] = await Promise.all([startCancelSite(), launchBrowser()]);
  origin = site.running.site.origin;
}, 120_000);
afterAll(async () => {
  await chromium?.close();
  await site?.stop();
});

const register = async () => {
  const person = fresh({ ...validRegistration, session: testSessions.winter.id });
  const answer = await (await postJson(`${origin}/api/webinar`, person)).json();
  const confirmation = site.running.resend.delivered.find((request) => request.body.to === person.email)!.body;
  return { person, answer, path: cancelPathIn(confirmation) };
};

describe('the cancel link in Chromium', () => {
  it('shows the session and a button, cancels by keyboard, and the first on the waiting list moves up', async () => {
    const holder = await register();
    const waiting = await register();
    expect(waiting.answer.waitingList).toBe(1);
    site.running.resend.reset();

    const { context, requests } = await chromium.newContext({ javaScriptEnabled: true });
    const page = await context.newPage();
    await page.goto(`${origin}${holder.path}`);
    expect(await page.locator('h1').allTextContents()).toEqual(['Anmeldung stornieren']);
    expect(await page.locator('main').textContent()).toContain('Dienstag, 12. März 2030, 14:00–15:00 Uhr');
    expect(await axeViolations(page), 'cancel page').toEqual([]);
    // Opening the link cancelled nothing and sent nothing.
    await site.running.drain();
    expect(site.running.resend.delivered).toEqual([]);

    // Keyboard only: Tab to the button, Enter.
    const button = page.getByRole('button', { name: 'Anmeldung verbindlich stornieren' });
    const focused = () => button.evaluate((element) => element === document.activeElement);
    for (let presses = 0; presses < 10 && !(await focused()); presses += 1) await page.keyboard.press('Tab');
    expect(await focused(), 'the button is in the tab order').toBe(true);
    const answered = page.waitForResponse((response) => response.request().method() === 'POST');
    await page.keyboard.press('Enter');
    expect((await answered).status()).toBe(200);
    await page.locator('h1', { hasText: 'Ihre Anmeldung ist storniert' }).waitFor();
    expect(await page.locator('h1').count()).toBe(1);
    expect(await axeViolations(page), 'cancelled page').toEqual([]);

    await site.running.drain();
    const subjectsTo = (address: string) =>
      site.running.resend.delivered.filter((request) => request.body.to === address).map((r) => r.body.subject);
    expect(subjectsTo(holder.person.email)).toEqual([expect.stringMatching(/^Ihre Anmeldung ist storniert/)]);
    expect(subjectsTo(waiting.person.email)).toEqual([expect.stringMatching(/^Ein Platz ist frei geworden/)]);

    // The link again: already cancelled.
    await page.goto(`${origin}${holder.path}`);
    expect(await page.locator('h1').textContent()).toBe('Ihre Anmeldung ist bereits storniert');
    expect(await axeViolations(page), 'already cancelled page').toEqual([]);
    expect(requests.every((url) => url.startsWith(origin))).toBe(true);
    await context.close();
  });

  it('says a broken link is invalid, accessibly', async () => {
    const { context } = await chromium.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${origin}/webinar/abmelden/?t=abgeschnitten`);
    expect(response!.status()).toBe(404);
    expect(await page.locator('h1').textContent()).toBe('Dieser Link ist ungültig');
    expect(await axeViolations(page), 'invalid link page').toEqual([]);
    await context.close();
  });
});
