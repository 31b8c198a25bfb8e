import { describe, expect, it } from 'vitest';
import type { RolesMappingEntry, Snapshot } from '../../src/index.js';
import { problemsOf } from '../../src/testing.js';
import check from '../../checks/fgac-role-mappings.js';
import { loadFixture, report, runCheck, variant } from '../helpers.js';

const CHECK = 'fgac-role-mappings';
const ACCT = '123456789012';
const AUTH = `arn:aws:iam::${ACCT}:role/Cognito_logsprodAuth_Role`;
const ADMIN = `arn:aws:iam::${ACCT}:role/logs-prod-dashboards-admin`;
const READER = `arn:aws:iam::${ACCT}:role/logs-prod-dashboards-reader`;
const CI = `arn:aws:iam::${ACCT}:role/github-actions-deploy`;
const OS_ARN = `arn:aws:es:eu-west-1:${ACCT}:domain/logs-prod`;
const HOST = 'search-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com';

const fgac = () => loadFixture('healthy/opensearch-fgac.json');
const groups = () => loadFixture('healthy/token-groups.json');

const entry = (backend_roles: string[], users: string[] = []): RolesMappingEntry => ({
  hosts: [],
  users,
  reserved: false,
  hidden: false,
  backend_roles,
  and_backend_roles: [],
});
function mappings(s: Snapshot, map: Record<string, RolesMappingEntry>): void {
  s.securityPlugin = { rolesMapping: map };
}

/** The legacy Elasticsearch domain with FGAC turned on (Open Distro security API, kibana_user). */
function legacyWithFgac(map: Record<string, RolesMappingEntry>): Snapshot {
  return variant(loadFixture('healthy/legacy-es-kibana.json'), (s) => {
    s.domain.AdvancedSecurityOptions = { Enabled: true, InternalUserDatabaseEnabled: false, AnonymousAuthEnabled: false };
    mappings(s, map);
  });
}

const PATHED_AUTH = `arn:aws:iam::${ACCT}:role/cognito/Cognito_logsprodAuth_Role`;

function pathedAuthRole(s: Snapshot, mappedAs: string): void {
  s.identityPoolRoles!.Roles!['authenticated'] = PATHED_AUTH;
  const role = s.roles!.find((r) => r.Arn === AUTH)!;
  role.Arn = PATHED_AUTH;
  role.Path = '/cognito/';
  mappings(s, { all_access: entry([mappedAs]) });
}

