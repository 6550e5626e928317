import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPlaceholders } from '../../src/integrations/placeholders.ts';

describe('placeholder check', () => {
  it('lists every placeholder with file and line', async () => {
    const root = await mkdtemp(join(tmpdir(), 'komma-placeholders-'));
    await mkdir(join(root, 'content/pages'), { recursive: true });
    await writeFile(
      join(root, 'content/pages/impressum.mdx'),
      '---\ntitle: I\n---\n\nAnschrift: <Platzhalter>Postanschrift</Platzhalter>\n\nRegister: <Platzhalter>Registergericht und\nNummer</Platzhalter>\n',
    );
    await writeFile(join(root, 'content/pages/fertig.mdx'), '---\ntitle: F\n---\n\nAlles bekannt.\n');
    expect(await findPlaceholders(root)).toEqual([
      { file: 'content/pages/impressum.mdx', line: 5, text: 'Postanschrift' },
      { file: 'content/pages/impressum.mdx', line: 7, text: 'Registergericht und Nummer' },
    ]);
  });
});
