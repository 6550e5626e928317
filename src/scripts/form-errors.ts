/**
 * Errors as GOV.UK shows them: a message at each field and an error summary above the form that
 * takes focus and links to the fields. Loaded with the first submit (form-submit.ts).
 */
import type { FieldErrors } from '../forms/validate.ts';
import { focusField } from './focus-field.ts';

const $ = <E extends Element>(root: ParentNode, selector: string) => root.querySelector<E>(selector);

export function clearErrors(form: HTMLFormElement, summary: HTMLElement): void {
  summary.hidden = true;
  $<HTMLElement>(summary, '[data-error-list]')!.replaceChildren();
  $<HTMLElement>(summary, '[data-error-message]')!.hidden = true;
  for (const error of form.querySelectorAll<HTMLElement>('.field-error')) {
    // Emptied, not only hidden: aria-describedby would still read a hidden message.
    error.hidden = true;
    error.replaceChildren();
  }
  for (const field of form.querySelectorAll('.field-has-error')) field.classList.remove('field-has-error');
  for (const control of form.querySelectorAll('[aria-invalid]')) control.removeAttribute('aria-invalid');
  document.title = document.title.replace(/^Fehler: /, '');
}

function showSummary(summary: HTMLElement): void {
  summary.hidden = false;
  if (!document.title.startsWith('Fehler: ')) document.title = `Fehler: ${document.title}`;
  summary.focus();
}

export function showFieldErrors(form: HTMLFormElement, summary: HTMLElement, errors: FieldErrors): void {
  const list = $<HTMLElement>(summary, '[data-error-list]')!;
  for (const [name, message] of Object.entries(errors)) {
    const wrapper = $<HTMLElement>(form, `[data-field="${name}"]`);
    const control = $<HTMLElement>(form, `#${name}`);
    if (wrapper && control) {
      wrapper.hidden = false;
      wrapper.classList.add('field-has-error');
      const inline = $<HTMLElement>(wrapper, '.field-error')!;
      inline.hidden = false;
      inline.innerHTML = '<span class="visually-hidden">Fehler: </span>';
      inline.append(message);
      for (const input of wrapper.querySelectorAll('input, select, textarea'))
        input.setAttribute('aria-invalid', 'true');
    }
    const link = document.createElement('a');
    link.href = `#${name}`;
    link.textContent = message;
    link.addEventListener('click', (event) => {
      if (!control) return;
      event.preventDefault();
      focusField(form, name);
    });
    const item = document.createElement('li');
    item.append(link);
    list.append(item);
  }
  showSummary(summary);
}

export function showMessage(summary: HTMLElement, message: string): void {
  const paragraph = $<HTMLElement>(summary, '[data-error-message]')!;
  paragraph.textContent = message;
  paragraph.hidden = false;
  showSummary(summary);
}