describe(CHECK, () => {
  describe('valid: stays quiet', () => {
    const valid: Array<[string, Snapshot]> = [
      ['the authenticated role mapped to all_access', fgac()],
      ['token mapping: every role users get is mapped, the readers to opensearch_dashboards_user', groups()],
      ['a wildcard backend role', variant(fgac(), (s) => mappings(s, { all_access: entry([`arn:aws:iam::${ACCT}:role/Cognito_*`]) }))],
      ['a /regex/ backend role', variant(fgac(), (s) => mappings(s, { all_access: entry([`/arn:aws:iam::${ACCT}:role/Cognito_.*Auth_Role/`]) }))],
      ['a role in an IAM path, mapped by its full ARN (FGAC sees the path)', variant(fgac(), (s) => pathedAuthRole(s, PATHED_AUTH))],
      [
        'a role in an IAM path, mapped both ways',
        variant(fgac(), (s) => {
          pathedAuthRole(s, AUTH);
          s.securityPlugin!.rolesMapping!['all_access']!.backend_roles!.push(PATHED_AUTH);
        }),
      ],
      [
        'a role in an IAM path, matched by a wildcard that covers the path',
        variant(fgac(), (s) => pathedAuthRole(s, `arn:aws:iam::${ACCT}:role/*Cognito_logsprodAuth_Role`)),
      ],
      ['the role mapped with its path (fixture)', loadFixture('healthy/role-in-path-mapped-with-path.json')],
      [
        'opensearch_dashboards_user plus a data role',
        variant(fgac(), (s) => mappings(s, { all_access: entry([CI]), opensearch_dashboards_user: entry([AUTH]), readall: entry([AUTH]) })),
      ],
      ['legacy Elasticsearch: kibana_user plus readall', legacyWithFgac({ all_access: entry([CI]), kibana_user: entry([AUTH]), readall: entry([AUTH]) })],
      [
        'token mapping with Deny resolution: the unmapped default role is never handed out',
        variant(groups(), (s) => {
          Object.values(s.identityPoolRoles!.RoleMappings!)[0]!.AmbiguousRoleResolution = 'Deny';
          for (const m of Object.values(s.securityPlugin!.rolesMapping!)) m.backend_roles = (m.backend_roles ?? []).filter((r) => r !== AUTH);
        }),
      ],
      [
        'group roles configured but no token mapping: only the default role is handed out',
        variant(fgac(), (s) => {
          s.userPoolGroups = [{ GroupName: 'admins', RoleArn: `arn:aws:iam::${ACCT}:role/unmapped-admins`, Precedence: 1 }];
        }),
      ],
    ];
    it.each(valid)('%s', (_name, snapshot) => {
      const r = runCheck(CHECK, snapshot);
      expect(r.ids).toEqual([]);
      expect(r.status).toBe('pass');
    });

    it('is not applicable when FGAC is off', () => {
      expect(runCheck(CHECK, loadFixture('healthy/legacy-es-kibana.json'))).toMatchObject({ status: 'not-applicable', ids: [] });
    });
    it('is not applicable when Cognito is off', () => {
      expect(
        runCheck(
          CHECK,
          variant(fgac(), (s) => {
            s.domain.CognitoOptions = { Enabled: false };
          }),
        ).status,
      ).toBe('not-applicable');
    });
  });

  describe('invalid: fires', () => {
    it('missing-role (error) when the master is the deployer role and nothing maps the Cognito role', () => {
      const r = runCheck(CHECK, loadFixture('fail/missing-role.json'));
      expect(r.ids).toEqual(['missing-role']);
      const f = r.findings[0]!;
      expect(f.severity).toBe('error');
      expect(f.resource).toBe(OS_ARN);
      expect(f.symptom).toBe('Missing Role: No roles available for this user, please contact your system administrator.');
      expect(f.evidence).toMatchObject({
        roleArn: AUTH,
        backendRole: AUTH,
        users: ['every user'],
        mappedSecurityRoles: [],
        securityRolesWithMappings: ['all_access', 'security_manager'],
      });
      // The domain has neither mapping yet: PUT creates each (a PATCH of a mapping that does not exist answers 404).
      expect(f.fix.commands).toEqual([
        `curl --aws-sigv4 aws:amz:eu-west-1:es --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN" -H 'Content-Type: application/json' -X PUT https://${HOST}/_plugins/_security/api/rolesmapping/opensearch_dashboards_user -d '{"backend_roles":["${AUTH}"]}'`,
        `curl --aws-sigv4 aws:amz:eu-west-1:es --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN" -H 'Content-Type: application/json' -X PUT https://${HOST}/_plugins/_security/api/rolesmapping/readall -d '{"backend_roles":["${AUTH}"]}'`,
      ]);
      // A mapping the domain has is appended to, never replaced.
      const withReadall = variant(
        loadFixture('fail/missing-role.json'),
        (x) => (x.securityPlugin!.rolesMapping!['readall'] = entry([`arn:aws:iam::${ACCT}:role/analysts`])),
      );
      expect(runCheck(CHECK, withReadall).findings[0]!.fix.commands![1]).toBe(
        `curl --aws-sigv4 aws:amz:eu-west-1:es --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN" -H 'Content-Type: application/json' -X PATCH https://${HOST}/_plugins/_security/api/rolesmapping/readall -d '[{"op":"add","path":"/backend_roles/-","value":"${AUTH}"}]'`,
      );
      const steps = f.fix.steps!.join('\n');
      expect(steps).toContain('Security → Roles → opensearch_dashboards_user → Mapped users');
      expect(steps).toContain(
        `aws opensearch update-domain-config --region eu-west-1 --domain-name logs-prod --advanced-security-options 'MasterUserOptions={MasterUserARN=${AUTH}}'`,
      );
      expect(steps).toContain('rolesmapping/all_access');
    });

    it('missing-role (warning) when only the reader group role is unmapped', () => {
      const r = runCheck(CHECK, loadFixture('fail/missing-role--group-role.json'));
      expect(r.ids).toEqual(['missing-role']);
      expect(r.findings[0]).toMatchObject({
        severity: 'warning',
        evidence: { roleArn: `arn:aws:iam::${ACCT}:role/logs-prod-dashboards-viewer`, users: ['members of group dashboards-readers'] },
      });
    });

    it('missing-role (warning) for "users without a group role" when the default role is unmapped', () => {
      const s = variant(groups(), (x) => {
        for (const m of Object.values(x.securityPlugin!.rolesMapping!)) m.backend_roles = (m.backend_roles ?? []).filter((r) => r !== AUTH);
      });
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['missing-role']);
      expect(r.findings[0]).toMatchObject({ severity: 'warning', evidence: { roleArn: AUTH, users: ['users without a group role'] } });
    });

    it('missing-role even when single Cognito users are mapped through users entries (they are named in the evidence)', () => {
      const s = variant(fgac(), (x) => mappings(x, { all_access: entry([CI], ['Cognito/eu-west-1_Xk2LmQp7A/alice@example.com']) }));
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['missing-role']);
      expect(r.findings[0]!.severity).toBe('error');
      expect(r.findings[0]!.evidence['cognitoUserEntries']).toEqual([{ securityRole: 'all_access', users: ['Cognito/eu-west-1_Xk2LmQp7A/alice@example.com'] }]);
      expect(r.findings[0]!.message).toContain('except the user mapped one by one under users (Cognito/eu-west-1_Xk2LmQp7A/alice@example.com)');
    });

    it('a users pattern that maps every user of the pool (Cognito/<pool>/*) maps the role', () => {
      const s = variant(fgac(), (x) => mappings(x, { all_access: entry([CI], ['Cognito/eu-west-1_Xk2LmQp7A/*']) }));
      expect(runCheck(CHECK, s).ids).toEqual([]);
    });

    it('and_backend_roles naming only the role maps it; one that also needs another role does not', () => {
      const andOnly = variant(fgac(), (x) =>
        mappings(x, { all_access: entry([CI]), opensearch_dashboards_user: { backend_roles: [], and_backend_roles: [AUTH], users: [] } }),
      );
      expect(runCheck(CHECK, andOnly).ids).toEqual([]);
      const andTwo = variant(fgac(), (x) =>
        mappings(x, { all_access: entry([CI]), opensearch_dashboards_user: { backend_roles: [], and_backend_roles: [AUTH, CI], users: [] } }),
      );
      expect(runCheck(CHECK, andTwo).ids).toEqual(['missing-role']);
    });

    it('missing-role names the case of a role ARN listed under users instead of backend_roles', () => {
      const s = variant(fgac(), (x) => mappings(x, { all_access: entry([CI]), opensearch_dashboards_user: entry([], [AUTH]) }));
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['missing-role']);
      const f = r.findings[0]!;
      expect(f.severity).toBe('error');
      expect(f.message).toContain(`${AUTH} is listed under users of opensearch_dashboards_user, not under backend_roles`);
      expect(f.message).toContain('Move the ARN to backend_roles');
      expect(f.evidence['listedUnderUsers']).toEqual(['opensearch_dashboards_user']);
      expect(f.fix.summary).toMatch(/^Move .* from users to backend_roles of opensearch_dashboards_user/);
      expect(f.fix.commands).toHaveLength(1);
      expect(f.fix.commands![0]).toContain('rolesmapping/opensearch_dashboards_user');
      expect(f.fix.commands![0]).toContain(`"path":"/backend_roles/-","value":"${AUTH}"`);
    });

    it('users: ["*"] maps every user, Cognito users included: no missing-role', () => {
      const s = variant(fgac(), (x) => mappings(x, { all_access: entry([CI], ['*']) }));
      expect(runCheck(CHECK, s)).toMatchObject({ status: 'pass', ids: [] });
    });

    it('missing-role when the mapping differs only in case (the plugin compares case-sensitively)', () => {
      const s = variant(fgac(), (x) => mappings(x, { all_access: entry([AUTH.toLowerCase()]) }));
      expect(runCheck(CHECK, s).ids).toEqual(['missing-role']);
    });

    it('missing-role when the role in an IAM path is mapped without it: the near miss is named, the fix maps the full ARN', () => {
      const r = runCheck(
        CHECK,
        variant(fgac(), (s) => pathedAuthRole(s, AUTH)),
      );
      expect(r.ids).toEqual(['missing-role']);
      const f = r.findings[0]!;
      // Nothing else maps the role: decision rule 4 makes it an error.
      expect(f.severity).toBe('error');
      expect(f.message).toContain(`only in another IAM path: ${AUTH} (all_access)`);
      expect(f.message).toContain(`sees ${PATHED_AUTH}`);
      expect(f.evidence).toMatchObject({ backendRole: PATHED_AUTH, nearMisses: [{ securityRole: 'all_access', listed: AUTH }] });
      expect(f.fix.summary).toMatch(new RegExp(`^Map ${PATHED_AUTH.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, with its path, to all_access`));
      expect(f.fix.commands).toHaveLength(1);
      expect(f.fix.commands![0]).toContain('rolesmapping/all_access');
      expect(f.fix.commands![0]).toContain(`"value":"${PATHED_AUTH}"`);
    });

    it('a mapping of the same role name in another path is a near miss too, and so is a wildcard written for the bare ARN', () => {
      const otherPath = runCheck(
        CHECK,
        variant(fgac(), (s) => pathedAuthRole(s, `arn:aws:iam::${ACCT}:role/old-path/Cognito_logsprodAuth_Role`)),
      );
      expect(otherPath.findings[0]!.evidence['nearMisses']).toEqual([
        { securityRole: 'all_access', listed: `arn:aws:iam::${ACCT}:role/old-path/Cognito_logsprodAuth_Role` },
      ]);
      const wildcard = runCheck(
        CHECK,
        variant(fgac(), (s) => pathedAuthRole(s, `arn:aws:iam::${ACCT}:role/Cognito_*`)),
      );
      expect(wildcard.findings[0]!.evidence['nearMisses']).toEqual([{ securityRole: 'all_access', listed: `arn:aws:iam::${ACCT}:role/Cognito_*` }]);
      // Another role's name is no near miss.
      const other = runCheck(
        CHECK,
        variant(fgac(), (s) => pathedAuthRole(s, `arn:aws:iam::${ACCT}:role/cognito/Other_Role`)),
      );
      expect(other.findings[0]!.evidence['nearMisses']).toBeUndefined();
    });

    it('group roles with paths mapped without them (fixture): a warning per unmapped group role, naming each near miss', () => {
      const r = runCheck(CHECK, loadFixture('fail/missing-role--path-dropped.json'));
      expect(r.ids).toEqual(['missing-role', 'missing-role']);
      expect(r.findings.map((f) => f.severity)).toEqual(['warning', 'warning']);
      expect(r.findings.map((f) => f.evidence['nearMisses'])).toEqual([
        [{ securityRole: 'all_access', listed: `arn:aws:iam::${ACCT}:role/logs-dashboards-admin` }],
        [{ securityRole: 'opensearch_dashboards_user', listed: `arn:aws:iam::${ACCT}:role/logs-dashboards-reader` }],
      ]);
    });

    it('explain missing-role carries the evidence that FGAC compares the full ARN', async () => {
      const { builtinChecks } = await import('../../src/engine/builtin.js');
      const check = builtinChecks.find((c) => c.id === CHECK)!;
      expect(check.description).toContain('backend_roles=[arn:aws:iam::123456789012:role/service-role/KinesisFirehoseServiceRole-…]');
      expect(check.description).toContain('AWSReservedSSO_');
      expect(check.modes.find((m) => m.id === 'missing-role')!.cause).toMatch(/without that path/);
    });

    it('missing-role on a legacy Elasticsearch domain uses _opendistro and kibana_user', () => {
      const r = runCheck(CHECK, legacyWithFgac({ all_access: entry([CI]) }));
      expect(r.ids).toEqual(['missing-role']);
      const commands = r.findings[0]!.fix.commands!.join('\n');
      expect(commands).toContain(
        'https://search-kibana-legacy-x7lq3m2n5p8r1t4v6w9y0z2b4d.eu-west-1.es.amazonaws.com/_opendistro/_security/api/rolesmapping/kibana_user',
      );
      expect(r.findings[0]!.fix.steps![0]).toMatch(/^Sign in to Kibana/);
    });

    it('missing-role on a VPC domain: the commands use the VPC endpoint', () => {
      const s = variant(loadFixture('fail/missing-role.json'), (x) => {
        delete x.domain.Endpoint;
        x.domain.Endpoints = { vpc: 'vpc-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com' };
        x.domain.VPCOptions = { VPCId: 'vpc-0a1b2c3d4e5f60718', SubnetIds: ['subnet-0a1b2c3d4e5f60718'], SecurityGroupIds: ['sg-0a1b2c3d4e5f60718'] };
      });
      const r = runCheck(CHECK, s);
      expect(r.ids).toEqual(['missing-role']);
      expect(r.findings[0]!.fix.commands![0]).toContain(
        'https://vpc-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com/_plugins/_security/api/rolesmapping/',
      );
      expect(r.findings[0]!.fix.steps!.join('\n')).toContain('VPC endpoint');
    });

    it('dashboards-permissions-not-mapped (error) when the only role is mapped to readall', () => {
      const r = runCheck(CHECK, loadFixture('fail/dashboards-permissions-not-mapped.json'));
      expect(r.ids).toEqual(['dashboards-permissions-not-mapped']);
      const f = r.findings[0]!;
      expect(f.severity).toBe('error');
      expect(f.evidence).toMatchObject({ mappedSecurityRoles: ['readall'], requiredOneOf: ['all_access', 'opensearch_dashboards_user', 'kibana_user'] });
      expect(f.fix.commands).toEqual([
        `curl --aws-sigv4 aws:amz:eu-west-1:es --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN" -H 'Content-Type: application/json' -X PUT https://${HOST}/_plugins/_security/api/rolesmapping/opensearch_dashboards_user -d '{"backend_roles":["${AUTH}"]}'`,
      ]);
    });

    it('dashboards-permissions-not-mapped (warning) for one group role', () => {
      const r = runCheck(CHECK, loadFixture('fail/dashboards-permissions-not-mapped--group-role.json'));
      expect(r.ids).toEqual(['dashboards-permissions-not-mapped']);
      expect(r.findings[0]).toMatchObject({ severity: 'warning', evidence: { roleArn: READER } });
    });

    it('dashboards-permissions-not-mapped on legacy Elasticsearch points at kibana_user', () => {
      const r = runCheck(CHECK, legacyWithFgac({ all_access: entry([CI]), readall: entry([AUTH]) }));
      expect(r.ids).toEqual(['dashboards-permissions-not-mapped']);
      expect(r.findings[0]!.fix.commands![0]).toContain('/_opendistro/_security/api/rolesmapping/kibana_user ');
    });

    it('one id per role: an unmapped role and a data-only role side by side', () => {
      const s = variant(groups(), (x) => mappings(x, { all_access: entry([CI]), readall: entry([READER, AUTH]), opensearch_dashboards_user: entry([AUTH]) }));
      const r = runCheck(CHECK, s);
      expect(r.findings.map((f) => [f.id, f.evidence['roleArn'], f.severity])).toEqual([
        ['dashboards-permissions-not-mapped', READER, 'warning'],
        ['missing-role', ADMIN, 'warning'],
      ]);
    });
  });

  describe('partial reads', () => {
    it('mappings not collected → not evaluated', () => {
      const r = report(loadFixture('partial/not-collected.json')).checks.find((c) => c.check === CHECK)!;
      expect(r.status).toBe('not-evaluated');
      expect(r.permission).toBe('es:ESHttpGet');
    });

    it('the security plugin answered Forbidden → unknown, naming the caller it needs', () => {
      const r = report(loadFixture('partial/rolesmapping-forbidden.json')).checks.find((c) => c.check === CHECK)!;
      expect(r.status).toBe('unknown');
      expect(r.permission).toBe('es:ESHttpGet');
      expect(r.reason).toContain('answered Forbidden');
      expect(r.reason).toContain('all_access or security_manager');
    });

    it('a failed read recorded against the domain (a hand-written snapshot) → unknown, not "not collected"', () => {
      for (const resource of [OS_ARN, 'logs-prod']) {
        const s = variant(fgac(), (x) => {
          delete x.securityPlugin;
          x.errors = [{ operation: 'es:ESHttpGet', resource, code: 'AccessDenied', message: 'no' }];
        });
        const r = runCheck(CHECK, s);
        expect(r.status, resource).toBe('unknown');
        expect(r.reason).toContain('AccessDenied');
      }
    });

    it('a VPC domain that timed out → unknown, naming network reach too', () => {
      const s = variant(fgac(), (x) => {
        delete x.domain.Endpoint;
        x.domain.Endpoints = { vpc: 'vpc-logs-prod-4kq2vqyzt7bxnnyfxm2lyu3ham.eu-west-1.es.amazonaws.com' };
        x.securityPlugin = null;
        x.errors = [{ operation: 'es:ESHttpGet', resource: `${OS_ARN}/_plugins/_security/api/rolesmapping`, code: 'Timeout', message: 'connect ETIMEDOUT' }];
      });
      const r = runCheck(CHECK, s);
      expect(r.status).toBe('unknown');
      expect(r.reason).toContain('could not be reached (Timeout)');
      expect(r.reason).toContain('VPC endpoint');
      expect(r.reason).toContain('all_access or security_manager');
    });

    it('the Open Distro path on a legacy domain → unknown', () => {
      const s = variant(legacyWithFgac({}), (x) => {
        x.securityPlugin = null;
        x.errors = [
          {
            operation: 'es:ESHttpGet',
            resource: `arn:aws:es:eu-west-1:${ACCT}:domain/kibana-legacy/_opendistro/_security/api/rolesmapping`,
            code: 'Unauthorized',
            message: '',
          },
        ];
      });
      const r = runCheck(CHECK, s);
      expect(r.status).toBe('unknown');
      expect(r.reason).toContain('_opendistro/_security/api/rolesmapping answered Unauthorized');
    });

    it('the identity pool roles unreadable → unknown', () => {
      const s = variant(fgac(), (x) => {
        x.identityPoolRoles = null;
        x.errors = [{ operation: 'cognito-identity:GetIdentityPoolRoles', resource: x.domain.CognitoOptions!.IdentityPoolId!, code: 'AccessDeniedException' }];
      });
      expect(runCheck(CHECK, s).status).toBe('unknown');
    });
  });
});

