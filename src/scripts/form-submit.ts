/**
 * What a submit needs, loaded with the first one so that the first view stays light: the same
 * normalisation and schema as the server, then the errors or „Ihre Angaben prüfen" with the form
 * hidden (its values stay); „Verbindlich absenden" posts as JSON with a busy state and without
 * double submits, and shows the success panel, the server's errors, or why it could not send.
 */
import type * as z from 'zod/mini';
import type { Field } from '../forms/fields.ts';
import { normalise } from '../forms/normalise.ts';
import { validate } from '../forms/validate.ts';
import { renderAnswers } from './check-answers.ts';
import { focusField } from './focus-field.ts';
import type { FormDraft } from './form-draft.ts';
import { clearErrors, showFieldErrors, showMessage } from './form-errors.ts';
import { formValues } from './form-values.ts';
import { newSubmissionId } from './submission-id.ts';

export interface FormContext<T> {
  readonly form: HTMLFormElement;
  readonly fields: readonly Field[];
  readonly schema: z.ZodMiniType<T>;
  readonly submissionId: HTMLInputElement;
  readonly draft: FormDraft;
  /** Milliseconds since this draft's first input (src/scripts/form-draft.ts); undefined before any. */
  elapsedMs(): number | undefined;
}

const OFFLINE =
  'Ihre Angaben konnten nicht gesendet werden, weil keine Verbindung zum Server besteht. Ihre Eingaben sind noch da – bitte versuchen Sie es gleich noch einmal.';
const UNEXPECTED =
  'Ihre Angaben konnten gerade nicht gesendet werden. Bitte versuchen Sie es in einigen Minuten noch einmal.';

const $ = <E extends Element>(root: ParentNode, selector: string) => root.querySelector<E>(selector)!;

/** Wires „Ihre Angaben prüfen" to the form; returns what runs on each submit of the form. */
export function submitter<T>({ form, fields, schema, submissionId, draft, elapsedMs }: FormContext<T>): () => void {
  const summary = $<HTMLElement>(document, '[data-error-summary]');
  const check = $<HTMLElement>(document, '[data-check-answers]');
  const confirm = $<HTMLButtonElement>(check, '[data-confirm]');
  const busyNote = $<HTMLElement>(check, '[data-busy-note]');
  let sending = false;

  const showForm = (name: string) => {
    clearErrors(form, summary);
    check.hidden = true;
    form.hidden = false;
    focusField(form, name);
  };
  $(check, '[data-back]').addEventListener('click', () => showForm(fields[0]!.name));

  const setBusy = (busy: boolean) => {
    sending = busy;
    // aria-disabled rather than disabled: the button keeps focus for keyboard and screen reader users.
    confirm.setAttribute('aria-disabled', String(busy));
    busyNote.textContent = busy ? 'Ihre Angaben werden gesendet …' : '';
  };

  const showSuccess = (body: {
    reference: string;
    confirmationSent: boolean;
    message?: string;
    waitingList?: number;
  }) => {
    const panel = $<HTMLElement>(document, '[data-success]');
    $(panel, '[data-reference]').textContent = body.reference;
    if (body.waitingList) {
      // A full webinar session: the page says the place on the waiting list instead of „angemeldet".
      $(panel, 'h2').textContent =
        `Der Termin ist ausgebucht – Sie stehen auf der Warteliste, Platz ${body.waitingList}`;
      for (const part of panel.querySelectorAll<HTMLElement>('[data-waiting-list]')) part.hidden = !part.hidden;
    }
    if (!body.confirmationSent) {
      $<HTMLElement>(panel, '[data-confirmation-sent]').hidden = true;
      const missing = $<HTMLElement>(panel, '[data-confirmation-missing]');
      missing.textContent = body.message ?? '';
      missing.hidden = false;
    }
    check.hidden = true;
    form.hidden = true;
    panel.hidden = false;
    panel.focus();
  };

  confirm.addEventListener('click', async () => {
    if (sending) return;
    clearErrors(form, summary);
    setBusy(true);
    try {
      const elapsed = elapsedMs();
      const response = await fetch(form.action, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ ...formValues(form), ...(elapsed !== undefined && { elapsedMs: elapsed }) }),
      });
      const body = await response.json().catch(() => ({}));
      if (response.ok && body.ok) {
        showSuccess(body);
        draft.discard();
        // Whatever is filled in next is a new submission.
        submissionId.value = newSubmissionId();
      } else if (response.status === 422 && body.errors) {
        check.hidden = true;
        form.hidden = false;
        showFieldErrors(form, summary, body.errors);
      } else showMessage(summary, typeof body.message === 'string' ? body.message : UNEXPECTED);
    } catch {
      showMessage(summary, OFFLINE);
    } finally {
      setBusy(false);
    }
  });

  return () => {
    clearErrors(form, summary);
    const validation = validate(schema, fields, normalise(fields, formValues(form)));
    if (!validation.ok) {
      showFieldErrors(form, summary, validation.errors);
      return;
    }
    renderAnswers($(check, '[data-answers]'), fields, validation.data as Record<string, unknown>, showForm);
    form.hidden = true;
    check.hidden = false;
    $<HTMLElement>(check, 'h2').focus();
  };
}
