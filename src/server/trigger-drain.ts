/**
 * Runs the scheduled function as Netlify's emulator does: POST /.netlify/functions/deliver-pending
 * with the body Netlify's scheduler sends (`{"next_run": …}`).
 */
export async function triggerDrain(origin: string, everyMs = 120_000): Promise<{ status: number; report: unknown }> {
  const response = await fetch(new URL('/.netlify/functions/deliver-pending', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ next_run: new Date(Date.now() + everyMs).toISOString() }),
  });
  const report: unknown = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  return { status: response.status, report };
}
