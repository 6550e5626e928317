/** Schema building blocks with German messages, shared by every form. */
// A namespace import, here and in every module that uses zod: with `import { z }` esbuild, which
// bundles the functions, keeps all of zod (https://github.com/colinhacks/zod/issues/6597).
import * as z from 'zod/mini';
import type { Option } from './fields.ts';

const tooLong = (what: string, max: number) =>
  `${what} darf höchstens ${max.toLocaleString('de-DE')} Zeichen lang sein.`;

/** A required single line. `what` starts the too-long message: „Der Name der Kommune darf …". */
export function requiredLine(missing: string, max: number, what: string) {
  return z.string({ error: missing }).check(z.minLength(1, missing), z.maxLength(max, tooLong(what, max)));
}

/** Marks of an email or web address, in any case: `@`, `://`, `www.`. */
const ADDRESS_MARK = /@|:\/\/|www\./i;

/**
 * The end of a domain: no letter, digit or hyphen after it, and no dot unless that dot ends the
 * value (`evil.com.`), so abbreviations stay allowed: `Dr.med. Kim`.
 */
const END = String.raw`(?![\p{L}\p{N}-])(?!\.(?!\s*$))`;

/**
 * What a mail client may turn into a link: a dot and two or more lowercase letters that end a word
 * (`musterstadt.de`, `evil.com/x`, `evil.com.`); the same in capitals after a label in capitals
 * (`EVIL.COM`); a common top-level domain in any case (`Evil.Com`); any domain with a path
 * (`Bit.Ly/abc`). Abbreviations stay allowed: `St. Gallen`, `z. B.`, `Abt.Organisation`,
 * `Dr.med. Kim`, `GmbH & Co.KG`.
 */
const DOMAINS = [
  new RegExp(String.raw`[\p{L}\p{N}-]\.[a-z]{2,}${END}`, 'u'),
  new RegExp(String.raw`(?<![\p{L}\p{N}-])[\p{Lu}\p{N}-]+\.[\p{Lu}]{2,}${END}`, 'u'),
  new RegExp(
    String.raw`[\p{L}\p{N}-]\.(?:com|net|org|info|biz|io|ly|me|co|to|de|eu|at|ch|app|xyz|site|online|link)${END}`,
    'iu',
  ),
  /[\p{L}\p{N}-]\.\p{L}{2,}\/\S/u,
];

/** Whether a single line holds an email or web address, bare domains in any case included. */
export const holdsAddress = (value: string) => ADDRESS_MARK.test(value) || DOMAINS.some((domain) => domain.test(value));

/**
 * A required single line that names a person, an office or a body. These values reach emails
 * our domain sends to addresses anyone can type in, so they must not carry a link or a mailto.
 * NFKC first, so that a fullwidth dot (`evil．com`) or letters are read as what they show.
 */
export function nameLine(missing: string, max: number, what: string) {
  return requiredLine(missing, max, what).check(
    z.normalize('NFKC'),
    z.refine((value: string) => !holdsAddress(value), 'Bitte geben Sie hier keine E-Mail- oder Internetadresse an.'),
  );
}

/** Required multi-line text. */
export function requiredText(missing: string, max: number) {
  return z.string({ error: missing }).check(z.minLength(1, missing), z.maxLength(max, tooLong('Der Text', max)));
}

/** Optional multi-line text. */
export function optionalText(max: number) {
  return z.optional(z.string({ error: 'Geben Sie hier Text ein.' }).check(z.maxLength(max, tooLong('Der Text', max))));
}

/** One of the listed options. */
export function oneOf<const T extends readonly [Option, ...Option[]]>(options: T, message: string) {
  return z.enum(options.map((option) => option.value) as [T[number]['value'], ...T[number]['value'][]], {
    error: message,
  });
}

/** A checkbox that must be ticked. */
export function mustBeTrue(message: string) {
  return z.literal(true, { error: message });
}

/** An email address of the usual shape (name@domain.tld), at most 254 characters as SMTP allows. */
export function email() {
  const message = 'Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.';
  return z.email({ error: message }).check(z.maxLength(254, 'Die E-Mail-Adresse ist zu lang.'));
}

/** A phone number: digits, spaces and + / ( ) -, with at least five digits. */
export function phone() {
  return z
    .string({ error: 'Geben Sie die Telefonnummer als Text an.' })
    .check(
      z.regex(/^[0-9 +/()-]+$/, 'Die Telefonnummer darf nur Ziffern, Leerzeichen und + / ( ) - enthalten.'),
      z.regex(/(\d\D*){5}/, 'Die Telefonnummer ist zu kurz.'),
      z.maxLength(40, 'Die Telefonnummer darf höchstens 40 Zeichen lang sein.'),
    );
}
