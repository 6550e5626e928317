/** An error fails the check; a warning (an open placeholder outside production, a date to look at) is only listed. */
export type Severity = 'error' | 'warning';

/** What a warning is about, so that a summary can count each kind on one line. */
export type WarningKind = 'placeholder' | 'date';

/** One thing wrong in content/, told the way an editor can act on it. */
export interface Problem {
  /** Path relative to the project, e.g. "content/faq/kosten.mdx". */
  readonly file: string;
  readonly line?: number | undefined;
  /** The frontmatter or settings field, e.g. "order" or "applicationWindow.closes". */
  readonly field?: string | undefined;
  /** German, saying what is wrong and how to fix it. */
  readonly message: string;
  readonly severity: Severity;
  readonly kind?: WarningKind | undefined;
}

/** "content/faq/x.mdx:12: order: …", the form editors know from compilers and the build log. */
export function formatProblem(problem: Problem): string {
  const place = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return problem.field ? `${place}: ${problem.field}: ${problem.message}` : `${place}: ${problem.message}`;
}

/** The 1-based line of a character offset. */
export function lineAt(source: string, offset: number): number {
  return source.slice(0, offset).split('\n').length;
}
