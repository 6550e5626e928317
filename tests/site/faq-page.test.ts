import { describe, expect, it } from 'vitest';
import { settings } from '../../src/settings/index.ts';
import { formatDate, formatSession, formatShortTimeRange } from '../../src/time/format.ts';
import { builtPage } from '../helpers/dist.ts';

/** The seed's questions, in the seed's order, with the anchors the content files give them. */
const SEED_QUESTIONS = [
  ['bewerbungsfrist', 'Bis wann können sich Kommunen bewerben?'],
  ['gesamte-verwaltung', 'Gilt die Bewerbung für die gesamte Kommunalverwaltung?'],
  ['unterschrift', 'Muss die Bewerbung von der Verwaltungsleitung (z. B. Bürgermeister:in) unterschrieben werden?'],
  ['veroeffentlichung', 'Wird die Teilnahme am Projekt veröffentlicht?'],
  ['aenderungen', 'Was passiert, wenn sich Angaben im Bewerbungsformular nach der Einreichung ändern?'],
  ['auswahl', 'Wie werden die Kommunen ausgewählt?'],
  ['mehrwert', 'Was ist der Mehrwert für unsere Kommune?'],
  ['kontakt', 'Wohin kann ich mich mit Fragen wenden?'],
];

const page = await builtPage('/');
const text = (html: string) => html.replace(/\s+/g, ' ').trim();
const faqHeadings = page.querySelectorAll('.faq h2');
const questionOf = (heading: (typeof faqHeadings)[number]) => text(heading.textContent);
const sectionOf = (heading: (typeof faqHeadings)[number]) =>
  page.querySelector(`section[aria-labelledby="${heading.id}"]`)!;

describe('FAQ home page', () => {
  it('shows the eight seed questions as headings in the seed order, each with its own anchor', () => {
    expect(faqHeadings.map((h) => [h.id, questionOf(h)])).toEqual(SEED_QUESTIONS);
  });

  it('gives every heading a visible link to itself and keeps all ids unique', () => {
    for (const heading of faqHeadings) {
      const link = heading.nextElementSibling!;
      expect(link.classList.contains('permalink')).toBe(true);
      expect(link.getAttribute('href')).toBe(`#${heading.id}`);
      expect(text(link.textContent)).toBe(`#Direktlink zur Frage „${questionOf(heading)}“`);
    }
    const ids = page.querySelectorAll('[id]').map((element) => element.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('lists every question at the top, linking to its answer', () => {
    const links = page.querySelectorAll('nav.toc a').map((a) => [a.getAttribute('href'), text(a.textContent)]);
    expect(links).toEqual(SEED_QUESTIONS.map(([slug, question]) => [`#${slug}`, question]));
  });

  it('states the dates from the settings in the seed wording', () => {
    // The dates move every round: the wording around them stays.
    const { opens, closes } = settings.applicationWindow;
    const sessions = settings.webinars.map(
      (session, index) =>
        `${index === 0 ? 'Am' : 'am'} ${formatDate(session.start)} um ${formatShortTimeRange(session.start, session.end)}`,
    );
    const sessionList = new Intl.ListFormat('de-DE', { type: 'conjunction' }).format(sessions);
    const answer = text(page.querySelector('section[aria-labelledby="bewerbungsfrist"]')!.textContent);
    expect(answer).toContain(
      `Die erste Ausschreibungsfrist geht vom ${formatDate(opens)} bis zum ${formatDate(closes)}. ` +
        `${sessionList} finden Online-Informationsveranstaltungen für interessierte Kommunen statt.`,
    );
    const keyDates = text(page.querySelector('.key-dates')!.textContent);
    expect(keyDates).toContain(`${formatDate(opens)} bis ${formatDate(closes)}`);
    for (const session of settings.webinars) expect(keyDates).toContain(formatSession(session));
  });

  it('links the team inbox as a mail address and names the project leads', () => {
    const contact = page.querySelector('section[aria-labelledby="kontakt"]')!;
    expect(text(contact.querySelector('p')!.textContent)).toBe(
      'Sie können sich mit weitergehenden Fragen und Anliegen jederzeit an die Projektleitungen ' +
        'Dr. Jenni Winterhagen und Leon Godeffroy unter komma@imap-institut.de wenden.',
    );
    expect(contact.querySelector('a[href="mailto:komma@imap-institut.de"]')).not.toBeNull();
  });

  it('shows every answer: nothing collapsed or hidden', () => {
    expect(page.querySelectorAll('details, [hidden], [aria-hidden="true"] p')).toHaveLength(0);
    for (const heading of faqHeadings) {
      const section = sectionOf(heading);
      expect(text(section.textContent).length).toBeGreaterThan(questionOf(heading).length + 40);
    }
  });

  it('carries FAQPage structured data with every question and its answer as plain text', () => {
    const data = JSON.parse(page.querySelector('script[type="application/ld+json"]')!.textContent);
    expect(data['@type']).toBe('FAQPage');
    expect(data.mainEntity.map((q: { name: string }) => q.name)).toEqual(SEED_QUESTIONS.map(([, q]) => q));
    for (const [index, question] of data.mainEntity.entries()) {
      const answer: string = question.acceptedAnswer.text;
      expect(answer).not.toMatch(/<|&[a-z]+;/);
      const visible = text(sectionOf(faqHeadings[index]!).textContent);
      for (const line of answer.split('\n')) expect(visible).toContain(line.replace(/^- /, ''));
    }
  });

  it('has title, description, canonical URL, Open Graph and German as its language', () => {
    expect(page.querySelector('html')!.getAttribute('lang')).toBe('de');
    // Built without KOMMA_NOW: scripts use the reader's clock.
    expect(page.querySelector('html')!.hasAttribute('data-now')).toBe(false);
    expect(page.querySelector('title')!.textContent).toContain(
      'Kommunale Allianzen und Strategien gegen Rassismus und Hass',
    );
    expect(page.querySelector('meta[name="description"]')!.getAttribute('content')!.length).toBeGreaterThan(50);
    expect(page.querySelector('link[rel="canonical"]')!.getAttribute('href')).toBe('https://komma.imap-institut.de/');
    expect(page.querySelector('meta[property="og:title"]')).not.toBeNull();
    expect(page.querySelector('meta[property="og:url"]')!.getAttribute('content')).toBe(
      'https://komma.imap-institut.de/',
    );
  });

  it('ships no JavaScript', () => {
    expect(page.querySelectorAll('script:not([type="application/ld+json"])')).toHaveLength(0);
  });
});
