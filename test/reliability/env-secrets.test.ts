import { describe, expect, it } from 'vitest';
import { cogdoctor, loadFixture } from '../helpers.js';
import { withEmulator } from '../live/harness.js';

const CANARY = {
  AWS_ACCESS_KEY_ID: 'AKIACANARY0000000001',
  AWS_SECRET_ACCESS_KEY: 'CANARY-secret-access-key-5f2b9c1e7d',
  AWS_SESSION_TOKEN: 'CANARY-session-token-IQoJb3JpZ2luX2VjEXAMPLE',
};

describe('credentials in the environment never reach any output', () => {
  it('live runs in every format, with --verbose, and a failing run', async () => {
    const leaky = loadFixture('demo/logs-demo.json');
    leaky.userPoolClients![0]!.ClientSecret = 'CANARY-client-secret-in-the-account';
    await withEmulator([leaky], async (emulator) => {
      const env = { ...CANARY, AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_REGION: 'eu-west-1' };
      const outputs: string[] = [];
      for (const format of ['text', 'json', 'markdown', 'sarif', 'junit']) {
        const r = await cogdoctor(
          ['check', 'logs-prod', '--endpoint-url', emulator.url, '--format', format, '--verbose', '--sarif-location', 'infra/opensearch.tf'],
          env,
        );
        expect(r.code, format).toBe(1);
        outputs.push(r.stdout, r.stderr);
      }
      const snapshot = await cogdoctor(['snapshot', 'logs-prod', '--endpoint-url', emulator.url], env);
      outputs.push(snapshot.stdout, snapshot.stderr);
      emulator.setFaults([{ kind: 'deny' }]);
      const denied = await cogdoctor(['check', 'logs-prod', '--endpoint-url', emulator.url, '--verbose'], env);
      outputs.push(denied.stdout, denied.stderr);
      const all = outputs.join('\n');
      expect(all.length).toBeGreaterThan(1000);
      expect(all).not.toContain('CANARY');
      expect(all).not.toContain(CANARY.AWS_ACCESS_KEY_ID);
    });
  });
});
