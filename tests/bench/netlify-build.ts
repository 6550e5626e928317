/**
 * `npm run check:netlify-build`: Netlify's own build, offline, for a deploy preview (production
 * builds stop on the content's placeholders by design), then a check of what it packaged, read from
 * zip-it-and-ship-it's manifest: every function of functions/ with the routes, schedule and rate
 * limit its source declares, each zip holding one module of ours. Exits 1 when one is off.
 *
 * netlify-cli comes through npx at a pinned version, not as a devDependency: it is several hundred
 * MB that `npm ci` would fetch for every test run, for this one check (about a minute with a warm
 * npx cache). It writes dist/ and .netlify/ as `npm run build` does.
 */
import { spawnSync } from 'node:child_process';
import { isDeepStrictEqual } from 'node:util';
import { configFromManifest, declaredConfigs, filesInZip, moduleFileCount, readManifest } from './packaging.ts';

const NETLIFY_CLI = 'netlify-cli@27.10.2';
/** Where `netlify build` puts the zips and the manifest (FUNCTIONS_DIST). */
const MANIFEST = '.netlify/functions/manifest.json';

const build = spawnSync('npx', ['-y', NETLIFY_CLI, 'build', '--offline', '--context', 'deploy-preview'], {
  stdio: 'inherit',
});
if (build.status !== 0) {
  console.error(`netlify build failed (exit ${build.status}).`);
  process.exit(1);
}

const manifest = await readManifest(MANIFEST);
const deployed = configFromManifest(manifest);
const declared = await declaredConfigs();
const problems: string[] = [];
for (const [name, config] of declared) {
  const got = deployed.get(name);
  if (got === undefined) problems.push(`${name}: not packaged`);
  else if (!isDeepStrictEqual(got, config)) {
    problems.push(`${name}: declares ${JSON.stringify(config)}, packaged ${JSON.stringify(got)}`);
  }
}
for (const name of deployed.keys()) if (!declared.has(name)) problems.push(`${name}: packaged, but not in functions/`);

console.log();
console.log('Packaged by netlify build (deploy-preview):');
for (const fn of manifest.functions) {
  const files = await filesInZip(fn.path);
  const ours = moduleFileCount(files);
  if (ours !== 1) problems.push(`${fn.name}: ${ours} files of ours in the zip, expected 1 module`);
  const what = [fn.routes?.map((route) => route.pattern).join(' '), fn.schedule, fn.trafficRules && 'rate limit'];
  console.log(`  ${fn.name}: ${files.length} files (${ours} ours), ${what.filter(Boolean).join(', ')}`);
}
console.log();
if (problems.length > 0) {
  for (const problem of problems) console.error(`✗ ${problem}`);
  process.exitCode = 1;
} else {
  console.log(
    `✓ ${declared.size} functions, each one module, with the routes, schedules and rate limits of functions/.`,
  );
}
