// The layering rules of src/ (issue 15), checked by `npm run check:layers` at the start of `npm test`.
// Type-only imports count too: a type that crosses a layer pulls its module's concerns along.

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle means two modules are one: split out what both need.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'mail-below-forms-logic',
      comment:
        'src/mail renders and sends what it is given; it never reaches back into the submissions or the selection.',
      severity: 'error',
      from: { path: '^src/mail/' },
      to: { path: '^src/(submissions|selection)/' },
    },
    {
      name: 'delivery-below-its-callers',
      comment: 'src/delivery is the one delivery path for every form and schedule: it knows none of them.',
      severity: 'error',
      from: { path: '^src/delivery/' },
      to: { path: '^src/(submissions|webinar)/' },
    },
    {
      name: 'settings-without-content-checks',
      comment: 'The settings loader runs in pages and functions; the content checks (src/content) are build-time only.',
      severity: 'error',
      from: { path: '^src/settings/' },
      to: { path: '^src/content/' },
    },
    {
      name: 'browser-scripts-without-mail',
      comment: 'src/scripts ships to the browser: the mail modules (and the Resend SDK behind them) must not.',
      severity: 'error',
      from: { path: '^src/scripts/' },
      to: { path: '^src/mail/' },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^node_modules/' },
  },
};
