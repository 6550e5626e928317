import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { ADMIN_HEADERS, adminPage } from '../admin/page.ts';

/** node_modules/decap-cms/dist, wherever npm put it. */
const DECAP_DIST = dirname(createRequire(import.meta.url).resolve('decap-cms'));

/** The bundle, the chunks it loads on demand, their wasm and the licence notice; no source maps. */
const SHIPPED = /^(\d+\.)?decap-cms\.js(\.LICENSE\.txt)?$|\.wasm$/;

/**
 * Self-hosts Decap CMS under /admin/ (see src/admin/page.ts): the build copies its files from
 * node_modules into dist/admin/, so they are neither committed nor fetched from a CDN; `astro dev`
 * serves them and the page straight from node_modules.
 */
export function decapCms(): AstroIntegration {
  return {
    name: 'komma:decap-cms',
    hooks: {
      'astro:build:done': async ({ dir }) => {
        const target = join(fileURLToPath(dir), 'admin');
        await mkdir(target, { recursive: true });
        const files = (await readdir(DECAP_DIST)).filter((name) => SHIPPED.test(name));
        await Promise.all(files.map((name) => copyFile(join(DECAP_DIST, name), join(target, name))));
      },
      'astro:server:setup': ({ server }) => {
        server.middlewares.use(async (req, res, next) => {
          const path = new URL(req.url ?? '/', 'http://localhost').pathname;
          if (path === '/admin' || path === '/admin/') {
            res.writeHead(200, ADMIN_HEADERS).end(await adminPage().text());
            return;
          }
          const name = path.startsWith('/admin/') ? path.slice('/admin/'.length) : '';
          if (!SHIPPED.test(name)) return next();
          const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript; charset=utf-8';
          res.writeHead(200, { 'content-type': type });
          createReadStream(join(DECAP_DIST, name)).pipe(res);
        });
      },
    },
  };
}
