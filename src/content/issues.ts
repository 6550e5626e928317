/** The parts of a zod issue that a reader needs: where and what. */
interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** One line per problem, "file: field.path: message", as editors see it in the build log. */
export function formatIssues(file: string, issues: readonly Issue[]): string {
  return issues
    .map((issue) => {
      const field = issue.path.map(String).join('.');
      return field ? `${file}: ${field}: ${issue.message}` : `${file}: ${issue.message}`;
    })
    .join('\n');
}
