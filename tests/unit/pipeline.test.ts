import { describe, expect, it } from 'vitest';
import { applicationForm } from '../../src/submissions/application.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import type { Runtime } from '../../src/runtime.ts';
import { validApplication } from '../fixtures/applications.ts';
import { testSettings, testWindow } from '../fixtures/settings.ts';

const runtime: Runtime = {
  // No API key and no CONTEXT: a valid submission would go to the outbox; these must not get there.
  env: { KOMMA_OUTBOX: '/nonexistent/outbox' },
  settings: testSettings,
  now: testWindow.inside,
  store: () => {
    throw new Error('no store in this test');
  },
};

const post = (body: string) =>
  handleSubmission(
    new Request('https://komma.example/api/bewerbung', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
    }),
    applicationForm(testSettings),
    runtime,
  );

describe('the submission pipeline with JSON no form would send', () => {
  it('answers deeply nested values with 422 at the field, not with a server error', async () => {
    const nested = '['.repeat(20_000) + ']'.repeat(20_000);
    const response = await post(`{"municipality":${nested}}`);
    expect(response.status).toBe(422);
    expect((await response.json()).errors.municipality).toBe('Geben Sie den Namen der Kommune an.');
  });

  it('answers an object where text belongs with 422 and the field’s message', async () => {
    const response = await post(JSON.stringify({ ...validApplication, email: { address: 'kim@example.org' } }));
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      errors: { email: 'Geben Sie eine E-Mail-Adresse im Format name@beispiel.de an.' },
    });
  });
});
