/**
 * Request → fields: method, origin, content type, size limit, then urlencoded or JSON into one
 * plain record. Every refusal is a 4xx with a German message; nothing here can throw a 5xx.
 */
export const MAX_BODY_BYTES = 64 * 1024;

export type ParsedRequest =
  | { ok: true; fields: Record<string, unknown> }
  | { ok: false; status: 400 | 403 | 405 | 413 | 415; message: string; headers?: Record<string, string> };

const refuse = (
  status: 400 | 403 | 405 | 413 | 415,
  message: string,
  headers?: Record<string, string>,
): ParsedRequest => (headers ? { ok: false, status, message, headers } : { ok: false, status, message });

/** A browser that talks to us from another site is refused; clients without Origin (curl) are not. */
function isCrossSite(request: Request): boolean {
  const origin = request.headers.get('origin');
  if (request.headers.get('sec-fetch-site') === 'cross-site') return true;
  return origin !== null && origin !== new URL(request.url).origin;
}

/** Reads at most `limit` bytes; undefined when the body is larger, whatever Content-Length claimed. */
async function readLimited(request: Request, limit: number): Promise<string | undefined> {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(chunks));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function parseRequest(request: Request): Promise<ParsedRequest> {
  if (request.method !== 'POST') {
    return refuse(405, 'Dieses Formular nimmt nur Daten per POST entgegen.', { Allow: 'POST' });
  }
  if (isCrossSite(request)) {
    return refuse(
      403,
      'Anfragen von anderen Websites werden nicht angenommen. Bitte nutzen Sie das Formular auf unserer Website.',
    );
  }
  const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/x-www-form-urlencoded') {
    return refuse(415, 'Bitte senden Sie das Formular als application/x-www-form-urlencoded oder application/json.');
  }
  const tooLarge = 'Die Anfrage ist zu groß (höchstens 64 KiB). Bitte kürzen Sie Ihre Texte.';
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return refuse(413, tooLarge);
  const body = await readLimited(request, MAX_BODY_BYTES);
  if (body === undefined) return refuse(413, tooLarge);

  if (type === 'application/x-www-form-urlencoded') {
    const fields: Record<string, unknown> = {};
    // The first value wins if a name repeats: no field takes a list.
    for (const [name, value] of new URLSearchParams(body)) if (!(name in fields)) fields[name] = value;
    return { ok: true, fields };
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed)) return { ok: true, fields: parsed };
    return refuse(400, 'Die Anfrage muss ein JSON-Objekt mit den Feldern des Formulars sein.');
  } catch {
    return refuse(400, 'Die Anfrage enthält kein gültiges JSON.');
  }
}

/** JSON for the page's script and API clients; HTML for a plain form post. */
export function wantsJson(request: Request): boolean {
  const accept = (request.headers.get('accept') ?? '').toLowerCase();
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  return accept.includes('application/json') || (type.includes('application/json') && !accept.includes('text/html'));
}
