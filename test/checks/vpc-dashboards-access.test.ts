import { describe, expect, it } from 'vitest';
import type { Snapshot } from '../../src/index.js';
import { loadFixture, runCheck, variant } from '../helpers.js';

const CHECK = 'vpc-dashboards-access';
const ID = 'vpc-endpoint-unreachable';
const VPC_HOST = 'vpc-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com';
const vpc = loadFixture('fail/vpc-endpoint-unreachable.json');

const valid: Array<[string, Snapshot, string]> = [
  ['a public domain', loadFixture('healthy/opensearch-fgac.json'), 'pass'],
  ['a public domain with a custom endpoint', loadFixture('healthy/custom-endpoint.json'), 'pass'],
  ['a public legacy Elasticsearch domain', loadFixture('healthy/legacy-es-kibana.json'), 'pass'],
  ['a VPC domain with Cognito off: not applicable', loadFixture('fail/vpc-open-policy-no-fgac.json'), 'not-applicable'],
  ['empty VPCOptions on a public domain', variant(loadFixture('healthy/opensearch-fgac.json'), (s) => (s.domain.VPCOptions = {})), 'pass'],
];

describe(`${CHECK}: stays quiet`, () => {
  it.each(valid)('%s', (_name, snapshot, status) => {
    expect(runCheck(CHECK, snapshot)).toMatchObject({ status, ids: [] });
  });
});

describe(`${CHECK}: fires, as information`, () => {
  it('a VPC domain with Cognito login (fixture)', () => {
    const r = runCheck(CHECK, vpc);
    expect(r.ids).toEqual([ID]);
    const [finding] = r.findings;
    expect(finding!.severity).toBe('info');
    expect(finding!.message).toContain(`https://${VPC_HOST}/_dashboards/app/home`);
    expect(finding!.evidence).toMatchObject({ VPCId: 'vpc-0a1b2c3d4e5f60718', vpcEndpoint: VPC_HOST, callbacksOnOtherHosts: [] });
    expect(finding!.fix.summary).toMatch(/Client VPN.*SSH tunnel.*NGINX proxy/s);
  });

  it('only an Endpoints.vpc key, reached through a proxy registered as callback (fixture)', () => {
    const r = runCheck(CHECK, loadFixture('fail/vpc-endpoint-unreachable--proxy.json'));
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.evidence).toMatchObject({ VPCId: null, callbacksOnOtherHosts: ['https://dashboards.example.com/_dashboards/app/home'] });
    expect(r.findings[0]!.message).toContain('the app client also lists https://dashboards.example.com/_dashboards/app/home');
  });

  it('a legacy Elasticsearch VPC domain is sent back to the Kibana path', () => {
    const s = variant(loadFixture('healthy/legacy-es-kibana.json'), (x) => {
      x.domain.Endpoints = { vpc: 'vpc-logs-prod-abc123.eu-west-1.es.amazonaws.com' };
      delete x.domain.Endpoint;
    });
    expect(runCheck(CHECK, s).findings[0]!.evidence['callbackUrl']).toBe('https://vpc-logs-prod-abc123.eu-west-1.es.amazonaws.com/_plugin/kibana/app/kibana');
  });

  it('the other VPC fixtures list it too', () => {
    for (const name of ['fail/redirect-mismatch--vpc.json', 'fail/login-page-bypassed-open-policy--vpc.json'])
      expect(runCheck(CHECK, loadFixture(name)).ids).toEqual([ID]);
  });

  it("the fix shows the domain's security groups", () => {
    expect(runCheck(CHECK, vpc).findings[0]!.fix.commands).toEqual(['aws ec2 describe-security-groups --region eu-west-1 --group-ids sg-0a1b2c3d4e5f60718']);
  });
});

describe(`${CHECK}: partial reads`, () => {
  it('the app clients could not be read: the note still stands, without the proxy list', () => {
    const r = runCheck(
      CHECK,
      variant(vpc, (s) => {
        delete s.userPoolClients;
        s.errors = [{ operation: 'cognito-idp:ListUserPoolClients', resource: 'eu-west-1_Xk2LmQp7A', code: 'AccessDeniedException' }];
      }),
    );
    expect(r.ids).toEqual([ID]);
    expect(r.findings[0]!.evidence).not.toHaveProperty('callbacksOnOtherHosts');
  });
});
