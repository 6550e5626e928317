/**
 * The functions' log lines (JSON on console.info / console.error, see src/log.ts), kept off the
 * suite's stdout, which holds progress and one final JSON line. Counted by outcome, and written to
 * a file when one is named, so a failing run can be read afterwards.
 */
import { appendFileSync } from 'node:fs';
import { format } from 'node:util';

export interface FunctionLogs {
  /** Lines by "level:outcome", e.g. "error:store-failed". */
  readonly counts: Readonly<Record<string, number>>;
  /** Error-level lines, by outcome. */
  problems(): Record<string, number>;
  /** The lines themselves, when kept (captureFunctionLogs(file, { keep: true })), oldest first. */
  readonly lines: readonly string[];
  /** Forgets the kept lines (the counts stay). */
  clear(): void;
  /** Counts something the harness saw itself, e.g. a handler that threw instead of answering. */
  note(outcome: string, error: unknown): void;
  restore(): void;
}

export function captureFunctionLogs(file?: string, { keep = false } = {}): FunctionLogs {
  const counts: Record<string, number> = {};
  const lines: string[] = [];
  const original = { info: console.info, error: console.error, warn: console.warn, log: console.log };
  const sink =
    (level: string) =>
    (...parts: unknown[]) => {
      const line = format(...parts);
      let outcome = 'unstructured';
      try {
        const parsed = JSON.parse(line) as { outcome?: unknown };
        if (typeof parsed.outcome === 'string') outcome = parsed.outcome;
      } catch {
        // Not one of our log lines (a library's warning): counted as unstructured, kept in the file.
      }
      const key = `${level}:${outcome}`;
      counts[key] = (counts[key] ?? 0) + 1;
      if (keep) lines.push(line);
      if (file) appendFileSync(file, `${line}\n`);
    };
  console.info = sink('info');
  console.log = sink('info');
  console.warn = sink('warn');
  console.error = sink('error');
  return {
    counts,
    lines,
    clear: () => void lines.splice(0),
    problems: () =>
      Object.fromEntries(
        Object.entries(counts)
          .filter(([key]) => !key.startsWith('info:'))
          .map(([key, count]) => [key.replace(/^\w+:/, ''), count]),
      ),
    note(outcome, error) {
      const key = `error:${outcome}`;
      counts[key] = (counts[key] ?? 0) + 1;
      if (file) appendFileSync(file, `${JSON.stringify({ level: 'error', outcome, error: String(error) })}\n`);
    },
    restore() {
      Object.assign(console, original);
    },
  };
}
