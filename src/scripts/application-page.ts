import { applicationFields, applicationSchema } from '../forms/application.ts';
import { windowState } from '../forms/window.ts';
import { enhanceForm } from './enhance-form.ts';
import { pageNow } from './page-clock.ts';

// Loaded only while the window is not closed at build time (see bewerbung/index.astro).
const application = document.querySelector<HTMLElement>('[data-application]')!;
const form = application.querySelector<HTMLFormElement>('form[data-form]')!;
enhanceForm({ form, fields: applicationFields, schema: applicationSchema });

/**
 * The HTML states the window as it was at build time. A page built before a boundary and read
 * after it (until the rebuild at that boundary is live) is corrected here; a current page is left
 * as it is, so nothing moves. Only forward: a reader whose clock lags behind the build's sees the
 * state the build saw, which the server, the authority, has already reached. Built 'before' or
 * 'open' (a closed page has no script), forward is any other state but 'before'.
 */
const facts = document.querySelector<HTMLElement>('[data-window]')!.dataset;
const current = windowState({ opens: new Date(facts['opens']!), closes: new Date(facts['closes']!) }, pageNow());
if (current !== facts['builtState'] && current !== 'before') {
  document.querySelector<HTMLElement>('[data-window-notice]')!.hidden = current === 'open';
  document.querySelector<HTMLElement>('[data-window-before]')?.remove();
  document.querySelector<HTMLElement>('[data-window-closed]')!.hidden = current !== 'closed';
  application.hidden = current !== 'open';
}
