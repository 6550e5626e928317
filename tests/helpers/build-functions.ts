/**
 * Builds each function in functions/ once, as Netlify bundles it (esbuild, one self-contained ESM
 * file per function), and imports the result: the real handlers, without @netlify/dev's rebuild
 * on every request. One change to what is deployed: the settings come from the test (see
 * harness-settings.ts), not from content/settings.json.
 */
import { readdir } from 'node:fs/promises';
import { join, parse, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** Netlify Functions v2: `export default (request, context) => Response`. */
export type FunctionHandler = (request: Request, context: FunctionContext) => Promise<Response>;

/** The part of Netlify's context our functions read. */
export interface FunctionContext {
  readonly deploy: { readonly context: string };
}

export interface FunctionConfig {
  readonly path?: string | readonly string[];
  readonly schedule?: string;
}

export interface BuiltFunction {
  /** The file name without extension: "bewerbung", "deliver-pending". */
  readonly name: string;
  readonly handler: FunctionHandler;
  readonly config: FunctionConfig;
}

/**
 * The folder with the functions built for this test run (set by the behaviour project's global
 * setup, build-functions-once.ts); unset, startHarness builds them itself.
 */
export const BUILT_FUNCTIONS = 'KOMMA_TEST_FUNCTIONS';

const SOURCE = /\.(mts|ts|mjs|js)$/;
const SITE_SETTINGS = resolve('src/settings/index.ts');
const TEST_SETTINGS = resolve('tests/helpers/harness-settings.ts');

/** Test code only: src/settings/index.ts (content/settings.json) becomes the harness's settings. */
const settingsSeam: Plugin = {
  name: 'komma-harness-settings',
  setup(builder) {
    builder.onResolve({ filter: /settings\/index\.ts$/ }, (args) =>
      resolve(args.resolveDir, args.path) === SITE_SETTINGS ? { path: TEST_SETTINGS } : undefined,
    );
  },
};

/** The functions' names in `sourceDir`. */
async function functionFiles(sourceDir: string): Promise<string[]> {
  return (await readdir(sourceDir)).filter((file) => SOURCE.test(file)).sort();
}

/** Bundles every function of `sourceDir` into `outdir`/<name>.mjs. */
export async function bundleFunctions(outdir: string, sourceDir = 'functions'): Promise<void> {
  const files = await functionFiles(sourceDir);
  await Promise.all(
    files.map((file) =>
      build({
        entryPoints: [join(sourceDir, file)],
        outfile: join(outdir, `${parse(file).name}.mjs`),
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node24',
        minify: true,
        logLevel: 'warning',
        plugins: [settingsSeam],
      }),
    ),
  );
}

/** Imports the bundles of `outdir`; a process imports each once, whichever harness asks. */
export async function importFunctions(outdir: string): Promise<BuiltFunction[]> {
  const files = (await readdir(outdir)).filter((file) => file.endsWith('.mjs')).sort();
  return Promise.all(
    files.map(async (file) => {
      const module = (await import(pathToFileURL(join(outdir, file)).href)) as {
        default?: unknown;
        config?: FunctionConfig;
      };
      if (typeof module.default !== 'function') throw new Error(`${file} has no default export to call`);
      return { name: parse(file).name, handler: module.default as FunctionHandler, config: module.config ?? {} };
    }),
  );
}
