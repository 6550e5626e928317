import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type TestBrowser } from '../helpers/browser.ts';
import { builtPages } from '../helpers/dist.ts';
import { startSiteWithResend, type SiteWithResend } from '../helpers/site-with-resend.ts';
import { contentWindow, iso } from '../helpers/content-dates.ts';

let running: SiteWithResend;
let chromium: TestBrowser;
beforeAll(async () => {
  [running, chromium] = await Promise.all([startSiteWithResend(iso(contentWindow.inside)), launchBrowser()]);
});
afterAll(async () => {
  await chromium?.close();
  await running?.stop();
});

describe('security of every built page', () => {
  it('serves every page with the strict policy and the security headers', async () => {
    for (const path of await builtPages()) {
      const response = await fetch(`${running.site.origin}${path}`);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, path).toMatch(/(^|; )script-src 'self'(;|$)/);
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("form-action 'self'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('cross-origin-opener-policy'), path).toBe('same-origin');
    }
  });

  it('reports no Content-Security-Policy violation on any page', async () => {
    const { context } = await chromium.newContext();
    // Recorded from the browser's own event, before any page script runs; CSP does not apply here.
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) consoleErrors.push(message.text());
    });
    const pages = await builtPages();
    expect(pages.length).toBeGreaterThan(5);
    for (const path of pages) {
      await page.goto(`${running.site.origin}${path}`, { waitUntil: 'load' });
      const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
      expect(violations, path).toEqual([]);
    }
    expect(consoleErrors).toEqual([]);
    await context.close();
  });

  it('refuses a form that another site posts to the application function, and sends nothing', async () => {
    // Another origin (another port): a page an attacker controls, posting a valid-looking form.
    const attacker: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        `<!doctype html><html lang="en"><title>x</title><form method="post" action="${running.site.origin}/api/bewerbung">` +
          '<input name="municipality" value="Musterstadt"><button>go</button></form></html>',
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = attacker.address() as AddressInfo;
      const { context } = await chromium.newContext();
      const page = await context.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      const [response] = await Promise.all([
        page.waitForResponse((candidate) => candidate.url().endsWith('/api/bewerbung')),
        page.click('button'),
      ]);
      expect(response.status()).toBe(403);
      expect(await response.text()).toContain('Anfragen von anderen Websites werden nicht angenommen.');
      expect(running.resend.requests).toHaveLength(0);
      await context.close();
    } finally {
      attacker.closeAllConnections();
      await new Promise<void>((resolve) => attacker.close(() => resolve()));
    }
  });
});
