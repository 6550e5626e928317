/**
 * Malformed and hostile requests chosen by hand, one list per form: what a browser, a script or an
 * attacker might send. Each entry is a recipe for case n, so that its markers name the request.
 */
import { randomUUID } from 'node:crypto';
import { address, formText, jsonText, tag, token, type Fields, type FuzzForm } from './fuzz-forms.ts';

export interface FuzzCase {
  /** Which list or generator made it: "corpus:methods", "property:hostile" … */
  readonly family: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** Valid but hostile: should be accepted (200), and its markup must reach the emails escaped. */
  readonly hostile?: boolean;
}

export type Recipe = (n: number) => FuzzCase;

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

const asJson = (family: string, body: string | Uint8Array, extra: Record<string, string> = {}): FuzzCase => ({
  family,
  method: 'POST',
  headers: { ...JSON_HEADERS, ...extra },
  body,
});
const asForm = (family: string, body: string | Uint8Array, extra: Record<string, string> = {}): FuzzCase => ({
  family,
  method: 'POST',
  headers: { ...FORM_HEADERS, ...extra },
  body,
});

/** Values of the wrong type for a field that takes a string, number or checkbox. */
const WRONG_TYPES: readonly unknown[] = [[], ['x'], {}, { a: 'b' }, 123, 0, -1, 1.5, 1e21, true, false, null];

/** Line breaks and control characters, with and without the marks of an address. */
const CONTROL_TEXTS = [
  'Zeile eins\r\nX-Kopf: Wert\r\n\r\nZeile drei',
  'Bcc: x@evil.example\r\nSubject: anders',
  'a\u0000b\u0007c\u001b[31md\u007fe\u0085f',
  'Absatz\u2028Zeile\u2029Ende\u000b\u000c',
  '\ufeff\u200b\u200e\u2060versteckt\u2066\u2069',
];

/** Right-to-left, combining and other Unicode that must survive, or be cleaned, not crash. */
const UNICODE_TEXTS = [
  '\u202egnirts desrever\u202c',
  'مدينة النور',
  'עיר הבירה',
  'Mu\u0308ller e\u0301 A\u030a',
  `Z${'\u0336\u0301\u0327'.repeat(60)}algo`,
  '👩‍👩‍👧‍👦 🇩🇪 ﷽',
  '\ud800 einsam',
];

/** Markup that must come out escaped; the marker tag goes in front so escaping can be checked. */
const MARKUP = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  '</td></tr></table><h1>Gross</h1>',
  '<!-- Kommentar --><![CDATA[ x ]]>',
  '&lt;bereits&gt; &amp; entity &#60;',
  '{{7*7}} ${7*7} <%= 7*7 %>',
];

const SUBMISSION_IDS: readonly unknown[] = [
  '',
  'abc',
  123,
  null,
  {},
  [],
  'x'.repeat(1000),
  randomUUID().toUpperCase(),
  '00000000-0000-0000-0000-000000000000',
  `${randomUUID()}\r\n`,
  ` ${randomUUID()}`,
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '6fa459ea-ee8a-9ca4-894e-db77e160355e',
];

const CONTENT_TYPES = [
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json-patch+json',
  'text/json',
  'application/json; charset=iso-8859-1',
  'application/json; charset=utf-16',
  'application/json; charset="latin1"',
  'application/x-www-form-urlencoded; charset=windows-1252',
  'application/json; charset=',
  'APPLICATION/JSON; CHARSET="UTF-8"',
  'application/json;charset=utf8',
  'application/json; foo=bar; charset=utf-8',
  'application/x-www-form-urlencoded;;;',
  ';charset=utf-8',
];

function withField(form: FuzzForm, n: number, field: string, value: unknown): Fields {
  return { ...form.valid(n), [field]: value };
}

