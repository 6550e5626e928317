import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formatDate } from '../../src/time/format.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import { axeViolations, launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { contentSessions, iso } from '../helpers/content-dates.ts';
import { pinnedBuild, type PinnedBuild } from '../helpers/pinned-build.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { fresh, startSiteWithResend, type SiteWithResend } from '../helpers/site-with-resend.ts';
import type { RunningSite } from '../helpers/site.ts';

let build: PinnedBuild;
let running: SiteWithResend;
let resend: ResendStub;
let site: RunningSite;
let chromium: TestBrowser;

/** The content's sessions: the first has started at `between`, the second (validRegistration's) is ahead. */
const { past, ahead, between, all } = contentSessions;
/** The sessions the page still offers at `between`, in order: the second and any later ones. */
const offeredAtBetween = all.filter((session) => session.start > between).map((session) => session.id);
/** When the page the tests load was built: an hour before the first session, which it still lists. */
const builtAt = new Date(past.start.getTime() - 3_600_000);

beforeAll(async () => {
  [build, chromium] = await Promise.all([pinnedBuild(builtAt), launchBrowser()]);
  // The server's clock and the browser's (below) both stand between the first two sessions.
  running = await startSiteWithResend(iso(between), {}, { cwd: build.dir });
  ({ site, resend } = running);
});
afterAll(async () => {
  await chromium?.close();
  await running?.stop();
  await build?.remove();
});
beforeEach(() => resend.reset());

/**
 * A deployed page carries no <html data-now> (production ignores a pinned clock), so its scripts
 * judge by the browser's clock. The pinned build writes one: dropped here, so that the page is the
 * one a build at `builtAt` deploys, and each test's browser clock decides what it offers.
 */
async function asDeployed(context: BrowserContext): Promise<void> {
  await context.route(/\/webinar\/$/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, body: (await response.text()).replace(/ data-now="[^"]*"/, '') });
  });
}

/** The webinar page, built at `builtAt`, in a fresh context whose clock reads `time`. */
async function openForm(time: Date = between, options: BrowserContextOptions = {}) {
  const { context } = await chromium.newContext(options);
  await asDeployed(context);
  await context.clock.install({ time });
  const page = await context.newPage();
  await page.goto(`${site.origin}/webinar/`);
  return { context, page };
}

/**
 * The focused element: its id, „submit" for the submit button, „confirm" for „Verbindlich absenden",
 * otherwise its tag name (A for a link).
 */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement!;
    if (element.hasAttribute('data-submit')) return 'submit';
    return element.hasAttribute('data-confirm') ? 'confirm' : element.id || element.tagName;
  });

/** Presses Tab and checks where focus lands: the keyboard alone must reach every control in order. */
async function tabTo(page: Page, id: string): Promise<void> {
  await page.keyboard.press('Tab');
  expect(await focused(page)).toBe(id);
}

/** The session radios the page offers, by value. */
const offeredSessions = (page: Page) =>
  page
    .locator('input[name="session"]')
    .evaluateAll((radios) => radios.map((radio) => (radio as HTMLInputElement).value));

