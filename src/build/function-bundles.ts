/**
 * Bundles each Netlify Function into one self-contained ESM file, the module Netlify deploys.
 *
 * Why: for v2 functions Netlify's zip-it-and-ship-it ignores `node_bundler = "esbuild"` and ships
 * node_modules file by file (traced by NFT): about 250 files for a form function, imported about
 * 2–3× slower than one bundle. Given a bundle that imports nothing but Node's built-ins, NFT finds
 * nothing to trace and the zip holds that one module beside Netlify's bootstrap files.
 * `functions/*.mts` stay the source; netlify.toml points every deploy context at the bundles.
 */
import { readdirSync, rmSync } from 'node:fs';
import { extname, join, parse, relative, resolve } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { packFrame, readFramePage, readThanksPages } from '../site-pages/built-pages.ts';

export const FUNCTIONS_SOURCE_DIR = 'functions';
/** Where `npm run build` writes the bundles; netlify.toml's `[build] functions` names it. */
export const BUNDLED_FUNCTIONS_DIR = '.netlify/functions-bundled';

const SOURCE_EXTENSIONS = new Set(['.mts', '.ts', '.mjs', '.js']);

/**
 * esbuild as for one Node 24 ESM module with every package inside. Minified: the file is parsed on
 * every cold start, and zip-it-and-ship-it re-prints it without minifying anyway (identifiers stay
 * short). `export const config` survives as a plain object literal, which is what Netlify reads
 * statically to learn a function's path, schedule and rate limit.
 */
export const FUNCTION_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  minify: true,
  logLevel: 'warning',
} as const satisfies BuildOptions;

export interface BundledFunction {
  /** The file name without extension, which is the function's name: "bewerbung". */
  readonly name: string;
  /** The bundle, absolute. */
  readonly file: string;
  readonly bytes: number;
  /** Bytes each input file (relative to the working directory) contributes to the bundle. */
  readonly inputs: Readonly<Record<string, number>>;
}

/** Every function Netlify would deploy from `sourceDir`: each source file in it is one. */
export function functionSources(sourceDir = FUNCTIONS_SOURCE_DIR): string[] {
  return readdirSync(sourceDir)
    .filter((file) => SOURCE_EXTENSIONS.has(extname(file)))
    .sort()
    .map((file) => join(sourceDir, file));
}

/**
 * Writes `<outdir>/<name>.mjs` for each function of `sourceDir`, with the built pages of `distDir`
 * inside (none where it holds no build). The directory is emptied first, so
 * that a function deleted from the source is not deployed from an old bundle.
 */
export async function bundleFunctions(
  outdir = BUNDLED_FUNCTIONS_DIR,
  sourceDir = FUNCTIONS_SOURCE_DIR,
  distDir = 'dist',
): Promise<BundledFunction[]> {
  rmSync(outdir, { recursive: true, force: true });
  const sources = functionSources(sourceDir);
  const frame = readFramePage(distDir);
  const result = await build({
    ...FUNCTION_BUILD_OPTIONS,
    // The pages functions answer with, from the build `npm run build` has just made: a deployed
    // function cannot count on reading dist/ (src/site-pages/built-pages.ts).
    define: {
      KOMMA_FRAME_PAGE: frame === undefined ? 'undefined' : JSON.stringify(packFrame(frame)),
      KOMMA_THANKS_PAGES: JSON.stringify(readThanksPages(distDir)),
    },
    entryPoints: Object.fromEntries(sources.map((source) => [parse(source).name, source])),
    outdir,
    outExtension: { '.js': '.mjs' },
    metafile: true,
  });
  return sources.map((source) => {
    const { name } = parse(source);
    const file = resolve(outdir, `${name}.mjs`);
    const output = result.metafile.outputs[relative(process.cwd(), file)];
    if (!output) throw new Error(`esbuild wrote no bundle for ${source}.`);
    const inputs = Object.fromEntries(
      Object.entries(output.inputs).map(([path, input]) => [path, input.bytesInOutput]),
    );
    return { name, file, bytes: output.bytes, inputs };
  });
}
