import { describe, expect, it } from 'vitest';
import { configChanges } from '../../src/diff/changes.js';
import { diffExitCode, diffSnapshots } from '../../src/diff/index.js';
import { builtinChecks } from '../../src/engine/builtin.js';
import { redactReport } from '../../src/redact.js';
import { renderDiffJson, renderDiffText } from '../../src/diff/render.js';
import { loadFixture, variant } from '../helpers.js';
import { gateFixture } from './fixtures.js';

const healthy = loadFixture('healthy/custom-endpoint.json');
const CUSTOM_URL = 'https://logs.example.com/_dashboards/app/home';
const options = { version: '0.0.0-test', oldFile: 'old.json', newFile: 'new.json' };

describe('configChanges', () => {
  it('no change, nothing to say', () => {
    expect(configChanges(healthy, structuredClone(healthy))).toEqual([]);
  });

  it('a list that lost an entry says which, under the client id', () => {
    const after = variant(healthy, (s) => {
      s.userPoolClients![0]!.CallbackURLs = s.userPoolClients![0]!.CallbackURLs!.filter((u) => u !== CUSTOM_URL);
    });
    expect(configChanges(healthy, after)).toEqual([
      { path: 'userPoolClients[4q8v2n6k1m3p5r7t9w0y2a4c6e].CallbackURLs', part: 'userPoolClients', field: 'CallbackURLs', kind: 'changed', lost: [CUSTOM_URL] },
    ]);
  });

  it('order of a set-like list does not matter; fields outside login do not count', () => {
    const after = variant(healthy, (s) => {
      s.userPoolClients![0]!.CallbackURLs!.reverse();
      // A rotated secret is no change to login; whether the client has one is (client-secret-placement).
      s.userPoolClients![0]!.ClientSecret = 'another-secret';
      s.userPoolClients![0]!.EnablePropagateAdditionalUserContextData = true;
      s.domain.ClusterConfig = { InstanceCount: 9 };
    });
    expect(configChanges(healthy, after)).toEqual([]);
  });

  it('scalars: before and after; whole parts added or removed', () => {
    const after = variant(healthy, (s) => {
      s.identityPool!.AllowUnauthenticatedIdentities = true;
      s.domain.CognitoOptions!.IdentityPoolId = 'logs_prod_identity';
      s.userPoolDomain = { Domain: 'logs-prod-login', Status: 'ACTIVE' };
      delete s.securityPlugin;
    });
    const changes = configChanges(healthy, after);
    expect(changes.map((c) => [c.path, c.kind])).toEqual([
      ['domain.CognitoOptions.IdentityPoolId', 'changed'],
      ['userPoolDomain', 'added'],
      ['identityPool.AllowUnauthenticatedIdentities', 'changed'],
      ['securityPlugin', 'removed'],
    ]);
    expect(changes[0]).toMatchObject({ before: 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90', after: 'logs_prod_identity' });
    expect(changes[2]).toMatchObject({ before: false, after: true, field: 'AllowUnauthenticatedIdentities' });
  });

  it('policies are compared by statement, URL-encoded or not', () => {
    const roleIndex = healthy.roles!.findIndex((r) => r.RoleName === 'Cognito_logsprodAuth_Role');
    const decoded = variant(healthy, (s) => {
      s.roles![roleIndex]!.AssumeRolePolicyDocument = decodeURIComponent(s.roles![roleIndex]!.AssumeRolePolicyDocument!);
    });
    expect(configChanges(healthy, decoded)).toEqual([]);
    const widened = variant(healthy, (s) => {
      const policy = JSON.parse(s.domain.AccessPolicies!);
      policy.Statement.push({ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'es:ESHttpDelete', Resource: '*' });
      s.domain.AccessPolicies = JSON.stringify(policy);
    });
    const [change] = configChanges(healthy, widened);
    expect(change).toMatchObject({
      path: 'domain.AccessPolicies',
      kind: 'changed',
      gained: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'es:ESHttpDelete', Resource: '*' }],
    });
    expect(change!.lost).toBeUndefined();
  });
});