/** The field's limit, where it has one: at it is valid, past it is not. */
function limitCases(form: FuzzForm): Recipe[] {
  const recipes: Recipe[] = [];
  for (const field of form.fields) {
    if (field.maxLength === undefined) continue;
    const max = field.maxLength;
    // Fields that only count with another value (unitName, anonymityReason) get it.
    const context = field.when ? { [field.when.field]: field.when.value } : {};
    for (const [label, value] of [
      ['at', 'x'.repeat(max)],
      ['past', 'x'.repeat(max + 1)],
      ['umlauts at', 'ä'.repeat(max)],
      ['umlauts past', 'ä'.repeat(max + 1)],
      ['emoji at', '😀'.repeat(max / 2)],
      ['emoji past', '😀'.repeat(max / 2 + 1)],
    ] as const) {
      recipes.push((n) =>
        asJson(`corpus:limit ${label}`, jsonText({ ...withField(form, n, field.name, value), ...context })),
      );
    }
  }
  const local = (length: number) => `${'k'.repeat(length - '@example.org'.length)}@example.org`;
  for (const value of [local(254), local(255), 'a@b', 'kim@@example.org', 'kim@exa mple.org', 'kim@köln.de']) {
    recipes.push((n) => asJson('corpus:email', jsonText(withField(form, n, 'email', value))));
  }
  if (form.name === 'bewerbung') {
    for (const value of ['1', '0', '20000000', '20000001', '1.000.000', '-5', '1e3', 'NaN', ' 48 500 ', '٣٤٥']) {
      recipes.push((n) => asJson('corpus:population', jsonText(withField(form, n, 'population', value))));
    }
    for (const value of ['1'.repeat(40), '1'.repeat(41), '+49 (0) 89/123-45', '12', 'tel:+4989']) {
      recipes.push((n) => asJson('corpus:phone', jsonText(withField(form, n, 'phone', value))));
    }
  }
  return recipes;
}

