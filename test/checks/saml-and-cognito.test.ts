import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'saml-and-cognito';
const fgac = loadFixture('healthy/opensearch-fgac.json');
const saml = { Enabled: true, Idp: { MetadataContent: '<EntityDescriptor/>', EntityId: 'https://idp.example.com/' } };

describe(`${CHECK}: stays quiet`, () => {
  it.each([
    ['healthy OpenSearch domain (no SAMLOptions)', fgac],
    ['healthy legacy domain', loadFixture('healthy/legacy-es-kibana.json')],
    ['SAMLOptions present but disabled', variant(fgac, (s) => (s.domain.AdvancedSecurityOptions!.SAMLOptions = { Enabled: false }))],
    [
      'SAML on, Cognito off: still evaluated (domain scope) and quiet',
      variant(fgac, (s) => {
        s.domain.CognitoOptions = { Enabled: false };
        s.domain.AdvancedSecurityOptions!.SAMLOptions = saml;
        s.userPool = null;
        s.userPoolClients = null;
        s.identityPool = null;
        s.identityPoolRoles = null;
      }),
    ],
  ] as Array<[string, Snapshot]>)('%s', (_name, snapshot) => {
    const r = runCheck(CHECK, snapshot);
    expect(r.ids).toEqual([]);
    expect(r.status).toBe('pass');
  });
});

describe(`${CHECK}: fires`, () => {
  it('Cognito and SAML both on (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/saml-and-cognito-conflict.json'));
    expect(r.ids).toEqual(['saml-and-cognito-conflict']);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('error');
    expect(finding!.resource).toBe('arn:aws:es:eu-west-1:123456789012:domain/logs-prod');
    expect(finding!.evidence).toMatchObject({
      'CognitoOptions.Enabled': true,
      'AdvancedSecurityOptions.SAMLOptions.Enabled': true,
      userPoolId: 'eu-west-1_Xk2LmQp7A',
    });
    expect(finding!.fix.commands).toEqual([
      `aws opensearch update-domain-config --region eu-west-1 --domain-name logs-prod --cognito-options '{"Enabled":false}'`,
      `aws opensearch update-domain-config --region eu-west-1 --domain-name logs-prod --advanced-security-options '{"SAMLOptions":{"Enabled":false}}'`,
    ]);
  });

  it('fires even when the Cognito parts could not be read: it needs only the domain', () => {
    const r = runCheck(
      CHECK,
      variant(loadFixture('fail/saml-and-cognito-conflict.json'), (s) => {
        delete s.userPool;
        s.errors = [{ operation: 'cognito-idp:DescribeUserPool', resource: 'eu-west-1_Xk2LmQp7A', code: 'AccessDeniedException' }];
      }),
    );
    expect(r.ids).toEqual(['saml-and-cognito-conflict']);
  });
});
