import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundledChromiumRuns } from '../helpers/bundled-chromium.ts';
import { browserLine, findBrowser } from '../helpers/find-browser.ts';

let dir: string;
/** A folder with an executable `chromium`, and one whose `chromium` is a folder (not a browser). */
let withBrowser: string;
let withoutBrowser: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'komma-find-browser-'));
  withBrowser = join(dir, 'bin');
  withoutBrowser = join(dir, 'hidden');
  await mkdir(withBrowser);
  await writeFile(join(withBrowser, 'chromium'), '#!/bin/sh\n');
  await chmod(join(withBrowser, 'chromium'), 0o755);
  await writeFile(join(dir, 'not-executable'), '');
  await mkdir(join(withoutBrowser, 'chromium'), { recursive: true });
});

afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(() => vi.unstubAllEnvs());

describe('the browser for the browser tests', () => {
  it('is CHROMIUM_PATH when it is set, before any installed browser', async () => {
    vi.stubEnv('CHROMIUM_PATH', join(withBrowser, 'chromium'));
    vi.stubEnv('PATH', withBrowser);
    const found = await findBrowser();
    expect(found).toEqual({ path: join(withBrowser, 'chromium'), source: 'CHROMIUM_PATH', env: {} });
    expect(browserLine(found)).toBe(`Browser: ${join(withBrowser, 'chromium')} (CHROMIUM_PATH)`);
  });

  it('refuses a CHROMIUM_PATH that cannot run, naming it, rather than picking another browser', async () => {
    vi.stubEnv('CHROMIUM_PATH', join(dir, 'not-executable'));
    vi.stubEnv('PATH', withBrowser);
    await expect(findBrowser()).rejects.toThrow(
      `CHROMIUM_PATH=${join(dir, 'not-executable')} is not an executable file.`,
    );
  });

  it('is a Chromium on the PATH when CHROMIUM_PATH is not set', async () => {
    vi.stubEnv('CHROMIUM_PATH', '');
    vi.stubEnv('PATH', [withoutBrowser, withBrowser].join(':'));
    expect(await findBrowser()).toMatchObject({
      path: join(withBrowser, 'chromium'),
      source: 'installed on this system',
    });
  });

  it.runIf(bundledChromiumRuns)(
    'is the Chromium npm installed, with its libraries and fonts, when the system has none',
    async () => {
      vi.stubEnv('CHROMIUM_PATH', '');
      vi.stubEnv('PATH', withoutBrowser);
      const found = await findBrowser();
      expect(found.source).toMatch(/^@sparticuz\/chromium \d+\.\d+\.\d+, unpacked$/);
      expect(found.path).toMatch(/komma-chromium-[\d.]+\/chromium$/);
      expect(found.env['LD_LIBRARY_PATH']?.split(':')[0]).toBe(join(found.path, '../lib'));
      expect(found.env['FONTCONFIG_PATH']).toBe(join(found.path, '..'));
    },
    60_000,
  );
});
