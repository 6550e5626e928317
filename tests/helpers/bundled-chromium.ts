/**
 * The Chromium that `npm install` brings: `@sparticuz/chromium` (x64 Linux) ships a headless shell,
 * compressed, with the libraries it needs beyond glibc (NSS, expat) and a font. Unpacked once into
 * the temp folder, one folder per package version, so that any x64 Linux runs the browser tests
 * without apt. The package's own unpacking is not used: it writes loose files into the temp folder
 * itself, takes any `/tmp/chromium` for its own, and changes this process's environment; nor are its
 * launch flags (`--single-process` closes the browser with its first context).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib';

const PACKAGE = '@sparticuz/chromium';

export interface BundledChromium {
  readonly path: string;
  readonly version: string;
  /** What the browser needs in its environment to find the bundled libraries and fonts. */
  readonly env: Readonly<Record<string, string>>;
}

/** Whether this machine can run the bundled browser: the package ships an x64 Linux build only. */
export const bundledChromiumRuns = process.platform === 'linux' && process.arch === 'x64';

/** The package's folder, or undefined when it is not installed (`npm install --omit=dev`). */
function packageFolder(): string | undefined {
  try {
    // The package exports only its entry (build/index.js); its archives are in bin/ beside build/.
    return dirname(dirname(createRequire(import.meta.url).resolve(PACKAGE)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * The entries of a tar archive as the package writes them (GNU tar: files and folders, short names).
 * Anything else stops the unpacking, so that a change in the package is noticed, not half unpacked.
 */
function* tarEntries(archive: Buffer): Generator<{ name: string; folder: boolean; mode: number; data: Buffer }> {
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) return;
    const field = (start: number, length: number) =>
      header.toString('latin1', start, start + length).replace(/\0[\s\S]*$/, '');
    const name = field(0, 100);
    const type = field(156, 1) || '0';
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    if ((type !== '0' && type !== '5') || isAbsolute(name) || normalize(name).startsWith('..')) {
      throw new Error(`${PACKAGE}: unexpected tar entry "${name}" (type ${type}).`);
    }
    const data = archive.subarray(offset + 512, offset + 512 + size);
    yield { name, folder: type === '5', mode: Number.parseInt(field(100, 8).trim(), 8), data };
    offset += 512 + Math.ceil(size / 512) * 512;
  }
}

async function untar(archiveFile: string, into: string): Promise<void> {
  for (const entry of tarEntries(brotliDecompressSync(await readFile(archiveFile)))) {
    const target = join(into, entry.name);
    if (entry.folder) {
      await mkdir(target, { recursive: true });
    } else {
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, entry.data, { mode: entry.mode });
    }
  }
}

/** A fontconfig file naming only the bundled fonts: the package's own names fixed paths in /tmp. */
function fontsConf(folder: string): string {
  const xml = (path: string) => path.replaceAll('&', '&amp;').replaceAll('<', '&lt;');
  return [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    `  <dir>${xml(join(folder, 'fonts'))}</dir>`,
    `  <cachedir>${xml(join(folder, 'fonts-cache'))}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n');
}

/**
 * Unpacks the browser (chromium.br), the software GL beside it (swiftshader.tar.br), the libraries
 * (al2023.tar.br → lib/) and the fonts (fonts.tar.br → fonts/) into a new folder, then renames it into
 * place: a second process that unpacks at the same time, or one that was stopped half-way, never
 * leaves a half-unpacked browser behind.
 */
async function unpack(bin: string, folder: string): Promise<void> {
  const partial = `${folder}.partial-${randomUUID()}`;
  try {
    await mkdir(partial, { recursive: true });
    const browser = join(partial, 'chromium');
    await pipeline(createReadStream(join(bin, 'chromium.br')), createBrotliDecompress(), createWriteStream(browser));
    await chmod(browser, 0o755);
    for (const archive of ['swiftshader.tar.br', 'al2023.tar.br', 'fonts.tar.br'])
      await untar(join(bin, archive), partial);
    await writeFile(join(partial, 'fonts.conf'), fontsConf(folder));
    await rename(partial, folder).catch((error: NodeJS.ErrnoException) => {
      // Another process got there first with the same version: use its copy.
      if (!existsSync(join(folder, 'chromium'))) throw error;
    });
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
}

/** The bundled browser, unpacked on first use; undefined when the package is not installed. */
export async function bundledChromium(): Promise<BundledChromium | undefined> {
  const root = packageFolder();
  if (root === undefined) return undefined;
  const { version } = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
  const folder = join(tmpdir(), `komma-chromium-${version}`);
  if (!existsSync(join(folder, 'chromium'))) await unpack(join(root, 'bin'), folder);
  return {
    path: join(folder, 'chromium'),
    version,
    env: {
      LD_LIBRARY_PATH: [join(folder, 'lib'), process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':'),
      FONTCONFIG_PATH: folder,
    },
  };
}
