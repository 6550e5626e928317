import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, readdir, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { iso } from './content-dates.ts';

/** A build of the project in a copy of its own, made by a clock pinned with KOMMA_NOW. */
export interface PinnedBuild {
  /** The copy: serve it with startTestSite({ projectDir: dir }) (functions included) or its dist/ statically. */
  readonly dir: string;
  readonly dist: string;
  remove(): Promise<void>;
}

export interface PinnedBuildOptions {
  /** Edits content/settings.json of the copy before the build, e.g. to give a session a capacity. */
  readonly settings?: (settings: SettingsFile) => SettingsFile;
}

/** content/settings.json as JSON: the fields a test edits, and whatever else it holds. */
export interface SettingsFile {
  webinars: { id: string; start: string; end: string; capacity?: number }[];
  [field: string]: unknown;
}

/**
 * The environment variable naming this test run's folder of pinned builds (set by the global setup,
 * build-once.ts). Unset, as in the bench, every call builds.
 */
export const PINNED_BUILDS = 'KOMMA_TEST_PINNED_BUILDS';

/** What a build and `npm run serve` read; dist/ and .netlify/ of the project stay out. */
const PROJECT_ENTRIES = [
  'src',
  'content',
  'public',
  'functions',
  'astro.config.mjs',
  'tsconfig.json',
  'package.json',
  'netlify.toml',
];

/**
 * The site as a build at `now` makes it: the pages state what is true then (the application
 * window's state, the sessions still ahead), and <html data-now> pins their scripts' clock to it.
 * The global setup's dist/ is built by the real clock; these builds let a test choose the moment.
 * Each takes a few seconds: build once per file and moment, in beforeAll.
 */
export async function pinnedBuild(now: Date, options: PinnedBuildOptions = {}): Promise<PinnedBuild> {
  // Builds with the content's own settings are the same for every file that asks for one moment:
  // each gets a copy of the first (a moment, where a build takes seconds), to change as it likes.
  const folder = process.env[PINNED_BUILDS];
  const kept = folder && !options.settings ? join(folder, iso(now).replace(/[:.]/g, '-')) : undefined;
  if (kept && existsSync(kept)) {
    const dir = await mkdtemp(join(tmpdir(), 'komma-pinned-'));
    await cp(kept, dir, { recursive: true, verbatimSymlinks: true });
    return { dir, dist: join(dir, 'dist'), remove: () => rm(dir, { recursive: true, force: true }) };
  }
  const dir = await projectCopy('komma-pinned-');
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    if (options.settings) {
      // The copy's content, as an editor would change it: pages and functions read the same file.
      const file = join(dir, 'content', 'settings.json');
      const edited = options.settings(JSON.parse(await readFile(file, 'utf8')));
      await writeFile(file, `${JSON.stringify(edited, null, 2)}\n`);
    }
    const { code, output } = await astroBuild(dir, { KOMMA_NOW: iso(now) });
    if (code !== 0) throw new Error(`The build pinned at ${iso(now)} failed:\n${output}`);
    if (kept) await keep(dir, kept);
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, dist: join(dir, 'dist'), remove };
}

/**
 * Keeps a copy of the build at `kept` for the next file that asks, whole or not at all: files run
 * in parallel, and one may look while another copies. The first to finish keeps its copy.
 */
async function keep(dir: string, kept: string): Promise<void> {
  const partial = `${kept}-partial-${process.pid}`;
  await cp(dir, partial, { recursive: true, verbatimSymlinks: true });
  await rename(partial, kept).catch(() => rm(partial, { recursive: true, force: true }));
}

/**
 * A copy of what the build reads in a new temporary folder, with the project's packages linked one
 * by one into a node_modules of its own: Astro and Vite keep their caches there (.astro holds the
 * content's data store), and copies built side by side must not share them.
 */
export async function projectCopy(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await Promise.all(PROJECT_ENTRIES.map((entry) => cp(entry, join(dir, entry), { recursive: true })));
  const packages = join(process.cwd(), 'node_modules');
  const caches = (entry: string) => entry.startsWith('.') && entry !== '.bin';
  await mkdir(join(dir, 'node_modules'));
  await Promise.all(
    (await readdir(packages))
      .filter((entry) => !caches(entry))
      .map((entry) => symlink(join(packages, entry), join(dir, 'node_modules', entry))),
  );
  return dir;
}

/** The real `astro build` in `dir`; `silent: false` keeps Astro's own log (an editor's error messages). */
export function astroBuild(
  dir: string,
  env: Record<string, string> = {},
  { silent = true } = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const args = ['node_modules/astro/bin/astro.mjs', 'build', ...(silent ? ['--silent'] : [])];
    const child = spawn(process.execPath, args, {
      cwd: dir,
      env: { ...process.env, CONTEXT: '', NO_COLOR: '1', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code, output }));
  });
}
