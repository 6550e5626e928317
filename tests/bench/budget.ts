/**
 * One budget's outcome; `measured` is null when its page was not built. Bytes and shifts are upper
 * limits, scores lower ones.
 */
export interface BudgetResult {
  readonly subject: string;
  readonly metric: string;
  readonly measured: number | null;
  readonly limit: number;
  readonly passed: boolean;
  readonly kind?: 'bytes' | 'at most' | 'at least';
}
