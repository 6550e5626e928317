import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { AstroIntegration } from 'astro';

export interface Placeholder {
  /** Path relative to the project, e.g. "content/pages/impressum.mdx". */
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

const PLACEHOLDER = /<Platzhalter>([\s\S]*?)<\/Platzhalter>/g;

/** Every <Platzhalter>…</Platzhalter> in the MDX files below `dir`, with file and line. */
export async function findPlaceholders(root: string, dir = 'content'): Promise<Placeholder[]> {
  const files = (await readdir(join(root, dir), { recursive: true })).filter((name) => name.endsWith('.mdx')).sort();
  const found: Placeholder[] = [];
  for (const name of files) {
    const source = await readFile(join(root, dir, name), 'utf8');
    for (const match of source.matchAll(PLACEHOLDER)) {
      found.push({
        file: relative(root, join(root, dir, name)),
        line: source.slice(0, match.index).split('\n').length,
        text: match[1]!.replace(/\s+/g, ' ').trim(),
      });
    }
  }
  return found;
}

/**
 * Facts nobody has supplied yet stand in content as <Platzhalter>. Previews show them marked and
 * the build warns; a production build (Netlify sets CONTEXT=production) fails and lists each one,
 * so an unfinished Impressum can never go live.
 */
export function placeholderCheck(): AstroIntegration {
  return {
    name: 'komma:placeholders',
    hooks: {
      'astro:build:start': async ({ logger }) => {
        const found = await findPlaceholders(process.cwd());
        if (found.length === 0) return;
        const list = found.map((p) => `  ${p.file}:${p.line}: ${p.text}`).join('\n');
        if (process.env['CONTEXT'] === 'production') {
          throw new Error(`${found.length} Platzhalter müssen vor der Veröffentlichung ersetzt werden:\n${list}`);
        }
        logger.warn(`${found.length} Platzhalter sind noch offen (ein Produktions-Build schlägt fehl):\n${list}`);
      },
    },
  };
}
