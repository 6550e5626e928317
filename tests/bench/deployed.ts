/**
 * The bench's sections on the functions: each one bundled as `npm run build` bundles it, packaged
 * by zip-it-and-ship-it from the directory netlify.toml gives the deploy contexts (as `netlify
 * build` does), and the cold import of the module Netlify deploys against the single bundle.
 * For comparison, functions/ packaged as it is, which is what Netlify deploys without the build's
 * bundling step (node_modules file by file).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { BUNDLED_FUNCTIONS_DIR, bundleFunctions, FUNCTIONS_SOURCE_DIR } from '../../src/build/function-bundles.ts';
import type { BudgetResult } from './budget.ts';
import { bundleWeight, coldImports, FUNCTION_BYTE_BUDGET, type BundleWeight } from './functions.ts';
import { declaredConfigs, functionsDirectoryOf, packageFunctions, type PackagedFunction } from './packaging.ts';
import { median } from './stats.ts';
import { formatTable, kb, ms } from './table.ts';

/** Fails the bench: a deployed zip, Netlify's bootstrap (about 330 KB) included, at most this. */
export const ZIP_BYTE_BUDGET = 450 * 1024;
/** Fails the bench: files of ours in a deployed zip (the function's module and what it imports). */
export const MODULE_FILE_BUDGET = 1;
/** From the issue: the deployed module imports in at most 1.3× the time of a single bundle. */
export const IMPORT_RATIO_BUDGET = 1.3;
/** A deploy context whose functions directory the bench packages; every one names the same. */
const DEPLOY_CONTEXT = 'deploy-preview';

export interface DeployedFunction {
  readonly name: string;
  readonly zipBytes: number;
  readonly files: number;
  readonly moduleFiles: number;
  readonly bundleImportMs: number;
  readonly deployedImportMs: number;
  /** The median, over the runs, of deployed ÷ bundle import time (the two imported side by side). */
  readonly ratio: number;
  /** functions/ packaged without the bundling step (left out when not asked for). */
  readonly unbundled?: { readonly zipBytes: number; readonly files: number; readonly importMs: number };
}

export interface FunctionFigures {
  readonly deployDirectory: string;
  readonly bundles: readonly BundleWeight[];
  readonly deployed: readonly DeployedFunction[];
  readonly coldImportRuns: number;
  readonly emptyImportMs: number;
  /** The median over the functions of `ratio`: what the import budget gates on. */
  readonly medianRatio: number;
  /** Functions deployed without the routes, schedule or rate limit their source declares. */
  readonly configMismatches: readonly string[];
  /** The deployed module of `bewerbung`, for the handler bench. */
  readonly bewerbungModule: string;
}

function byName(functions: readonly PackagedFunction[]): Map<string, PackagedFunction> {
  return new Map(functions.map((fn) => [fn.name, fn]));
}

/**
 * Bundles, packages and imports every function inside `workDir` (a temporary directory); with
 * `unbundled`, also functions/ as Netlify would package it without the build's bundles.
 */
export async function measureFunctions(
  workDir: string,
  coldImportRuns: number,
  { unbundled: withUnbundled }: { readonly unbundled: boolean },
): Promise<FunctionFigures> {
  const bundled = await bundleFunctions(join(workDir, 'bundled'));
  const deployDirectory = await functionsDirectoryOf(DEPLOY_CONTEXT);
  // When netlify.toml names the build's bundles, package a fresh copy of them; otherwise whatever it names.
  const packageFrom = deployDirectory === resolve(BUNDLED_FUNCTIONS_DIR) ? join(workDir, 'bundled') : deployDirectory;
  const [deployed, unbundled] = await Promise.all([
    packageFunctions(packageFrom, join(workDir, 'deployed')),
    withUnbundled ? packageFunctions(FUNCTIONS_SOURCE_DIR, join(workDir, 'unbundled')) : [],
  ]);
  const deployedByName = byName(deployed);
  const unbundledByName = byName(unbundled);

  writeFileSync(join(workDir, 'empty.mjs'), 'export {};\n');
  const times = coldImports(
    [
      [['empty', join(workDir, 'empty.mjs')]],
      ...bundled.map(({ name, file }) => [
        [`bundle ${name}`, file] as const,
        [`deployed ${name}`, deployedByName.get(name)!.module] as const,
        ...(withUnbundled ? [[`unbundled ${name}`, unbundledByName.get(name)!.module] as const] : []),
      ]),
    ],
    coldImportRuns,
  );
  const medianOf = (label: string) => median(times.get(label)!);

  const rows: DeployedFunction[] = bundled.map(({ name }) => {
    const zip = deployedByName.get(name)!;
    const plain = unbundledByName.get(name);
    const bundleTimes = times.get(`bundle ${name}`)!;
    return {
      name,
      zipBytes: zip.zipBytes,
      files: zip.files,
      moduleFiles: zip.moduleFiles,
      bundleImportMs: median(bundleTimes),
      deployedImportMs: medianOf(`deployed ${name}`),
      // Run by run, then the median: each pair was imported side by side.
      ratio: median(times.get(`deployed ${name}`)!.map((ms, run) => ms / bundleTimes[run]!)),
      ...(plain && {
        unbundled: { zipBytes: plain.zipBytes, files: plain.files, importMs: medianOf(`unbundled ${name}`) },
      }),
    };
  });
  const declared = await declaredConfigs();
  const configMismatches = [...declared]
    .filter(([name, config]) => !isDeepStrictEqual(deployedByName.get(name)?.config, config))
    .map(([name]) => (deployedByName.has(name) ? name : `${name} (not deployed)`));
  return {
    deployDirectory,
    bundles: bundled.map(bundleWeight),
    deployed: rows,
    coldImportRuns,
    emptyImportMs: medianOf('empty'),
    medianRatio: median(rows.map((row) => row.ratio)),
    configMismatches,
    bewerbungModule: deployedByName.get('bewerbung')!.module,
  };
}

