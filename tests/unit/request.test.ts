import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, parseRequest, wantsJson } from '../../src/submissions/request.ts';

const URL = 'https://komma.example/api/bewerbung';
const FORM = 'application/x-www-form-urlencoded';
const TOO_LARGE = 'Die Anfrage ist zu groß (höchstens 64 KiB). Bitte kürzen Sie Ihre Texte.';
const NOT_UTF8 =
  'Diese Zeichenkodierung wird nicht unterstützt. Bitte senden Sie das Formular in der Zeichenkodierung UTF-8.';
const INVALID_UTF8 =
  'Die Anfrage enthält Zeichen, die nicht in UTF-8 kodiert sind. Bitte senden Sie das Formular in der Zeichenkodierung UTF-8.';
const CROSS_SITE =
  'Anfragen von anderen Websites werden nicht angenommen. Bitte nutzen Sie das Formular auf unserer Website.';

const post = (body: BodyInit | null, headers: Record<string, string>) =>
  new Request(URL, { method: 'POST', headers, body });

/** A body that arrives in chunks, so no Content-Length is known up front. */
function streamOf(chunks: readonly string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

const streamed = (chunks: readonly string[], headers: Record<string, string>) =>
  new Request(URL, { method: 'POST', headers, body: streamOf(chunks), duplex: 'half' } as RequestInit);

describe('parseRequest', () => {
  it('refuses GET with 405 and Allow: POST', async () => {
    expect(await parseRequest(new Request(URL))).toEqual({
      ok: false,
      status: 405,
      message: 'Dieses Formular nimmt nur Daten per POST entgegen.',
      headers: { Allow: 'POST' },
    });
  });

  it('refuses text/plain with 415', async () => {
    expect(await parseRequest(post('municipality=Musterstadt', { 'content-type': 'text/plain' }))).toEqual({
      ok: false,
      status: 415,
      message: 'Bitte senden Sie das Formular als application/x-www-form-urlencoded oder application/json.',
    });
  });

  it('refuses a POST without content type with 415', async () => {
    expect(await parseRequest(post(null, {}))).toMatchObject({ ok: false, status: 415 });
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const body = `needs=${'x'.repeat(MAX_BODY_BYTES)}`;
    expect(await parseRequest(post(body, { 'content-type': FORM }))).toEqual({
      ok: false,
      status: 413,
      message: TOO_LARGE,
    });
  });

  it('refuses a declared Content-Length over 64 KiB without reading the body', async () => {
    const request = post('a=1', { 'content-type': FORM, 'content-length': String(MAX_BODY_BYTES + 1) });
    expect(await parseRequest(request)).toEqual({ ok: false, status: 413, message: TOO_LARGE });
    expect(request.bodyUsed).toBe(false);
  });

  it('refuses an oversized streamed body without Content-Length', async () => {
    const chunks = Array.from({ length: 5 }, () => 'x'.repeat(16 * 1024));
    expect(await parseRequest(streamed(['needs=', ...chunks], { 'content-type': FORM }))).toEqual({
      ok: false,
      status: 413,
      message: TOO_LARGE,
    });
  });

  it('refuses an oversized streamed body whose Content-Length lies', async () => {
    const chunks = Array.from({ length: 5 }, () => 'x'.repeat(16 * 1024));
    const request = streamed(['needs=', ...chunks], { 'content-type': FORM, 'content-length': '10' });
    expect(await parseRequest(request)).toEqual({ ok: false, status: 413, message: TOO_LARGE });
  });

  it('accepts a body of exactly 64 KiB', async () => {
    const needs = 'x'.repeat(MAX_BODY_BYTES - 'needs='.length);
    expect(await parseRequest(streamed(['needs=', needs], { 'content-type': FORM }))).toEqual({
      ok: true,
      fields: { needs },
    });
  });

  it('decodes UTF-8 that is split across chunks', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify({ municipality: 'München' }));
    const split = bytes.indexOf(0xc3) + 1; // between the two bytes of „ü"
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, split));
        controller.enqueue(bytes.slice(split));
        controller.close();
      },
    });
    const request = new Request(URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(await parseRequest(request)).toEqual({ ok: true, fields: { municipality: 'München' } });
  });

  it('refuses malformed JSON with 400', async () => {
    expect(await parseRequest(post('{"municipality": ', { 'content-type': 'application/json' }))).toEqual({
      ok: false,
      status: 400,
      message: 'Die Anfrage enthält kein gültiges JSON.',
    });
  });

  it('refuses a JSON array with 400', async () => {
    expect(
      await parseRequest(post('[{"municipality":"Musterstadt"}]', { 'content-type': 'application/json' })),
    ).toEqual({
      ok: false,
      status: 400,
      message: 'Die Anfrage muss ein JSON-Objekt mit den Feldern des Formulars sein.',
    });
  });

  it('refuses JSON null with 400', async () => {
    expect(await parseRequest(post('null', { 'content-type': 'application/json' }))).toMatchObject({
      ok: false,
      status: 400,
    });
  });

  it('refuses a post from another origin with 403', async () => {
    const request = post('a=1', { 'content-type': FORM, origin: 'https://evil.example' });
    expect(await parseRequest(request)).toEqual({ ok: false, status: 403, message: CROSS_SITE });
  });

  it('refuses a post the browser marks as Sec-Fetch-Site: cross-site with 403', async () => {
    const request = post('a=1', { 'content-type': FORM, 'sec-fetch-site': 'cross-site' });
    expect(await parseRequest(request)).toEqual({ ok: false, status: 403, message: CROSS_SITE });
  });

  it('accepts a post from the same origin', async () => {
    const request = post('a=1', {
      'content-type': FORM,
      origin: 'https://komma.example',
      'sec-fetch-site': 'same-origin',
    });
    expect(await parseRequest(request)).toEqual({ ok: true, fields: { a: '1' } });
  });

  it('accepts a post without Origin, as curl sends it', async () => {
    expect(await parseRequest(post('a=1', { 'content-type': FORM }))).toEqual({ ok: true, fields: { a: '1' } });
  });

  it('keeps the first value when an urlencoded name repeats', async () => {
    const request = post('municipality=Erste&municipality=Zweite&state=DE-BY', { 'content-type': FORM });
    expect(await parseRequest(request)).toEqual({ ok: true, fields: { municipality: 'Erste', state: 'DE-BY' } });
  });

  it('decodes urlencoded umlauts and plus signs', async () => {
    const request = post('municipality=M%C3%BCnchen+Nord', { 'content-type': FORM });
    expect(await parseRequest(request)).toEqual({ ok: true, fields: { municipality: 'München Nord' } });
  });

  it('accepts content types with a charset parameter and in any case', async () => {
    expect(await parseRequest(post('a=1', { 'content-type': `${FORM}; charset=UTF-8` }))).toEqual({
      ok: true,
      fields: { a: '1' },
    });
    expect(await parseRequest(post('{"a":true}', { 'content-type': 'Application/JSON; charset=utf-8' }))).toEqual({
      ok: true,
      fields: { a: true },
    });
  });

  it.each([`${FORM}; charset="UTF-8"`, `${FORM} ; Charset = "utf8"`, `${FORM};charset=utf8`])(
    'accepts UTF-8 however the charset parameter is written: %s',
    async (contentType) => {
      expect(await parseRequest(post('a=1', { 'content-type': contentType }))).toEqual({
        ok: true,
        fields: { a: '1' },
      });
    },
  );

  it.each([
    `${FORM}; charset="ISO-8859-1"`,
    `${FORM}; charset=windows-1252`,
    'application/json; charset=utf-16',
    `${FORM}; boundary=x; charset = " latin1 "`,
  ])('refuses any other charset with 415: %s', async (contentType) => {
    expect(await parseRequest(post('a=1', { 'content-type': contentType }))).toEqual({
      ok: false,
      status: 415,
      message: NOT_UTF8,
    });
  });

  it('refuses a JSON body whose bytes are not UTF-8 with 415 instead of garbling it', async () => {
    // „München" in ISO-8859-1: ü is the single byte 0xFC.
    const ascii = (text: string) => new TextEncoder().encode(text);
    const latin1 = new Uint8Array([...ascii('{"municipality":"M'), 0xfc, ...ascii('nchen"}')]);
    expect(await parseRequest(post(latin1, { 'content-type': 'application/json' }))).toEqual({
      ok: false,
      status: 415,
      message: INVALID_UTF8,
    });
  });

  it('refuses an urlencoded body whose percent-encoded bytes are not UTF-8 with 415', async () => {
    // What a browser sends for „München" from a form with accept-charset="ISO-8859-1".
    expect(await parseRequest(post('municipality=M%FCnchen', { 'content-type': FORM }))).toEqual({
      ok: false,
      status: 415,
      message: INVALID_UTF8,
    });
  });

  it('keeps a lone or malformed percent sign as typed, as URLSearchParams does', async () => {
    expect(await parseRequest(post('needs=100%+sicher+%zz&a=%4', { 'content-type': FORM }))).toEqual({
      ok: true,
      fields: { needs: '100% sicher %zz', a: '%4' },
    });
  });

  it('reads urlencoded names and values as URLSearchParams does', async () => {
    const body = 'a=1=2&&b&c=%2B+%26&d%20e=f&=leer';
    expect(await parseRequest(post(body, { 'content-type': FORM }))).toEqual({
      ok: true,
      fields: Object.fromEntries(new URLSearchParams(body)),
    });
  });
});

