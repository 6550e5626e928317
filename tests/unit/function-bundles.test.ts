import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_FUNCTIONS_DIR, bundleFunctions, FUNCTIONS_SOURCE_DIR } from '../../src/build/function-bundles.ts';
import { packFrame } from '../../src/site-pages/built-pages.ts';
import { declaredConfigs, functionsDirectoryOf, packageFunctions, type PackagedFunction } from '../bench/packaging.ts';

describe('netlify.toml', () => {
  it.each(['production', 'deploy-preview', 'branch-deploy'])('deploys the built bundles in %s', async (context) => {
    expect(await functionsDirectoryOf(context)).toBe(resolve(BUNDLED_FUNCTIONS_DIR));
  });

  it('serves the sources in functions/ locally (context dev), so that no build is needed', async () => {
    expect(await functionsDirectoryOf('dev')).toBe(resolve(FUNCTIONS_SOURCE_DIR));
  });
});

describe('bundled functions, packaged as netlify build packages them', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'komma-function-bundles-'));
  let packaged: PackagedFunction[] = [];
  // Bundling and packaging all nine functions takes a few seconds; done once for both tests.
  // A build of its own, gone before any bundle runs: what a bundle answers with must be inside it.
  const dist = join(workDir, 'dist');
  const THANKS =
    '<html><head><title>Danke – KommA</title></head><body><main><p data-reference-line hidden>Ihre Vorgangsnummer: <strong data-reference></strong></p></main></body></html>';
  const NOT_FOUND = '<html><head><title>Nicht gefunden</title></head><body><main></main></body></html>';
  beforeAll(async () => {
    mkdirSync(join(dist, 'bewerbung/danke'), { recursive: true });
    writeFileSync(join(dist, '404.html'), NOT_FOUND);
    writeFileSync(join(dist, 'bewerbung/danke/index.html'), THANKS);
    await bundleFunctions(join(workDir, 'bundled'), FUNCTIONS_SOURCE_DIR, dist);
    rmSync(dist, { recursive: true });
    packaged = await packageFunctions(join(workDir, 'bundled'), join(workDir, 'zips'));
  }, 60_000);
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('deploys every function with the routes, schedule and rate limit its source declares', async () => {
    const deployed = packaged.map((fn) => [fn.name, fn.config] as const);
    expect(Object.fromEntries(deployed)).toStrictEqual(Object.fromEntries(await declaredConfigs()));
    // Each function is reachable: by a route or by its schedule.
    expect(deployed.filter(([, config]) => (config.routes as unknown[]).length === 0 && !config.schedule)).toEqual([]);
  });

  it('carries the built pages inside: the thank-you page shows the reference without any dist/', async () => {
    const danke = await import(pathToFileURL(join(workDir, 'bundled', 'danke.mjs')).href);
    const response: Response = danke.default(new Request('https://komma.example/bewerbung/danke/?ref=B-7F3K-9Q2M'));
    expect(await response.text()).toBe(
      THANKS.replace(' hidden>', '>').replace('reference><', 'reference>B-7F3K-9Q2M<'),
    );
  });

  it('puts each built page only into the functions that answer with it', () => {
    const carrying = (marker: string) =>
      readdirSync(join(workDir, 'bundled'))
        .filter((file) => readFileSync(join(workDir, 'bundled', file), 'utf8').includes(marker))
        .map((file) => file.replace(/\.mjs$/, ''));
    expect(carrying(packFrame(NOT_FOUND))).toEqual(['bewerbung', 'webinar']);
    expect(carrying('data-reference-line')).toEqual(['danke']);
  });

  it('answers a plain form post in error with the frame it carries, without any dist/', async () => {
    const bewerbung = await import(pathToFileURL(join(workDir, 'bundled', 'bewerbung.mjs')).href);
    const response: Response = await bewerbung.default(
      new Request('https://komma.example/api/bewerbung', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        body: 'email=kim%40',
      }),
      { deploy: { context: 'dev' } },
    );
    expect(response.status).toBe(422);
    const page = await response.text();
    expect(page).toMatch(/^<html><head><title>Fehler: Ihre Bewerbung konnte nicht gesendet werden – KommA<\/title>/);
    expect(page).toContain('<main>\n<div class="error-summary" role="alert">');
  });

  it("ships each function as one module of ours beside Netlify's bootstrap files", () => {
    expect(packaged.map((fn) => [fn.name, fn.moduleFiles])).toStrictEqual(packaged.map((fn) => [fn.name, 1]));
  });
});
