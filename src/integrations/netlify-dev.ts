import netlify from '@netlify/vite-plugin';
import type { AstroIntegration } from 'astro';
import { serveLocalBlobs, type LocalBlobs } from '../server/local-blobs.ts';
import { provideLocalTokenSecret } from '../server/local-secret.ts';
import { UNUSED_NETLIFY_FEATURES } from '../server/netlify-features.ts';

/**
 * `astro dev` with Netlify's emulator inside Vite: the functions answer under /api/… with hot
 * reload, and netlify.toml's headers and redirects apply. Only for dev: builds need none of it.
 */
export function netlifyDev(): AstroIntegration {
  let blobs: LocalBlobs | undefined;
  return {
    name: 'komma:netlify-dev',
    hooks: {
      'astro:config:setup': async ({ command, updateConfig }) => {
        if (command !== 'dev') return;
        blobs ??= await serveLocalBlobs();
        await provideLocalTokenSecret();
        updateConfig({ vite: { plugins: [netlify(UNUSED_NETLIFY_FEATURES)] } });
      },
      'astro:server:done': async () => {
        await blobs?.stop();
        blobs = undefined;
      },
    },
  };
}
