/** Runs work items with a bounded number in flight, and stops starting new ones after a deadline. */
export interface PoolOptions {
  /** Items in flight at most. */
  readonly concurrency: number;
  /** No item starts after this many milliseconds; the pool then throws. */
  readonly deadlineMs: number;
  /** Called before item `index` starts, in order: e.g. to move the clock between batches. */
  readonly beforeEach?: (index: number) => void;
}

export async function runPool<T, R>(
  items: readonly T[],
  options: PoolOptions,
  run: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const deadline = performance.now() + options.deadlineMs;
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      if (performance.now() > deadline) {
        throw new Error(`pool deadline of ${options.deadlineMs} ms passed with ${items.length - next} items left`);
      }
      const index = next++;
      options.beforeEach?.(index);
      try {
        results[index] = await run(items[index]!, index);
      } catch (error) {
        // The others stop starting new items: the caller hears of the first failure.
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, items.length) }, worker));
  return results;
}

/** The q-quantile (0 … 1) of `values`, nearest rank; 0 for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
