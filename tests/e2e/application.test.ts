import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { settings } from '../../src/settings/index.ts';
import { formatWindow } from '../../src/time/format.ts';
import { validApplication } from '../fixtures/applications.ts';
import { axeViolations, axeViolationsOfCopy, type TestBrowser } from '../helpers/browser.ts';
import { confirmAnswers, fillApplication as fillIn, isFocused, shown } from '../helpers/form-pages.ts';
import { contentWindow, iso } from '../helpers/content-dates.ts';
import type { PinnedBuild } from '../helpers/pinned-build.ts';
import { usePinnedSite } from '../helpers/pinned-site.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { startSiteWithResend, type SiteWithResend } from '../helpers/site-with-resend.ts';
import type { RunningSite } from '../helpers/site.ts';

let build: PinnedBuild;
let running: SiteWithResend;
let site: RunningSite;
let resend: ResendStub;
let chromium: TestBrowser;
const contexts: BrowserContext[] = [];

// The page states the window as its build saw it: these tests need the form, so the site is built
// (and its server's clock set) inside the window, whatever the day they run. The states before and
// after the window are tests/e2e/build-time-state.test.ts's.
usePinnedSite(contentWindow.inside, contexts, (started) => {
  ({ build, running, chromium } = started);
  ({ site, resend } = running);
});

/**
 * A page of the form, with the browser's clock inside the window (installed, so that a test can
 * fast-forward it past the fill time the server expects of a person), from the shared site or from
 * another one (`origin`).
 */
async function openForm(options: { javaScript?: boolean; origin?: string } = {}): Promise<Page> {
  const { context } = await chromium.newContext({ javaScriptEnabled: options.javaScript ?? true });
  contexts.push(context);
  if (options.javaScript !== false) await context.clock.install({ time: contentWindow.inside });
  const page = await context.newPage();
  await page.goto(`${options.origin ?? site.origin}/bewerbung/`);
  return page;
}

/**
 * The fixture application with an address of its own: an address gets at most three confirmations
 * a day, and the tests here must not run into that limit.
 */
const withOwnAddress = (local: string) => ({ ...validApplication, email: `${local}@musterstadt.de` });

