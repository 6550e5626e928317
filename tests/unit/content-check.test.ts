import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkContent, report } from '../../src/content/check.ts';
import { formatProblem } from '../../src/content/problems.ts';

const project = join(import.meta.dirname, '../..');
const copies: string[] = [];
afterAll(() => Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A copy of the real content/ beside the real src/ and public/ (which the check only reads). */
async function contentCopy(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'komma-content-check-'));
  copies.push(root);
  await cp(join(project, 'content'), join(root, 'content'), { recursive: true });
  await symlink(join(project, 'src'), join(root, 'src'));
  await symlink(join(project, 'public'), join(root, 'public'));
  return root;
}

/** The copy with one file added or replaced, e.g. write(root, 'content/faq/x.mdx', …). */
const write = (root: string, file: string, text: string) => writeFile(join(root, file), text);

/** The problems' lines, as the CLI and the build print them. */
async function lines(root: string, production = false): Promise<string[]> {
  return (await checkContent(root, { production })).problems.map(formatProblem);
}

const question = (frontmatter: string, body = 'Antwort.') => `---\n${frontmatter}\n---\n\n${body}\n`;

/** Adds a question whose answer (from line 6) is `body`; the problems' lines of that file. */
async function answerProblems(root: string, body: string): Promise<string[]> {
  await write(root, 'content/faq/kaputt.mdx', question('question: Kaputt?\norder: 999', body));
  return (await lines(root)).filter((line) => line.startsWith('content/faq/kaputt.mdx'));
}

/** Adds the legal page /agb/ with the heading „Geltung“. */
const addPage = (root: string) =>
  write(root, 'content/pages/agb.mdx', '---\ntitle: AGB\ndescription: B\n---\n\n## Geltung\n\nText.\n');

/** Some FAQ file of the copy and its order, whatever the editors have written this round. */
async function someQuestion(root: string): Promise<{ file: string; id: string; order: number }> {
  const name = (await readdir(join(root, 'content/faq'))).find((n) => n.endsWith('.mdx'))!;
  const text = await readFile(join(root, 'content/faq', name), 'utf8');
  return { file: `content/faq/${name}`, id: name.slice(0, -4), order: Number(/^order:\s*(\d+)/m.exec(text)![1]) };
}

describe('content check on the real content', () => {
  it('finds no errors, and lists open placeholders only as warnings', async () => {
    const result = await checkContent(project, { production: false });
    expect(result.problems.filter((p) => p.severity === 'error').map(formatProblem)).toEqual([]);
    expect(result.problems.every((p) => p.kind === 'placeholder' || p.kind === 'date')).toBe(true);
    expect(report(result).lines.at(-1)).toMatch(
      /^Inhalte geprüft: \d+ Fragen, \d+ Seiten, Einstellungen – keine Fehler\.$/,
    );
  });
});

