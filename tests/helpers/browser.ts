import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { findBrowser } from './find-browser.ts';

/** Headless, and quiet: no first-run work, no background requests of its own, no QUIC. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

export interface TestBrowser {
  readonly browser: Browser;
  /** A fresh context that records every request URL its pages make. */
  newContext(options?: BrowserContextOptions): Promise<{ context: BrowserContext; requests: string[] }>;
  close(): Promise<void>;
}

/**
 * The browser findBrowser() picks, headless; Playwright gives it a fresh temporary profile
 * (--user-data-dir) itself. Fails loudly when there is none: browser tests are never skipped.
 */
export async function launchBrowser(): Promise<TestBrowser> {
  const found = await findBrowser();
  const browser = await chromium.launch({
    executablePath: found.path,
    args: [...CHROMIUM_FLAGS],
    env: { ...process.env, ...found.env },
  });
  return {
    browser,
    async newContext(options = {}) {
      // Berlin time for pages whose scripts read the clock. Not with JavaScript off: there it is
      // pointless, and Playwright then stalls on visibility checks ("waiting for element to be visible").
      const timezone = options.javaScriptEnabled === false ? {} : { timezoneId: 'Europe/Berlin' };
      const context = await browser.newContext({ locale: 'de-DE', ...timezone, ...options });
      const requests: string[] = [];
      context.on('request', (request) => requests.push(request.url()));
      return { context, requests };
    },
    async close() {
      await browser.close();
    },
  };
}

export interface AxeViolation {
  id: string;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA) in the page; returns the violations in a readable shape.
 * axe needs JavaScript in the page: for a page opened with JavaScript off, use axeViolationsOfCopy.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // evaluate() runs outside the page's CSP, which rightly forbids injected inline scripts.
  await page.evaluate(axe.source);
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

/** axe on a copy of a page's DOM in a context with JavaScript, for pages opened with JavaScript off. */
export async function axeViolationsOfCopy(page: Page, browser: TestBrowser): Promise<AxeViolation[]> {
  const html = await page.content();
  const { context } = await browser.newContext();
  try {
    const copy = await context.newPage();
    await copy.setContent(html);
    return await axeViolations(copy);
  } finally {
    await context.close();
  }
}
