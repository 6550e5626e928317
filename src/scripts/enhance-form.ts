/**
 * Progressive enhancement shared by every form, as much as the first view needs: a submission id,
 * fields that appear only when they apply, character counters and the draft in this browser. What
 * only a submit needs — the schema check, errors, „Ihre Angaben prüfen", sending — loads with the
 * first submit (form-submit.ts). Without this script the form posts normally and the server
 * answers with pages.
 */
import type * as z from 'zod/mini';
import type { Field } from '../forms/fields.ts';
import { keepDraft } from './form-draft.ts';
import type { FormContext } from './form-submit.ts';
import { formValues } from './form-values.ts';
import { newSubmissionId } from './submission-id.ts';

interface Options<T> {
  readonly form: HTMLFormElement;
  readonly fields: readonly Field[];
  readonly schema: z.ZodMiniType<T>;
}

/** Shows a field only while it applies (e.g. the unit's name only when a unit applies). */
function syncConditionalFields(form: HTMLFormElement): void {
  const values = formValues(form);
  for (const wrapper of form.querySelectorAll<HTMLElement>('[data-when-field]')) {
    wrapper.hidden = values[wrapper.dataset['whenField']!] !== wrapper.dataset['whenValue'];
  }
}

/**
 * GOV.UK character count: a visible count at once, a spoken one once typing pauses. Returns the
 * update, for changes that fire no input event (a restored draft, a reset).
 */
function setUpCounter(textarea: HTMLTextAreaElement): () => void {
  const max = Number(textarea.dataset['maxLength']);
  const wrapper = textarea.closest('.field')!;
  const visible = wrapper.querySelector<HTMLElement>('[data-counter]')!;
  const spoken = wrapper.querySelector<HTMLElement>('[data-counter-status]')!;
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
  return update;
}

export function enhanceForm<T>({ form, fields, schema }: Options<T>): void {
  const submissionId = form.querySelector<HTMLInputElement>('[data-submission-id]')!;
  const counters = [...form.querySelectorAll<HTMLTextAreaElement>('textarea[data-max-length]')].map(setUpCounter);
  const refresh = () => {
    syncConditionalFields(form);
    for (const update of counters) update();
  };
  const draft = keepDraft(form, fields, refresh);
  // Kept when the browser restored the form: it is still the same filled-in form.
  if (!submissionId.value) submissionId.value = newSubmissionId();
  refresh();
  form.addEventListener('change', () => syncConditionalFields(form));

  // With this script the button leads to „Ihre Angaben prüfen", not straight to sending.
  const button = form.querySelector<HTMLButtonElement>('[data-submit]')!;
  button.textContent = button.dataset['checkLabel']!;

  const context: FormContext<T> = {
    form,
    fields,
    schema,
    submissionId,
    draft,
    // Fill time counts from this draft's first input, which a restored draft keeps; a form the
    // browser filled in by itself after a reload has no start, so no measurement.
    elapsedMs: () => {
      const start = draft.startedAt();
      return start === undefined ? undefined : Math.max(0, Date.now() - start);
    },
  };
  let submit: Promise<() => void> | undefined;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // Should the module fail to load (offline, or a deploy has replaced it since the page loaded),
    // the form posts itself as it does without JavaScript, and the server answers with pages.
    (submit ??= import('./form-submit.ts').then((module) => module.submitter(context))).then(
      (run) => run(),
      () => form.submit(),
    );
  });
}
