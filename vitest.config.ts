import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { preferMemoryTmpdir } from './tests/helpers/memory-tmpdir.ts';

preferMemoryTmpdir();

export default defineConfig({
  test: {
    reporters: ['default', './tests/helpers/summary-reporter.ts'],
    // One pool for all three projects, of at least two workers: with vitest's default (cores − 1, so
    // 1 on a 2-core machine) the unit and behaviour files would run one at a time, after the site's,
    // in a group of their own. Two on two cores: a browser test's worker is often waiting.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts'],
          // Some run the real pipeline against a local Blobs server, two dozen requests at once; the
          // margin over vitest's 5 s is for a machine busy with something else.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          // The functions on the in-process harness (tests/helpers/harness.ts): built once for the
          // run, no Astro build; each test owns its settings, clock and store.
          name: 'behaviour',
          include: ['tests/behaviour/**/*.test.ts'],
          globalSetup: ['tests/helpers/build-functions-once.ts'],
          // Nothing waits for real but a provider call that hangs to its timeout (about 2 s); the
          // margin is for a machine busy with something else.
          testTimeout: 20_000,
        },
      },
      {
        test: {
          // Tests of the built site: the build runs once, each file starts its own server on port 0.
          name: 'site',
          include: ['tests/site/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'],
          globalSetup: [
            'tests/helpers/build-once.ts',
            'tests/helpers/build-functions-once.ts',
            'tests/helpers/browser-once.ts',
          ],
          testTimeout: 30_000,
          hookTimeout: 120_000,
          // expect.poll()'s default of 1 s is short for a browser on a machine busy with other work
          // (a deep link's heading once was not measured in view in time).
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
});
