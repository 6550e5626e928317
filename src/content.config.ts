import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { COLLECTION_DIRS, faqSchema, pageSchema } from './content/schemas.ts';

/** One question per file; the file name is the answer's anchor (/#slug). */
const faq = defineCollection({
  loader: glob({ pattern: '*.mdx', base: COLLECTION_DIRS.faq }),
  schema: faqSchema,
});

/** The start text and the legal pages. */
const pages = defineCollection({
  loader: glob({ pattern: '*.mdx', base: COLLECTION_DIRS.pages }),
  schema: pageSchema,
});

export const collections = { faq, pages };
