import { describe, expect, it } from 'vitest';
import { AccessInputError, parseAction, parsePath, parsePrincipal } from '../../src/access/index.js';
import { access, accessFixture, CI_USER, LAMBDA_ROLE, LAMBDA_SESSION } from './helpers.js';

const DOMAIN = 'arn:aws:es:eu-west-1:123456789012:domain/logs-prod';

describe('cogdoctor access: the request', () => {
  it('maps a role session to its role, as IAM evaluates it', () => {
    expect(parsePrincipal(LAMBDA_SESSION)).toMatchObject({
      kind: 'role',
      name: 'ingest-lambda',
      roleArn: 'arn:aws:iam::123456789012:role/ingest-lambda',
      sessionArn: LAMBDA_SESSION,
    });
    expect(parsePrincipal(LAMBDA_ROLE)).toMatchObject({ kind: 'role', name: 'ingest-lambda', roleArn: LAMBDA_ROLE });
    expect(parsePrincipal(CI_USER)).toMatchObject({ kind: 'user', name: 'ci-deployer' });
    expect(parsePrincipal('anonymous')).toMatchObject({ kind: 'anonymous' });
  });

  it('accepts the HTTP method for the action, and defaults to GET on /*', () => {
    expect(parseAction('post')).toBe('es:ESHttpPost');
    expect(parseAction('ESHttpHead')).toBe('es:ESHttpHead');
    expect(parseAction('es:ESHttpPatch')).toBe('es:ESHttpPatch');
    expect(parseAction(undefined)).toBe('es:ESHttpGet');
    expect(parsePath(undefined)).toBe('/*');
  });

  it('refuses what it cannot evaluate', () => {
    expect(() => parsePrincipal('arn:aws:iam::123456789012:root')).toThrow(AccessInputError);
    expect(() => parsePrincipal('ingest-lambda')).toThrow(/not an IAM role ARN/);
    expect(() => parseAction('es:CreateDomain')).toThrow(AccessInputError);
    expect(() => parsePath('logs/_search')).toThrow(/starting with \//);
  });
});

describe('cogdoctor access: the verdict and the statement that decides', () => {
  it('a Lambda role allowed only by its identity policy, the access policy trusting the account', () => {
    const r = access(accessFixture('lambda-identity-allowed.json'), LAMBDA_ROLE, 'POST', '/logs-2024/_doc');
    expect(r.verdict).toBe('allowed');
    expect(r.findings).toEqual([]);
    expect(r.request).toMatchObject({
      action: 'es:ESHttpPost',
      resource: `${DOMAIN}/logs-2024/_doc`,
      caller: 'arn:aws:sts::123456789012:assumed-role/ingest-lambda/<session>',
    });
    expect(r.decidedBy.map((d) => [d.policy, d.policyName ?? null, d.sid])).toEqual([
      ['access policy', null, 'AccountViaIam'],
      ['identity policy', 'opensearch-ingest', 'OpenSearchIngest'],
    ]);
  });

  it('the same role without the identity policy: the account-root cause, with an identity policy to attach', () => {
    const r = access(accessFixture('lambda-no-identity-policy.json'), LAMBDA_SESSION);
    expect(r.verdict).toBe('denied');
    expect(r.findings.map((f) => f.id)).toEqual(['principal-account-delegation-without-identity-policy']);
    const [finding] = r.findings;
    expect(finding!.resource).toBe(LAMBDA_ROLE);
    expect(finding!.fix.commands).toEqual([
      `aws iam put-role-policy --role-name ingest-lambda --policy-name opensearch-logs-prod-http --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"es:ESHttp*","Resource":"${DOMAIN}/*"}]}'`,
    ]);
  });

  it('a role named without /*: the bare domain ARN, fixed in the whole policy', () => {
    const r = access(accessFixture('role-bare-domain-arn.json'), LAMBDA_ROLE, 'GET', '/logs/_search');
    expect(r.findings.map((f) => f.id)).toEqual(['principal-statement-too-narrow']);
    expect(r.findings[0]!.message).toMatch(/bare domain ARN .* trailing \/\* matters/);
    const command = r.findings[0]!.fix.commands![0]!;
    const policy = JSON.parse(/--access-policies '(.*)'$/.exec(command)![1]!);
    expect(policy.Statement).toEqual([
      { Effect: 'Allow', Sid: 'IngestLambda', Action: 'es:ESHttp*', Resource: `${DOMAIN}/*`, Principal: { AWS: LAMBDA_ROLE } },
    ]);
  });

  it('an explicit Deny wins, naming the Deny statement', () => {
    const r = access(accessFixture('explicit-deny.json'), LAMBDA_ROLE, 'DELETE', '/logs-2024/_doc/1');
    expect(r.verdict).toBe('denied');
    expect(r.findings.map((f) => f.id)).toEqual(['principal-explicit-deny']);
    expect(r.decidedBy.map((d) => [d.effect, d.sid])).toEqual([['Deny', 'NoDeletes']]);
    // A GET is let in by the Allow that names the role.
    expect(access(accessFixture('explicit-deny.json'), LAMBDA_ROLE).verdict).toBe('allowed');
  });

  it('a permissions boundary without es: the boundary is the cause, and the access policy is left alone', () => {
    const snapshot = accessFixture('explicit-deny.json');
    const BOUNDARY = 'arn:aws:iam::123456789012:policy/workload-boundary';
    snapshot.rolePolicies![LAMBDA_ROLE] = {
      ...snapshot.rolePolicies![LAMBDA_ROLE],
      boundary: { PolicyArn: BOUNDARY, Document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } },
    };
    const r = access(snapshot, LAMBDA_ROLE);
    expect(r.verdict).toBe('denied');
    expect(r.findings.map((f) => f.id)).toEqual(['principal-explicit-deny']);
    expect(r.findings[0]!.message).toContain(`The permissions boundary ${BOUNDARY} of ingest-lambda does not allow es:ESHttpGet`);
    expect(r.findings[0]!.resource).toBe(LAMBDA_ROLE);
    // The access policy is left alone; the boundary gets the Allow, as the check's fix does.
    expect(r.findings[0]!.fix.commands).toEqual([
      expect.stringContaining(`aws iam create-policy-version --policy-arn ${BOUNDARY} --set-as-default --policy-document`),
    ]);
  });

  it('the principal named nowhere: the whole merged policy with a statement for it', () => {
    const snapshot = accessFixture('explicit-deny.json');
    const other = 'arn:aws:iam::123456789012:role/other-role';
    snapshot.rolePolicies![other] = { attached: [], inline: [] };
    const r = access(snapshot, other);
    expect(r.findings.map((f) => f.id)).toEqual(['principal-not-in-access-policy']);
    const policy = JSON.parse(/--access-policies '(.*)'$/.exec(r.findings[0]!.fix.commands![0]!)![1]!);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['IngestLambda', 'NoDeletes', 'AllowPrincipalHttp']);
  });

  it('a principal of another account needs the access policy: its own policies are not enough', () => {
    const r = access(accessFixture('lambda-identity-allowed.json'), 'arn:aws:iam::210987654321:role/ingest-lambda');
    expect(r.request.sameAccount).toBe(false);
    expect(r.findings.map((f) => f.id)).toEqual(['principal-not-in-access-policy']);
    expect(r.findings[0]!.message).toMatch(/another account needs the access policy/);
  });

  it('an unsigned request against a policy that names roles only: signing advice, placeholders only', () => {
    const r = access(accessFixture('explicit-deny.json'), 'anonymous');
    expect(r.request.caller).toBe('anonymous');
    expect(r.findings.map((f) => f.id)).toEqual(['unsigned-request-denied']);
    const fix = r.findings[0]!.fix;
    const text = JSON.stringify(fix);
    expect(text).toMatch(/AwsSigv4Signer/);
    expect(text).toMatch(/AWSV4SignerAuth/);
    expect(text).toMatch(/requests-aws4auth/);
    expect(fix.commands![0]).toBe(
      'curl --aws-sigv4 aws:amz:eu-west-1:es --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" -H "x-amz-security-token: $AWS_SESSION_TOKEN" https://search-logs-prod-abc123def456ghi789.eu-west-1.es.amazonaws.com/',
    );
  });

  it('an unsigned request let through by an open policy is refused by FGAC when anonymous authentication is off: denied, naming FGAC', () => {
    const r = access(accessFixture('open-policy-fgac.json'), 'anonymous');
    expect(r.verdict).toBe('denied');
    expect(r.deniedBy).toBe('fine-grained access control');
    expect(r.decidedBy).toEqual([]);
    expect(r.line).toMatch(/fine-grained access control decides next and has anonymous authentication off .* so it refuses the unsigned request\.$/);
    expect(r.findings.map((f) => f.id)).toEqual(['unsigned-request-denied']);
    expect(r.findings[0]!.evidence).toMatchObject({ deniedBy: 'fine-grained access control', AnonymousAuthEnabled: false });
    expect(r.fgac).toMatchObject({ decides: true, rolesMappingRead: true, securityRoles: [] });
    expect(r.notes.join('\n')).toMatch(/open access policy lets the request through to FGAC, which then decides/);
  });

  it('with anonymous authentication on, FGAC lets the unsigned request in as the anonymous backend role', () => {
    const r = access(accessFixture('open-policy-fgac-anonymous-auth.json'), 'anonymous');
    expect(r.verdict).toBe('allowed');
    expect(r.findings).toEqual([]);
    expect(r.deniedBy).toBeUndefined();
    expect(r.fgac?.securityRoles).toEqual(['readall']);
  });

  it('with FGAC and the mappings read, shows the security roles the role maps to (a session is resolved to its role, path included)', () => {
    const r = access(accessFixture('open-policy-fgac.json'), LAMBDA_SESSION, 'PUT', '/logs-2024/_doc/1');
    expect(r.fgac?.securityRoles).toEqual(['logs_writer']);
  });

  it('a mapping of the role without its IAM path maps nothing, and the note names it', () => {
    const snapshot = accessFixture('open-policy-fgac.json');
    snapshot.securityPlugin!.rolesMapping!['logs_writer']!.backend_roles = ['arn:aws:iam::123456789012:role/ingest-lambda'];
    const r = access(snapshot, LAMBDA_SESSION, 'PUT', '/logs-2024/_doc/1');
    expect(r.fgac).toMatchObject({ securityRoles: [], nearMisses: [{ securityRole: 'logs_writer', listed: 'arn:aws:iam::123456789012:role/ingest-lambda' }] });
    expect(r.notes.join('\n')).toContain('logs_writer lists arn:aws:iam::123456789012:role/ingest-lambda, the same role name in another IAM path');
  });

  it('a role of another account whose policies are not in the snapshot: unknown, naming its account, when the access policy lets it in', () => {
    const other = 'arn:aws:iam::210987654321:role/ingest-lambda';
    const r = access(accessFixture('open-policy-fgac.json'), other);
    expect(r.verdict).toBe('unknown');
    expect(r.line).toContain('as a principal of account 210987654321, its own policies must allow it too');
    expect(r.unknown?.reason).toContain('is in account 210987654321, not in account 123456789012 that was read');
  });

  it("a user allowed through its group's inline policy", () => {
    const r = access(accessFixture('user-group-policy.json'), CI_USER, 'PUT', '/logs/_mapping');
    expect(r.verdict).toBe('allowed');
    expect(r.decidedBy.find((d) => d.policy === 'identity policy')).toMatchObject({
      policyName: 'group search-writers: opensearch-write',
      sid: 'WriteIndices',
    });
  });

  it("without the principal's policies, never a false pass: unknown, naming the reads", () => {
    const snapshot = accessFixture('lambda-identity-allowed.json');
    delete snapshot.rolePolicies;
    const r = access(snapshot, LAMBDA_ROLE);
    expect(r.verdict).toBe('unknown');
    expect(r.unknown?.permission).toMatch(/iam:ListAttachedRolePolicies/);
  });
});

