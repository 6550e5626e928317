import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { applicationForm } from '../../src/submissions/application.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import type { Runtime } from '../../src/runtime.ts';
import { HONEYPOT_FIELD } from '../../src/submissions/spam.ts';
import { validApplication } from '../fixtures/applications.ts';
import { testSettings, testWindow } from '../fixtures/settings.ts';
import type { TestBlobs } from '../helpers/blobs.ts';
import type { ResendStub } from '../helpers/resend-stub.ts';
import { useStubAndBlobs } from '../helpers/stub-and-blobs.ts';

const parts = useStubAndBlobs();
let resend: ResendStub;
let blobs: TestBlobs;
beforeEach(() => ({ resend, blobs } = parts));

/** The real pipeline, its emails to the stub, its store on a local Blobs server. */
async function submit(change: Record<string, unknown>, json = true) {
  const runtime: Runtime = {
    env: { RESEND_API_KEY: 're_test', MAIL_FROM: 'KommA <komma@komma-test.example>', RESEND_BASE_URL: resend.url },
    settings: testSettings,
    now: testWindow.inside,
    store: () => blobs.store,
  };
  const body = { ...validApplication, submissionId: randomUUID(), ...change };
  const request = new Request('https://komma.example/api/bewerbung', {
    method: 'POST',
    headers: json
      ? { 'content-type': 'application/json', accept: 'application/json' }
      : { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: json ? JSON.stringify(body) : new URLSearchParams(body as Record<string, string>),
  });
  return handleSubmission(request, applicationForm(testSettings), runtime);
}

const storedKeys = async () => (await blobs.blobs.list()).blobs.map((blob) => blob.key);

describe('the spam signals in the pipeline', () => {
  it('stores a form sent within two seconds and tells the team to check it, with no copy to the address', async () => {
    const response = await submit({ elapsedMs: 800 });
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer).toMatchObject({ ok: true, confirmationSent: false, queued: false });
    // The person is not told why: a machine learns nothing about the threshold.
    expect(answer.message).toContain('Eine Bestätigung per E-Mail können wir Ihnen diesmal nicht schicken.');
    expect(answer.message).not.toMatch(/schnell|Sekunden/);

    expect(resend.delivered.map((request) => request.body.to)).toEqual(['postfach@komma-test.example']);
    const team = resend.delivered[0]!.body;
    expect(team.text).toContain('sehr schnell ausgefüllt – bitte prüfen');
    expect(team.text).toContain(answer.reference);
    expect((await storedKeys()).length).toBeGreaterThan(0);
  });

  it('sends the copy as usual when the fill took longer', async () => {
    const answer = await (await submit({ elapsedMs: 45_000 })).json();
    expect(answer).toMatchObject({ ok: true, confirmationSent: true });
    expect(resend.delivered.map((request) => request.body.to)).toEqual([
      'postfach@komma-test.example',
      validApplication.email,
    ]);
    expect(resend.delivered[0]!.body.text).not.toContain('schnell');
  });

  it('drops a filled honeypot without a word: the same answer, nothing stored, nothing sent', async () => {
    const response = await submit({ [HONEYPOT_FIELD]: 'https://spam.example', elapsedMs: 45_000 }, false);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/bewerbung\/danke\/\?ref=B-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(resend.requests).toEqual([]);
    expect(await storedKeys()).toEqual([]);
  });
});
