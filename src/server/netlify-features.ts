/**
 * Emulator features switched off in `npm run serve` and `astro dev` alike. Most the site does not
 * use: each would start machinery (and ask for accounts or network) for nothing. Blobs it does use,
 * but from src/server/local-blobs.ts (serveLocalBlobs()), whose front makes conditional writes
 * atomic and reads carry their ETag, as on Netlify; the emulator's own Blobs would do neither.
 */
export const UNUSED_NETLIFY_FEATURES = {
  aiGateway: { enabled: false },
  blobs: { enabled: false },
  database: { enabled: false },
  edgeFunctions: { enabled: false },
  geolocation: { enabled: false },
  images: { enabled: false },
} as const;