describe('content check on broken copies', () => {
  it('names a field of the wrong type with its line', async () => {
    const root = await contentCopy();
    await write(root, 'content/faq/kaputt.mdx', question('question: Kaputt?\norder: zehn'));
    expect(await lines(root)).toContain('content/faq/kaputt.mdx:3: order: order muss eine ganze Zahl sein, z. B. 10.');
  });

  it('names an unknown field on its line', async () => {
    const root = await contentCopy();
    await write(root, 'content/faq/kaputt.mdx', question('question: Kaputt?\norder: 999\noder: 5'));
    expect(await lines(root)).toContain(
      'content/faq/kaputt.mdx:4: Unbekanntes Feld „oder“ – bitte die Schreibweise prüfen.',
    );
  });

  it('asks for a missing question', async () => {
    const root = await contentCopy();
    await write(root, 'content/faq/ohne-frage.mdx', question('order: 999'));
    expect(await lines(root)).toContain(
      'content/faq/ohne-frage.mdx: question: Pflichtfeld fehlt – bitte eine Frage angeben.',
    );
  });

  it('names both files of a duplicate order, on the line of the later one', async () => {
    const root = await contentCopy();
    const twin = await someQuestion(root);
    await write(root, 'content/faq/zzz-doppelt.mdx', question(`question: Doppelt?\norder: ${twin.order}`));
    expect(await lines(root)).toContain(
      `content/faq/zzz-doppelt.mdx:3: order: ${twin.file} und content/faq/zzz-doppelt.mdx haben beide order ${twin.order}. – Lösung: jeder Frage eine eigene Zahl geben, z. B. eine noch freie zwischen den Nachbarn.`,
    );
  });

  it('names an unknown component, but not a tag in code', async () => {
    const root = await contentCopy();
    const body = 'Frist: <Bewerbungsfirst />.\n\nSo schreiben: `<Unbekannt />`\n\n```\n<AuchNicht />\n```';
    expect(await answerProblems(root, body)).toEqual([
      expect.stringMatching(
        /^content\/faq\/kaputt\.mdx:6: Unbekannter Baustein <Bewerbungsfirst> – Lösung: .*<Bewerbungsfrist>/,
      ),
    ]);
  });

  it('lists a placeholder left in a legal page: a warning in previews, an error in production', async () => {
    const root = await contentCopy();
    await write(
      root,
      'content/pages/agb.mdx',
      '---\ntitle: AGB\ndescription: Bedingungen\n---\n\nAnschrift: <Platzhalter>Postanschrift\nder Stelle</Platzhalter>\n',
    );
    const placeholder = (production: boolean) =>
      checkContent(root, { production }).then((r) => r.problems.filter((p) => p.file === 'content/pages/agb.mdx'));
    const expected = {
      file: 'content/pages/agb.mdx',
      line: 6,
      message:
        'Platzhalter „Postanschrift der Stelle“ ist noch offen – Lösung: vor der Veröffentlichung durch den richtigen Text ersetzen.',
    };
    expect(await placeholder(false)).toEqual([expect.objectContaining({ ...expected, severity: 'warning' })]);
    expect(await placeholder(true)).toEqual([expect.objectContaining({ ...expected, severity: 'error' })]);
  });

  it('names a link to a page that does not exist, and accepts pages, content pages and public files', async () => {
    const root = await contentCopy();
    await addPage(root);
    const body = '[a](/bewerbng/) [b](/bewerbung/) [c](/agb) [d](/favicon.svg) [e](https://example.org/x)';
    expect(await answerProblems(root, body)).toEqual([
      expect.stringMatching(
        /^content\/faq\/kaputt\.mdx:6: Link auf „\/bewerbng\/“: Diese Seite gibt es nicht – Lösung: .*\/bewerbung\//,
      ),
    ]);
  });

  it('names an anchor that is no question on the FAQ page and no heading on a legal page', async () => {
    const root = await contentCopy();
    const { id } = await someQuestion(root);
    await addPage(root);
    const body = `[a](/#${id}) [b](#${id})\n\n[c](/#gibt-es-nicht)\n\n<a href="#auch-nicht">d</a> [e](/agb/#geltung) [f](/agb/#preise)`;
    expect(await answerProblems(root, body)).toEqual([
      expect.stringMatching(
        /^content\/faq\/kaputt\.mdx:8: Link auf „\/#gibt-es-nicht“: Auf der Startseite gibt es keine Frage mit der Sprungadresse „gibt-es-nicht“ – Lösung: /,
      ),
      expect.stringMatching(
        /^content\/faq\/kaputt\.mdx:10: Link auf „#auch-nicht“: Auf der Startseite gibt es keine Frage/,
      ),
      'content/faq/kaputt.mdx:10: Link auf „/agb/#preise“: Die Seite /agb/ hat keine Überschrift mit der Sprungadresse „preise“ – Lösung: eine der vorhandenen verwenden: #geltung.',
    ]);
  });

  it('names a settings field through parseSettings, with its line', async () => {
    const root = await contentCopy();
    const file = join(root, 'content/settings.json');
    const settings = JSON.parse(await readFile(file, 'utf8'));
    const { opens, closes } = settings.applicationWindow;
    settings.applicationWindow = { opens: closes, closes: opens };
    await writeFile(file, JSON.stringify(settings, null, 2));
    expect(await lines(root)).toContain(
      'content/settings.json:4: applicationWindow.closes: Das Ende der Bewerbungsfrist muss nach ihrem Beginn liegen.',
    );
  });

  it('warns, without failing, of a webinar on a weekend or a nationwide holiday, on the line of its start', async () => {
    const root = await contentCopy();
    const file = join(root, 'content/settings.json');
    const settings = JSON.parse(await readFile(file, 'utf8'));
    const webinars = [
      { id: 'dienstag', start: '2027-02-16 11:00', end: '2027-02-16 12:00' },
      { id: 'samstag', start: '2027-02-20 11:00', end: '2027-02-20 12:00' },
      { id: 'karfreitag', start: '2027-03-26 11:00', end: '2027-03-26 12:00' },
    ];
    // One session per line, as editors keep the file: lines 3, 4 and 5.
    const rest = JSON.stringify({ ...settings, webinars: undefined }, null, 2).slice(1);
    await writeFile(
      file,
      `{\n  "webinars": [\n${webinars.map((w) => `    ${JSON.stringify(w)}`).join(',\n')}\n  ],${rest}`,
    );
    const result = await checkContent(root, { production: false });
    expect(result.problems.filter((p) => p.file === 'content/settings.json').map(formatProblem)).toEqual([
      'content/settings.json:4: webinars.1.start: Das Webinar am Samstag, 20. Februar 2027 fällt auf ein Wochenende – nur ein Hinweis: Falls das nicht gewollt ist, Datum in start und end korrigieren.',
      'content/settings.json:5: webinars.2.start: Das Webinar am Freitag, 26. März 2027 fällt auf einen bundesweiten Feiertag (Karfreitag) – nur ein Hinweis: Falls das nicht gewollt ist, Datum in start und end korrigieren.',
    ]);
    expect(report(result).failed).toBe(false);
    expect(report(result).lines).toContain('2 Termine am Wochenende oder Feiertag (nur ein Hinweis).');
  });

  it('the build prints warnings as one counted line, errors each on its own line', async () => {
    const root = await contentCopy();
    const placeholders = (await checkContent(root, { production: false })).problems.filter(
      (p) => p.kind === 'placeholder',
    ).length;
    const quiet = (result: Awaited<ReturnType<typeof checkContent>>) => report(result, { listWarnings: false }).lines;
    expect(quiet(await checkContent(root, { production: false })).at(-1)).toMatch(
      new RegExp(
        `^Inhalte geprüft: \\d+ Fragen, \\d+ Seiten, Einstellungen – keine Fehler; ${placeholders} Platzhalter noch offen(, 1 Termin am Wochenende oder Feiertag)? \\(Liste: npm run check:content\\)\\.$`,
      ),
    );
    await write(root, 'content/faq/ohne-frage.mdx', question('order: 999'));
    expect(quiet(await checkContent(root, { production: false }))).toEqual([
      'content/faq/ohne-frage.mdx: question: Pflichtfeld fehlt – bitte eine Frage angeben.',
      expect.stringMatching(
        / – 1 Fehler\. Bitte die genannten Stellen korrigieren und erneut prüfen; \d+ Platzhalter noch offen/,
      ),
    ]);
  });

  it('names unreadable YAML, unreadable JSON and a file with the wrong extension', async () => {
    const root = await contentCopy();
    await write(root, 'content/faq/kaputt.mdx', question('question: Was heißt: kaputt?\norder: 999'));
    await write(root, 'content/faq/notiz.md', question('question: Notiz?\norder: 998'));
    await write(root, 'content/settings.json', '{\n  "teamInbox": "a@b.de",\n}\n');
    const found = await lines(root);
    expect(found).toContainEqual(
      expect.stringMatching(
        /^content\/faq\/kaputt\.mdx:2: Der Kopfbereich zwischen den Zeilen --- ist kein gültiges YAML/,
      ),
    );
    expect(found).toContain(
      'content/faq/notiz.md: Diese Datei wird nicht veröffentlicht: Nur Dateien mit der Endung .mdx gehören hierher – Lösung: in „notiz.mdx“ umbenennen.',
    );
    expect(found).toContainEqual(expect.stringMatching(/^content\/settings\.json:3: Die Datei ist kein gültiges JSON/));
  });

  it('the CLI prints each problem and a summary, and exits 1', async () => {
    const root = await contentCopy();
    await write(root, 'content/faq/ohne-frage.mdx', question('order: 999'));
    const cli = join(project, 'src/cli/check-content.ts');
    const run = promisify(execFile)(process.execPath, ['--experimental-strip-types', cli], { cwd: root });
    const failure = await run.then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toContain(
      'content/faq/ohne-frage.mdx: question: Pflichtfeld fehlt – bitte eine Frage angeben.',
    );
    expect(failure?.stderr).toMatch(/Inhalte geprüft: \d+ Fragen, \d+ Seiten, Einstellungen – 1 Fehler\./);
  });
});
