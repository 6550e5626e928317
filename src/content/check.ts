import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { slug } from 'github-slugger';
import { checkLinks, type Anchors } from './check-links.ts';
import { checkSettings } from './check-settings.ts';
import { readFrontmatter } from './frontmatter.ts';
import { isSyntaxError, PLACEHOLDER, scanMdx, type MdxScan } from './mdx.ts';
import { orderClashes } from './order.ts';
import { formatProblem, type Problem } from './problems.ts';
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

/** The lines to print: one per problem, then a summary; `failed` when any is an error. */
export function report(result: CheckResult): { readonly lines: string[]; readonly failed: boolean } {
  const errors = result.problems.filter((problem) => problem.severity === 'error').length;
  const warnings = result.problems.length - errors;
  const checked = `Inhalte geprüft: ${result.questions} Fragen, ${result.pages} Seiten, Einstellungen`;
  const lines = result.problems.map(formatProblem);
  if (warnings > 0) {
    lines.push(`${warnings} Platzhalter noch offen (nur ein Hinweis; ein Produktions-Build schlägt damit fehl).`);
  }
  lines.push(
    errors === 0
      ? `${checked} – keine Fehler.`
      : `${checked} – ${errors} Fehler. Bitte die genannten Stellen korrigieren und erneut prüfen.`,
  );
  return { lines, failed: errors > 0 };
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
      });
    }
    entries.push({ ...entry, order, scan });
  }
  return entries;
}
