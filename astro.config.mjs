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
    // Scripts always as files, so the header CSP can say script-src 'self' without any inline hash.
    build: { assetsInlineLimit: 0 },
  },
});
