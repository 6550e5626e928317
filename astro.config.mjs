import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import { decapCms } from './src/integrations/decap.ts';
import { netlifyDev } from './src/integrations/netlify-dev.ts';
import { contentCheck } from './src/integrations/content-check.ts';

export default defineConfig({
  // Netlify sets URL to the site's primary address; local builds use the production address.
  site: process.env.URL ?? 'https://komma.imap-institut.de',
  output: 'static',
  // Pages are folders (/impressum/); 'ignore' lets /api/… reach the functions under astro dev.
  trailingSlash: 'ignore',
  integrations: [
    mdx(),
    sitemap({ filter: (page) => !page.includes('/danke/') }),
    contentCheck(),
    decapCms(),
    netlifyDev(),
  ],
  markdown: { syntaxHighlight: false },
  // Astro adds a CSP <meta> with hashes of its own styles and scripts; netlify.toml adds the rest.
  security: { csp: true },
  build: {
    // The page's few KB of CSS travel with the HTML: the first view needs one round trip.
    inlineStylesheets: 'always',
  },
  vite: {
    build: {
      // Scripts always as files, so the header CSP can say script-src 'self' without any inline hash.
      assetsInlineLimit: 0,
      rolldownOptions: { onwarn: quietAstroHeadInject },
    },
  },
});

/**
 * Astro marks each MDX file's propagated-assets module with "use astro:head-inject", a directive that
 * nothing reads once bundled, and Rolldown warns about it once per file
 * (https://github.com/withastro/astro/issues/18087). Only that warning is dropped; every other one is shown.
 */
function quietAstroHeadInject(warning, warn) {
  if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use astro:head-inject"')) return;
  warn(warning);
}
