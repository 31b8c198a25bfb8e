import { describe, expect, it } from 'vitest';
import { builtinChecks } from '../../src/engine/builtin.js';
import { defineCheck } from '../../src/engine/define.js';
import { runChecks } from '../../src/report/assemble.js';
import { gateReport, baselineFromReports } from '../../src/gate/index.js';
import { loadFixture, variant } from '../helpers.js';
import { renderAll } from './formats.js';

const SECRET_CANARY = 'CANARY-client-secret-7f3a9c';
/** A JWT whose payload and signature are the canary; only its first characters may survive redaction. */
const TOKEN_CANARY_PAYLOAD = 'eyJjYW5hcnkiOiJ0b2tlbi1jYW5hcnkifQ';
const TOKEN_CANARY = `eyJhbGciOiJIUzI1NiJ9.${TOKEN_CANARY_PAYLOAD}.c2lnbmF0dXJlLWNhbmFyeQ`;

/** Carries what a careless check could: the whole app client and a token, in evidence and message. */
const leakyCheck = defineCheck({
  id: 'leaky-evidence',
  title: 'Leaky evidence',
  description: 'test only',
  reads: ['userPoolClients'],
  modes: [{ id: 'leaky-evidence', severity: 'error', title: 'Leaky', symptom: 's', cause: 'c', fix: 'f', docs: [] }],
  run: (ctx) => [
    {
      id: 'leaky-evidence',
      message: `The browser sent Authorization: Bearer ${TOKEN_CANARY}`,
      resource: 'arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Xk2LmQp7A',
      evidence: { client: ctx.snapshot.userPoolClients![0], IdToken: TOKEN_CANARY, callback: `https://proxy.example.com/cb#id_token=${TOKEN_CANARY}` },
      fix: { summary: `Revoke ${TOKEN_CANARY}`, commands: [`curl -H 'Authorization: Bearer ${TOKEN_CANARY}' https://example.com`] },
    },
  ],
});

describe('no format prints a secret', () => {
  const snapshot = variant(loadFixture('healthy/opensearch-fgac.json'), (s) => {
    s.userPoolClients![0]!.ClientSecret = SECRET_CANARY;
  });
  const r = runChecks(snapshot, [...builtinChecks, leakyCheck], { version: 't', source: 'snapshot' });
  const gated = gateReport(r, {
    baseline: baselineFromReports('b.json', [r]),
    mutes: [{ id: 'leaky-evidence', reason: `token ${TOKEN_CANARY}` }],
    today: '2026-01-01',
  });

  it('the planted values are really in the report before redaction', () => {
    expect(JSON.stringify(gated)).toContain(SECRET_CANARY);
    expect(JSON.stringify(gated)).toContain(TOKEN_CANARY);
  });

  it.each(Object.entries(renderAll([gated], 'infra/main.tf')))('%s', (_format, output) => {
    expect(output).not.toContain(SECRET_CANARY);
    expect(output).not.toContain(TOKEN_CANARY_PAYLOAD);
    expect(output).toMatch(/<redacted>|&lt;redacted&gt;/);
  });
});
