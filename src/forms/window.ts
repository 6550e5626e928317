/** Where an instant falls relative to a window whose `closes` is the last second that still counts. */
export type WindowState = 'before' | 'open' | 'closed';

/** The first instant the window counts as closed: `closes` is 23:59:59, and that whole second still counts. */
export function closedFrom(window: { closes: Date }): Date {
  return new Date(window.closes.getTime() + 1000);
}

export function windowState(window: { opens: Date; closes: Date }, now: Date): WindowState {
  if (now.getTime() < window.opens.getTime()) return 'before';
  if (now.getTime() < closedFrom(window).getTime()) return 'open';
  return 'closed';
}
