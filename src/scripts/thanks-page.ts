// Shows the reference number where the page was served without it (the function that fills it in,
// src/site-pages/thanks.ts, is not there under `astro dev`), from the address (?ref=B-7F3K-9Q2M).
const line = document.querySelector<HTMLElement>('[data-reference-line]')!;
const slot = document.querySelector<HTMLElement>('[data-reference]')!;
const reference = slot.textContent || new URLSearchParams(location.search).get('ref');
if (reference && /^[A-Z]-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(reference)) {
  slot.textContent = reference;
  line.hidden = false;
  // The form was sent, so its draft in this browser is done with. The form's script removes it
  // itself after sending; this covers the form posting without it (its submit module did not load).
  try {
    localStorage.removeItem(line.dataset['draftKey']!);
  } catch {
    // Storage refused: then there is no draft either.
  }
}
