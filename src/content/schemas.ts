import { z } from 'astro/zod';
import { unknownFields } from '../settings/issues.ts';

/** Required, trimmed text; the message names what is missing: „bitte eine Frage angeben". */
function requiredText(what: string) {
  const missing = `Pflichtfeld fehlt – bitte ${what} angeben.`;
  return z.string({ error: missing }).trim().min(1, missing);
}

/** Frontmatter of content/faq/*.mdx. Unknown keys fail, so a misspelt field never goes unnoticed. */
export const faqSchema = z.strictObject(
  {
    question: requiredText('eine Frage'),
    order: z
      .number({ error: 'order muss eine ganze Zahl sein, z. B. 10.' })
      .int('order muss eine ganze Zahl sein, z. B. 10.')
      .positive('order muss größer als 0 sein.'),
    category: z.string().trim().min(1).optional(),
    // YAML reads an unquoted 2026-12-01 as a date already; a quoted one is coerced the same way.
    updated: z.coerce.date({ error: 'updated muss ein Datum im Format JJJJ-MM-TT sein, z. B. 2026-12-01.' }).optional(),
  },
  unknownFields,
);

/** Frontmatter of content/pages/*.mdx. */
export const pageSchema = z.strictObject(
  {
    title: requiredText('einen Titel'),
    description: requiredText('eine Beschreibung').max(160, 'Die Beschreibung darf höchstens 160 Zeichen lang sein.'),
  },
  unknownFields,
);

/** Where each collection's files are, relative to the project: read by the collections and the content check. */
export const COLLECTION_DIRS = { faq: 'content/faq', pages: 'content/pages' } as const;

/** The file of content/pages whose text opens the home page; every other one is the page /<file name>/. */
export const HOME_INTRO = 'start';