describe('cogdoctor access: the same evaluation as check and trace', () => {
  const ROLE_POLICIES = 'arn:aws:iam::123456789012:role/service-role/ingest-lambda';

  it('an own policy whose document was not read leaves an account delegation unknown, never a finding', () => {
    const snapshot = accessFixture('lambda-no-identity-policy.json');
    snapshot.rolePolicies![ROLE_POLICIES]!.attached!.push({ PolicyArn: 'arn:aws:iam::123456789012:policy/ingest-writer', PolicyName: 'ingest-writer' });
    const r = access(snapshot, LAMBDA_SESSION);
    expect(r.verdict).toBe('unknown');
    expect(r.findings).toEqual([]);
    expect(r.assumptions).toContain('not in the snapshot, so not counted: arn:aws:iam::123456789012:policy/ingest-writer (its document was not read)');
  });

  it('a Deny whose NotPrincipal names the role, not its session, is named in the notes', () => {
    const snapshot = accessFixture('lambda-identity-allowed.json');
    const policy = JSON.parse(snapshot.domain.AccessPolicies as string) as { Statement: unknown[] };
    policy.Statement.push({ Sid: 'OnlyIngest', Effect: 'Deny', NotPrincipal: { AWS: ROLE_POLICIES }, Action: 'es:*', Resource: `${DOMAIN}/*` });
    snapshot.domain.AccessPolicies = JSON.stringify(policy);
    const r = access(snapshot, LAMBDA_ROLE, 'POST', '/logs-2024/_doc');
    expect(r.verdict).toBe('allowed');
    expect(r.notes.join('\n')).toMatch(/^Statement OnlyIngest of the access policy denies every principal its NotPrincipal does not list/m);
  });

  it('the principals of a policy that names nobody for the request: every kind, with its type, sorted', () => {
    const snapshot = accessFixture('lambda-no-identity-policy.json');
    snapshot.domain.AccessPolicies = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'es.amazonaws.com' }, Action: 'es:*', Resource: `${DOMAIN}/*` },
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/other' }, Action: 'es:*', Resource: `${DOMAIN}/*` },
      ],
    });
    const r = access(snapshot, LAMBDA_SESSION);
    expect(r.findings.map((f) => f.id)).toEqual(['principal-not-in-access-policy']);
    expect(r.findings[0]!.evidence['principals']).toEqual(['Service:es.amazonaws.com', 'arn:aws:iam::123456789012:role/other']);
  });
});
