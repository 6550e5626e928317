import { isActive, type Field } from './fields.ts';

/** Control and invisible formatting characters (incl. bidi overrides) that have no place in form text. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** One line of text: no line breaks or control characters, single spaces, trimmed, NFC. */
export function cleanLine(value: string): string {
  // NFC last: a removed invisible character may have stood between a letter and its accent.
  return value
    .replace(/[\t\n\r\u2028\u2029]+/g, ' ')
    .replace(CONTROL, '')
    .replace(/ {2,}/g, ' ')
    .trim()
    .normalize('NFC');
}

/** Multi-line text: \n line endings, no control characters except line breaks, trimmed, NFC. */
export function cleanText(value: string): string {
  return value
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROL, '')
    .trim()
    .normalize('NFC');
}

/** "12.345", "12 345" or "12345" → 12345; anything else stays as typed, for the schema to refuse. */
function wholeNumber(value: string): number | string {
  const compact = value.trim();
  if (/^\d{1,3}([. \u00a0\u202f]\d{3})+$/.test(compact) || /^\d+$/.test(compact)) {
    return Number(compact.replace(/\D/g, ''));
  }
  return compact === '' ? '' : compact;
}

/** Characters that end a URL's host or may not stand in one: a domain with them stays as typed. */
const NOT_IN_DOMAIN = /[\s/\\?#:@[\]%]/;

/**
 * „info@köln.de" → „info@xn--kln-sna.de": the schema's email check and mail servers take a domain
 * only in ASCII. The WHATWG URL parser maps it by UTS #46 as Node's url.domainToASCII does, and
 * unlike node:url it exists in the browser, which bundles this module. The local part stays as typed.
 */
function asciiEmailDomain(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1);
  if (at < 0 || domain === '' || NOT_IN_DOMAIN.test(domain)) return address;
  // ASCII needs only lowercasing; the URL parser would read a numeric domain as an IPv4 address.
  if (/^[\x21-\x7e]+$/.test(domain)) return address.slice(0, at + 1) + domain.toLowerCase();
  try {
    return address.slice(0, at + 1) + new URL(`http://${domain}`).hostname;
  } catch {
    return address;
  }
}

function checkbox(value: unknown): unknown {
  if (value === true || value === 'on' || value === 'true') return true;
  if (value === undefined || value === null || value === false || value === '' || value === 'false') return false;
  return value;
}

function normaliseValue(field: Field, value: unknown): unknown {
  // No field takes a list or an object: a nested JSON value becomes null, which the schema
  // refuses with the field's own message, before anything serialises it.
  if (typeof value === 'object' && value !== null) return null;
  if (field.kind === 'checkbox') return checkbox(value);
  if (typeof value !== 'string') return value ?? undefined;
  const cleaned = cleanString(field, value);
  return cleaned === '' ? undefined : cleaned;
}

function cleanString(field: Field, value: string): string | number {
  switch (field.kind) {
    case 'textarea':
      return cleanText(value);
    case 'number':
      return wholeNumber(value);
    case 'email':
      return asciiEmailDomain(cleanLine(value));
    default:
      return cleanLine(value);
  }
}

/**
 * The one step between a request (urlencoded or JSON) or the browser's FormData and the schema:
 * known fields only, text cleaned, empty → undefined, checkboxes → booleans, and fields that do
 * not apply (see Field.when) dropped.
 */
export function normalise(fields: readonly Field[], raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of fields) values[field.name] = normaliseValue(field, raw[field.name]);
  for (const field of fields) if (!isActive(field, values)) delete values[field.name];
  for (const name of Object.keys(values)) if (values[name] === undefined) delete values[name];
  return values;
}