describe(`${CHECK}: problems`, () => {
  it('missing-role names the near misses in another path and the entries under users', () => {
    const [pathDropped] = problemsOf(check, loadFixture('fail/missing-role--path-dropped.json'));
    expect(pathDropped).toMatchObject({ mode: 'missing-role', resource: OS_ARN, data: { listedUnderUsers: [] } });
    expect((pathDropped!.data as { nearMisses: unknown[] }).nearMisses.length).toBeGreaterThan(0);
    const [underUsers] = problemsOf(check, loadFixture('fail/missing-role--users-entry.json'));
    expect(underUsers).toMatchObject({ mode: 'missing-role', data: { nearMisses: [] } });
    expect((underUsers!.data as { listedUnderUsers: string[] }).listedUnderUsers.length).toBeGreaterThan(0);
  });

  it('dashboards-permissions-not-mapped carries the security roles the role has and the Dashboards role to add', () => {
    const [problem] = problemsOf(check, loadFixture('fail/dashboards-permissions-not-mapped.json'));
    expect(problem).toMatchObject({ mode: 'dashboards-permissions-not-mapped', resource: OS_ARN, data: { dashboardsRole: 'opensearch_dashboards_user' } });
    expect((problem!.data as { mappedSecurityRoles: string[] }).mappedSecurityRoles.length).toBeGreaterThan(0);
  });
});