describe('wantsJson', () => {
  const request = (headers: Record<string, string>) => new Request(URL, { method: 'POST', headers });

  it('answers JSON when the client accepts JSON', () => {
    expect(wantsJson(request({ accept: 'application/json', 'content-type': FORM }))).toBe(true);
  });

  it('answers JSON to a JSON post without Accept', () => {
    expect(wantsJson(request({ 'content-type': 'application/json' }))).toBe(true);
  });

  it('answers HTML to a plain form post from a browser', () => {
    const accept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
    expect(wantsJson(request({ accept, 'content-type': FORM }))).toBe(false);
  });

  it('answers HTML to a JSON post that asks for HTML', () => {
    expect(wantsJson(request({ accept: 'text/html', 'content-type': 'application/json' }))).toBe(false);
  });

  it('reads media types case-insensitively, as parseRequest does', () => {
    expect(wantsJson(request({ 'content-type': 'Application/JSON' }))).toBe(true);
  });

  it('answers HTML when the client refuses JSON with q=0', () => {
    const headers = { accept: 'application/json;q=0, text/html', 'content-type': 'application/json' };
    expect(wantsJson(request(headers))).toBe(false);
  });

  it('answers the type the client weighs higher', () => {
    expect(wantsJson(request({ accept: 'text/html;q=0.5, application/json;q=0.9', 'content-type': FORM }))).toBe(true);
    expect(
      wantsJson(request({ accept: 'text/html, application/json;q=0.9', 'content-type': 'application/json' })),
    ).toBe(false);
  });

  it('answers HTML to Accept: text/html, whatever the body', () => {
    expect(wantsJson(request({ accept: 'text/html', 'content-type': FORM }))).toBe(false);
  });

  it('decides by the body when Accept is */*, as without Accept', () => {
    expect(wantsJson(request({ accept: '*/*', 'content-type': 'application/json' }))).toBe(true);
    expect(wantsJson(request({ accept: '*/*', 'content-type': FORM }))).toBe(false);
    expect(wantsJson(request({ 'content-type': FORM }))).toBe(false);
  });

  it('decides by the body when Accept names neither type', () => {
    expect(wantsJson(request({ accept: 'image/png', 'content-type': 'application/json' }))).toBe(true);
  });
});