describe('application form with JavaScript', () => {
  it('has no axe violations and states the application window', async () => {
    const page = await openForm();
    expect(await page.locator('[data-window]').innerText()).toBe(
      `Bewerbungen sind ${formatWindow(contentWindow)} möglich.`,
    );
    await expect.poll(() => page.locator('form[data-form]').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('fits a 320 px wide screen without sideways scrolling, errors shown', async () => {
    const page = await openForm();
    await page.setViewportSize({ width: 320, height: 640 });
    await page.click('button[type="submit"]');
    await shown(page, '[data-error-summary]');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  });

  it('shows every problem in an error summary that takes focus, and links each to its field', async () => {
    const page = await openForm();
    await page.click('button[type="submit"]');
    await shown(page, '[data-error-summary]');
    expect(await isFocused(page, '[data-error-summary]')).toBe(true);
    expect(await page.title()).toMatch(/^Fehler: /);
    const links = await page.locator('[data-error-summary] a').allInnerTexts();
    expect(links[0]).toBe('Geben Sie den Namen der Kommune an.');
    expect(links).toContain('Bestätigen Sie, dass die zuständige Leitung die Bewerbung unterstützt.');
    expect(await page.locator('#municipality').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#municipality-error').innerText()).toContain('Geben Sie den Namen der Kommune an.');
    expect(await axeViolations(page)).toEqual([]);
    await page.click('[data-error-summary] a[href="#email"]');
    expect(await isFocused(page, '#email')).toBe(true);
    expect(resend.requests).toHaveLength(0);
  });

  it('asks for the unit only when a unit applies, and counts characters as people type', async () => {
    const page = await openForm();
    expect(await page.locator('[data-field="unitName"]').isVisible()).toBe(false);
    await page.check('input[name="scope"][value="unit"]');
    expect(await page.locator('[data-field="unitName"]').isVisible()).toBe(true);
    await page.fill('#needs', 'Hass im Netz');
    expect(await page.locator('[data-field="needs"] [data-counter]').innerText()).toBe(
      'Sie haben noch 2.988 Zeichen übrig.',
    );
  });

  it('sends a valid application once, however often the buttons are pressed, and shows the reference', async () => {
    const page = await openForm();
    await fillIn(page);
    await page.clock.fastForward(5000);
    await page.locator('button[type="submit"]').dblclick();
    await shown(page, '[data-check-answers]');
    await page.locator('[data-confirm]').dblclick();
    await shown(page, '[data-success]');
    expect(await isFocused(page, '[data-success]')).toBe(true);
    const reference = await page.locator('[data-success] [data-reference]').innerText();
    expect(reference).toMatch(/^B-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await page.locator('form[data-form]').isVisible()).toBe(false);
    expect(resend.requests).toHaveLength(2);
    expect(resend.delivered[0]!.body.subject).toBe(`Bewerbung KommA: Musterstadt (Bayern) – ${reference}`);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('can be filled in and sent by keyboard alone', async () => {
    const page = await openForm();
    /** Presses Tab until the element has focus: it must be reachable in the tab order. */
    const tabTo = async (selector: string) => {
      for (let presses = 0; presses < 80 && !(await isFocused(page, selector)); presses += 1)
        await page.keyboard.press('Tab');
      expect(await isFocused(page, selector), selector).toBe(true);
    };
    await tabTo('#municipality');
    await page.keyboard.type('Tastaturstadt');
    await tabTo('#state');
    await page.keyboard.type('Bayern');
    await tabTo('#kind');
    await page.keyboard.press('ArrowDown'); // from „Gemeinde“ to „Stadt“
    await tabTo('#population');
    await page.keyboard.type('48500');
    await tabTo('#scope');
    await page.keyboard.press('Space');
    await tabTo('#leadership');
    await page.keyboard.type('Maria Muster, Bürgermeister:in');
    await tabTo('#leadershipSupports');
    await page.keyboard.press('Space');
    for (const [field, text] of [
      ['#contactName', 'Kim Beispiel'],
      ['#contactRole', 'Referentin'],
      ['#email', 'kim@tastaturstadt.de'],
      ['#needs', 'Hass im Netz'],
      ['#stakeholders', 'Bürgerbüro'],
    ] as const) {
      await tabTo(field);
      await page.keyboard.type(text);
    }
    await tabTo('#publication');
    await page.keyboard.press('Space');
    await tabTo('button[type="submit"]');
    await page.clock.fastForward(5000);
    await page.keyboard.press('Enter');
    await shown(page, '[data-check-answers]');
    expect(await isFocused(page, '[data-check-answers] h2')).toBe(true);
    await tabTo('[data-confirm]');
    await page.keyboard.press('Enter');
    await shown(page, '[data-success]');
    expect(await isFocused(page, '[data-success]')).toBe(true);
    expect(resend.delivered[0]!.body.subject).toMatch(/^Bewerbung KommA: Tastaturstadt \(Bayern\) – B-/);
    expect(resend.delivered[0]!.body.text).toContain('Art der Kommune:\nStadt');
  });

  it('confirms receipt and says the confirmation may take a while when the email service fails', async () => {
    // Stored first: the queue sends the emails later, so the person is done.
    resend.plan({ status: 500 });
    const page = await openForm();
    await fillIn(page, withOwnAddress('kim.verzoegert'));
    await page.clock.fastForward(5000);
    await page.click('button[type="submit"]');
    await confirmAnswers(page);
    await shown(page, '[data-success]');
    expect(await isFocused(page, '[data-success]')).toBe(true);
    expect(await page.locator('[data-success] [data-reference]').innerText()).toMatch(/^B-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(await page.locator('[data-confirmation-missing]').innerText()).toBe(
      'Ihre Bewerbung ist eingegangen. Die Bestätigung per E-Mail kann sich etwas verzögern.',
    );
    expect(await page.locator('[data-confirmation-sent]').isVisible()).toBe(false);
    expect(resend.requests).toHaveLength(1);
    expect(resend.delivered).toHaveLength(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('keeps every input and says why when the server refuses: the window closed while the form was open', async () => {
    // The page was loaded inside the window (the browser's clock); the server's clock is past its end.
    const late = await startSiteWithResend(iso(contentWindow.closed), {}, { cwd: build.dir });
    try {
      const page = await openForm({ origin: late.site.origin });
      await fillIn(page);
      await page.clock.fastForward(5000);
      await page.click('button[type="submit"]');
      await confirmAnswers(page);
      await shown(page, '[data-error-summary]');
      expect(await isFocused(page, '[data-error-summary]')).toBe(true);
      expect(await page.locator('[data-error-message]').innerText()).toBe(
        `Die Bewerbungsfrist ist abgelaufen. Bewerbungen waren ${formatWindow(contentWindow)} möglich. Bei Fragen schreiben Sie an ${settings.teamInbox}.`,
      );
      expect(await page.inputValue('#municipality')).toBe('Musterstadt');
      expect(await page.inputValue('#email')).toBe(validApplication.email);
      // Still on „Ihre Angaben prüfen“, ready to try again.
      expect(await page.locator('[data-check-answers]').isVisible()).toBe(true);
      expect(await page.locator('[data-confirm]').getAttribute('aria-disabled')).toBe('false');
      expect(late.resend.requests).toHaveLength(0);
    } finally {
      await late.stop();
    }
  });
});

describe('application form without JavaScript', () => {
  it('posts the form and lands on the thank-you page, which shows the reference of the emails', async () => {
    const page = await openForm({ javaScript: false });
    await fillIn(page, { ...withOwnAddress('kim.ohneskript'), municipality: 'Ohneskriptstadt' });
    await Promise.all([
      page.waitForURL(/\/bewerbung\/danke\/\?ref=B-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      page.click('button[type="submit"]'),
    ]);
    expect(await page.locator('h1').innerText()).toBe('Vielen Dank – Ihre Bewerbung ist eingegangen');
    const reference = new URL(page.url()).searchParams.get('ref')!;
    expect(await page.locator('[data-reference-line]').innerText()).toBe(`Ihre Vorgangsnummer: ${reference}`);
    expect(resend.delivered.map((request) => request.body.subject)).toEqual([
      `Bewerbung KommA: Ohneskriptstadt (Bayern) – ${reference}`,
      `Ihre Bewerbung für das Modellprojekt KommA – ${reference}`,
    ]);
    expect(await axeViolationsOfCopy(page, chromium)).toEqual([]);
  });

  it('lands on the thank-you page that says the confirmation may take a while when the email service fails', async () => {
    resend.plan({ status: 500 });
    const page = await openForm({ javaScript: false });
    await fillIn(page, { ...withOwnAddress('kim.ohneskript.verzoegert'), municipality: 'Wartestadt' });
    await Promise.all([
      page.waitForURL(/\/bewerbung\/danke\/verzoegert\/\?ref=B-[0-9A-Z]{4}-[0-9A-Z]{4}$/),
      page.click('button[type="submit"]'),
    ]);
    expect(await page.locator('h1').innerText()).toBe('Vielen Dank – Ihre Bewerbung ist eingegangen');
    expect(await page.locator('main').innerText()).toContain(
      'Ihre Bewerbung ist eingegangen. Die Bestätigung per E-Mail kann sich etwas verzögern.',
    );
    expect(await page.locator('[data-reference-line]').innerText()).toBe(
      `Ihre Vorgangsnummer: ${new URL(page.url()).searchParams.get('ref')}`,
    );
    expect(resend.requests).toHaveLength(1);
    expect(resend.delivered).toHaveLength(0);
    expect(await axeViolationsOfCopy(page, chromium)).toEqual([]);
  });

  it('lists the problems on an accessible page of the site, and Back returns to the filled-in form', async () => {
    const page = await openForm({ javaScript: false });
    await fillIn(page, { ...validApplication, email: 'kim@' });
    await Promise.all([page.waitForURL(/\/api\/bewerbung$/, { timeout: 8000 }), page.click('button[type="submit"]')]);
    expect(await page.title()).toBe('Fehler: Ihre Bewerbung konnte nicht gesendet werden – KommA');
    expect(await page.locator('h1').innerText()).toBe('Ihre Bewerbung konnte nicht gesendet werden');
    // The site's frame and its CSS: the skip link, the header, the footer with every page.
    expect(await page.locator('a.skip-link[href="#inhalt"]').count()).toBe(1);
    expect(await page.locator('header.site-header a.site-name').getAttribute('href')).toBe('/');
    expect(await page.locator('footer a[href="/datenschutz/"]').count()).toBe(1);
    expect(
      await page.locator('header.site-header').evaluate((header) => getComputedStyle(header).backgroundColor),
    ).toBe('rgb(109, 31, 122)');
    expect(await page.locator('main li').allInnerTexts()).toEqual([
      'E-Mail-Adresse der Ansprechperson: Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.',
    ]);
    expect(await axeViolationsOfCopy(page, chromium)).toEqual([]);
    await page.goBack();
    expect(await page.inputValue('#municipality')).toBe('Musterstadt');
    expect(resend.requests).toHaveLength(0);
  });
});

describe('thank-you page', () => {
  it('shows the reference number from the address without JavaScript, and nothing else from it', async () => {
    const { context } = await chromium.newContext({ javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    const response = await page.goto(`${site.origin}/bewerbung/danke/?ref=B-7F3K-9Q2M`);
    expect(await page.locator('[data-reference-line]').innerText()).toBe('Ihre Vorgangsnummer: B-7F3K-9Q2M');
    const csp = (await response!.allHeaders())['content-security-policy']!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(await axeViolationsOfCopy(page, chromium)).toEqual([]);

    await page.goto(`${site.origin}/bewerbung/danke/?ref=${encodeURIComponent('<b>B-7F3K-9Q2M</b>')}`);
    expect(await page.locator('h1').innerText()).toBe('Vielen Dank – Ihre Bewerbung ist eingegangen');
    expect(await page.locator('[data-reference-line]').isVisible()).toBe(false);
    expect(await page.locator('main b').count()).toBe(0);
  });

  it('shows the reference number from the address', async () => {
    const { context } = await chromium.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${site.origin}/bewerbung/danke/?ref=B-7F3K-9Q2M`);
    expect(await page.locator('[data-reference-line]').innerText()).toBe('Ihre Vorgangsnummer: B-7F3K-9Q2M');
    expect(await axeViolations(page)).toEqual([]);
  });
});
