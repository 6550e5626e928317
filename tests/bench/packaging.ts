/**
 * The functions as Netlify deploys them: packaged by @netlify/zip-it-and-ship-it, as `netlify build`
 * does, from the directory netlify.toml names for a deploy context. What each zip holds, which
 * module Netlify imports from it, and what the manifest says about routes, schedules and rate limits.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { resolveConfig } from '@netlify/config';
import { zipFunctions, type FunctionsManifest } from '@netlify/zip-it-and-ship-it';
import StreamZip from 'node-stream-zip';

/** Files zip-it-and-ship-it adds to every function (entry point, bootstrap, telemetry, metadata). */
const NETLIFY_FILE = /^___netlify-/;
/** The entry point hands the bootstrap the path of the function's module. */
const ENTRY_POINT = '___netlify-entry-point.mjs';
const HANDLER_MODULE = /getLambdaHandler\('\.\/([^']+)'\)/;

/** What the manifest tells Netlify about a function besides its code. */
export interface DeployedConfig {
  readonly routes: unknown;
  readonly schedule: unknown;
  readonly trafficRules: unknown;
}

export interface PackagedFunction {
  readonly name: string;
  readonly zip: string;
  readonly zipBytes: number;
  /** Every file in the zip. */
  readonly files: number;
  /** Files that are not Netlify's own: the function's module and whatever it imports. */
  readonly moduleFiles: number;
  /** The extracted module the entry point imports: what a cold start loads of ours. */
  readonly module: string;
  readonly config: DeployedConfig;
}

/** The functions directory netlify.toml gives a deploy context, absolute. */
export async function functionsDirectoryOf(context: string): Promise<string> {
  const { config } = await resolveConfig({ context, cwd: process.cwd(), repositoryRoot: process.cwd(), offline: true });
  const directory = config.functionsDirectory as string | undefined;
  if (directory === undefined) throw new Error(`netlify.toml names no functions directory for ${context}.`);
  return directory;
}

export function configFromManifest(manifest: FunctionsManifest): Map<string, DeployedConfig> {
  return new Map(
    manifest.functions.map((fn) => [
      fn.name,
      { routes: fn.routes ?? [], schedule: fn.schedule ?? null, trafficRules: fn.trafficRules ?? null },
    ]),
  );
}

export async function readManifest(path: string): Promise<FunctionsManifest> {
  return JSON.parse(await readFile(path, 'utf8')) as FunctionsManifest;
}

/** Unix file type bits of a zip entry's external attributes: a symbolic link. */
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Lists a zip, extracts it to `into` and finds the module its entry point imports. Symbolic links
 * (a `file:` dependency is one in node_modules) are restored as links, as Lambda's unzip does;
 * node-stream-zip would write them as files holding the target.
 */
async function unpack(zipPath: string, into: string): Promise<{ files: string[]; module: string }> {
  const zip = new StreamZip.async({ file: zipPath });
  try {
    const entries = Object.values(await zip.entries()).filter((entry) => !entry.isDirectory);
    const files = entries.map((entry) => entry.name);
    mkdirSync(into, { recursive: true });
    await zip.extract(null, into);
    for (const entry of entries.filter((candidate) => ((candidate.attr >>> 16) & S_IFMT) === S_IFLNK)) {
      const path = join(into, entry.name);
      const target = readFileSync(path, 'utf8');
      rmSync(path);
      symlinkSync(target, path);
    }
    const entryPoint = (await zip.entryData(ENTRY_POINT)).toString('utf8');
    const module = HANDLER_MODULE.exec(entryPoint)?.[1];
    if (module === undefined) throw new Error(`${zipPath}: ${ENTRY_POINT} names no function module.`);
    return { files, module: join(into, module) };
  } finally {
    await zip.close();
  }
}

/**
 * Packages every function of `sourceDir` into `destDir` as `netlify build` does for Node 24, and
 * unpacks each zip beside it. Fails when the manifest leaves a function out.
 */
export async function packageFunctions(sourceDir: string, destDir: string): Promise<PackagedFunction[]> {
  const manifestPath = join(destDir, 'manifest.json');
  const results = await zipFunctions(resolve(sourceDir), destDir, {
    basePath: process.cwd(),
    repositoryRoot: process.cwd(),
    config: { '*': { nodeVersion: '24' } },
    manifest: manifestPath,
  });
  const configs = configFromManifest(await readManifest(manifestPath));
  return Promise.all(
    results.map(async (result) => {
      const config = configs.get(result.name);
      if (config === undefined) throw new Error(`The manifest has no entry for ${result.name}.`);
      const { files, module } = await unpack(result.path, join(destDir, `${result.name}-unzipped`));
      return {
        name: result.name,
        zip: result.path,
        zipBytes: result.size ?? 0,
        files: files.length,
        moduleFiles: files.filter((file) => !NETLIFY_FILE.test(file)).length,
        module,
        config,
      };
    }),
  );
}
