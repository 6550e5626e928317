/**
 * Emulator features the site does not use, switched off in `npm run serve` and `astro dev` alike:
 * each would start machinery (and ask for accounts or network) for nothing. Blobs stays on: the
 * forms store submissions there (emulated under .netlify/blobs-serve).
 */
export const UNUSED_NETLIFY_FEATURES = {
  aiGateway: { enabled: false },
  database: { enabled: false },
  edgeFunctions: { enabled: false },
  geolocation: { enabled: false },
  images: { enabled: false },
} as const;
