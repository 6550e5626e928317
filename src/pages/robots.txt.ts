import type { APIRoute } from 'astro';

/** Allows everything and points crawlers at the sitemap on this deployment's own address. */
export const GET: APIRoute = ({ site }) =>
  new Response(`User-agent: *\nAllow: /\n\nSitemap: ${new URL('/sitemap-index.xml', site).href}\n`);
