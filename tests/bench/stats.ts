/** Summary figures of repeated timings. Pure, so that the bench's arithmetic has unit tests. */

function sorted(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('No values to summarise.');
  return [...values].sort((a, b) => a - b);
}

/**
 * The nearest-rank percentile: the smallest value that at least p % of the values do not exceed.
 * Always one of the measured values, never an interpolation between two runs that did not happen.
 */
export function percentile(values: readonly number[], p: number): number {
  if (!(p > 0 && p <= 100)) throw new Error(`Percentile must be in (0, 100], got ${p}.`);
  const ordered = sorted(values);
  return ordered[Math.ceil((p / 100) * ordered.length) - 1]!;
}

/** The middle value; for an even count, the mean of the two middle ones. */
export function median(values: readonly number[]): number {
  const ordered = sorted(values);
  const middle = Math.floor(ordered.length / 2);
  return ordered.length % 2 === 1 ? ordered[middle]! : (ordered[middle - 1]! + ordered[middle]!) / 2;
}
