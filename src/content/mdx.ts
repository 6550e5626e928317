import Slugger from 'github-slugger';
import { mdxToMdast } from 'satteri';

/** What the checks need from one MDX file, each with the line it is on. */
export interface MdxScan {
  /** JSX elements with a capitalised or dotted name: components, which must exist. */
  readonly components: readonly { readonly name: string; readonly line: number | undefined }[];
  /** Every <Platzhalter>…</Platzhalter> and its text. */
  readonly placeholders: readonly { readonly text: string; readonly line: number | undefined }[];
  /** Targets of Markdown links, link definitions and href attributes. */
  readonly links: readonly { readonly url: string; readonly line: number | undefined }[];
  /** The ids the headings get, in the order the page gives them. */
  readonly headingIds: readonly string[];
}

/** A syntax error, with the line the parser names. */
export interface MdxSyntaxError {
  readonly line: number | undefined;
  readonly reason: string;
}

/** The parts of an mdast (with MDX) node that the scan reads. */
interface Node {
  readonly type: string;
  readonly name?: string | null;
  readonly url?: string;
  readonly value?: string;
  readonly attributes?: readonly { readonly type: string; readonly name?: string; readonly value?: unknown }[];
  readonly children?: readonly Node[];
  readonly position?: { readonly start: { readonly line: number } };
}

export const PLACEHOLDER = 'Platzhalter';

/**
 * Parses with satteri, the MDX parser @astrojs/mdx builds with, so what counts as a component here is
 * what the build would try to render: a tag inside `code` or a code block is text, not a component.
 */
export function scanMdx(source: string): MdxScan | MdxSyntaxError {
  let tree: Node;
  try {
    tree = mdxToMdast(source) as unknown as Node;
  } catch (error) {
    // satteri reports "line:column: reason (rule)".
    const message = error instanceof Error ? error.message : String(error);
    const [, line, reason] = /^(\d+):\d+: ([\s\S]*)$/.exec(message) ?? [];
    return { line: line ? Number(line) : undefined, reason: reason ?? message };
  }
  const scan = { components: [], placeholders: [], links: [], headingIds: [] } as {
    components: { name: string; line: number | undefined }[];
    placeholders: { text: string; line: number | undefined }[];
    links: { url: string; line: number | undefined }[];
    headingIds: string[];
  };
  // Heading ids as @astrojs/markdown-satteri gives them: one slugger per document.
  const slugger = new Slugger();
  const visit = (node: Node): void => {
    const line = node.position?.start.line;
    if (node.type === 'heading') scan.headingIds.push(slugger.slug(textOf(node)));
    if (node.type === 'link' || node.type === 'definition') scan.links.push({ url: node.url ?? '', line });
    if ((node.type === 'mdxJsxFlowElement' || node.type === 'mdxJsxTextElement') && node.name) {
      if (/^[A-Z]|\./.test(node.name)) scan.components.push({ name: node.name, line });
      if (node.name === PLACEHOLDER) scan.placeholders.push({ text: textOf(node), line });
      for (const attribute of node.attributes ?? []) {
        if (attribute.name === 'href' && typeof attribute.value === 'string')
          scan.links.push({ url: attribute.value, line });
      }
    }
    node.children?.forEach(visit);
  };
  visit(tree);
  return scan;
}

export function isSyntaxError(result: MdxScan | MdxSyntaxError): result is MdxSyntaxError {
  return 'reason' in result;
}

/** The visible text of a node, whitespace collapsed. */
function textOf(node: Node): string {
  const own = (n: Node) => (n.type === 'text' || n.type === 'inlineCode' ? (n.value ?? '') : '');
  const collect = (n: Node): string => own(n) + (n.children ?? []).map(collect).join('');
  return collect(node).replace(/\s+/g, ' ').trim();
}
