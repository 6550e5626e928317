import { applicationFields, applicationSchema } from '../forms/application.ts';
import { windowState } from '../forms/window.ts';
import { enhanceForm } from './enhance-form.ts';
import { pageNow } from './page-clock.ts';

const form = document.querySelector<HTMLFormElement>('form[data-form]')!;
enhanceForm({ form, fields: applicationFields, schema: applicationSchema });

// The page may have been built long before it is read: say whether the window is open now. The
// server still decides; this only spares people filling in a form they cannot send.
const applicationWindow = document.querySelector<HTMLElement>('[data-window]')!;
const state = windowState(
  { opens: new Date(applicationWindow.dataset['opens']!), closes: new Date(applicationWindow.dataset['closes']!) },
  pageNow(),
);
if (state !== 'open') {
  document.querySelector<HTMLElement>('[data-window-notice]')!.hidden = false;
  document.querySelector<HTMLElement>(state === 'before' ? '[data-window-before]' : '[data-window-closed]')!.hidden =
    false;
  form.hidden = true;
}