describe('webinar registration in Chromium', () => {
  it('registers by keyboard alone and shows the reference in a focused success panel', async () => {
    const { context, page } = await openForm();
    expect(await offeredSessions(page)).toEqual(offeredAtBetween);
    expect(await axeViolations(page), 'form').toEqual([]);

    // Skip link, into the main content, past the team inbox in the intro, then the fields in form order.
    await tabTo(page, 'A');
    await page.keyboard.press('Enter');
    await tabTo(page, 'A');
    await tabTo(page, 'session');
    await page.keyboard.press('Space');
    for (const name of ['name', 'email', 'organization', 'role', 'questions'] as const) {
      await tabTo(page, name);
      await page.keyboard.type(validRegistration[name]);
    }
    await tabTo(page, 'A'); // the link to the privacy policy
    await tabTo(page, 'submit');
    // A person takes longer than the 2 s below which the server takes a form for a machine's.
    await page.clock.fastForward(3000);
    await page.keyboard.press('Enter');

    // „Ihre Angaben prüfen“: the heading has focus, then one „Ändern“ link per answer, then the button.
    await page.locator('[data-check-answers]').waitFor({ state: 'visible' });
    expect(await focused(page)).toBe('check-answers-title');
    for (let answer = 0; answer < 6; answer += 1) await tabTo(page, 'A');
    await tabTo(page, 'confirm');
    await page.keyboard.press('Enter');

    const panel = page.locator('[data-success]');
    await panel.waitFor({ state: 'visible' });
    expect(await panel.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await panel.locator('[data-reference]').textContent()).toMatch(/^W-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await page.locator('form[data-form]').isHidden()).toBe(true);
    // Space checked the first session still offered.
    expect(resend.delivered.map((request) => request.body.subject)).toEqual([
      `Webinar-Anmeldung ${formatDate(ahead.start)}: Kim Beispiel, Stadt Musterstadt`,
      expect.stringContaining(`Ihre Anmeldung zum KommA-Webinar am ${formatDate(ahead.start)}`),
    ]);
    expect(await axeViolations(page), 'success view').toEqual([]);
    await context.close();
  });

  it('focuses an error summary whose links lead to the fields when the form is sent empty', async () => {
    const { context, page } = await openForm();
    await page.locator('[data-submit]').click();

    const summary = page.locator('[data-error-summary]');
    await summary.waitFor({ state: 'visible' });
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    const links = await summary
      .locator('a')
      .evaluateAll((anchors) => anchors.map((anchor) => [anchor.getAttribute('href'), anchor.textContent]));
    expect(links).toEqual([
      ['#session', 'Wählen Sie einen Termin aus.'],
      ['#name', 'Geben Sie Ihren Vor- und Nachnamen an.'],
      ['#email', 'Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.'],
      ['#organization', 'Geben Sie Ihre Kommune oder Organisation an.'],
    ]);
    expect(await page.title()).toMatch(/^Fehler: /);
    expect(await axeViolations(page), 'errors shown').toEqual([]);

    // The first session was withdrawn; its id went to the session still offered.
    await summary.locator('a[href="#session"]').click();
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe(ahead.id);
    expect(resend.requests).toHaveLength(0);
    await context.close();
  });

  it('returns to the form with the error summary when the server refuses the session on „Verbindlich absenden“', async () => {
    // The page was loaded before the first session started; the server's clock is past its start.
    const { context, page } = await openForm(builtAt);
    await page.locator(`input[name="session"][value="${past.id}"]`).check();
    for (const name of ['name', 'email', 'organization'] as const) {
      await page.locator(`#${name}`).fill(validRegistration[name]);
    }
    await page.clock.fastForward(3000);
    await page.locator('[data-submit]').click();
    await page.locator('[data-check-answers]').waitFor({ state: 'visible' });
    await page.locator('[data-confirm]').click();

    const summary = page.locator('[data-error-summary]');
    await summary.waitFor({ state: 'visible' });
    expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
    expect(await page.locator('form[data-form]').isVisible()).toBe(true);
    expect(await page.locator('[data-check-answers]').isHidden()).toBe(true);
    expect(await summary.locator('a').evaluateAll((anchors) => anchors.map((anchor) => anchor.textContent))).toEqual([
      'Dieser Termin hat bereits begonnen oder ist vorbei. Bitte wählen Sie einen anderen Termin.',
    ]);
    expect(await page.inputValue('#name')).toBe(validRegistration.name);
    expect(await axeViolations(page), 'refused by the server').toEqual([]);
    expect(resend.requests).toHaveLength(0);
    await context.close();
  });

  it('registers without JavaScript through the thank-you page, which shows the reference, and says so when the same person registers again', async () => {
    // A person of its own: the keyboard test registered validRegistration's address for this session,
    // and the same mailbox again is that registration („bereits angemeldet“), not a new one.
    const person = fresh(validRegistration);
    const { context } = await chromium.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.origin}/webinar/`);
    await page.locator(`input[name="session"][value="${ahead.id}"]`).check();
    for (const name of ['name', 'email', 'organization', 'role', 'questions'] as const) {
      await page.locator(`#${name}`).fill(person[name]);
    }
    await page.locator('[data-submit]').click();
    await page.waitForURL(/\/webinar\/danke\/\?ref=W-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await page.locator('h1').textContent()).toBe('Vielen Dank – Sie sind angemeldet');
    const reference = new URL(page.url()).searchParams.get('ref')!;
    expect(await page.locator('[data-reference-line]').innerText()).toBe(`Ihre Vorgangsnummer: ${reference}`);
    expect(resend.delivered).toHaveLength(2);
    expect(resend.delivered[1]!.body.subject).toContain(reference);

    // The same person again, the address in capitals and another question (the same answers again
    // would be a retry of the first): the registration they have, on a page that says so; nothing sent.
    const again = { ...person, email: person.email.toUpperCase(), questions: 'Gibt es eine Aufzeichnung?' };
    await page.goto(`${site.origin}/webinar/`);
    await page.locator(`input[name="session"][value="${ahead.id}"]`).check();
    for (const name of ['name', 'email', 'organization', 'role', 'questions'] as const) {
      await page.locator(`#${name}`).fill(again[name]);
    }
    await page.locator('[data-submit]').click();
    await page.waitForURL(/\/webinar\/danke\/bereits\/\?ref=/);
    expect(await page.locator('h1').textContent()).toBe('Sie sind bereits angemeldet');
    expect(await page.locator('[data-reference-line]').innerText()).toBe(`Ihre Vorgangsnummer: ${reference}`);
    expect(resend.delivered).toHaveLength(2);
    await context.close();
  });

  it('shows the reference on accessible thank-you pages, also the one for a person registered before', async () => {
    const { context } = await chromium.newContext();
    const page = await context.newPage();
    await page.goto(`${site.origin}/webinar/danke/?ref=W-7F3K-9Q2M`);
    expect(await page.locator('[data-reference-line]').textContent()).toBe('Ihre Vorgangsnummer: W-7F3K-9Q2M');
    expect(await axeViolations(page), 'thank-you page').toEqual([]);
    await page.goto(`${site.origin}/webinar/danke/bereits/?ref=W-7F3K-9Q2M`);
    expect(await page.locator('[data-reference-line]').textContent()).toBe('Ihre Vorgangsnummer: W-7F3K-9Q2M');
    expect(await axeViolations(page), 'already registered').toEqual([]);
    await context.close();
  });

  it('names the team inbox instead of the form once every session has started', async () => {
    const { context, page } = await openForm(all.at(-1)!.start);
    expect(await page.locator('[data-registration]').isHidden()).toBe(true);
    const notice = page.locator('[data-no-sessions]');
    expect(await notice.isVisible()).toBe(true);
    expect(await notice.locator('a').getAttribute('href')).toBe('mailto:komma@imap-institut.de');
    expect(await axeViolations(page), 'no session left').toEqual([]);
    await context.close();
  });
});
