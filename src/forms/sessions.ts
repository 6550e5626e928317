/**
 * The sessions that have not started at `now`, in their order. A session has started at its start
 * instant: from then on nobody can register for it. Browser-safe and free of date formatting: the
 * page script uses it to withdraw sessions that have started since the page was built.
 */
export function upcomingSessions<S extends { readonly start: Date }>(sessions: readonly S[], now: Date): S[] {
  return sessions.filter((session) => now.getTime() < session.start.getTime());
}
