import { describe, expect, it, vi } from 'vitest';
import { describeMailDestination, isDeployed, mailConfig } from '../../src/mail/transport.ts';
import { applicationForm } from '../../src/submissions/application.ts';
import { handleSubmission } from '../../src/submissions/pipeline.ts';
import { runtimeEnv } from '../../src/runtime.ts';
import { validApplication } from '../fixtures/applications.ts';
import { testSettings, testWindow } from '../fixtures/settings.ts';

describe('choosing how emails leave', () => {
  it('uses Resend whenever an API key is set, to the team inbox of the settings', () => {
    const config = mailConfig({ RESEND_API_KEY: 're_x', CONTEXT: 'production' }, testSettings);
    expect(config.ok && config.setup.teamInbox).toBe('postfach@komma-test.example');
  });

  it('sends to MAIL_TO when set', () => {
    const config = mailConfig({ RESEND_API_KEY: 're_x', MAIL_TO: 'team@example.org' }, testSettings);
    expect(config.ok && config.setup.teamInbox).toBe('team@example.org');
  });

  it('sends from MAIL_FROM when set, else from the team inbox of the settings under the institute’s name', () => {
    const named = mailConfig({ RESEND_API_KEY: 're_x', MAIL_FROM: 'KommA <absender@example.org>' }, testSettings);
    expect(named.ok && named.setup.from).toBe('KommA <absender@example.org>');
    const unnamed = mailConfig({ RESEND_API_KEY: 're_x', MAIL_TO: 'team@example.org' }, testSettings);
    expect(unnamed.ok && unnamed.setup.from).toBe('KommA – IMAP-Institut <postfach@komma-test.example>');
  });

  it('writes to the outbox on a local run without a key, also under the Netlify emulator (CONTEXT=dev)', () => {
    expect(mailConfig({}, testSettings).ok).toBe(true);
    expect(mailConfig({ CONTEXT: 'dev' }, testSettings).ok).toBe(true);
    expect(isDeployed({ CONTEXT: 'dev' })).toBe(false);
  });

  it('tells the person starting the server where the emails go: the outbox folder, or Resend at its address', () => {
    expect(describeMailDestination({})).toMatch(/^the folder outbox\/ /);
    expect(describeMailDestination({ KOMMA_OUTBOX: '/tmp/post' })).toMatch(/^the folder \/tmp\/post\/ /);
    expect(describeMailDestination({ RESEND_API_KEY: 're_x' })).toBe('Resend at https://api.resend.com');
    expect(describeMailDestination({ RESEND_API_KEY: 're_x', RESEND_BASE_URL: 'http://127.0.0.1:3031' })).toBe(
      'Resend at http://127.0.0.1:3031',
    );
  });

  it('reports the missing key on Netlify instead of pretending to send', () => {
    for (const context of ['production', 'deploy-preview', 'branch-deploy']) {
      expect(mailConfig({ CONTEXT: context }, testSettings)).toEqual({ ok: false, missing: 'RESEND_API_KEY' });
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
      const response = await handleSubmission(request, applicationForm(testSettings), {
        env: { CONTEXT: 'deploy-preview' },
        settings: testSettings,
        now: testWindow.inside,
        store: () => {
          throw new Error('no store in this test');
        },
      });
      expect(response.status).toBe(503);
      const { message } = await response.json();
      expect(message).toMatch(/bei uns ist nichts eingegangen/);
      expect(message).toContain('schreiben Sie an postfach@komma-test.example.');
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
    expect(mailConfig(env, testSettings)).toEqual({ ok: false, missing: 'RESEND_API_KEY' });
  });
});