export function corpus(form: FuzzForm, origin: string): Recipe[] {
  const recipes: Recipe[] = [];
  const valid = (n: number) => form.valid(n);

  for (const method of ['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    recipes.push((n) => ({
      family: 'corpus:method',
      method,
      headers: JSON_HEADERS,
      ...(method !== 'GET' && method !== 'HEAD' && { body: jsonText(valid(n)) }),
    }));
  }
  for (const type of CONTENT_TYPES) {
    const body = (n: number) => (type.includes('urlencoded') ? formText(valid(n)) : jsonText(valid(n)));
    recipes.push((n) => ({
      ...asJson('corpus:content-type', body(n)),
      headers: { 'content-type': type, accept: 'application/json' },
    }));
  }
  recipes.push((n) => ({
    family: 'corpus:content-type',
    method: 'POST',
    headers: { accept: 'application/json' },
    body: new TextEncoder().encode(jsonText(valid(n))),
  }));

  // Bytes that are not UTF-8, and UTF-8 that is odd.
  recipes.push((n) => asJson('corpus:charset', Buffer.from(jsonText({ ...valid(n), needs: 'Müller' }), 'latin1')));
  recipes.push((n) => asForm('corpus:charset', `${formText(valid(n))}&municipality=M%FCller`));
  recipes.push((n) => asForm('corpus:charset', `municipality=M%FCller&${formText(valid(n))}`));
  recipes.push((n) => asJson('corpus:charset', Buffer.from(jsonText(valid(n)), 'utf16le')));
  recipes.push((n) =>
    asJson('corpus:charset', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(jsonText(valid(n)))])),
  );
  recipes.push((n) =>
    asJson(
      'corpus:charset',
      Buffer.concat([Buffer.from(jsonText(valid(n)).slice(0, -1)), Buffer.from([0xc0, 0xaf, 0x7d])]),
    ),
  );
  recipes.push((n) => asForm('corpus:charset', `${formText(valid(n))}&needs=%C3`));

  // Truncated bodies, at the start, in the middle and one byte short.
  for (const cut of [1, 10, 0.5, -1]) {
    const at = (text: string) => (cut === 0.5 ? Math.floor(text.length / 2) : cut < 0 ? text.length + cut : cut);
    recipes.push((n) => asJson('corpus:truncated', jsonText(valid(n)).slice(0, at(jsonText(valid(n))))));
    recipes.push((n) => asForm('corpus:truncated', formText(valid(n)).slice(0, at(formText(valid(n))))));
  }
  for (const body of ['', ' ', 'null', '[]', '"Text"', '123', 'true', '{}', '{"a":1}', '[{}]', '{"__proto__":{}}']) {
    recipes.push(() => asJson('corpus:empty', body));
  }
  for (const body of ['', '=', '&&&', 'a', '%', '%%%', '%zz', '%C3', '+', 'submissionId']) {
    recipes.push(() => asForm('corpus:empty', body));
  }

  // Size: over the limit by one byte, far over, and a body right at it.
  const padTo = (fields: Fields, bytes: number) => {
    const base = jsonText({ ...fields, padding: '' });
    return jsonText({ ...fields, padding: 'p'.repeat(bytes - Buffer.byteLength(base)) });
  };
  recipes.push((n) => asJson('corpus:size', padTo(valid(n), 64 * 1024)));
  recipes.push((n) => asJson('corpus:size', padTo(valid(n), 64 * 1024 + 1)));
  recipes.push((n) => asJson('corpus:size', jsonText({ ...valid(n), needs: 'x'.repeat(70_000) })));
  recipes.push(() => asForm('corpus:size', `needs=${'a'.repeat(1024 * 1024)}`));
  recipes.push(() => asJson('corpus:size', `{"needs":"${'ä'.repeat(2 * 1024 * 1024)}"}`));

  // Deep JSON: as a whole body and as one field's value.
  recipes.push(() => asJson('corpus:deep', `${'['.repeat(20_000)}${']'.repeat(20_000)}`));
  recipes.push(() => asJson('corpus:deep', `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`));
  recipes.push((n) => {
    const text = jsonText(valid(n));
    const field = form.nameFields[0]!;
    return asJson(
      'corpus:deep',
      `${text.slice(0, -1)},${JSON.stringify(field)}:${'['.repeat(3000)}${']'.repeat(3000)}}`,
    );
  });

  // Prototype pollution, in JSON and in urlencoded keys.
  const entries = (n: number) => Object.entries(valid(n));
  recipes.push((n) =>
    asJson('corpus:proto', jsonText([['__proto__', { polluted: 'yes', isAdmin: true }], ...entries(n)])),
  );
  recipes.push((n) =>
    asJson('corpus:proto', jsonText([['constructor', { prototype: { polluted: 'yes' } }], ...entries(n)])),
  );
  recipes.push((n) => asJson('corpus:proto', jsonText([['__proto__', valid(n)]])));
  recipes.push((n) => asJson('corpus:proto', jsonText([...entries(n), ['__proto__', null]])));
  recipes.push((n) => asJson('corpus:proto', jsonText([...entries(n), ['prototype', { polluted: 'yes' }]])));
  recipes.push((n) =>
    asForm('corpus:proto', `__proto__[polluted]=yes&constructor[prototype][polluted]=yes&${formText(valid(n))}`),
  );
  recipes.push((n) =>
    asForm('corpus:proto', `__proto__=x&toString=x&hasOwnProperty=x&valueOf=x&${formText(valid(n))}`),
  );

  // Wrong types where a string belongs, in every field, and lists in urlencoded.
  for (const field of [...form.fields.map((f) => f.name), 'submissionId', 'elapsedMs', 'kontrollfeld']) {
    for (const value of WRONG_TYPES)
      recipes.push((n) => asJson('corpus:type', jsonText(withField(form, n, field, value))));
    recipes.push((n) => asForm('corpus:type', `${field}[]=x&${formText(valid(n))}`));
    recipes.push((n) => asForm('corpus:type', `${field}=erst&${formText(valid(n))}`));
  }

  recipes.push(...limitCases(form));

  // Fields that hold a choice, a number, an address or a checkbox: long, with controls, with markup.
  const valueOf = (n: number, field: string) => String(valid(n)[field] ?? 'on');
  for (const field of form.fields.filter((f) => !form.textFields.includes(f.name)).map((f) => f.name)) {
    recipes.push((n) => asJson('corpus:other field', jsonText(withField(form, n, field, 'x'.repeat(10_000)))));
    for (const text of [CONTROL_TEXTS[0]!, CONTROL_TEXTS[2]!, UNICODE_TEXTS[0]!]) {
      recipes.push((n) =>
        asJson('corpus:other field', jsonText(withField(form, n, field, `${valueOf(n, field)}${text}`))),
      );
    }
    for (const markup of MARKUP.slice(0, 3)) {
      recipes.push((n) =>
        asForm('corpus:other field', formText(withField(form, n, field, `${tag(n, 9)}${markup}${valueOf(n, field)}`)), {
          accept: 'text/html',
        }),
      );
    }
  }

  // Control characters, line breaks, RTL and combining marks in every text field.
  for (const field of form.textFields) {
    for (const text of [...CONTROL_TEXTS, ...UNICODE_TEXTS]) {
      recipes.push((n) => asJson('corpus:text', jsonText(withField(form, n, field, `${token(n)} ${text}`))));
    }
    recipes.push((n) => asForm('corpus:text', formText(withField(form, n, field, `${token(n)} ${CONTROL_TEXTS[0]}`))));
  }

  // Markup in every text field, one at a time and all at once: valid, so it reaches the emails.
  const hostile = (n: number, fields: readonly string[], markup: string) => {
    const values = Object.fromEntries(fields.map((field, i) => [field, `${tag(n, i)}${markup}`]));
    // Every field counts: a unit applies anonymously (unitName and anonymityReason are read).
    const context = form.name === 'bewerbung' ? { scope: 'unit', unitName: 'Amt', publication: 'anonymous' } : {};
    return { ...valid(n), ...context, ...values };
  };
  for (const markup of MARKUP) {
    for (const field of form.textFields) {
      recipes.push((n) => ({ ...asJson('corpus:markup', jsonText(hostile(n, [field], markup))), hostile: true }));
    }
    recipes.push((n) => ({ ...asForm('corpus:markup', formText(hostile(n, form.textFields, markup))), hostile: true }));
  }

  for (const id of SUBMISSION_IDS) {
    recipes.push((n) => asJson('corpus:submissionId', jsonText({ ...valid(n), submissionId: id })));
  }

  // Who asks, and what they accept.
  recipes.push((n) => asJson('corpus:origin', jsonText(valid(n)), { origin: 'https://evil.example' }));
  recipes.push((n) => asJson('corpus:origin', jsonText(valid(n)), { 'sec-fetch-site': 'cross-site' }));
  recipes.push((n) => asJson('corpus:origin', jsonText(valid(n)), { origin }));
  recipes.push((n) => asJson('corpus:origin', jsonText(valid(n)), { origin: 'null' }));
  for (const accept of ['text/html', 'application/json;q=0, text/html', '*/*', 'image/png', '']) {
    recipes.push((n) => asForm('corpus:accept', formText(valid(n)), { accept }));
    recipes.push((n) => asForm('corpus:accept', formText({ ...valid(n), email: 'kaputt' }), { accept }));
  }
  recipes.push((n) => asJson('corpus:spam', jsonText({ ...valid(n), kontrollfeld: 'x' })));
  recipes.push((n) => asJson('corpus:spam', jsonText({ ...valid(n), elapsedMs: 100 })));
  recipes.push((n) => asJson('corpus:spam', jsonText({ ...valid(n), elapsedMs: '100' })));
  recipes.push((n) => asJson('corpus:spam', jsonText({ ...valid(n), email: address(n).toUpperCase() })));
  return recipes;
}
