import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The layering check of `npm test` (.dependency-cruiser.mjs), run as `npm run check:layers` runs it, on a
// tiny tree that breaks each rule once: proof that the check would catch a new violation.

const root = resolve(import.meta.dirname, '../..');
const depcruise = join(root, 'node_modules/.bin/depcruise');
const config = join(root, '.dependency-cruiser.mjs');

const fixture: Record<string, string> = {
  'src/mail/render.ts': "import { submit } from '../submissions/submit.ts';\nexport const render = () => submit;\n",
  'src/submissions/submit.ts': "import { render } from '../mail/render.ts';\nexport const submit = () => render;\n",
  'src/mail/overview.ts': "import type { Kept } from '../selection/kept.ts';\nexport type Row = Kept;\n",
  'src/selection/kept.ts': 'export type Kept = string;\n',
  'src/scripts/page.ts': "import { answers } from '../mail/answers.ts';\nanswers();\n",
  'src/mail/answers.ts': 'export const answers = () => [];\n',
  'src/settings/parse.ts': "import { issues } from '../content/issues.ts';\nexport const parse = issues;\n",
  'src/content/issues.ts': 'export const issues = () => [];\n',
  'src/webinar/roster.ts': 'export const forget = () => 0;\n',
  'src/webinar/cancel.ts': 'export const cancel = () => 0;\n',
  'src/delivery/drain.ts': "import { forget } from '../webinar/roster.ts';\nexport const drain = forget;\n",
  // Above delivery, a scheduled job may use both delivery and the webinar.
  'src/scheduled/deliver-pending.ts':
    "import { drain } from '../delivery/drain.ts';\nimport { cancel } from '../webinar/cancel.ts';\nexport const run = [drain, cancel];\n",
};

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/** Runs the check in `cwd`; it exits with the number of errors, but only with the `err` reporter. */
async function depcruiseIn(cwd: string, outputType: 'err' | 'json') {
  const args = ['src', '--config', config, '--output-type', outputType];
  return promisify(execFile)(depcruise, args, { cwd }).then(
    ({ stdout }) => ({ stdout, code: 0 }),
    (error: { stdout: string; code: number }) => ({ stdout: error.stdout, code: error.code }),
  );
}

let dir: string;
let exitCode: number;
let violations: Violation[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'komma-layers-'));
  for (const [path, text] of Object.entries(fixture)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  exitCode = (await depcruiseIn(dir, 'err')).code;
  violations = JSON.parse((await depcruiseIn(dir, 'json')).stdout).summary.violations;
}, 30_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

const found = () =>
  violations.map(({ rule, from, to }) => `${rule.name}: ${from} → ${to}`).sort((a, b) => a.localeCompare(b));

describe('the layering check', () => {
  it('fails the run when a rule is broken', () => {
    expect(exitCode).toBeGreaterThan(0);
  });

  it('reports each broken rule with the import that breaks it, and lets the layers above use those below', () => {
    expect(found()).toEqual([
      'browser-scripts-without-mail: src/scripts/page.ts → src/mail/answers.ts',
      'delivery-below-its-callers: src/delivery/drain.ts → src/webinar/roster.ts',
      'mail-below-forms-logic: src/mail/overview.ts → src/selection/kept.ts',
      'mail-below-forms-logic: src/mail/render.ts → src/submissions/submit.ts',
      'no-circular: src/mail/render.ts → src/submissions/submit.ts',
      'settings-without-content-checks: src/settings/parse.ts → src/content/issues.ts',
    ]);
  });
});
