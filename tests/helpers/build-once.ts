import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PINNED_BUILDS } from './pinned-build.ts';

/**
 * Builds the site once for every test of the built site (KOMMA_TEST_SKIP_BUILD=1 reuses dist/), and
 * gives the run a folder where pinnedBuild keeps each moment's build for the next file that asks.
 * Returns the teardown, which removes that folder.
 */
export default function buildOnce(): () => void {
  const pinnedBuilds = mkdtempSync(join(tmpdir(), 'komma-pinned-builds-'));
  // Set before the test files' workers start, which inherit it.
  process.env[PINNED_BUILDS] = pinnedBuilds;
  const teardown = () => rmSync(pinnedBuilds, { recursive: true, force: true });
  if (process.env['KOMMA_TEST_SKIP_BUILD'] === '1') return teardown;
  const result = spawnSync('npx', ['astro', 'build', '--silent'], {
    stdio: 'inherit',
    env: { ...process.env, CONTEXT: '', KOMMA_NOW: '' },
  });
  if (result.status !== 0) {
    teardown();
    throw new Error('astro build failed; see the output above.');
  }
  return teardown;
}
