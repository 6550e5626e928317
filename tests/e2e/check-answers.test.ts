import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { validApplication } from '../fixtures/applications.ts';
import { axeViolations, type TestBrowser } from '../helpers/browser.ts';
import { contentWindow } from '../helpers/content-dates.ts';
import { fillApplication, isFocused, shown } from '../helpers/form-pages.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { usePinnedSite } from '../helpers/pinned-site.ts';
import type { SiteWithResend } from '../helpers/site-with-resend.ts';

let running: SiteWithResend;
let resend: ResendStub;
let chromium: TestBrowser;
const contexts: BrowserContext[] = [];

// The pages state the window as their build saw it: built (and served) inside the window, whatever
// the day the tests run, so both forms are there.
usePinnedSite(contentWindow.inside, contexts, (started) => {
  ({ running, chromium } = started);
  ({ resend } = running);
});

async function openForm(): Promise<Page> {
  const { context } = await chromium.newContext();
  contexts.push(context);
  await context.clock.install({ time: contentWindow.inside });
  const page = await context.newPage();
  await page.goto(`${running.site.origin}/bewerbung/`);
  return page;
}

/** Each row of „Ihre Angaben prüfen“: label, answer, and the text of its „Ändern“ link as a screen reader reads it. */
const answerRows = (page: Page) =>
  page
    .locator('[data-check-answers] .summary-row')
    .evaluateAll((rows) =>
      rows.map((row) => [
        row.querySelector('dt')!.textContent,
        row.querySelector('.summary-value')!.textContent,
        row.querySelector('a')!.textContent,
      ]),
    );

/**
 * The gender forms („Bürgermeister:in“) in the element's visible text, and those of them that the
 * layout breaks across two lines.
 */
const genderFormsBroken = (page: Page, selector: string) =>
  page.locator(selector).evaluate((root) => {
    const found: string[] = [];
    const broken: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      // What only a screen reader reads is laid out in a 1 px box.
      if (node.parentElement!.closest('.visually-hidden')) continue;
      for (const match of node.data.matchAll(/\p{L}+:\p{L}+/gu)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        found.push(match[0]);
        if (lines.size > 1) broken.push(match[0]);
      }
    }
    return { found, broken };
  });

/** Presses Tab until the element has focus: it must be reachable in the tab order. */
async function tabTo(page: Page, selector: string): Promise<void> {
  for (let presses = 0; presses < 80 && !(await isFocused(page, selector)); presses += 1)
    await page.keyboard.press('Tab');
  expect(await isFocused(page, selector), selector).toBe(true);
}

describe('„Ihre Angaben prüfen“ before the application is sent', () => {
  it('lists every answer as the person reads it, focuses its heading and hides the form, without axe violations', async () => {
    const page = await openForm();
    const title = await page.title();
    expect(await page.locator('button[type="submit"]').innerText()).toBe('Weiter');
    await fillApplication(page);
    await page.click('button[type="submit"]');
    await shown(page, '[data-check-answers]');

    expect(await isFocused(page, '[data-check-answers] h2')).toBe(true);
    expect(await page.locator('[data-check-answers] h2').innerText()).toBe('Ihre Angaben prüfen');
    expect(await page.locator('form[data-form]').isVisible()).toBe(false);
    expect(await page.title()).toBe(title);
    const rows = await answerRows(page);
    expect(rows).toHaveLength(15);
    expect(rows.slice(0, 4)).toEqual([
      ['Name der Kommune', 'Musterstadt', 'Ändern Name der Kommune'],
      ['Bundesland', 'Bayern', 'Ändern Bundesland'],
      ['Art der Kommune', 'Stadt', 'Ändern Art der Kommune'],
      ['Einwohnerzahl', '48.500', 'Ändern Einwohnerzahl'],
    ]);
    expect(rows).toContainEqual([
      'Die zuständige (politische) Leitung unterstützt die Bewerbung.',
      'Ja',
      'Ändern Die zuständige (politische) Leitung unterstützt die Bewerbung.',
    ]);
    expect(await page.getByRole('link', { name: 'Ändern Telefonnummer (freiwillig)' }).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Verbindlich absenden' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Zurück zum Formular' }).isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.setViewportSize({ width: 320, height: 640 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(resend.requests).toHaveLength(0);
  });

  it('never breaks a gender form inside the word, from a 320 px phone to a laptop', async () => {
    const page = await openForm();
    await fillApplication(page);
    await page.check('#decisionMakersInformed');
    await page.click('button[type="submit"]');
    await shown(page, '[data-check-answers]');
    for (const width of [320, 480, 640, 720, 800, 1024, 1280]) {
      await page.setViewportSize({ width, height: 720 });
      const { found, broken } = await genderFormsBroken(page, '[data-check-answers]');
      expect(found, `${width} px`).toEqual(['Bürgermeister:in', 'Entscheidungsträger:innen']);
      expect(broken, `${width} px`).toEqual([]);
      // Not by overflowing: nothing scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth), `${width} px`).toBe(width);
    }
  });

  it('works by keyboard alone: „Ändern“ focuses its field, „Zurück zum Formular“ keeps every input, Space sends once', async () => {
    const page = await openForm();
    await fillApplication(page, { ...validApplication, email: 'kim.pruefen@musterstadt.de' });
    await page.clock.fastForward(5000);
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await shown(page, '[data-check-answers]');
    expect(await isFocused(page, '[data-check-answers] h2')).toBe(true);

    // Heading, then the first „Ändern“, then the second: Bundesland.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement!.textContent)).toBe('Ändern Bundesland');
    await page.keyboard.press('Enter');
    expect(await page.locator('form[data-form]').isVisible()).toBe(true);
    expect(await page.locator('[data-check-answers]').isVisible()).toBe(false);
    expect(await isFocused(page, '#state')).toBe(true);
    await page.keyboard.type('Sachsen');
    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await shown(page, '[data-check-answers]');
    expect((await answerRows(page))[1]).toEqual(['Bundesland', 'Sachsen', 'Ändern Bundesland']);

    await tabTo(page, '[data-back]');
    await page.keyboard.press('Space');
    expect(await page.locator('form[data-form]').isVisible()).toBe(true);
    expect(await isFocused(page, '#municipality')).toBe(true);
    expect(await page.inputValue('#municipality')).toBe('Musterstadt');
    expect(await page.inputValue('#state')).toBe('DE-SN');

    await tabTo(page, 'button[type="submit"]');
    await page.keyboard.press('Enter');
    await shown(page, '[data-check-answers]');
    const posted = page.waitForRequest((request) => request.url().endsWith('/api/bewerbung'));
    await tabTo(page, '[data-confirm]');
    await page.keyboard.press('Space');
    await shown(page, '[data-success]');
    expect(await isFocused(page, '[data-success]')).toBe(true);
    expect(await page.locator('[data-check-answers]').isVisible()).toBe(false);
    // A form that started empty tells the server how long filling it in took.
    expect((await posted).postDataJSON().elapsedMs).toBeGreaterThanOrEqual(5000);
    expect(resend.requests).toHaveLength(2);
    expect(resend.delivered[0]!.body.subject).toMatch(/^Bewerbung KommA: Musterstadt \(Sachsen\) – B-/);
  });
});
