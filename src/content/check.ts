import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { slug } from 'github-slugger';
import { checkLinks, type Anchors } from './check-links.ts';
import { checkSettings } from './check-settings.ts';
import { readFrontmatter } from './frontmatter.ts';
import { isSyntaxError, PLACEHOLDER, scanMdx, type MdxScan } from './mdx.ts';
import { orderClashes } from './order.ts';
import { formatProblem, type Problem, type WarningKind } from './problems.ts';
import { readSite } from './routes.ts';
import { COLLECTION_DIRS, faqSchema, HOME_INTRO, pageSchema } from './schemas.ts';

export interface CheckOptions {
  /** A production build (Netlify's CONTEXT=production): open placeholders are errors, not warnings. */
  readonly production: boolean;
}

export interface CheckResult {
  readonly problems: readonly Problem[];
  readonly questions: number;
  readonly pages: number;
}

/** One MDX file as read: its id as Astro's glob loader makes it, its order (FAQ) and what its body holds. */
interface Entry {
  readonly file: string;
  readonly id: string;
  readonly order?: { readonly value: number; readonly line: number | undefined } | undefined;
  readonly scan?: MdxScan | undefined;
}

/** Where editors' components live; index.ts hands every one of them to MDX, so the folder is the list. */
const COMPONENTS_DIR = 'src/components/content';

/**
 * Everything under content/ that would break or spoil the build, found without building: frontmatter
 * against the collections' schemas, settings, placeholders, unknown components, duplicate order and
 * broken internal links. The build, `npm test` and `npm run check:content` all call this.
 */
export async function checkContent(root: string, options: CheckOptions): Promise<CheckResult> {
  const problems: Problem[] = [];
  const components = (await readdir(join(root, COMPONENTS_DIR)))
    .filter((name) => name.endsWith('.astro'))
    .map((name) => basename(name, '.astro'));
  const read = (dir: string, schema: typeof faqSchema | typeof pageSchema) =>
    readCollection(root, dir, schema, { components, production: options.production }, problems);
  const questions = await read(COLLECTION_DIRS.faq, faqSchema);
  const pages = await read(COLLECTION_DIRS.pages, pageSchema);

  const ordered = questions.flatMap(({ file, order }) =>
    order ? [{ file, line: order.line, order: order.value }] : [],
  );
  for (const [first, twin] of orderClashes(ordered)) {
    problems.push({
      file: twin.file,
      line: twin.line,
      field: 'order',
      message: `${first.file} und ${twin.file} haben beide order ${twin.order}. – Lösung: jeder Frage eine eigene Zahl geben, z. B. eine noch freie zwischen den Nachbarn.`,
      severity: 'error',
    });
  }

  const legalPages = pages.filter((page) => page.id !== HOME_INTRO);
  const site = await readSite(
    root,
    legalPages.map((page) => page.id),
  );
  const anchors: Anchors = new Map([
    ['/', questions.map((question) => question.id)],
    ...legalPages.map((page) => [`/${page.id}/`, page.scan?.headingIds ?? []] as const),
  ]);
  for (const entry of [...questions, ...pages]) {
    const ownPage = legalPages.includes(entry) ? `/${entry.id}/` : '/';
    problems.push(...checkLinks(entry.file, ownPage, entry.scan?.links ?? [], site, anchors));
  }

  problems.push(...(await checkSettings(root)));
  problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  return { problems, questions: questions.length, pages: pages.length };
}

export interface ReportOptions {
  /** List each warning (npm run check:content), or only count them on the summary line (the build). */
  readonly listWarnings: boolean;
}

/**
 * The lines to print, `failed` when any problem is an error. Errors are always listed, one per line;
 * warnings are listed with a count of each kind, or (listWarnings false) only counted on the one
 * summary line, so that a build stays quiet about placeholders an editor already knows of.
 */
