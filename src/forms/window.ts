/** Where an instant falls relative to a window whose `closes` is the last second that still counts. */
export type WindowState = 'before' | 'open' | 'closed';

export function windowState(window: { opens: Date; closes: Date }, now: Date): WindowState {
  if (now.getTime() < window.opens.getTime()) return 'before';
  // `closes` is 23:59:59: the whole of that second still counts.
  if (now.getTime() < window.closes.getTime() + 1000) return 'open';
  return 'closed';
}
