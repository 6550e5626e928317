/**
 * The Netlify Functions as bundles: what each one weighs and what weighs most in it; and how long
 * a fresh Node process takes to import a module. Bundle size is cold-start time on Netlify.
 */
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { BundledFunction } from '../../src/build/function-bundles.ts';

/** Fails the bench: each function's bundle (what the build writes, minified) at most this many bytes. */
export const FUNCTION_BYTE_BUDGET = 200 * 1024;

export interface PackageWeight {
  readonly name: string;
  readonly bytes: number;
}

export interface BundleWeight {
  readonly name: string;
  readonly raw: number;
  readonly gzip: number;
  /** Bytes from this repository (src/, functions/, content/) in the bundle. */
  readonly ownCode: number;
  /** The three packages from node_modules with the most bytes in the bundle. */
  readonly biggestPackages: readonly PackageWeight[];
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

export function bundleWeight(bundle: BundledFunction): BundleWeight {
  const byPackage = new Map<string, number>();
  let ownCode = 0;
  for (const [path, bytes] of Object.entries(bundle.inputs)) {
    const name = packageOf(path);
    if (name === undefined) ownCode += bytes;
    else byPackage.set(name, (byPackage.get(name) ?? 0) + bytes);
  }
  const packages = [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
  return {
    name: bundle.name,
    raw: bundle.bytes,
    gzip: gzipSync(readFileSync(bundle.file), { level: 9 }).length,
    ownCode,
    biggestPackages: packages.slice(0, 3),
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

/**
 * Ms to import each module in `runs` fresh processes, every run of each (label → times). The
 * modules of a group (one function's builds) are imported one right after the other, so that a slow
 * moment of a busy machine falls on all of them alike and their ratio, run by run, holds still; the
 * groups take turns to go first, and inside a group the order turns with each run.
 */
export function coldImports(
  groups: readonly (readonly (readonly [label: string, file: string])[])[],
  runs: number,
): Map<string, number[]> {
  const times = new Map<string, number[]>(groups.flat().map(([label]) => [label, []]));
  const turned = <T>(list: readonly T[], by: number) => {
    const shift = by % list.length;
    return [...list.slice(shift), ...list.slice(0, shift)];
  };
  for (let run = 0; run < runs; run += 1) {
    for (const group of turned(groups, run)) {
      for (const [label, file] of turned(group, run)) times.get(label)!.push(importOnce(file));
    }
  }
  return times;
}
