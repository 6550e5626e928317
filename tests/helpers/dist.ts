import { readFile, readdir } from 'node:fs/promises';
import { parse, type HTMLElement } from 'node-html-parser';

/** A built page from dist/, parsed. `path` as in the URL: "/", "/impressum/", "/404.html". */
export async function builtPage(path: string): Promise<HTMLElement> {
  const file = path.endsWith('/') ? `dist${path}index.html` : `dist${path}`;
  return parse(await readFile(file, 'utf8'));
}

/** URL paths of every HTML page in `dist` [the project's dist/]. */
export async function builtPages(dist = 'dist'): Promise<string[]> {
  const files = await readdir(dist, { recursive: true });
  return files
    .filter((file) => file.endsWith('.html'))
    .map((file) => (file.endsWith('index.html') ? `/${file.slice(0, -'index.html'.length)}` : `/${file}`))
    .sort();
}
