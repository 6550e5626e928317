import type { AstroComponentFactory } from 'astro/runtime/server/index.js';

/**
 * The components editors may use in any content file without importing them: every .astro file in
 * this folder, under its file name. The folder is the one list; the content check
 * (src/content/check.ts) reads it to name unknown components.
 */
export const contentComponents: Record<string, AstroComponentFactory> = Object.fromEntries(
  Object.entries(import.meta.glob<AstroComponentFactory>('./*.astro', { eager: true, import: 'default' })).map(
    ([path, component]) => [path.slice(2, -'.astro'.length), component],
  ),
);