describe('diffSnapshots', () => {
  it('ties the lost callback URL to the finding it causes', () => {
    const after = variant(healthy, (s) => {
      s.userPoolClients![0]!.CallbackURLs = s.userPoolClients![0]!.CallbackURLs!.filter((u) => u !== CUSTOM_URL);
    });
    const diff = diffSnapshots(healthy, after, builtinChecks, options);
    expect(diff.changes).toEqual([
      expect.objectContaining({
        path: 'userPoolClients[4q8v2n6k1m3p5r7t9w0y2a4c6e].CallbackURLs',
        lost: [CUSTOM_URL],
        causes: ['custom-endpoint-not-in-callback'],
      }),
    ]);
    expect(diff.findings.added.map((f) => [f.id, f.causedBy])).toEqual([
      ['custom-endpoint-not-in-callback', ['userPoolClients[4q8v2n6k1m3p5r7t9w0y2a4c6e].CallbackURLs']],
    ]);
    expect(diff.findings.removed).toEqual([]);
    expect(diffExitCode(diff, 'error')).toBe(1);
    expect(diffExitCode(diff, 'never')).toBe(0);
    const text = renderDiffText(diff, { color: false });
    expect(text).toContain(`userPoolClients[4q8v2n6k1m3p5r7t9w0y2a4c6e].CallbackURLs lost ${CUSTOM_URL}  → custom-endpoint-not-in-callback`);
  });

  it('the way back removes the finding and adds none', () => {
    const broken = variant(healthy, (s) => {
      s.userPoolClients![0]!.CallbackURLs = s.userPoolClients![0]!.CallbackURLs!.filter((u) => u !== CUSTOM_URL);
    });
    const diff = diffSnapshots(broken, healthy, builtinChecks, options);
    expect(diff.findings.added).toEqual([]);
    expect(diff.findings.removed.map((f) => f.id)).toEqual(['custom-endpoint-not-in-callback']);
    expect(diff.changes[0]).toMatchObject({ gained: [CUSTOM_URL], causes: [] });
    expect(diffExitCode(diff, 'error')).toBe(0);
  });

  it('a change that adds only a warning fails at --fail-on warning, not error; a mute lets it pass', () => {
    const after = variant(healthy, (s) => {
      s.identityPool!.AllowClassicFlow = true;
    });
    const diff = diffSnapshots(healthy, after, builtinChecks, options);
    expect(diff.findings.added.map((f) => f.id)).toEqual(['classic-flow-enabled']);
    expect(diff.changes).toEqual([expect.objectContaining({ path: 'identityPool.AllowClassicFlow', causes: ['classic-flow-enabled'] })]);
    expect(diffExitCode(diff, 'error')).toBe(0);
    expect(diffExitCode(diff, 'warning')).toBe(1);
    const muted = diffSnapshots(healthy, after, builtinChecks, { ...options, mutes: [{ id: 'classic-flow-enabled', reason: 'legacy' }] });
    expect(muted.findings.added[0]).toMatchObject({ muted: true, muteReason: 'legacy' });
    expect(diffExitCode(muted, 'warning')).toBe(0);
  });

  it('findings both sides have are neither added nor removed', () => {
    const diff = diffSnapshots(gateFixture('base.json'), gateFixture('new-failure.json'), builtinChecks, options);
    expect(diff.findings.added.map((f) => f.id)).toEqual(['redirect-mismatch']);
    expect(diff.findings.removed).toEqual([]);
    expect(diff.old.summary.error).toBe(1);
    expect(diff.new.summary.error).toBe(2);
  });

  it('the JSON is deterministic and carries no secret', () => {
    const after = variant(healthy, (s) => {
      s.userPoolClients![0]!.ClientSecret = 'CANARY-client-secret-5b1d';
      s.userPoolClients![0]!.AllowedOAuthScopes = ['openid'];
    });
    const a = renderDiffJson(redactReport(diffSnapshots(healthy, after, builtinChecks, options)));
    const b = renderDiffJson(redactReport(diffSnapshots(healthy, after, builtinChecks, options)));
    expect(a).toBe(b);
    expect(JSON.parse(a).schema).toBe('cogdoctor/diff/v1');
    expect(a).not.toContain('CANARY');
  });
});

describe('diffSnapshots attribution', () => {
  it('a finding that names the app client is not tied to a change of a field of it the finding does not name', () => {
    const after = variant(healthy, (s) => {
      s.userPoolClients![0]!.CallbackURLs = s.userPoolClients![0]!.CallbackURLs!.filter((u) => u !== CUSTOM_URL);
      s.userPoolGroups = [
        ...(s.userPoolGroups ?? []),
        { GroupName: 'dashboards-admins', UserPoolId: s.userPool!.Id, RoleArn: s.roles![0]!.Arn, Precedence: 1 },
      ];
      if (s.identityPoolRoles) s.identityPoolRoles.RoleMappings = {};
    });
    const diff = diffSnapshots(healthy, after, builtinChecks, options);
    const byId = new Map(diff.findings.added.map((f) => [f.id, f.causedBy]));
    expect(byId.get('custom-endpoint-not-in-callback')).toEqual(['userPoolClients[4q8v2n6k1m3p5r7t9w0y2a4c6e].CallbackURLs']);
    expect(byId.has('group-roles-ignored')).toBe(true);
    expect(byId.get('group-roles-ignored')).not.toContain('userPoolClients[4q8v2n6k1m3p5r7t9w0y2a4c6e].CallbackURLs');
  });
});
