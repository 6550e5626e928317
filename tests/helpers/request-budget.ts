/**
 * For tests, not for the load suites: a request gets ten seconds instead of the deployed 1.8
 * (production ignores it), so that what a test sees never depends on how fast a busy machine
 * answers. A provider that hangs still costs a request only its per-call bound
 * (src/delivery/attempt.ts).
 */
export const TEST_REQUEST_BUDGET_MS = 10_000;

/** The same, for functions that read it from their environment (KOMMA_REQUEST_BUDGET_MS). */
export const TEST_REQUEST_BUDGET = { KOMMA_REQUEST_BUDGET_MS: String(TEST_REQUEST_BUDGET_MS) } as const;
