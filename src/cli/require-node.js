// Runs before every npm script (see package.json "pre…" scripts). Deliberately old syntax, so that
// an old Node prints this one line instead of a syntax error or a stack trace.
var required = [22, 12];
var current = process.versions.node.split('.').map(Number);
if (current[0] < required[0] || (current[0] === required[0] && current[1] < required[1])) {
  console.error(
    'KommA needs Node.js ' +
      required.join('.') +
      ' or newer (this is ' +
      process.version +
      '). ' +
      'Install Node.js 24 LTS from https://nodejs.org/ or run `nvm install` (reads .nvmrc).',
  );
  process.exit(1);
}
