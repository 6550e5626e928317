import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { checkContent, report } from '../content/check.ts';

/**
 * Runs the content check (src/content/check.ts) before Astro reads any content, so a build fails with
 * the same German lines as `npm run check:content` instead of Astro's own errors. Open placeholders
 * fail only a production build (Netlify sets CONTEXT=production), so an unfinished Impressum never
 * goes live while previews still build; elsewhere warnings are one counted line (the list:
 * `npm run check:content`). `astro dev` lists errors and keeps running.
 */
export function contentCheck(): AstroIntegration {
  return {
    name: 'komma:content-check',
    hooks: {
      'astro:config:setup': async ({ command, config, logger }) => {
        if (command !== 'build' && command !== 'dev') return;
        const production = command === 'build' && process.env['CONTEXT'] === 'production';
        const result = await checkContent(fileURLToPath(config.root), { production });
        const { lines, failed } = report(result, { listWarnings: false });
        const text = lines.join('\n');
        if (failed && command === 'build') throw new Error(text);
        if (failed) logger.error(text);
        else logger.info(text);
      },
    },
  };
}
