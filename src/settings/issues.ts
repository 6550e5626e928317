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

/** A misspelt field name is the commonest editing slip: say which one, in German. */
export const unknownFields = {
  error: (issue: { code: string; keys?: readonly string[] }) =>
    issue.code === 'unrecognized_keys' && issue.keys
      ? `Unbekanntes Feld ${issue.keys.map((key) => `„${key}“`).join(', ')} – bitte die Schreibweise prüfen.`
      : undefined,
};