export function report(
  result: CheckResult,
  { listWarnings }: ReportOptions = { listWarnings: true },
): { readonly lines: string[]; readonly failed: boolean } {
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  const warnings = result.problems.filter((problem) => problem.severity === 'warning');
  const count = (kind: WarningKind) => warnings.filter((problem) => problem.kind === kind).length;
  const [placeholders, dates] = [count('placeholder'), count('date')];
  const placeholderNote = placeholders > 0 ? `${placeholders} Platzhalter noch offen` : undefined;
  const dateNote = dates > 0 ? `${dates} ${dates === 1 ? 'Termin' : 'Termine'} am Wochenende oder Feiertag` : undefined;
  const checked = `Inhalte geprüft: ${result.questions} Fragen, ${result.pages} Seiten, Einstellungen`;
  const outcome =
    errors.length === 0
      ? `${checked} – keine Fehler`
      : `${checked} – ${errors.length} Fehler. Bitte die genannten Stellen korrigieren und erneut prüfen`;
  if (!listWarnings) {
    const notes = [placeholderNote, dateNote].filter((note) => note !== undefined);
    const summary =
      notes.length > 0 ? `${outcome}; ${notes.join(', ')} (Liste: npm run check:content).` : `${outcome}.`;
    return { lines: [...errors.map(formatProblem), summary], failed: errors.length > 0 };
  }
  const lines = result.problems.map(formatProblem);
  if (placeholderNote) lines.push(`${placeholderNote} (nur ein Hinweis; ein Produktions-Build schlägt damit fehl).`);
  if (dateNote) lines.push(`${dateNote} (nur ein Hinweis).`);
  lines.push(`${outcome}.`);
  return { lines, failed: errors.length > 0 };
}

interface ReadContext {
  readonly components: readonly string[];
  readonly production: boolean;
}

/** Reads and checks every file of one collection folder; problems go to `problems`. */
async function readCollection(
  root: string,
  dir: string,
  schema: typeof faqSchema | typeof pageSchema,
  context: ReadContext,
  problems: Problem[],
): Promise<Entry[]> {
  const entries: Entry[] = [];
  const names = (await readdir(join(root, dir)).catch(() => [])).filter((name) => !name.startsWith('.')).sort();
  for (const name of names) {
    const file = `${dir}/${name}`;
    const problem = (message: string, line?: number, field?: string) =>
      problems.push({ file, line, field, message, severity: 'error' });
    if (!name.endsWith('.mdx')) {
      problem(
        `Diese Datei wird nicht veröffentlicht: Nur Dateien mit der Endung .mdx gehören hierher – Lösung: in „${name.replace(/\.[^.]*$/, '')}.mdx“ umbenennen.`,
      );
      continue;
    }
    if (!/^[a-z0-9-]+\.mdx$/.test(name)) {
      problem(
        'Der Dateiname wird zur Adresse – Lösung: nur Kleinbuchstaben, Ziffern und Bindestriche verwenden, Umlaute als ae, oe, ue, ß als ss.',
      );
    }
    const source = await readFile(join(root, file), 'utf8');
    const entry = { file, id: slug(basename(name, '.mdx')) };
    const frontmatter = readFrontmatter(source);
    let order: Entry['order'];
    if (!frontmatter.ok) {
      problem(
        `Der Kopfbereich zwischen den Zeilen --- ist kein gültiges YAML (${frontmatter.reason}) – Lösung: Text mit Doppelpunkt oder Anführungszeichen in gerade Anführungszeichen "…" setzen und die Einrückung prüfen.`,
        frontmatter.line,
      );
    } else {
      const result = schema.safeParse(frontmatter.data);
      for (const issue of result.success ? [] : result.error.issues) {
        const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : issue.path[0];
        const field = issue.path.map(String).join('.');
        problem(issue.message, typeof key === 'string' ? frontmatter.lineOf(key) : undefined, field || undefined);
      }
      if (result.success && 'order' in result.data)
        order = { value: result.data.order, line: frontmatter.lineOf('order') };
    }
    const scan = scanMdx(source);
    if (isSyntaxError(scan)) {
      problem(
        `Der Text lässt sich nicht lesen (${scan.reason}) – Lösung: spitze Klammern < > und geschweifte Klammern { } prüfen; Bausteine werden als <Name /> geschrieben.`,
        scan.line,
      );
      entries.push({ ...entry, order });
      continue;
    }
    for (const { name: component, line } of scan.components) {
      if (context.components.includes(component)) continue;
      problem(
        `Unbekannter Baustein <${component}> – Lösung: die Schreibweise prüfen; vorhanden sind ${context.components.map((known) => `<${known}>`).join(', ')}.`,
        line,
      );
    }
    for (const { text, line } of scan.placeholders) {
      problems.push({
        file,
        line,
        message: `${PLACEHOLDER} „${text}“ ist noch offen – Lösung: vor der Veröffentlichung durch den richtigen Text ersetzen.`,
        severity: context.production ? 'error' : 'warning',
        kind: 'placeholder',
      });
    }
    entries.push({ ...entry, order, scan });
  }
  return entries;
}
