/**
 * What the three suites share on the command line: options, progress lines, and the contract of
 * the last line — exactly one JSON object on stdout, and a non-zero exit when an invariant broke.
 */
import { parseArgs } from 'node:util';
import { preferMemoryTmpdir } from '../helpers/memory-tmpdir.ts';

export type OptionSpec = Readonly<Record<string, { readonly default: number | string; readonly help: string }>>;

export type Options<S extends OptionSpec> = {
  -readonly [K in keyof S]: S[K]['default'] extends number ? number : string;
};

/** Reads `--name value` for each option of `spec` (numbers checked); `--help` prints them. */
export function readOptions<S extends OptionSpec>(suite: string, spec: S, argv = process.argv.slice(2)): Options<S> {
  const { values: parsed } = parseArgs({
    args: argv,
    options: {
      help: { type: 'boolean' },
      ...Object.fromEntries(Object.keys(spec).map((name) => [name, { type: 'string' as const }])),
    },
    strict: true,
  });
  const values = parsed as Readonly<Record<string, string | boolean | undefined>>;
  if (values['help']) {
    const lines = Object.entries(spec).map(([name, { default: value, help }]) => `  --${name} (${value})  ${help}`);
    process.stdout.write(`npm run ${suite} -- [options]\n${lines.join('\n')}\n`);
    process.exit(0);
  }
  const options: Record<string, number | string> = {};
  for (const [name, { default: fallback }] of Object.entries(spec)) {
    const given = values[name];
    if (typeof given !== 'string') {
      options[name] = fallback;
    } else if (typeof fallback === 'number') {
      const parsed = Number(given.replaceAll('_', ''));
      if (!Number.isFinite(parsed)) throw new Error(`--${name} takes a number, not "${given}"`);
      options[name] = parsed;
    } else {
      options[name] = given;
    }
  }
  return options as Options<S>;
}

/** A progress line on stdout. Never JSON: the last line is the only one a reader parses. */
export function progress(suite: string, line: string): void {
  process.stdout.write(`[${suite}] ${line}\n`);
}

export interface Verdict {
  /** The suite's figures: the final JSON line, after "suite". */
  readonly result: Readonly<Record<string, unknown>>;
  /** Each broken invariant, in words; none means the suite passed. */
  readonly failures: readonly string[];
}

/**
 * Runs a suite and ends the process as the contract says. A crash is a failure with its message
 * in the JSON line. If anything still holds the event loop once the suite is done (a socket left
 * open), the process is ended after a grace period [5 s] rather than hanging a CI job.
 */
export async function runSuite(
  suite: string,
  main: () => Promise<Verdict>,
  { graceMs = 5000 }: { readonly graceMs?: number } = {},
): Promise<void> {
  preferMemoryTmpdir();
  const started = performance.now();
  let line: Record<string, unknown>;
  try {
    const { result, failures } = await main();
    for (const failure of failures) progress(suite, `FAILED: ${failure}`);
    line = { suite, ...result, ok: failures.length === 0, ...(failures.length > 0 && { failures }) };
  } catch (error) {
    progress(suite, `crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    line = { suite, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  line['wallSeconds'] = Math.round((performance.now() - started) / 100) / 10;
  process.stdout.write(`${JSON.stringify(line)}\n`);
  process.exitCode = line['ok'] ? 0 : 1;
  setTimeout(() => {
    process.stderr.write(`[${suite}] still running ${graceMs / 1000} s after the end: exiting\n`);
    process.exit();
  }, graceMs).unref();
}
