/**
 * Progressive enhancement shared by every form: the same normalisation and schema as the server,
 * inline errors with a GOV.UK error summary that takes focus, character counters, fields that
 * appear only when they apply, a busy state without double submits, and the success panel.
 * Without this script the form posts normally and the server answers with pages.
 */
import type * as z from 'zod/mini';
import type { Field } from '../forms/fields.ts';
import { normalise } from '../forms/normalise.ts';
import { validate, type FieldErrors } from '../forms/validate.ts';

interface Options<T> {
  readonly form: HTMLFormElement;
  readonly fields: readonly Field[];
  readonly schema: z.ZodMiniType<T>;
}

const OFFLINE =
  'Ihre Angaben konnten nicht gesendet werden, weil keine Verbindung zum Server besteht. Ihre Eingaben sind noch da – bitte versuchen Sie es gleich noch einmal.';
const UNEXPECTED =
  'Ihre Angaben konnten gerade nicht gesendet werden. Bitte versuchen Sie es in einigen Minuten noch einmal.';

const $ = <E extends Element>(root: ParentNode, selector: string) => root.querySelector<E>(selector);

/**
 * A random UUID naming one filled-in form across its retries (the server derives the reference
 * from it). crypto.randomUUID needs a secure context; getRandomValues works on any page.
 */
function newSubmissionId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form))
    if (typeof value === 'string' && !(name in values)) values[name] = value;
  return values;
}

/** Shows a field only while it applies (e.g. the unit's name only when a unit applies). */
function syncConditionalFields(form: HTMLFormElement): void {
  const values = formValues(form);
  for (const wrapper of form.querySelectorAll<HTMLElement>('[data-when-field]')) {
    wrapper.hidden = values[wrapper.dataset['whenField']!] !== wrapper.dataset['whenValue'];
  }
}

/** GOV.UK character count: a visible count at once, a spoken one once typing pauses. */
function setUpCounter(textarea: HTMLTextAreaElement): void {
  const max = Number(textarea.dataset['maxLength']);
  const wrapper = textarea.closest('.field')!;
  const visible = $<HTMLElement>(wrapper, '[data-counter]')!;
  const spoken = $<HTMLElement>(wrapper, '[data-counter-status]')!;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const update = () => {
    const left = max - textarea.value.length;
    const text =
      left >= 0
        ? `Sie haben noch ${left.toLocaleString('de-DE')} Zeichen übrig.`
        : `Sie haben ${(-left).toLocaleString('de-DE')} Zeichen zu viel.`;
    visible.textContent = text;
    visible.classList.toggle('counter-over', left < 0);
    clearTimeout(timer);
    timer = setTimeout(() => (spoken.textContent = text), 1000);
  };
  visible.hidden = false;
  textarea.addEventListener('input', update);
  update();
}

function clearErrors(form: HTMLFormElement, summary: HTMLElement): void {
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

function showFieldErrors(form: HTMLFormElement, summary: HTMLElement, errors: FieldErrors): void {
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
      // Focus the control and keep its label or legend in view, as GOV.UK does.
      if (!control) return;
      event.preventDefault();
      control.focus({ preventScroll: true });
      (control.closest('fieldset') ?? wrapper ?? control).scrollIntoView({ block: 'start' });
    });
    const item = document.createElement('li');
    item.append(link);
    list.append(item);
  }
  showSummary(summary);
}

function showMessage(summary: HTMLElement, message: string): void {
  const paragraph = $<HTMLElement>(summary, '[data-error-message]')!;
  paragraph.textContent = message;
  paragraph.hidden = false;
  showSummary(summary);
}

function showSuccess(
  form: HTMLFormElement,
  body: { reference: string; confirmationSent: boolean; message?: string },
): void {
  const panel = $<HTMLElement>(document, '[data-success]')!;
  $<HTMLElement>(panel, '[data-reference]')!.textContent = body.reference;
  if (!body.confirmationSent) {
    $<HTMLElement>(panel, '[data-confirmation-sent]')!.hidden = true;
    const missing = $<HTMLElement>(panel, '[data-confirmation-missing]')!;
    missing.textContent = body.message ?? '';
    missing.hidden = false;
  }
  form.hidden = true;
  panel.hidden = false;
  panel.focus();
}

export function enhanceForm<T>({ form, fields, schema }: Options<T>): void {
  const summary = $<HTMLElement>(document, '[data-error-summary]')!;
  const button = $<HTMLButtonElement>(form, '[data-submit]')!;
  const busyNote = $<HTMLElement>(form, '[data-busy-note]')!;
  // Fill time is a spam signal only for a form that started empty: a browser that restored the
  // inputs after a reload lets a person send within seconds.
  const submissionId = $<HTMLInputElement>(form, '[data-submission-id]')!;
  const restored = [...new FormData(form).entries()].some(([name, value]) => name !== 'submissionId' && value !== '');
  const loadedAt = restored ? undefined : performance.now();
  // Kept when the browser restored the form: it is still the same filled-in form.
  if (!submissionId.value) submissionId.value = newSubmissionId();
  let sending = false;

  syncConditionalFields(form);
  form.addEventListener('change', () => syncConditionalFields(form));
  for (const textarea of form.querySelectorAll<HTMLTextAreaElement>('textarea[data-max-length]'))
    setUpCounter(textarea);

  const setBusy = (busy: boolean) => {
    sending = busy;
    // aria-disabled rather than disabled: the button keeps focus for keyboard and screen reader users.
    button.setAttribute('aria-disabled', String(busy));
    busyNote.textContent = busy ? 'Ihre Angaben werden gesendet …' : '';
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (sending) return;
    clearErrors(form, summary);
    const raw = formValues(form);
    const validation = validate(schema, fields, normalise(fields, raw));
    if (!validation.ok) {
      showFieldErrors(form, summary, validation.errors);
      return;
    }
    setBusy(true);
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({
          ...raw,
          ...(loadedAt !== undefined && { elapsedMs: Math.round(performance.now() - loadedAt) }),
        }),
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok && body.ok) {
        showSuccess(form, body);
        // Whatever is filled in next is a new submission.
        submissionId.value = newSubmissionId();
      } else if (response.status === 422 && body.errors) showFieldErrors(form, summary, body.errors);
      else showMessage(summary, typeof body.message === 'string' ? body.message : UNEXPECTED);
    } catch {
      showMessage(summary, OFFLINE);
    } finally {
      setBusy(false);
    }
  });
}
