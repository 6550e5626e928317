import { windowState } from '../forms/window.ts';
import { pageNow } from './page-clock.ts';

/**
 * The application window's state, decided before the first paint. This classic script sits in
 * <head> and blocks rendering (bewerbung/index.astro), so it runs before any of the body exists.
 * The HTML states the window as the build saw it; a page built before a boundary and read after
 * it (until the rebuild at that boundary is live) would otherwise paint the build's state and
 * jump once a later script corrected it. The script cannot touch the body yet: it marks <html>
 * with the state it found, and the page's CSS shows that state's parts from the first frame.
 *
 * Only forward: a reader whose clock lags behind the build's sees the state the build saw, which
 * the server, the authority, has already reached. Built 'before' or 'open' (a closed page has no
 * script), forward is any other state but 'before'. Without JavaScript the build's state shows.
 */
const facts = document.currentScript!.dataset;
const current = windowState({ opens: new Date(facts['opens']!), closes: new Date(facts['closes']!) }, pageNow());
if (current !== facts['builtState'] && current !== 'before') document.documentElement.dataset['window'] = current;
