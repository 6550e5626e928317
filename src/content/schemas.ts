import { z } from 'astro/zod';
import { unknownFields } from './issues.ts';

const required = (what: string) => `Pflichtfeld fehlt – bitte ${what} angeben.`;

/** Frontmatter of content/faq/*.mdx. Unknown keys fail, so a misspelt field never goes unnoticed. */
export const faqSchema = z.strictObject(
  {
    question: z
      .string({ error: required('eine Frage') })
      .trim()
      .min(1, required('eine Frage')),
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
    title: z
      .string({ error: required('einen Titel') })
      .trim()
      .min(1, required('einen Titel')),
    description: z
      .string({ error: required('eine Beschreibung') })
      .trim()
      .min(1, required('eine Beschreibung'))
      .max(160, 'Die Beschreibung darf höchstens 160 Zeichen lang sein.'),
  },
  unknownFields,
);

export type FaqData = z.output<typeof faqSchema>;
