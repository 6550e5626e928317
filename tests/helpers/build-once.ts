import { spawnSync } from 'node:child_process';

/** Builds the site once for every test of the built site. KOMMA_TEST_SKIP_BUILD=1 reuses dist/. */
export default function buildOnce(): void {
  if (process.env['KOMMA_TEST_SKIP_BUILD'] === '1') return;
  const result = spawnSync('npx', ['astro', 'build', '--silent'], {
    stdio: 'inherit',
    env: { ...process.env, CONTEXT: '', KOMMA_NOW: '' },
  });
  if (result.status !== 0) throw new Error('astro build failed; see the output above.');
}
