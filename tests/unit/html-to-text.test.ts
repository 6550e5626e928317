import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/content/html-to-text.ts';

describe('answer text for structured data', () => {
  it('keeps paragraphs and list items as lines and drops markup', () => {
    const html =
      '<p>Erster <strong>Absatz</strong> &amp; mehr.</p>\n<ul>\n<li>Eins</li>\n<li>Zwei &#x2013; drei</li>\n</ul>';
    expect(htmlToText(html)).toBe('Erster Absatz & mehr.\n- Eins\n- Zwei – drei');
  });

  it('keeps the text of links and dates', () => {
    const html = '<p>Schreiben Sie an <a href="mailto:a@b.de">a@b.de</a> bis <time datetime="x">1. März</time>.</p>';
    expect(htmlToText(html)).toBe('Schreiben Sie an a@b.de bis 1. März.');
  });
});
