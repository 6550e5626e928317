/**
 * The functions as Netlify deploys them: packaged by @netlify/zip-it-and-ship-it, as `netlify build`
 * does, from the directory netlify.toml names for a deploy context. What each zip holds, which
 * module Netlify imports from it, and what the manifest says about routes, schedules and rate limits.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, parse, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveConfig } from '@netlify/config';
import { zipFunctions, type FunctionsManifest } from '@netlify/zip-it-and-ship-it';
import StreamZip from 'node-stream-zip';
import { functionSources } from '../../src/build/function-bundles.ts';

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

/** What a function's source declares in `export const config`, as far as the manifest repeats it. */
interface SourceConfig {
  readonly path?: string | readonly string[];
  readonly method?: string | readonly string[];
  readonly schedule?: string;
  readonly rateLimit?: { windowLimit: number; windowSize: number; aggregateBy: readonly string[] };
}

/** The source's config in the manifest's terms: routes, schedule and rate limit. */
function manifestTerms({ path, method, schedule, rateLimit }: SourceConfig): DeployedConfig {
  const methods = method === undefined ? [] : [method].flat();
  return {
    routes: path === undefined ? [] : [path].flat().map((literal) => ({ pattern: literal, literal, methods })),
    schedule: schedule ?? null,
    trafficRules:
      rateLimit === undefined
        ? null
        : {
            action: {
              type: 'rate_limit',
              config: {
                rateLimitConfig: {
                  windowLimit: rateLimit.windowLimit,
                  windowSize: rateLimit.windowSize,
                  algorithm: 'sliding_window',
                },
                aggregate: { keys: rateLimit.aggregateBy.map((type) => ({ type })) },
              },
            },
          },
  };
}

/**
 * What each function of functions/ declares in its `export const config`, imported from the source
 * itself and put in the manifest's terms: the yardstick for what a build deployed.
 */
export async function declaredConfigs(): Promise<Map<string, DeployedConfig>> {
  const declared = await Promise.all(
    functionSources().map(async (source) => {
      const { config } = (await import(pathToFileURL(resolve(source)).href)) as { config: SourceConfig };
      return [parse(source).name, manifestTerms(config)] as const;
    }),
  );
  return new Map(declared);
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

/** The files (not directories) of a zip, by path. */
async function zipEntries(zip: InstanceType<typeof StreamZip.async>): Promise<StreamZip.ZipEntry[]> {
  return Object.values(await zip.entries()).filter((entry) => !entry.isDirectory);
}

/** How many files of a zip are ours: everything but Netlify's entry point, bootstrap and metadata. */
export function moduleFileCount(files: readonly string[]): number {
  return files.filter((file) => !NETLIFY_FILE.test(file)).length;
}

/** The paths of the files in a zip. */
export async function filesInZip(zipPath: string): Promise<string[]> {
  const zip = new StreamZip.async({ file: zipPath });
  try {
    return (await zipEntries(zip)).map((entry) => entry.name);
  } finally {
    await zip.close();
  }
}

/**
 * Lists a zip, extracts it to `into` and finds the module its entry point imports. Symbolic links
 * (a `file:` dependency is one in node_modules) are restored as links, as Lambda's unzip does;
 * node-stream-zip would write them as files holding the target.
 */
async function unpack(zipPath: string, into: string): Promise<{ files: string[]; module: string }> {
  const zip = new StreamZip.async({ file: zipPath });
  try {
    const entries = await zipEntries(zip);
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
    return { files: entries.map((entry) => entry.name), module: join(into, module) };
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
        moduleFiles: moduleFileCount(files),
        module,
        config,
      };
    }),
  );
}
