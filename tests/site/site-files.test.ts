import { readFile, readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { settings } from '../../src/settings/index.ts';
import { builtPage, builtPages } from '../helpers/dist.ts';

const SITE = 'https://komma.imap-institut.de';
const pages = await builtPages();

describe('built site', () => {
  it('has the home page, the legal pages and a 404 page', () => {
    expect(pages).toEqual(
      expect.arrayContaining([
        '/',
        '/bewerbung/',
        '/bewerbung/danke/',
        '/impressum/',
        '/datenschutz/',
        '/barrierefreiheit/',
        '/404.html',
      ]),
    );
  });

  it('links every page from the footer of every page', async () => {
    for (const path of pages) {
      const footer = (await builtPage(path)).querySelectorAll('footer a').map((a) => a.getAttribute('href'));
      expect(footer, path).toEqual(
        expect.arrayContaining(['/', '/bewerbung/', '/webinar/', '/impressum/', '/datenschutz/', '/barrierefreiheit/']),
      );
    }
  });

  it('loads nothing from another host: every src, stylesheet, icon and form target is our own', async () => {
    const assets = (await readdir('dist/_astro').catch(() => [])).filter(
      (f) => f.endsWith('.css') || f.endsWith('.js'),
    );
    for (const path of pages) {
      const page = await builtPage(path);
      const targets = [
        ...page.querySelectorAll('[src]').map((e) => e.getAttribute('src')),
        ...page.querySelectorAll('link[href]:not([rel="canonical"])').map((e) => e.getAttribute('href')),
        ...page.querySelectorAll('form[action]').map((e) => e.getAttribute('action')),
      ];
      for (const target of targets) expect(target, `${path}: ${target}`).toMatch(/^\/(?!\/)/);
      for (const style of page.querySelectorAll('style'))
        expect(style.textContent).not.toMatch(/url\(\s*['"]?(https?:)?\/\//);
    }
    for (const asset of assets) {
      const code = await readFile(`dist/_astro/${asset}`, 'utf8');
      expect(code, asset).not.toMatch(/url\(\s*['"]?(https?:)?\/\/|import\s*\(?\s*['"]https?:/);
    }
  });

  it('lists the public pages in the sitemap, without the 404 page', async () => {
    const index = await readFile('dist/sitemap-index.xml', 'utf8');
    expect(index).toContain(`${SITE}/sitemap-0.xml`);
    const sitemap = await readFile('dist/sitemap-0.xml', 'utf8');
    for (const path of ['/', '/impressum/', '/datenschutz/', '/barrierefreiheit/']) {
      expect(sitemap).toContain(`<loc>${SITE}${path}</loc>`);
    }
    expect(sitemap).not.toContain('404');
    expect(sitemap).not.toContain('/admin');
  });

  it('gives every indexed page its address as canonical link and og:url, and the 404 page neither', async () => {
    for (const path of pages) {
      const head = (await builtPage(path)).querySelector('head')!;
      const canonical = head.querySelector('link[rel="canonical"]')?.getAttribute('href');
      const ogUrl = head.querySelector('meta[property="og:url"]')?.getAttribute('content');
      if (head.querySelector('meta[name="robots"][content="noindex"]')) {
        expect([canonical, ogUrl], path).toEqual([undefined, undefined]);
      } else {
        expect([canonical, ogUrl], path).toEqual([`${SITE}${path}`, `${SITE}${path}`]);
      }
    }
    // Served at every unknown address, it has none of its own: no /404/ to share or index.
    const notFound = await readFile('dist/404.html', 'utf8');
    expect(notFound).toContain('<meta name="robots" content="noindex">');
    expect(notFound).not.toMatch(/og:url|rel="canonical"|\/404\//);
  });

  it('points crawlers at the sitemap', async () => {
    expect(await readFile('dist/robots.txt', 'utf8')).toContain(`Sitemap: ${SITE}/sitemap-index.xml`);
  });

  it('marks every missing legal fact as a visible placeholder', async () => {
    const impressum = await builtPage('/impressum/');
    const marks = impressum.querySelectorAll('mark.placeholder').map((m) => m.textContent);
    expect(marks.length).toBeGreaterThan(0);
    for (const mark of marks) expect(mark).toMatch(/^\[Platzhalter: .+\]$/);
  });

  it('explains the forms in the privacy policy (Art. 13 DSGVO)', async () => {
    const text = (await builtPage('/datenschutz/')).textContent.replace(/\s+/g, ' ');
    for (const fact of [
      'Art. 6 Abs. 1 lit. b DSGVO',
      'Netlify',
      'Resend',
      'USA',
      'Speicherdauer',
      'Art. 77',
      'komma@imap-institut.de',
    ]) {
      expect(text).toContain(fact);
    }
  });
});

describe('the privacy page', () => {
  it('states until which day the applications are kept, from the content’s settings', async () => {
    const page = (await builtPage('/datenschutz/')).toString();
    expect(page).toContain(`Bewerbungen für die Auswahl bis zum <time datetime="${settings.retainApplicationsUntil}">`);
  });
});
