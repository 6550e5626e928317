import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_FUNCTIONS, bundleFunctions } from './build-functions.ts';

/**
 * The behaviour tests' global setup: the functions bundled once for the whole run, into a folder
 * every test file's harness imports from. Returns the teardown, which removes it.
 */
export default async function buildFunctionsOnce(): Promise<() => void> {
  const outdir = mkdtempSync(join(tmpdir(), 'komma-functions-'));
  const teardown = () => rmSync(outdir, { recursive: true, force: true });
  try {
    await bundleFunctions(outdir);
  } catch (error) {
    teardown();
    throw error;
  }
  // Set before the test files' workers start, which inherit it.
  process.env[BUILT_FUNCTIONS] = outdir;
  return teardown;
}
