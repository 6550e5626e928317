import { browserLine, findBrowser } from './find-browser.ts';

/**
 * Global setup of the browser tests: finds the browser once for the run (unpacking the bundled one
 * on first use, before any test file starts) and says in one line which it is.
 */
export default async function browserOnce(): Promise<void> {
  console.log(browserLine(await findBrowser()));
}
