/**
 * The second half of `npm run build`: bundles each function of functions/ into
 * .netlify/functions-bundled/, the directory every Netlify deploy context packages (netlify.toml).
 * Local serving (`npm run serve`, `astro dev`) runs functions/ itself and does not need this.
 */
import { BUNDLED_FUNCTIONS_DIR, bundleFunctions } from '../build/function-bundles.ts';
import { FRAME_PAGE, readFramePage } from '../site-pages/built-pages.ts';

// The bundles carry the built pages: a deploy without them would answer without the site's frame.
if (!readFramePage('dist')) {
  console.error(`dist${FRAME_PAGE} is missing: run \`astro build\` before bundling the functions.`);
  process.exit(1);
}
const bundles = await bundleFunctions();
const summary = bundles.map(({ name, bytes }) => `${name} ${(bytes / 1000).toFixed(1)} KB`).join(', ');
console.log(`Functions bundled into ${BUNDLED_FUNCTIONS_DIR}/: ${summary}`);
