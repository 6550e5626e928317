/**
 * Build time with many FAQ entries: the site in a copy with generated questions, beside a minimal
 * Astro project that renders the same entries as plain Markdown, built in the same run on the same
 * machine. The ratio says what our pipeline (MDX, the editors' components, one rendered FAQ page,
 * validation, sitemap) costs over Astro's own floor; the seconds alone would say more about the machine.
 */
import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** What the site's build reads; the same list as the content-build test copies. */
const SITE_FILES = ['src', 'content', 'public', 'astro.config.mjs', 'tsconfig.json', 'package.json'];
/** Above any order an editor writes (they count in tens), so no generated entry clashes with one. */
const ORDER_BASE = 100_000;

export interface BuildTimes {
  readonly entries: number;
  readonly siteSeconds: number;
  readonly baselineSeconds: number;
  readonly siteMsPerEntry: number;
  readonly baselineMsPerEntry: number;
  readonly ratio: number;
}

/**
 * node_modules as a folder of links to the project's packages rather than one link to the folder:
 * Astro keeps its content cache in node_modules/.astro, and a shared one would let one build reuse
 * (or spoil) another's.
 */
async function linkPackages(dir: string): Promise<void> {
  const target = join(dir, 'node_modules');
  await mkdir(target);
  for (const entry of await readdir('node_modules')) {
    if (entry === '.astro' || entry === '.vite') continue;
    await symlink(resolve('node_modules', entry), join(target, entry));
  }
}

const pad = (index: number): string => String(index).padStart(4, '0');

/** One entry's Markdown: the frontmatter the FAQ schema requires and a short answer. */
function entry(index: number): string {
  return [
    '---',
    `question: Generierte Frage ${index} – wie lange dauert der Build?`,
    `order: ${ORDER_BASE + index}`,
    '---',
    '',
    `Antwort ${index}: ein kurzer Absatz, damit jede Antwort etwas zu rendern hat.`,
    '',
  ].join('\n');
}

async function writeEntries(folder: string, extension: string, count: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (let index = 1; index <= count; index += 1) {
    await writeFile(join(folder, `generated-${pad(index)}${extension}`), entry(index));
  }
}

async function siteCopy(count: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'komma-bench-site-'));
  for (const file of SITE_FILES) await cp(file, join(dir, file), { recursive: true });
  await linkPackages(dir);
  await writeEntries(join(dir, 'content', 'faq'), '.mdx', count);
  return dir;
}

const BASELINE_FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'bench-baseline', private: true, type: 'module' }),
  'astro.config.mjs':
    "import { defineConfig } from 'astro/config';\n\nexport default defineConfig({ output: 'static' });\n",
  'src/content.config.ts': `import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

const faq = defineCollection({
  loader: glob({ pattern: '*.md', base: './entries' }),
  schema: z.object({ question: z.string(), order: z.number().int().positive() }),
});

export const collections = { faq };
`,
  'src/pages/[slug].astro': `---
import { getCollection, render } from 'astro:content';

export async function getStaticPaths() {
  const entries = await getCollection('faq');
  return entries.map((entry) => ({ params: { slug: entry.id }, props: { entry } }));
}

const { entry } = Astro.props;
const { Content } = await render(entry);
---

<html lang="de">
  <head><meta charset="utf-8" /><title>{entry.data.question}</title></head>
  <body><h1>{entry.data.question}</h1><Content /></body>
</html>
`,
};

/** The floor: Astro's own Markdown collection, one page per entry, nothing else. */
async function baselineProject(count: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'komma-bench-md-'));
  for (const [file, text] of Object.entries(BASELINE_FILES)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
  await linkPackages(dir);
  await writeEntries(join(dir, 'entries'), '.md', count);
  return dir;
}

/** Seconds of one `astro build` in `dir`; its output is shown only when it fails. */
function timeBuild(dir: string): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['node_modules/astro/bin/astro.mjs', 'build'], {
      cwd: dir,
      // Not production (its placeholder check would fail the copy); no telemetry on the network.
      env: { ...process.env, CONTEXT: '', NO_COLOR: '1', ASTRO_TELEMETRY_DISABLED: '1' },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise((performance.now() - start) / 1000);
      else reject(new Error(`astro build in ${dir} failed (exit ${code}):\n${output}`));
    });
  });
}

/** Both builds, one after the other (two cores: side by side they would slow each other down). */
export async function buildTimes(count: number): Promise<BuildTimes> {
  const dirs = [await siteCopy(count), await baselineProject(count)] as const;
  try {
    const siteSeconds = await timeBuild(dirs[0]);
    const baselineSeconds = await timeBuild(dirs[1]);
    return {
      entries: count,
      siteSeconds,
      baselineSeconds,
      siteMsPerEntry: (siteSeconds * 1000) / count,
      baselineMsPerEntry: (baselineSeconds * 1000) / count,
      ratio: siteSeconds / baselineSeconds,
    };
  } finally {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  }
}
