import { parseFrontmatter } from '@astrojs/internal-helpers/frontmatter';
import { lineAt } from './problems.ts';

export type Frontmatter =
  | {
      readonly ok: true;
      readonly data: Record<string, unknown>;
      /** The line of a top-level field, when it is written in the file. */
      lineOf(field: string): number | undefined;
    }
  | { readonly ok: false; readonly line: number | undefined; readonly reason: string };

/** js-yaml's error: `mark.line` counts from 0 within the frontmatter text. */
interface YamlError {
  readonly reason?: string;
  readonly mark?: { readonly line: number };
}

/**
 * The frontmatter as Astro reads it (the same function and YAML parser as the content loader), plus
 * the lines of its fields, so a message can point at the line to change.
 */
export function readFrontmatter(source: string): Frontmatter {
  let parsed: ReturnType<typeof parseFrontmatter>;
  try {
    parsed = parseFrontmatter(source);
  } catch (error) {
    const { reason, mark } = error as YamlError;
    return {
      ok: false,
      line: mark ? frontmatterLine(source) + mark.line : undefined,
      reason: reason ?? String(error),
    };
  }
  const raw = parsed.rawFrontmatter;
  // The raw text starts right after the opening "---", so its first line is that line.
  const first = raw ? frontmatterLine(source) : 0;
  const lines = raw.split('\n');
  return {
    ok: true,
    data: parsed.frontmatter,
    lineOf(field) {
      const index = lines.findIndex((line) => new RegExp(`^['"]?${escape(field)}['"]?\\s*:`).test(line));
      return index < 0 ? undefined : first + index;
    },
  };
}

/** The line of the opening "---" (usually 1; blank lines may come first). */
function frontmatterLine(source: string): number {
  return lineAt(source, Math.max(0, source.indexOf('---')));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
