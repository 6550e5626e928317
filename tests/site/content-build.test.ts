import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berlinOffset, formatDate } from '../../src/time/format.ts';
import { contentWindow, iso } from '../helpers/content-dates.ts';
import { astroBuild, projectCopy as copyProject } from '../helpers/pinned-build.ts';

/**
 * What an editor does, end to end: change content/, run the real build in a copy of the project, and
 * see the result or the error. Each case builds its own copy, so the project's dist/ is untouched.
 */
const copies: string[] = [];
afterAll(() => Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true }))));

const projectCopy = async () => {
  const dir = await copyProject('komma-content-');
  copies.push(dir);
  return dir;
};
const build = (dir: string, env: Record<string, string> = {}) => astroBuild(dir, env, { silent: false });

const SETTINGS = 'content/settings.json';

/** An instant as an editor writes it: Berlin wall time with the offset Berlin has then ("+01:00"). */
function berlinWallTime(instant: Date): string {
  const offset = berlinOffset(instant);
  const [hours = 0, minutes = 0] = offset.slice(1).split(':').map(Number);
  const wallTime = new Date(instant.getTime() + (hours * 60 + minutes) * 60_000);
  return `${wallTime.toISOString().slice(0, 19)}${offset}`;
}

describe('editing content', { timeout: 90_000 }, () => {
  it('shows a changed date and a new question in its place, with no code change, and a pinned clock', async () => {
    const dir = await projectCopy();
    const settings = JSON.parse(await readFile(join(dir, SETTINGS), 'utf8'));
    // Two weeks more for applications, whatever round the content is in.
    const later = new Date(contentWindow.closes.getTime() + 14 * 24 * 3_600_000);
    settings.applicationWindow.closes = berlinWallTime(later);
    await writeFile(join(dir, SETTINGS), JSON.stringify(settings));
    await writeFile(
      join(dir, 'content/faq/kosten.mdx'),
      '---\nquestion: Was kostet die Teilnahme?\norder: 25\n---\n\nDie Teilnahme ist kostenfrei.\n',
    );
    const { code, output } = await build(dir, { KOMMA_NOW: iso(contentWindow.inside) });
    expect(code, output).toBe(0);
    const html = await readFile(join(dir, 'dist/index.html'), 'utf8');
    expect(html).toContain(`bis zum <time datetime="${later.toISOString()}">${formatDate(later)}</time>`);
    const ids = [...html.matchAll(/<h2 id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.indexOf('kosten')).toBe(ids.indexOf('gesamte-verwaltung') + 1);
    expect(ids.indexOf('unterschrift')).toBe(ids.indexOf('kosten') + 1);
    // A preview pinned with KOMMA_NOW tells its page scripts the pinned instant.
    expect(html).toContain(`<html lang="de" data-now="${contentWindow.inside.toISOString()}">`);
  });

  it('fails on a question file without a question, naming the file and the field', async () => {
    const dir = await projectCopy();
    await writeFile(join(dir, 'content/faq/ohne-frage.mdx'), '---\norder: 90\n---\n\nAntwort ohne Frage.\n');
    const { code, output } = await build(dir);
    expect(code).not.toBe(0);
    expect(output).toContain('ohne-frage');
    expect(output).toContain('question');
    expect(output).toContain('Pflichtfeld fehlt – bitte eine Frage angeben.');
    // The line of `npm run check:content`: the build runs the same check.
    expect(output).toContain('content/faq/ohne-frage.mdx: question: Pflichtfeld fehlt – bitte eine Frage angeben.');
  });

  it('fails on a webinar at a time Berlin skips, naming the field and a time that exists', async () => {
    const dir = await projectCopy();
    const settings = JSON.parse(await readFile(join(dir, SETTINGS), 'utf8'));
    settings.webinars[0].start = '2027-03-28 02:30';
    await writeFile(join(dir, SETTINGS), JSON.stringify(settings));
    const { code, output } = await build(dir);
    expect(code).not.toBe(0);
    // The content check's line: file and line, field, message.
    expect(output).toContain(
      'content/settings.json:1: webinars.0.start: „2027-03-28 02:30“ gibt es in Berlin nicht: In dieser Nacht ' +
        'werden die Uhren um 02:00 Uhr auf 03:00 Uhr vorgestellt. Bitte eine Uhrzeit ab 03:00 Uhr wählen.',
    );
  });

  it('fails on two questions with the same order, naming both files', async () => {
    const dir = await projectCopy();
    await writeFile(join(dir, 'content/faq/doppelt.mdx'), '---\nquestion: Doppelt?\norder: 60\n---\n\nJa.\n');
    const { code, output } = await build(dir);
    expect(code).not.toBe(0);
    expect(output).toContain('content/faq/auswahl.mdx und content/faq/doppelt.mdx haben beide order 60.');
  });

  it('fails a production build while placeholders remain, listing them', async () => {
    const dir = await projectCopy();
    const { code, output } = await build(dir, { CONTEXT: 'production' });
    expect(code).not.toBe(0);
    expect(output).toMatch(
      /content\/pages\/impressum\.mdx:\d+: Platzhalter „Postanschrift des IMAP-Instituts“ ist noch offen/,
    );
    expect(output).toMatch(/Inhalte geprüft: \d+ Fragen, \d+ Seiten, Einstellungen – \d+ Fehler\./);
  });
});
