import { describe, expect, it, vi } from 'vitest';
import { validApplication, windowInstants } from '../fixtures/applications.ts';
import { applicationForm } from '../../src/submissions/application.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import { isDeployed, mailConfig } from '../../src/mail/transport.ts';
import { runtimeEnv } from '../../src/submissions/runtime-env.ts';

describe('choosing how emails leave', () => {
  it('uses Resend whenever an API key is set', () => {
    const config = mailConfig({ RESEND_API_KEY: 're_x', CONTEXT: 'production' });
    expect(config.ok && config.setup.teamInbox).toBe('komma@imap-institut.de');
  });

  it('sends to MAIL_TO when set', () => {
    const config = mailConfig({ RESEND_API_KEY: 're_x', MAIL_TO: 'team@example.org' });
    expect(config.ok && config.setup.teamInbox).toBe('team@example.org');
  });

  it('writes to the outbox on a local run without a key, also under the Netlify emulator (CONTEXT=dev)', () => {
    expect(mailConfig({}).ok).toBe(true);
    expect(mailConfig({ CONTEXT: 'dev' }).ok).toBe(true);
    expect(isDeployed({ CONTEXT: 'dev' })).toBe(false);
  });

  it('reports the missing key on Netlify instead of pretending to send', () => {
    for (const context of ['production', 'deploy-preview', 'branch-deploy']) {
      expect(mailConfig({ CONTEXT: context })).toEqual({ ok: false, missing: 'RESEND_API_KEY' });
    }
  });
});

describe('a deployed form without an API key', () => {
  it('answers 503 and logs a line naming RESEND_API_KEY, with no personal data', async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: unknown) => void logged.push(String(line)));
    try {
      const request = new Request('https://komma.example/api/bewerbung', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(validApplication),
      });
      const response = await handleSubmission(request, applicationForm, {
        CONTEXT: 'deploy-preview',
        KOMMA_NOW: windowInstants.inside,
      });
      expect(response.status).toBe(503);
      expect((await response.json()).message).toMatch(/bei uns ist nichts eingegangen/);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toContain('"missing":"RESEND_API_KEY"');
      expect(logged[0]).not.toContain('musterstadt');
    } finally {
      spy.mockRestore();
    }
  });
});

describe('the deploy context at run time', () => {
  it('comes from the environment when Netlify sets CONTEXT there', () => {
    expect(
      runtimeEnv({ deploy: { context: 'dev', id: '1', published: false } }, { CONTEXT: 'production' })['CONTEXT'],
    ).toBe('production');
  });

  it("comes from the function's context otherwise, so a deployed form without a key still refuses", () => {
    const env = runtimeEnv({ deploy: { context: 'production', id: '1', published: true } }, {});
    expect(env['CONTEXT']).toBe('production');
    expect(mailConfig(env)).toEqual({ ok: false, missing: 'RESEND_API_KEY' });
  });
});
