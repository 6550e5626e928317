import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { startTestSite, type TestSite } from '../helpers/test-site.ts';

let site: TestSite;
let chromium: TestBrowser;
beforeAll(async () => {
  [site, chromium] = await Promise.all([startTestSite({ now: new Date() }), launchBrowser()]);
});
afterAll(async () => {
  await chromium?.close();
  await site?.stop();
});

const PAGES = ['/', '/leichte-sprache/', '/impressum/', '/datenschutz/', '/barrierefreiheit/', '/gibt-es-nicht/'];

describe('FAQ and legal pages in Chromium', () => {
  it('have no axe violations (WCAG 2.1 A and AA) and request nothing from another host', async () => {
    const { context, requests } = await chromium.newContext();
    const page = await context.newPage();
    const cspErrors: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspErrors.push(message.text());
    });
    for (const path of PAGES) {
      await page.goto(`${site.origin}${path}`);
      expect(await axeViolations(page), path).toEqual([]);
    }
    expect(requests.filter((url) => new URL(url).origin !== site.origin)).toEqual([]);
    expect(cspErrors).toEqual([]);
    await context.close();
  });

  it('moves keyboard focus to the skip link first, and from there into the main content', async () => {
    const { context } = await chromium.newContext();
    const page = await context.newPage();
    await page.goto(`${site.origin}/`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Zum Inhalt springen');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => location.hash === '#inhalt');
    await page.keyboard.press('Tab');
    // The next stop is inside <main>, not back in the header.
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('main')))).toBe(true);
    await context.close();
  });

  it('opens a deep link with its question heading in view', async () => {
    const { context } = await chromium.newContext({ viewport: { width: 360, height: 640 } });
    const page = await context.newPage();
    await page.goto(`${site.origin}/#mehrwert`);
    const heading = page.locator('h2#mehrwert');
    await expect.poll(() => heading.evaluate((h) => h.getBoundingClientRect().top)).toBeGreaterThanOrEqual(0);
    const box = await heading.evaluate((h) => h.getBoundingClientRect().toJSON());
    expect(box.top).toBeLessThan(100);
    await context.close();
  });

  it('reads the same without JavaScript', async () => {
    const read = async (javaScriptEnabled: boolean) => {
      const { context } = await chromium.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      await page.goto(`${site.origin}/`);
      const text = await page.locator('main').innerText();
      await context.close();
      return text;
    };
    const [withScript, withoutScript] = await Promise.all([read(true), read(false)]);
    expect(withoutScript).toContain('Wohin kann ich mich mit Fragen wenden?');
    expect(withoutScript).toBe(withScript);
  });

  it('fits a 320 px wide screen without sideways scrolling', async () => {
    const { context } = await chromium.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.goto(`${site.origin}${path}`);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(320);
    }
    await context.close();
  });
});
