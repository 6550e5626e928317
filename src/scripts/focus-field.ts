/**
 * Focuses a field's control (its id is the field's name; for radios, the first option's) and keeps
 * its label or legend in view, as GOV.UK's error summary does: scrolling to the control alone
 * would hide the question above it.
 */
export function focusField(form: HTMLFormElement, name: string): void {
  const control = form.querySelector<HTMLElement>(`#${name}`);
  if (!control) return;
  control.focus({ preventScroll: true });
  (control.closest('fieldset') ?? control.closest('.field') ?? control).scrollIntoView({ block: 'start' });
}
