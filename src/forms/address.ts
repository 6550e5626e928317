/**
 * One person's mailbox, however it is spelled: lower case, and without a `+tag` in the local part
 * (`Kim+webinar@X.de` and `kim@x.de` reach the same person). For comparing and counting only; the
 * address as typed is the one we write to.
 */
export function mailbox(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 1) return lower;
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}${lower.slice(at)}`;
}