function heading(title: string): void {
  console.log();
  console.log(title);
  console.log();
}

function printLines(lines: readonly string[]): void {
  for (const line of lines) console.log(line);
}

export function printFunctionFigures(figures: FunctionFigures): void {
  heading('Functions, bundled as `npm run build` bundles them (esbuild, ESM, node24, minified). KB = 1000 bytes.');
  printLines(
    formatTable(
      [
        { title: 'Function', align: 'left' },
        { title: 'raw' },
        { title: 'gzip' },
        { title: 'own code' },
        { title: 'biggest packages (KB)', align: 'left' },
      ],
      figures.bundles.map((bundle) => [
        bundle.name,
        kb(bundle.raw),
        kb(bundle.gzip),
        kb(bundle.ownCode),
        bundle.biggestPackages.map((pkg) => `${pkg.name} ${kb(pkg.bytes)}`).join(', '),
      ]),
    ),
  );
  console.log();
  console.log('Own code = src/, functions/ and content/ in the bundle.');

  heading(
    `As Netlify deploys them: zip-it-and-ship-it on ${figures.deployDirectory.replace(`${process.cwd()}/`, '')}/ ` +
      `(netlify.toml, ${DEPLOY_CONTEXT}); cold import = median of ${figures.coldImportRuns} fresh Node processes each.`,
  );
  const withUnbundled = figures.deployed.every((fn) => fn.unbundled);
  printLines(
    formatTable(
      [
        { title: 'Function', align: 'left' },
        { title: 'zip KB' },
        { title: 'files' },
        { title: 'ours' },
        { title: 'bundle ms' },
        { title: 'deployed ms' },
        { title: '× bundle' },
        ...(withUnbundled
          ? [{ title: 'unbundled: zip KB' }, { title: 'files' }, { title: 'ms' }, { title: '× bundle' }]
          : []),
      ],
      figures.deployed.map((fn) => [
        fn.name,
        kb(fn.zipBytes),
        String(fn.files),
        String(fn.moduleFiles),
        ms(fn.bundleImportMs),
        ms(fn.deployedImportMs),
        fn.ratio.toFixed(2),
        ...(fn.unbundled
          ? [
              kb(fn.unbundled.zipBytes),
              String(fn.unbundled.files),
              ms(fn.unbundled.importMs),
              (fn.unbundled.importMs / fn.bundleImportMs).toFixed(2),
            ]
          : []),
      ]),
    ),
  );
  console.log();
  console.log(
    `Empty module: ${ms(figures.emptyImportMs)} ms. Median of "× bundle" over the functions: ` +
      `${figures.medianRatio.toFixed(2)}.`,
  );
  console.log('× bundle = the median over the runs of deployed ÷ bundle, the two imported one right after the other.');
  console.log("files = all files in the zip, Netlify's bootstrap and entry point (4) included; ours = the rest.");
  console.log("deployed = the module the zip's entry point imports; bundle = the single esbuild bundle;");
  if (withUnbundled)
    console.log("  unbundled = functions/ packaged as it is, as Netlify deploys it without the build's bundles.");
  if (figures.configMismatches.length > 0) {
    console.log(`Routes, schedule or rate limit differ from the source: ${figures.configMismatches.join(', ')}.`);
  }
}

export function functionBudgets(figures: FunctionFigures): BudgetResult[] {
  return [
    ...figures.bundles.map((bundle) => ({
      subject: `functions/${bundle.name}`,
      metric: 'bundled, minified',
      measured: bundle.raw,
      limit: FUNCTION_BYTE_BUDGET,
      passed: bundle.raw <= FUNCTION_BYTE_BUDGET,
    })),
    ...figures.deployed.flatMap((fn): BudgetResult[] => [
      {
        subject: `functions/${fn.name}`,
        metric: 'deployed zip',
        measured: fn.zipBytes,
        limit: ZIP_BYTE_BUDGET,
        passed: fn.zipBytes <= ZIP_BYTE_BUDGET,
      },
      {
        subject: `functions/${fn.name}`,
        metric: 'files of ours in the deployed zip',
        measured: fn.moduleFiles,
        limit: MODULE_FILE_BUDGET,
        passed: fn.moduleFiles <= MODULE_FILE_BUDGET,
        kind: 'at most',
      },
    ]),
    {
      subject: 'functions',
      metric: "deployed with the source's routes, schedules and rate limits (mismatches)",
      measured: figures.configMismatches.length,
      limit: 0,
      passed: figures.configMismatches.length === 0,
      kind: 'at most',
    },
    {
      subject: 'functions',
      metric: 'cold import, deployed module × single bundle (median over the functions)',
      measured: Number(figures.medianRatio.toFixed(2)),
      limit: IMPORT_RATIO_BUDGET,
      passed: figures.medianRatio <= IMPORT_RATIO_BUDGET,
      kind: 'at most',
    },
  ];
}
