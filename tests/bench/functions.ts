/**
 * The Netlify Functions as bundles: what each one weighs, what weighs most in it, and how long a
 * fresh Node process takes to import it. Bundle size is cold-start time on Netlify.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { median } from './stats.ts';

const FUNCTIONS_DIR = 'functions';
const FUNCTION_EXTENSIONS = ['.mts', '.ts', '.mjs', '.js'];

/** Fails the bench: each function, bundled and minified, at most this many bytes. */
export const FUNCTION_BYTE_BUDGET = 200 * 1024;

export interface PackageWeight {
  readonly name: string;
  readonly bytes: number;
}

export interface FunctionBundle {
  readonly name: string;
  /** Bundled and minified, as the budget counts it. */
  readonly raw: number;
  readonly gzip: number;
  /** The same bundle without minify, as zip-it-and-ship-it deploys it (it does not minify). */
  readonly unminified: number;
  /** Bytes from this repository (src/, functions/, content/) in the minified bundle. */
  readonly ownCode: number;
  /** The three packages from node_modules with the most bytes in the minified bundle. */
  readonly biggestPackages: readonly PackageWeight[];
  readonly code: Uint8Array;
}

/** Every function Netlify would deploy: each file in functions/ is one. */
export function functionEntries(): string[] {
  return readdirSync(FUNCTIONS_DIR)
    .filter((file) => FUNCTION_EXTENSIONS.includes(extname(file)))
    .sort()
    .map((file) => join(FUNCTIONS_DIR, file));
}

/** The package an input file of the bundle belongs to; undefined for this repository's own files. */
export function packageOf(inputPath: string): string | undefined {
  // The last node_modules wins, so a nested copy counts for the package it is, not the one holding it.
  const marker = 'node_modules/';
  const at = inputPath.lastIndexOf(marker);
  if (at === -1) return undefined;
  const [first = '', second = ''] = inputPath.slice(at + marker.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

function weights(metafile: Metafile): { ownCode: number; packages: PackageWeight[] } {
  const byPackage = new Map<string, number>();
  let ownCode = 0;
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const name = packageOf(path);
      if (name === undefined) ownCode += input.bytesInOutput;
      else byPackage.set(name, (byPackage.get(name) ?? 0) + input.bytesInOutput);
    }
  }
  const packages = [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
  return { ownCode, packages };
}

/**
 * esbuild as Netlify's zip-it-and-ship-it runs it for `node_bundler = "esbuild"` (bundle, platform
 * node, ESM for .mts, target from NODE_VERSION), plus minify, which the budget assumes.
 */
async function bundle(entry: string, minify: boolean) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify,
    write: false,
    metafile: true,
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild wrote nothing for ${entry}.`);
  return { code: output.contents, metafile: result.metafile };
}

export async function bundleFunction(entry: string): Promise<FunctionBundle> {
  const [minified, plain] = await Promise.all([bundle(entry, true), bundle(entry, false)]);
  const { ownCode, packages } = weights(minified.metafile);
  return {
    name: basename(entry, extname(entry)),
    raw: minified.code.length,
    gzip: gzipSync(minified.code, { level: 9 }).length,
    unminified: plain.code.length,
    ownCode,
    biggestPackages: packages.slice(0, 3),
    code: minified.code,
  };
}

// ---------------------------------------------------------------------------------------------
// Cold import

/** Imports one module and prints how long that took; run in a fresh process, so nothing is cached. */
const IMPORT_TIMER = `
const start = performance.now();
await import(process.argv[1]);
console.log('import-ms ' + (performance.now() - start));
`;

function importOnce(file: string): number {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', IMPORT_TIMER, pathToFileURL(file).href], {
    encoding: 'utf8',
  });
  const line = /^import-ms (\S+)$/m.exec(result.stdout ?? '');
  if (result.status !== 0 || !line) {
    throw new Error(`Importing ${file} failed (exit ${result.status}):\n${result.stderr}`);
  }
  return Number(line[1]);
}

export interface ColdImport {
  readonly runs: number;
  /** Median ms of an empty module: what any import costs in a fresh process. */
  readonly emptyMs: number;
  readonly functions: readonly { name: string; medianMs: number; ratio: number }[];
}

/**
 * Writes the bundles to `dir` and imports each, and an empty module, in `runs` fresh processes.
 * The modules take turns, so that a slow moment of the machine does not fall on one of them alone.
 */
export function coldImports(bundles: readonly FunctionBundle[], dir: string, runs: number): ColdImport {
  const files = new Map<string, string>([['(empty module)', join(dir, 'empty.mjs')]]);
  writeFileSync(join(dir, 'empty.mjs'), 'export {};\n');
  for (const { name, code } of bundles) {
    files.set(name, join(dir, `${name}.mjs`));
    writeFileSync(join(dir, `${name}.mjs`), code);
  }
  const times = new Map<string, number[]>([...files.keys()].map((name) => [name, []]));
  const entries = [...files];
  for (let run = 0; run < runs; run += 1) {
    // Each run starts with another module, so that none always comes first or right after another.
    const order = [...entries.slice(run % entries.length), ...entries.slice(0, run % entries.length)];
    for (const [name, file] of order) times.get(name)!.push(importOnce(file));
  }
  const emptyMs = median(times.get('(empty module)')!);
  return {
    runs,
    emptyMs,
    functions: bundles.map(({ name }) => {
      const medianMs = median(times.get(name)!);
      return { name, medianMs, ratio: medianMs / emptyMs };
    }),
  };
}
