/**
 * „Ihre Angaben prüfen" (GOV.UK check answers): one row per answer as the person reads it, each
 * with an „Ändern" link back to its field. Loaded with the first submit (form-submit.ts).
 */
import type { Field } from '../forms/fields.ts';
import { answeredRows } from '../forms/summary.ts';

function element(tag: string, text: string, className?: string): HTMLElement {
  const created = document.createElement(tag);
  created.textContent = text;
  if (className) created.className = className;
  return created;
}

/** Fills the list with the answers in `data`; `change(name)` returns to the field of that name. */
export function renderAnswers(
  list: HTMLElement,
  fields: readonly Field[],
  data: Readonly<Record<string, unknown>>,
  change: (name: string) => void,
): void {
  list.replaceChildren(
    ...answeredRows(fields, data).map((row) => {
      const link = element('a', 'Ändern');
      link.setAttribute('href', `#${row.name}`);
      // Ten links called „Ändern" say nothing in a screen reader's list of links: each names its field.
      link.append(element('span', ` ${row.label}`, 'visually-hidden'));
      link.addEventListener('click', (event) => {
        event.preventDefault();
        change(row.name);
      });
      const action = element('dd', '', 'summary-action');
      action.append(link);
      const group = element('div', '', 'summary-row');
      group.append(element('dt', row.label), element('dd', row.value, 'summary-value'), action);
      return group;
    }),
  );
}
