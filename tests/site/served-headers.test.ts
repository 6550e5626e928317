import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CSP } from '../../src/admin/page.ts';
import { startTestSite, type TestSite } from '../helpers/test-site.ts';

let site: TestSite;
beforeAll(async () => {
  site = await startTestSite({ now: new Date() });
});
afterAll(() => site.stop());

describe('headers served as Netlify serves them', () => {
  it('sends a strict Content-Security-Policy and the security headers with every page', async () => {
    for (const path of ['/', '/impressum/', '/datenschutz/', '/barrierefreiheit/']) {
      const response = await fetch(`${site.origin}${path}`);
      expect(response.status, path).toBe(200);
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d{8,}/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
      expect(response.headers.get('permissions-policy')).toContain('camera=()');
    }
  });

  it('lets the page itself restrict styles to the hashes Astro computed', async () => {
    const html = await (await fetch(`${site.origin}/`)).text();
    expect(html).toMatch(/<meta http-equiv="content-security-policy" content="[^"]*style-src 'self' 'sha256-/);
  });

  it('caches hashed assets as immutable', async () => {
    const [asset] = await readdir('dist/_astro');
    if (!asset) throw new Error('dist/_astro is empty: expected at least one hashed asset');
    const response = await fetch(`${site.origin}/_astro/${asset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers an unknown address with the German 404 page, status 404 and the same headers', async () => {
    const response = await fetch(`${site.origin}/gibt-es-nicht/`);
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('Seite nicht gefunden');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('gives the web editor at /admin/ a policy of its own, and no other page any of it', async () => {
    for (const path of ['/admin/', '/admin']) {
      const response = await fetch(`${site.origin}${path}`);
      expect(response.status, path).toBe(200);
      expect(await response.text()).toContain('<script src="/admin/decap-cms.js"></script>');
      // Exactly one policy: a second one (the strict rule for "/*") would block the editor.
      expect(response.headers.get('content-security-policy'), path).toBe(ADMIN_CSP);
      expect(ADMIN_CSP).toMatch(/(^|; )script-src 'self' 'unsafe-eval'(;|$)/);
      expect(ADMIN_CSP).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-robots-tag'), path).toBe('noindex, nofollow');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('cross-origin-opener-policy'), path).toBe('same-origin-allow-popups');
    }
    const home = (await fetch(`${site.origin}/`)).headers.get('content-security-policy')!;
    expect(home).not.toContain('unsafe-eval');
    expect(home).not.toContain('api.github.com');
  });

  it('answers HEAD /admin/ as GET, with the same status and headers and no body, and other methods 405', async () => {
    for (const path of ['/admin/', '/admin']) {
      const get = await fetch(`${site.origin}${path}`);
      const head = await fetch(`${site.origin}${path}`, { method: 'HEAD' });
      expect(head.status, path).toBe(get.status);
      for (const name of ['content-type', 'content-security-policy', 'x-robots-tag', 'cache-control'])
        expect(head.headers.get(name), `${path} ${name}`).toBe(get.headers.get(name));
      expect(await head.text(), path).toBe('');
    }
    const post = await fetch(`${site.origin}/admin/`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serves the editor and its configuration from this site, under the strict rules of every file', async () => {
    for (const path of ['/admin/decap-cms.js', '/admin/config.yml']) {
      const response = await fetch(`${site.origin}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-security-policy'), path).toMatch(/(^|; )script-src 'self'(;|$)/);
    }
  });
});
