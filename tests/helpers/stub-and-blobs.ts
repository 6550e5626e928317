import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { startBlobs, type TestBlobs } from './blobs.ts';
import { startResendStub, type ResendStub } from './resend-stub.ts';

/** What a test file of the real pipeline runs against; fresh for each test but the stub. */
export interface StubAndBlobs {
  /** One Resend stub for the file, reset before each test. */
  resend: ResendStub;
  /** A new local Blobs server (Netlify's own) for each test. */
  blobs: TestBlobs;
  /** The lines the code under test logged as errors in this test (logs stay quiet otherwise). */
  errors: string[];
}

/**
 * Registers the hooks of a unit-test file that runs the real pipeline: the Resend stub, a store on
 * Netlify's local Blobs server, and quiet logs. Read the parts inside tests or later hooks.
 */
export function useStubAndBlobs(): StubAndBlobs {
  const parts = { errors: [] } as unknown as StubAndBlobs;
  beforeAll(async () => {
    parts.resend = await startResendStub();
  });
  afterAll(() => parts.resend?.close());
  beforeEach(async () => {
    parts.resend.reset();
    parts.blobs = await startBlobs();
    parts.errors = [];
    vi.spyOn(console, 'info').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void parts.errors.push(String(line)));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await parts.blobs?.stop();
  });
  return parts;
}
