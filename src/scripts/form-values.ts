/** The form's values by name as it would post them: the first of each name, a checked box as „on". */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form))
    if (typeof value === 'string' && !(name in values)) values[name] = value;
  return values;
}
