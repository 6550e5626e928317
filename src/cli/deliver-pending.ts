/**
 * `npm run deliver-pending`: runs the scheduled function `deliver-pending` once on a running
 * `npm run serve` / `npm start` (PORT, default 8888), as Netlify's scheduler would, and prints its
 * report. The drain's clock is the server's (KOMMA_NOW where that is set).
 */
import { triggerDrain } from '../server/trigger-drain.ts';

const port = Number(process.env['PORT'] ?? 8888);
const origin = process.env['KOMMA_ORIGIN'] ?? `http://127.0.0.1:${port}`;
try {
  const { status, report } = await triggerDrain(origin);
  console.log(JSON.stringify(report));
  process.exitCode = status === 200 ? 0 : 1;
} catch {
  console.error(`No server answers at ${origin}. Start it first with \`npm start\` or \`npm run serve\`.`);
  process.exitCode = 1;
}
