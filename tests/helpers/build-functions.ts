/**
 * Builds each function in functions/ once, as Netlify bundles it (esbuild, one self-contained ESM
 * file per function), and imports the result: the real handlers, without @netlify/dev's rebuild
 * on every request.
 */
import { readdir } from 'node:fs/promises';
import { join, parse } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

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

const SOURCE = /\.(mts|ts|mjs|js)$/;

export async function buildFunctions(outdir: string, sourceDir = 'functions'): Promise<BuiltFunction[]> {
  const files = (await readdir(sourceDir)).filter((file) => SOURCE.test(file)).sort();
  return Promise.all(
    files.map(async (file) => {
      const { name } = parse(file);
      const outfile = join(outdir, `${name}.mjs`);
      await build({
        entryPoints: [join(sourceDir, file)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node24',
        minify: true,
        logLevel: 'warning',
      });
      const module = (await import(pathToFileURL(outfile).href)) as { default?: unknown; config?: FunctionConfig };
      if (typeof module.default !== 'function') throw new Error(`${file} has no default export to call`);
      return { name, handler: module.default as FunctionHandler, config: module.config ?? {} };
    }),
  );
}
