import { upcomingSessions } from '../forms/sessions.ts';
import { logProblem } from '../log.ts';
import { requestStore, type Runtime } from '../runtime.ts';
import { registered } from './roster.ts';

const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/**
 * GET /api/webinar/plaetze: `{"full": ["2027-01-31"]}`, the sessions still ahead whose places are
 * all taken. The static page cannot know this at build time; its script asks here and marks those
 * sessions „ausgebucht – Anmeldung auf die Warteliste". Counts only, no personal data. Without
 * JavaScript, or when this fails, the registration's answer and confirmation still say it.
 */
export async function webinarPlaces(request: Request, runtime: Runtime): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return Response.json({ message: 'Nur GET.' }, { status: 405, headers: { ...HEADERS, allow: 'GET, HEAD' } });
  }
  const limited = upcomingSessions(runtime.settings.webinars, runtime.now).filter(
    (session) => session.capacity !== undefined,
  );
  try {
    const full: string[] = [];
    if (limited.length > 0) {
      const store = requestStore(runtime);
      for (const session of limited) if ((await registered(store, session)) >= session.capacity!) full.push(session.id);
    }
    return Response.json({ full }, { headers: HEADERS });
  } catch (error) {
    logProblem({
      form: 'webinar',
      outcome: 'places-failed',
      error: error instanceof Error ? error.name : typeof error,
    });
    return Response.json({ full: [] }, { status: 503, headers: HEADERS });
  }
}
