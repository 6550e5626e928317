import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { upcomingSessions } from '../../src/forms/sessions.ts';
import { settings } from '../../src/settings/index.ts';
import { formatTime, formatWeekdayDate } from '../../src/time/format.ts';
import { contentWindow } from '../helpers/content-dates.ts';
import { builtPage, builtPages } from '../helpers/dist.ts';

const SITE = 'https://komma.imap-institut.de';
const PATH = '/leichte-sprache/';
const pages = await builtPages();
const page = await builtPage(PATH);
const text = (html: string) => html.replace(/\s+/g, ' ').trim();
const main = text(page.querySelector('main')!.textContent);

describe('Leichte Sprache page', () => {
  it('exists as a German page with its own heading, and is in the sitemap', async () => {
    expect(pages).toContain(PATH);
    expect(page.querySelector('html')!.getAttribute('lang')).toBe('de');
    expect(text(page.querySelector('h1')!.textContent)).toBe('Informationen in Leichter Sprache');
    expect(await readFile('dist/sitemap-0.xml', 'utf8')).toContain(`<loc>${SITE}${PATH}</loc>`);
  });

  it('is linked from the header of every built page, and marked there as the current page', async () => {
    for (const path of pages) {
      const links = (await builtPage(path)).querySelectorAll(`header a[href="${PATH}"]`);
      expect(
        links.map((link) => text(link.textContent)),
        path,
      ).toEqual(['Leichte Sprache']);
      expect(links[0]!.getAttribute('aria-current'), path).toBe(path === PATH ? 'page' : undefined);
    }
  });

  it('names the first and the last day of the application window with weekday and time, from the settings', () => {
    for (const instant of [contentWindow.opens, contentWindow.closes]) {
      expect(main).toContain(`${formatWeekdayDate(instant)}, ${formatTime(instant)}`);
    }
  });

  it('lists every webinar session still ahead with its weekday and times, and links both forms', () => {
    // The build came before this test: a session ahead now was ahead when the page was built.
    for (const session of upcomingSessions(settings.webinars, new Date())) {
      expect(main).toContain(
        `${formatWeekdayDate(session.start)}, von ${formatTime(session.start)} bis ${formatTime(session.end)}`,
      );
    }
    expect(page.querySelector('main a[href="/bewerbung/"]')).not.toBeNull();
    expect(page.querySelector(`main a[href="mailto:${settings.teamInbox}"]`)).not.toBeNull();
  });

  it('keeps to the rules of Leichte Sprache that a machine can check: no abbreviations, short sentences', () => {
    expect(main).not.toMatch(/\b(z\. ?B|bzw|ca|usw|d\. ?h|ggf|evtl|u\. ?a|inkl|Nr|Dr)\./);
    const sentences = page
      .querySelectorAll('main p, main li')
      .flatMap((element) => text(element.textContent).split(/(?<=[.?!])\s+/))
      .filter(Boolean);
    expect(sentences.length).toBeGreaterThan(40);
    for (const sentence of sentences) expect(sentence.split(' ').length, sentence).toBeLessThanOrEqual(12);
  });
});
