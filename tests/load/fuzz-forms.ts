/**
 * What the fuzz suite knows about each form: its fields (from src/forms, so the limits are the
 * real ones), a valid submission carrying markers of the request that sent it, and the encodings.
 *
 * Markers tie an email back to its request: every case n puts `Fz<n>q` in a name, the address
 * `fuzz<n>@example.org`, and in hostile text `<x-fuzz-<n>-<i>>`, which must never reach an
 * email's HTML as a tag.
 */
import { createHash } from 'node:crypto';
import { applicationFields } from '../../src/forms/application.ts';
import type { Field } from '../../src/forms/fields.ts';
import { sessionOptions } from '../../src/forms/session-options.ts';
import { webinarFields } from '../../src/forms/webinar.ts';
import { settings } from '../../src/settings/index.ts';
import { validApplication } from '../fixtures/applications.ts';
import { validRegistration } from '../fixtures/webinar.ts';
import type { FormName } from './submissions.ts';

export type Fields = Record<string, unknown>;

export interface FuzzForm {
  readonly name: FormName;
  readonly fields: readonly Field[];
  /** Single-line fields that name a person or body: they refuse `@`, `://`, `www.` and domains. */
  readonly nameFields: readonly string[];
  /** Free text that reaches the emails as typed (after cleaning): where hostile markup goes. */
  readonly textFields: readonly string[];
  /** A valid submission for case n, with its markers and a submissionId of its own. */
  valid(n: number): Fields;
}

export const token = (n: number) => `Fz${n}q`;
export const address = (n: number) => `fuzz${n}@example.org`;
export const tag = (n: number, i: number) => `<x-fuzz-${n}-${i}>`;

export const TOKEN = /Fz(\d+)q/g;
export const ADDRESS = /fuzz(\d+)@example\.org/g;
/** A marker tag as a tag: what escaping must have turned into `&lt;x-fuzz-…`. */
export const RAW_TAG = /<x-fuzz-\d+-\d+>/;
export const ESCAPED_TAG = /&lt;x-fuzz-\d+-\d+&gt;/;

/** The page script's measure of the time it took to fill in the form: a person's. */
const PERSON_FILL_MS = 95_000;

/** A UUID (version 4 layout) made from the seed and n: the same run, the same ids. */
export function submissionIdFor(seed: number, n: number): string {
  const hex = createHash('sha256').update(`fuzz-${seed}-${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const NAME_LINE = (field: Field) => field.kind === 'text';
const TEXT = (field: Field) => field.kind === 'text' || field.kind === 'textarea';

export function fuzzForms(seed: number, webinarSession: string): readonly FuzzForm[] {
  const webinar = webinarFields(sessionOptions(settings.webinars));
  return [
    {
      name: 'bewerbung',
      fields: applicationFields,
      nameFields: applicationFields.filter(NAME_LINE).map((field) => field.name),
      textFields: applicationFields.filter(TEXT).map((field) => field.name),
      valid: (n) => ({
        ...validApplication,
        municipality: `Musterstadt ${token(n)}`,
        email: address(n),
        submissionId: submissionIdFor(seed, n),
        elapsedMs: PERSON_FILL_MS,
      }),
    },
    {
      name: 'webinar',
      fields: webinar,
      nameFields: webinar.filter(NAME_LINE).map((field) => field.name),
      textFields: webinar.filter(TEXT).map((field) => field.name),
      valid: (n) => ({
        ...validRegistration,
        session: webinarSession,
        name: `Kim ${token(n)}`,
        email: address(n),
        submissionId: submissionIdFor(seed, n),
        elapsedMs: PERSON_FILL_MS,
      }),
    },
  ];
}

/**
 * JSON text from entries, so that keys like `__proto__` stay own keys of the text (an object
 * literal would set the prototype instead). Undefined values are left out, as JSON.stringify does.
 */
export function jsonText(fields: Fields | readonly (readonly [string, unknown])[]): string {
  const entries = Array.isArray(fields) ? fields : Object.entries(fields);
  const parts = entries
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
  return `{${parts.join(',')}}`;
}

/** urlencoded as a browser sends it; values that are not strings as their JSON text. */
export function formText(fields: Fields | readonly (readonly [string, unknown])[]): string {
  const entries = Array.isArray(fields) ? fields : Object.entries(fields);
  const params = new URLSearchParams();
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    params.append(key, typeof value === 'string' ? value : JSON.stringify(value));
  }
  return params.toString();
}
