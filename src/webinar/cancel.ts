import { logProblem } from '../log.ts';
import { upcomingSessions } from '../forms/sessions.ts';
import { ERROR_PAGE_CSP } from '../submissions/error-page.ts';
import { parseRequest } from '../submissions/request.ts';
import { requestStore, runtimeMail, type Runtime } from '../runtime.ts';
import { renderCancelPage, type CancelPage } from './cancel-page.ts';
import { cancelLinks, readCancelToken, TOKEN_SECRET, tokenSecret } from './cancel-token.ts';
import { accessLinkNow } from './access.ts';
import { cancelRegistration } from './cancellation.ts';
import { findRegistration } from './roster.ts';

const HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // The token is in the address: no other site learns it from a Referer. Not no-referrer: with it,
  // Chromium sends the button's POST with `Origin: null`, which the same-origin check refuses.
  'referrer-policy': 'same-origin',
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': ERROR_PAGE_CSP,
};

const STATUS: Record<CancelPage['kind'], number> = {
  confirm: 200,
  cancelled: 200,
  already: 200,
  invalid: 404,
  unknown: 404,
  over: 410,
  unavailable: 503,
  refused: 400,
};

function answer(page: CancelPage, request: Request, status = STATUS[page.kind], headers: Record<string, string> = {}) {
  const body = request.method === 'HEAD' ? null : renderCancelPage(page);
  return new Response(body, { status, headers: { ...HEADERS, ...headers } });
}

/** Where the work goes wrong the person cannot mend it: a page with the team's address, 503. */
function unavailable(runtime: Runtime, request: Request, outcome: string, detail: Record<string, string> = {}) {
  logProblem({ form: 'webinar-cancel', outcome, ...detail });
  return answer({ kind: 'unavailable', teamInbox: runtime.settings.teamInbox }, request, 503, {
    'retry-after': '120',
  });
}

/**
 * /webinar/abmelden/?t=…, the personal cancel link of a webinar registration. GET (and HEAD) shows
 * the session and a button and changes nothing: mail scanners open links. Only the button's POST
 * (the token in a hidden field; same-origin as every form post) cancels, once.
 */
export async function webinarCancel(request: Request, runtime: Runtime): Promise<Response> {
  if (!['GET', 'HEAD', 'POST'].includes(request.method)) {
    return answer({ kind: 'refused', message: 'Diese Seite nimmt nur GET und POST entgegen.' }, request, 405, {
      allow: 'GET, HEAD, POST',
    });
  }
  const secret = tokenSecret(runtime.env);
  if (!secret) return unavailable(runtime, request, 'configuration-error', { missing: TOKEN_SECRET });

  let token = new URL(request.url).searchParams.get('t') ?? '';
  if (request.method === 'POST') {
    const parsed = await parseRequest(request);
    if (!parsed.ok) {
      return answer({ kind: 'refused', message: parsed.message }, request, parsed.status, parsed.headers);
    }
    token = typeof parsed.fields['t'] === 'string' ? parsed.fields['t'] : '';
  }
  const target = readCancelToken(secret, token);
  if (!target) return answer({ kind: 'invalid', teamInbox: runtime.settings.teamInbox }, request);
  const session = upcomingSessions(runtime.settings.webinars, runtime.now).find(
    (candidate) => candidate.id === target.session,
  );
  if (!session) return answer({ kind: 'over' }, request);

  try {
    const store = requestStore(runtime);
    if (request.method !== 'POST') {
      const found = await findRegistration(store, session, target.key);
      if (found.kind === 'unknown') return answer({ kind: 'unknown', teamInbox: runtime.settings.teamInbox }, request);
      const { reference } = found.registration;
      return answer(
        found.kind === 'active'
          ? { kind: 'confirm', session, standing: found.registration, reference, token }
          : { kind: 'already', session, reference },
        request,
      );
    }
    const config = runtimeMail(runtime);
    if (!config.ok) return unavailable(runtime, request, 'configuration-error', { missing: config.missing });
    const run = {
      store,
      session,
      mail: config.setup,
      links: cancelLinks(runtime.env),
      accessLink: accessLinkNow(runtime.env, session, runtime.now),
      now: runtime.now,
    };
    const result = await cancelRegistration(run, target);
    if (result.kind === 'unknown') return answer({ kind: 'unknown', teamInbox: runtime.settings.teamInbox }, request);
    return answer({ kind: result.kind, session, reference: result.reference }, request);
  } catch (error) {
    return unavailable(runtime, request, 'cancel-failed', {
      error: error instanceof Error ? error.name : typeof error,
    });
  }
}
