/**
 * The web editor's page at /admin/: Decap CMS, self-hosted (/admin/decap-cms.js, copied from
 * node_modules at build time by src/integrations/decap.ts), configured by public/admin/config.yml.
 *
 * A function serves it, not a static file, so that it can carry a policy of its own: Netlify applies
 * every matching header rule of netlify.toml to static files, and a second Content-Security-Policy
 * beside the strict one for "/*" could only tighten it. Header rules do not apply to function
 * responses, so every other page keeps the strict policy unchanged.
 */

/**
 * What Decap needs and nothing more. 'unsafe-eval': ajv compiles the config schema with
 * new Function(). 'unsafe-inline' styles: the editor's CSS-in-JS writes <style> elements.
 * connect-src: the GitHub API in production; decap-server on the editor's own machine for
 * `npm run cms` (any loopback port, so tests can run it beside others; only used on localhost).
 * img-src: GitHub avatars of the signed-in editor.
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: https://avatars.githubusercontent.com",
  "connect-src 'self' https://api.github.com http://localhost:* http://127.0.0.1:*",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HTML = `<!doctype html>
<html lang="de">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="robots" content="noindex, nofollow">
    <title>Inhalte bearbeiten – KommA</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="cms-config-url" type="text/yaml" href="/admin/config.yml">
  </head>
  <body>
    <noscript>Der Web-Editor braucht JavaScript. Die Inhalte lassen sich auch direkt im Repository bearbeiten; siehe content/README.md.</noscript>
    <script src="/admin/decap-cms.js"></script>
  </body>
</html>
`;

export const ADMIN_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': ADMIN_CSP,
  'x-robots-tag': 'noindex, nofollow',
  'cache-control': 'no-cache',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  // Not 'same-origin': the GitHub sign-in runs in a popup on api.netlify.com that reports back to
  // this window through window.opener.
  'cross-origin-opener-policy': 'same-origin-allow-popups',
};

/** The editor's page with its own headers; HEAD gets the same headers without the page, other methods 405. */
export function adminPage(method = 'GET'): Response {
  if (method !== 'GET' && method !== 'HEAD') {
    return new Response('Nur GET und HEAD sind hier möglich.', {
      status: 405,
      headers: { ...ADMIN_HEADERS, 'content-type': 'text/plain; charset=utf-8', allow: 'GET, HEAD' },
    });
  }
  return new Response(method === 'HEAD' ? null : HTML, { headers: ADMIN_HEADERS });
}
