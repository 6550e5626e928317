/**
 * The current instant. Tests and previews may pin it with KOMMA_NOW (an ISO instant); production
 * ignores the override so that nobody can move the application window on the live site.
 */
export function now(env: Readonly<Record<string, string | undefined>> = process.env): Date {
  const pinned = env['KOMMA_NOW'];
  if (pinned && env['CONTEXT'] !== 'production') {
    const instant = new Date(pinned);
    if (!Number.isNaN(instant.getTime())) return instant;
  }
  return new Date();
}
