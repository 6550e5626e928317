import { getCollection, render, type CollectionEntry } from 'astro:content';
import { experimental_AstroContainer as AstroContainer } from 'astro/container';
import { loadRenderers } from 'astro:container';
import { getContainerRenderer } from '@astrojs/mdx/container-renderer';
import { contentComponents } from '../components/content/index.ts';
import { htmlToText } from './html-to-text.ts';
import { sortByOrder } from './order.ts';

export interface FaqItem {
  /** The file name without extension: the answer's stable anchor. */
  readonly slug: string;
  readonly question: string;
  readonly answerHtml: string;
  /** The answer as plain text, for structured data. */
  readonly answerText: string;
}

/** Renders an entry once with the editors' components, so the page and the JSON-LD show the same text. */
async function renderEntry(container: AstroContainer, entry: CollectionEntry<'faq'>): Promise<FaqItem> {
  const { Content } = await render(entry);
  const answerHtml = await container.renderToString(Content, { props: { components: contentComponents } });
  return { slug: entry.id, question: entry.data.question, answerHtml, answerText: htmlToText(answerHtml) };
}

/** Every question in the editors' order, rendered. */
export async function getFaq(): Promise<FaqItem[]> {
  const renderers = await loadRenderers([getContainerRenderer()]);
  const container = await AstroContainer.create({ renderers });
  const entries = sortByOrder(await getCollection('faq'));
  return Promise.all(entries.map((entry) => renderEntry(container, entry)));
}
