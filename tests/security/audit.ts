/**
 * `npm run audit`: no high or critical advisory in what the site ships (`npm audit --omit=dev`).
 * Where the registry does not answer audits (an offline mirror, a proxy that refuses the bulk
 * endpoint), it says so and does not fail: a check that cannot run proves nothing either way.
 */
import { spawnSync } from 'node:child_process';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report: { metadata?: { vulnerabilities?: Record<string, number> }; error?: unknown; message?: string };
try {
  report = JSON.parse(run.stdout);
} catch {
  report = {};
}

const counts = report.metadata?.vulnerabilities;
if (!counts) {
  const reason = report.message ?? (run.stderr.split('\n').find((line) => line.includes('error')) || 'no report');
  console.log(`npm audit: the registry did not answer the audit (${reason.trim()}); not checked.`);
  process.exit(0);
}

const serious = (counts['high'] ?? 0) + (counts['critical'] ?? 0);
console.log(
  `npm audit --omit=dev: ${Object.entries(counts)
    .map(([level, count]) => `${level} ${count}`)
    .join(', ')}`,
);
if (serious > 0) {
  console.error(
    `npm audit: ${serious} high or critical advisories in production dependencies. Run \`npm audit --omit=dev\`.`,
  );
  process.exit(1);
}
