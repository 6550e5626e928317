/**
 * The form's draft in this browser: saved to localStorage while the person types, put back with a
 * notice when they return, gone after „Entwurf löschen", after sending, or after 30 days. Nothing
 * of it goes to the server. The browser may refuse storage at any step (blocked, private mode,
 * full): the form then works as before, only without a draft.
 */
import { parseDraft, serialiseDraft } from '../forms/draft.ts';
import type { Field } from '../forms/fields.ts';
import { formatDayMonthTime } from '../time/format.ts';
import { focusField } from './focus-field.ts';
import { formValues } from './form-values.ts';

/** Saves once typing pauses, not on every keystroke. */
const SAVE_DELAY_MS = 500;
const PROBE_KEY = 'komma-entwurf-probe';

export interface FormDraft {
  /** Forgets the stored draft and any save still waiting. */
  discard(): void;
  /**
   * When this draft's first input was made (Date.now() time), kept across reloads with the draft;
   * undefined before any input, and for a form the browser filled in by itself.
   */
  startedAt(): number | undefined;
}

/** One step with localStorage; undefined when the browser refuses. */
function withStorage<T>(step: (storage: Storage) => T): T | undefined {
  try {
    return step(localStorage);
  } catch {
    return undefined;
  }
}

/** Puts a draft into the form's own fields: whatever the draft lacks is empty or unticked. */
function fill(form: HTMLFormElement, names: readonly string[], values: Readonly<Record<string, string>>): void {
  for (const control of form.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
    'input, select, textarea',
  )) {
    if (!names.includes(control.name)) continue;
    const value = values[control.name] ?? '';
    // A session withdrawn since the draft was saved has no radio left: none is checked then.
    if (control instanceof HTMLInputElement && (control.type === 'radio' || control.type === 'checkbox'))
      control.checked = control.value === value;
    else control.value = value;
  }
}

/**
 * Keeps the form's draft. Runs before anything reads the form's first state, which a restored draft
 * fills. `onDiscarded` runs once „Entwurf löschen" has emptied the form.
 */
export function keepDraft(form: HTMLFormElement, fields: readonly Field[], onDiscarded: () => void): FormDraft {
  const key = form.dataset['draftKey']!;
  const names = fields.map((field) => field.name);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let startedAt: number | undefined;
  const discard = () => {
    clearTimeout(timer);
    timer = undefined;
    startedAt = undefined;
    withStorage((storage) => storage.removeItem(key));
  };
  const save = () => {
    clearTimeout(timer);
    timer = undefined;
    const text = serialiseDraft(names, formValues(form), Date.now(), startedAt);
    withStorage((storage) => (text ? storage.setItem(key, text) : storage.removeItem(key)));
  };

  // The sentence about drafts only where this browser lets us keep one.
  const writable = withStorage((storage) => {
    storage.setItem(PROBE_KEY, '');
    storage.removeItem(PROBE_KEY);
    return true;
  });
  form.querySelector<HTMLElement>('[data-draft-hint]')!.hidden = !writable;

  const draft = parseDraft(withStorage((storage) => storage.getItem(key)) ?? null, names, Date.now());
  if (draft) {
    fill(form, names, draft.values);
    startedAt = draft.startedAt;
    const notice = form.querySelector<HTMLElement>('[data-draft-notice]')!;
    const part = (selector: string) => notice.querySelector<HTMLElement>(selector)!;
    part('[data-draft-saved-at]').textContent = formatDayMonthTime(new Date(draft.savedAt));
    notice.hidden = false;
    part('[data-draft-discard]').addEventListener('click', (event) => {
      discard();
      form.reset();
      onDiscarded();
      // The status region announces the change; focus goes where the person starts again.
      part('[data-draft-restored]').hidden = true;
      part('[data-draft-discarded]').hidden = false;
      focusField(form, names[0]!);
      (event.currentTarget as HTMLElement).hidden = true;
    });
  } else {
    // An expired or unreadable draft goes for good.
    discard();
  }

  form.addEventListener('input', () => {
    startedAt ??= Date.now();
    clearTimeout(timer);
    timer = setTimeout(save, SAVE_DELAY_MS);
  });
  // Leaving the page within the delay must not lose the last keystrokes.
  addEventListener('pagehide', () => {
    if (timer !== undefined) save();
  });
  return { discard, startedAt: () => startedAt };
}
