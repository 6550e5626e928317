/**
 * Request → fields: method, origin, content type and charset, size limit, UTF-8, then urlencoded
 * or JSON into one plain record. Every refusal is a 4xx with a German message; nothing here can
 * throw a 5xx.
 */
import Negotiator from 'negotiator';

export const MAX_BODY_BYTES = 64 * 1024;

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';

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

/** „Application/JSON; charset="UTF-8"" → type `application/json`, charset `utf-8`; spaces and quotes allowed. */
function contentType(header: string): { type: string; charset?: string } {
  const [type = '', ...parameters] = header.toLowerCase().split(';');
  for (const parameter of parameters) {
    const at = parameter.indexOf('=');
    if (at < 0 || parameter.slice(0, at).trim() !== 'charset') continue;
    return {
      type: type.trim(),
      charset: parameter
        .slice(at + 1)
        .trim()
        .replace(/^"\s*(.*?)\s*"$/, '$1'),
    };
  }
  return { type: type.trim() };
}

/** Reads at most `limit` bytes; undefined when the body is larger, whatever Content-Length claimed. */
async function readLimited(request: Request, limit: number): Promise<Uint8Array | undefined> {
  if (!request.body) return new Uint8Array();
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
  return Buffer.concat(chunks);
}

/** The body as text; undefined when its bytes are not UTF-8, rather than „�" in place of each. */
function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/** One urlencoded name or value; undefined when its percent-encoded bytes are not UTF-8. */
function decodeFormComponent(text: string): string | undefined {
  try {
    // A % without two hex digits stays as typed, as in URLSearchParams, so decodeURIComponent
    // throws only for bytes that are not UTF-8.
    return decodeURIComponent(text.replaceAll('+', ' ').replace(/%(?![\da-f]{2})/gi, '%25'));
  } catch {
    return undefined;
  }
}

/**
 * Reads a body as URLSearchParams does, but refuses percent-encoded bytes that are not UTF-8 (what a
 * form with accept-charset="ISO-8859-1" sends) instead of turning them into „�".
 */
function parseUrlencoded(body: string): Record<string, unknown> | undefined {
  const fields: Record<string, unknown> = {};
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decodeFormComponent(at < 0 ? pair : pair.slice(0, at));
    const value = decodeFormComponent(at < 0 ? '' : pair.slice(at + 1));
    if (name === undefined || value === undefined) return undefined;
    // The first value wins if a name repeats: no field takes a list.
    if (!(name in fields)) fields[name] = value;
  }
  return fields;
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
  const { type, charset } = contentType(request.headers.get('content-type') ?? '');
  if (type !== JSON_TYPE && type !== FORM_TYPE) {
    return refuse(415, 'Bitte senden Sie das Formular als application/x-www-form-urlencoded oder application/json.');
  }
  // Without a charset parameter both types are UTF-8 (RFC 8259; the URL standard for urlencoded).
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return refuse(
      415,
      'Diese Zeichenkodierung wird nicht unterstützt. Bitte senden Sie das Formular in der Zeichenkodierung UTF-8.',
    );
  }
  const tooLarge = 'Die Anfrage ist zu groß (höchstens 64 KiB). Bitte kürzen Sie Ihre Texte.';
  if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return refuse(413, tooLarge);
  const bytes = await readLimited(request, MAX_BODY_BYTES);
  if (bytes === undefined) return refuse(413, tooLarge);

  // 415 rather than 400: the request is well-formed, only in an encoding we do not read (most likely
  // Latin-1 sent without saying so), and the remedy is the same as for a declared foreign charset.
  const notUtf8 = refuse(
    415,
    'Die Anfrage enthält Zeichen, die nicht in UTF-8 kodiert sind. Bitte senden Sie das Formular in der Zeichenkodierung UTF-8.',
  );
  const body = decodeUtf8(bytes);
  if (body === undefined) return notUtf8;

  if (type === FORM_TYPE) {
    const fields = parseUrlencoded(body);
    return fields ? { ok: true, fields } : notUtf8;
  }
  try {
    const parsed: unknown = JSON.parse(body);
    if (isRecord(parsed)) return { ok: true, fields: parsed };
    return refuse(400, 'Die Anfrage muss ein JSON-Objekt mit den Feldern des Formulars sein.');
  } catch {
    return refuse(400, 'Die Anfrage enthält kein gültiges JSON.');
  }
}

const ANSWER_TYPES = ['text/html', JSON_TYPE] as const;

/**
 * JSON for the page's script and API clients; HTML for a plain form post. Accept decides, q-values
 * included; when it prefers neither type (no Accept, `*\/*`, neither named), the body's type does.
 */
export function wantsJson(request: Request): boolean {
  const accept = request.headers.get('accept');
  if (accept !== null) {
    const negotiator = new Negotiator({ headers: { accept } });
    // Negotiator breaks a tie by the order of our list, so asking in both orders reveals one.
    const preferred = negotiator.mediaType(ANSWER_TYPES);
    if (preferred !== undefined && preferred === negotiator.mediaType([...ANSWER_TYPES].reverse())) {
      return preferred === JSON_TYPE;
    }
  }
  return contentType(request.headers.get('content-type') ?? '').type === JSON_TYPE;
}
