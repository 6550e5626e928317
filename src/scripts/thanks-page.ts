// Shows the reference number the function put into the address (?ref=B-7F3K-9Q2M).
const reference = new URLSearchParams(location.search).get('ref');
if (reference && /^[A-Z]-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(reference)) {
  document.querySelector('[data-reference]')!.textContent = reference;
  document.querySelector<HTMLElement>('[data-reference-line]')!.hidden = false;
}
