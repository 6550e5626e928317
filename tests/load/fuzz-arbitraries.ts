/**
 * Property-based cases (fast-check): generated from a seed, so a run can be repeated exactly.
 * Three families: valid submissions with some fields replaced by anything; valid submissions whose
 * every text field carries markup (and must be accepted, then escaped); and raw requests with
 * arbitrary methods, content types and bytes.
 */
import fc from 'fast-check';
import type { FuzzCase, Recipe } from './fuzz-corpus.ts';
import { formText, jsonText, tag, token, type FuzzForm } from './fuzz-forms.ts';

const ACCEPTS = ['application/json', 'application/json', 'text/html', '*/*', 'application/json;q=0.5, text/html;q=0.9'];
const CONTENT_TYPES = [
  'application/json',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-8',
  'text/plain',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  'application/json; charset=latin1',
];

/** Characters that break naive code: markup, quotes, line breaks, controls, bidi, combining marks. */
const NASTY_UNITS = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '/',
  '\\',
  '\r',
  '\n',
  '\t',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u2028',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\u0301',
  '\u0336',
  'ä',
  'ß',
  'م',
  'א',
  '😀',
  '%',
  '=',
  ';',
  ' ',
  'a',
  'Z',
  '0',
  '=',
  '+',
  '-',
  '@',
];

/** Any text: arbitrary code points, graphemes, or a soup of the nasty units. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: fc.constantFrom(...NASTY_UNITS), maxLength: 40 }),
  fc.constantFrom('', ' ', 'null', 'undefined', 'true', '[object Object]', '__proto__', '0'.repeat(400)),
);

/** Anything JSON can hold, and a few things it can only hold as text. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: anyText },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(anyText, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.string({ maxLength: 6 }), anyText, { maxKeys: 3 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
);

const DANGEROUS_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** A form post of `fields` as the browser sends it (urlencoded) or the page script (JSON). */
function formPost(fields: Parameters<typeof jsonText>[0], urlencoded: boolean, accept: string) {
  return {
    method: 'POST',
    headers: { 'content-type': urlencoded ? 'application/x-www-form-urlencoded' : 'application/json', accept },
    body: urlencoded ? formText(fields) : jsonText(fields),
  };
}

/** A valid submission with one to four fields (or odd keys) replaced, in either encoding. */
function mutated(form: FuzzForm): fc.Arbitrary<Recipe> {
  const keys = [
    ...form.fields.map((field) => field.name),
    'submissionId',
    'elapsedMs',
    'kontrollfeld',
    ...DANGEROUS_KEYS,
  ];
  return fc
    .record({
      replaced: fc.uniqueArray(fc.record({ key: fc.constantFrom(...keys), value: anyValue }), {
        minLength: 1,
        maxLength: 4,
        selector: (entry) => entry.key,
      }),
      urlencoded: fc.boolean(),
      accept: fc.constantFrom(...ACCEPTS),
    })
    .map(({ replaced, urlencoded, accept }): Recipe => (n) => {
      const entries = new Map<string, unknown>(Object.entries(form.valid(n)));
      for (const { key, value } of replaced) entries.set(key, value);
      const list = [...entries];
      return { family: 'property:mutated', ...formPost(list, urlencoded, accept) };
    });
}

/** Text around markup that a valid name may hold: no `@`, `:` or `.` (addresses and domains are refused). */
const nameSafeText = fc.string({
  unit: fc.constantFrom(
    '<',
    '>',
    '&',
    '"',
    "'",
    '/',
    '\r',
    '\n',
    '\t',
    '\u0007',
    '\u202e',
    '\u0301',
    'ä',
    'م',
    ' ',
    'a',
    'Z',
  ),
  maxLength: 20,
});
const MARKUP = fc.constantFrom(
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '</td></tr></table>',
  '<b>fett</b>',
  '<a href=javascript:alert(1)>x</a>',
  '<style>*{display:none}</style>',
  '',
);

/**
 * Valid, but every text field carries markup around its own marker tag: accepted (200), and the
 * tag must reach the emails' HTML as `&lt;x-fuzz-…&gt;`, never as a tag.
 */
function hostile(form: FuzzForm): fc.Arbitrary<Recipe> {
  return fc
    .record({
      parts: fc.array(fc.tuple(nameSafeText, MARKUP, nameSafeText), {
        minLength: form.textFields.length,
        maxLength: form.textFields.length,
      }),
      // Makes the fields that only count with another value count (unitName, anonymityReason).
      allFields: fc.boolean(),
      urlencoded: fc.boolean(),
      accept: fc.constantFrom(...ACCEPTS),
    })
    .map(({ parts, allFields, urlencoded, accept }): Recipe => (n): FuzzCase => {
      const values = Object.fromEntries(
        form.textFields.map((field, i) => {
          const [before, markup, after] = parts[i]!;
          return [field, `${token(n)} ${before}${tag(n, i)}${markup}${after}`];
        }),
      );
      const context = allFields && form.name === 'bewerbung' ? { scope: 'unit', publication: 'anonymous' } : {};
      const fields = { ...form.valid(n), ...context, ...values };
      return { family: 'property:hostile', ...formPost(fields, urlencoded, accept), hostile: true };
    });
}

/** Any method, any content type, any bytes. */
function raw(): fc.Arbitrary<Recipe> {
  return fc
    .record({
      method: fc.constantFrom('POST', 'POST', 'POST', 'PUT', 'GET', 'DELETE', 'PATCH', 'OPTIONS'),
      contentType: fc.option(fc.constantFrom(...CONTENT_TYPES), { nil: undefined }),
      accept: fc.constantFrom(...ACCEPTS),
      body: fc.oneof(
        fc.uint8Array({ maxLength: 400 }),
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.jsonValue({ maxDepth: 5 }).map((value) => JSON.stringify(value)),
        fc.array(fc.tuple(anyText, anyText), { maxLength: 6 }).map((pairs) => formText(pairs)),
      ),
    })
    .map(({ method, contentType, accept, body }): Recipe => () => ({
      family: 'property:raw',
      method,
      headers: { accept, ...(contentType && { 'content-type': contentType }) },
      ...(method !== 'GET' && { body }),
    }));
}

/** `count` generated cases for one form, reproducible from `seed`. */
export function propertyCases(form: FuzzForm, count: number, seed: number): Recipe[] {
  if (count <= 0) return [];
  const family = fc.oneof(
    { weight: 45, arbitrary: mutated(form) },
    { weight: 35, arbitrary: hostile(form) },
    { weight: 20, arbitrary: raw() },
  );
  return fc.sample(family, { seed, numRuns: count });
}
