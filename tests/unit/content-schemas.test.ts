import { describe, expect, it } from 'vitest';
import { faqSchema, pageSchema } from '../../src/content/schemas.ts';
import { sortByOrder } from '../../src/content/order.ts';
import { formatIssues } from '../../src/settings/issues.ts';

/** "file: field: message" lines, as the build prints them. */
function problems(schema: typeof faqSchema | typeof pageSchema, data: unknown): string[] {
  const result = schema.safeParse(data);
  return result.success ? [] : formatIssues('content/faq/x.mdx', result.error.issues).split('\n');
}

describe('FAQ frontmatter', () => {
  it('accepts a question with order, category and date', () => {
    const data = faqSchema.parse({ question: ' Frage? ', order: 10, category: 'Bewerbung', updated: '2030-02-01' });
    expect(data).toEqual({ question: 'Frage?', order: 10, category: 'Bewerbung', updated: new Date('2030-02-01') });
  });

  it('asks for a missing question', () => {
    expect(problems(faqSchema, { order: 10 })).toEqual([
      'content/faq/x.mdx: question: Pflichtfeld fehlt – bitte eine Frage angeben.',
    ]);
  });

  it('refuses an order that is not a positive whole number', () => {
    expect(problems(faqSchema, { question: 'F?', order: 2.5 })).toEqual([
      'content/faq/x.mdx: order: order muss eine ganze Zahl sein, z. B. 10.',
    ]);
    expect(problems(faqSchema, { question: 'F?', order: '10' })).toEqual([
      'content/faq/x.mdx: order: order muss eine ganze Zahl sein, z. B. 10.',
    ]);
  });

  it('refuses a malformed date', () => {
    expect(problems(faqSchema, { question: 'F?', order: 1, updated: 'gestern' })).toEqual([
      'content/faq/x.mdx: updated: updated muss ein Datum im Format JJJJ-MM-TT sein, z. B. 2026-12-01.',
    ]);
  });

  it('refuses an unknown key such as a misspelt field', () => {
    expect(problems(faqSchema, { question: 'F?', order: 1, oder: 2 })).toEqual([
      'content/faq/x.mdx: Unbekanntes Feld „oder“ – bitte die Schreibweise prüfen.',
    ]);
  });
});

describe('page frontmatter', () => {
  it('needs a title and a description of at most 160 characters', () => {
    expect(problems(pageSchema, { description: 'x'.repeat(161) })).toEqual([
      'content/faq/x.mdx: title: Pflichtfeld fehlt – bitte einen Titel angeben.',
      'content/faq/x.mdx: description: Die Beschreibung darf höchstens 160 Zeichen lang sein.',
    ]);
  });
});

describe('FAQ order', () => {
  const entry = (id: string, order: number) => ({ id, data: { order } });

  it('sorts by order', () => {
    expect(sortByOrder([entry('b', 20), entry('c', 25), entry('a', 10)]).map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });
});
