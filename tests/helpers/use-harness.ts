import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startHarness, type Harness, type HarnessOptions } from './harness.ts';
import { TEST_REQUEST_BUDGET } from './request-budget.ts';

/** A test file's harness, started once; read `harness` inside tests and hooks. */
export interface HarnessInFile {
  readonly harness: Harness;
  /** The functions' log lines of this test so far, one per line. */
  log(): string;
  /** `${origin}${path}` */
  url(path: string): string;
}

/**
 * Registers a test file's hooks: one harness for the file (the functions are built once per run),
 * and before each test a fresh start: an empty store, the stub reset, no store faults, and the
 * clock and settings of `options` again, whatever the last test moved. Requests get the tests'
 * time (TEST_REQUEST_BUDGET).
 */
export function useHarness(options: Omit<HarnessOptions, 'keepLogs'>): HarnessInFile {
  let harness: Harness | undefined;
  const started = (): Harness => {
    if (!harness) throw new Error('the harness has not started (read it inside a test or hook)');
    return harness;
  };
  beforeAll(async () => {
    harness = await startHarness({
      ...options,
      env: { ...TEST_REQUEST_BUDGET, ...options.env },
      keepLogs: true,
    });
  });
  afterAll(() => harness?.stop());
  beforeEach(async () => {
    const current = started();
    current.newStore();
    current.stub.reset();
    current.setNow(options.now);
    current.setSettings(options.settings);
    current.logs.clear();
    await current.setStoreFaults({ rules: [] });
  });
  return {
    get harness() {
      return started();
    },
    log: () => started().logs.lines.join('\n'),
    url: (path) => `${started().origin}${path}`,
  };
}
