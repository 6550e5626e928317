import { closedFrom } from '../forms/window.ts';
import type { Settings } from '../settings/schema.ts';

/**
 * An instant after which the static pages say something else: the application window opens or
 * closes, or a webinar session starts (and leaves the registration form).
 */
export interface Boundary {
  /** Stable and free of personal data, for logs and the deploy's title: "application-opens", "webinar-2027-01-31". */
  readonly id: string;
  readonly at: Date;
}

/** How often the scheduled function runs; functions/rebuild-at-boundaries.mts says the same in cron. */
export const REBUILD_INTERVAL_MS = 5 * 60_000;

/**
 * How long after a boundary its rebuild is due at the earliest. Netlify starts a scheduled run
 * within moments of its time, usually a little late; this margin keeps a run that starts early
 * from building a page that still shows the state before the boundary.
 */
export const SETTLE_MS = 60_000;

/** Every boundary of the settings, in time order. */
export function boundaries(settings: Pick<Settings, 'applicationWindow' | 'webinars'>): Boundary[] {
  const window = settings.applicationWindow;
  return [
    { id: 'application-opens', at: window.opens },
    { id: 'application-closes', at: closedFrom(window) },
    ...settings.webinars.map((session) => ({ id: `webinar-${session.id}`, at: session.start })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The boundaries this run rebuilds for. Stateless, and still once per boundary: the runs stand for
 * the points of a grid (every 5 minutes, as the cron schedule), and a run judges by the grid point
 * nearest to its actual start, so a run that starts late (or a little early) stands for the same
 * point. Each boundary belongs to exactly one point, the first at least SETTLE_MS after it:
 * boundary + SETTLE_MS in (point − interval, point]. A run more than half an interval off its time,
 * or one Netlify skips, may build twice or not at all for a boundary; the page script covers the
 * latter for readers with JavaScript until the next deploy, and the server decides in any case.
 */
export function dueBoundaries(all: readonly Boundary[], now: Date, intervalMs = REBUILD_INTERVAL_MS): Boundary[] {
  const point = Math.round(now.getTime() / intervalMs) * intervalMs;
  return all.filter((boundary) => {
    const due = boundary.at.getTime() + SETTLE_MS;
    // Never before the boundary itself: that build would show the old state again.
    return point - intervalMs < due && due <= point && boundary.at.getTime() <= now.getTime();
  });
}
