/**
 * Which browser runs the browser tests and Lighthouse, in this order: `CHROMIUM_PATH`; a Chromium or
 * Chrome installed on the system (on the PATH, or where macOS keeps it); the Chromium that
 * `npm install` brings (`@sparticuz/chromium`, x64 Linux), unpacked on first use.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { bundledChromium, bundledChromiumRuns } from './bundled-chromium.ts';

export interface FoundBrowser {
  readonly path: string;
  /** Where it was found, for the one line that says which browser runs. */
  readonly source: string;
  /** What the browser needs in its environment beyond this process's (the bundled libraries and fonts). */
  readonly env: Readonly<Record<string, string>>;
}

const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
const MACOS_PATHS = [
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

/** A regular file this process may execute (a path hidden behind /dev/null is neither). */
function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function systemBrowser(): string | undefined {
  const onPath = (process.env['PATH'] ?? '')
    .split(delimiter)
    .filter(Boolean)
    .flatMap((folder) => SYSTEM_NAMES.map((name) => join(folder, name)));
  const candidates = process.platform === 'darwin' ? [...MACOS_PATHS, ...onPath] : onPath;
  return candidates.find(isExecutableFile);
}

const NOT_FOUND =
  'No browser found for the browser tests. Set CHROMIUM_PATH to a Chromium or Chrome binary, or install ' +
  'Chromium or Chrome; on x64 Linux, `npm install` brings one (@sparticuz/chromium, a devDependency).';

/** The browser to use; throws a message that says what to do when there is none. */
export async function findBrowser(): Promise<FoundBrowser> {
  const configured = process.env['CHROMIUM_PATH'];
  if (configured) {
    if (!isExecutableFile(configured)) throw new Error(`CHROMIUM_PATH=${configured} is not an executable file.`);
    return { path: configured, source: 'CHROMIUM_PATH', env: {} };
  }
  const system = systemBrowser();
  if (system !== undefined) return { path: system, source: 'installed on this system', env: {} };
  const bundled = bundledChromiumRuns ? await bundledChromium() : undefined;
  if (bundled === undefined) throw new Error(NOT_FOUND);
  return { path: bundled.path, source: `@sparticuz/chromium ${bundled.version}, unpacked`, env: bundled.env };
}

/** The one line that says which browser runs: "Browser: /usr/bin/chromium (installed on this system)". */
export const browserLine = (browser: FoundBrowser) => `Browser: ${browser.path} (${browser.source})`;
