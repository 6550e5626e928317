import { applicationFields, applicationSchema } from '../forms/application.ts';
import { enhanceForm } from './enhance-form.ts';

// Loaded only while the window is not closed at build time (see bewerbung/index.astro).
const application = document.querySelector<HTMLElement>('[data-application]')!;
const form = application.querySelector<HTMLFormElement>('form[data-form]')!;
enhanceForm({ form, fields: applicationFields, schema: applicationSchema });

/**
 * The <head> script (window-state.ts) has marked <html> with the window's state where it found the
 * build's out of date, and the CSS has shown that state from the first frame. The attributes follow
 * here, so that the document says what the reader sees; nothing moves.
 */
const current = document.documentElement.dataset['window'];
if (current) {
  document.querySelector<HTMLElement>('[data-window-notice]')!.hidden = current === 'open';
  document.querySelector<HTMLElement>('[data-window-before]')?.remove();
  document.querySelector<HTMLElement>('[data-window-closed]')!.hidden = current !== 'closed';
  application.hidden = current !== 'open';
}
