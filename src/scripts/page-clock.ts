/**
 * The instant the page's scripts judge dates by: the browser's clock, unless the page was built
 * with a pinned clock (KOMMA_NOW, for previews), which Base.astro writes to <html data-now>. So a
 * preview pinned inside the application window shows the form, as its server accepts it.
 */
export function pageNow(): Date {
  const pinned = document.documentElement.dataset['now'];
  return pinned ? new Date(pinned) : new Date();
}
