import type { PolicyDocument } from '../policy/index.js';
import { roleNameOf } from '../util/arn.js';
import { isElasticsearch, type DomainPlace } from './domain.js';
import { regionOfPoolId } from './pools.js';
import { sh, shellWord, urlHost, urlPathSegment } from './shell.js';

// Fix commands are written for AWS CLI v2 and jq. Every value passes through sh()/shellWord so a
// resource name with a quote, a space or `$(...)` stays one inert word.

const READ_ONLY_CLIENT_FIELDS = 'del(.ClientSecret, .CreationDate, .LastModifiedDate)';

/**
 * `update-user-pool-client` resets every field it is not given (catalog G1), so a client edit is
 * a round trip: describe → edit with jq → update with the whole document.
 */
export function userPoolClientRoundTrip(userPoolId: string, clientId: string, jqEdit: string, jqArgs: Record<string, unknown> = {}): string[] {
  const region = regionOfPoolId(userPoolId);
  const args = Object.entries(jqArgs).flatMap(([name, value]) => ['--argjson', name, JSON.stringify(value)]);
  return [
    `${sh('aws', 'cognito-idp', 'describe-user-pool-client', '--region', region, '--user-pool-id', userPoolId, '--client-id', clientId, '--query', 'UserPoolClient')} > client.json`,
    `${sh('jq', ...args, `${jqEdit} | ${READ_ONLY_CLIENT_FIELDS}`, 'client.json')} > client-fixed.json`,
    sh('aws', 'cognito-idp', 'update-user-pool-client', '--region', region, '--cli-input-json', 'file://client-fixed.json'),
  ];
}

/** `update-identity-pool` takes the whole pool (catalog G2): round trip it. */
export function identityPoolRoundTrip(identityPoolId: string, jqEdit: string, jqArgs: Record<string, unknown> = {}): string[] {
  const region = regionOfPoolId(identityPoolId);
  const args = Object.entries(jqArgs).flatMap(([name, value]) => ['--argjson', name, JSON.stringify(value)]);
  return [
    `${sh('aws', 'cognito-identity', 'describe-identity-pool', '--region', region, '--identity-pool-id', identityPoolId)} > identity-pool.json`,
    `${sh('jq', ...args, jqEdit, 'identity-pool.json')} > identity-pool-fixed.json`,
    sh('aws', 'cognito-identity', 'update-identity-pool', '--region', region, '--cli-input-json', 'file://identity-pool-fixed.json'),
  ];
}

/** `set-identity-pool-roles` replaces Roles and RoleMappings together (catalog G3): round trip them. */
export function identityPoolRolesRoundTrip(identityPoolId: string, jqEdit: string, jqArgs: Record<string, unknown> = {}): string[] {
  const region = regionOfPoolId(identityPoolId);
  const args = Object.entries(jqArgs).flatMap(([name, value]) => ['--argjson', name, JSON.stringify(value)]);
  return [
    `${sh('aws', 'cognito-identity', 'get-identity-pool-roles', '--region', region, '--identity-pool-id', identityPoolId)} > identity-pool-roles.json`,
    `${sh('jq', ...args, jqEdit, 'identity-pool-roles.json')} > identity-pool-roles-fixed.json`,
    sh('aws', 'cognito-identity', 'set-identity-pool-roles', '--region', region, '--cli-input-json', 'file://identity-pool-roles-fixed.json'),
  ];
}

/** The access policy is replaced whole (catalog G4): the command carries the complete merged policy. */
export function accessPolicyUpdate(snapshot: DomainPlace, policy: PolicyDocument): string {
  return sh(
    'aws',
    'opensearch',
    'update-domain-config',
    '--region',
    snapshot.region,
    '--domain-name',
    snapshot.domain.DomainName,
    '--access-policies',
    JSON.stringify(policy),
  );
}

export function trustPolicyUpdate(roleArn: string, policy: PolicyDocument): string {
  return sh('aws', 'iam', 'update-assume-role-policy', '--role-name', roleNameOf(roleArn), '--policy-document', JSON.stringify(policy));
}

/**
 * Appends a backend role to a security-plugin role mapping with PATCH (PUT would replace the
 * mapping, catalog G5). Signed with the caller's credentials, which must be a master user's.
 * Undefined when the target cannot be written as a URL that reaches that mapping and nothing else.
 */
export function rolesMappingPatch(snapshot: DomainPlace, securityRole: string, roleArn: string): string | undefined {
  return securityApiCall(snapshot, 'PATCH', securityRole, [{ op: 'add', path: '/backend_roles/-', value: roleArn }]);
}

/**
 * Creates a role mapping the domain does not have yet with PUT: a PATCH of a mapping that does
 * not exist answers 404. Undefined as for rolesMappingPatch.
 */
export function rolesMappingCreate(snapshot: DomainPlace, securityRole: string, roleArns: string[]): string | undefined {
  return securityApiCall(snapshot, 'PUT', securityRole, { backend_roles: roleArns });
}

function securityApiCall(snapshot: DomainPlace, method: 'PATCH' | 'PUT', securityRole: string, body: unknown): string | undefined {
  const recorded = snapshot.domain.Endpoint ?? Object.values(snapshot.domain.Endpoints ?? {})[0];
  const endpoint = recorded === undefined ? '<domain-endpoint>' : urlHost(recorded);
  // The security role's name goes into the path: `all_access#x` or `../internalusers/admin` must not reach another API.
  const segment = urlPathSegment(securityRole);
  if (endpoint === undefined || segment === undefined) return undefined;
  const api = isElasticsearch(snapshot.domain) ? '_opendistro' : '_plugins';
  return [
    'curl',
    '--aws-sigv4',
    shellWord(`aws:amz:${snapshot.region}:es`),
    '--user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY"',
    '-H "x-amz-security-token: $AWS_SESSION_TOKEN"',
    '-H',
    shellWord('Content-Type: application/json'),
    `-X ${method}`,
    shellWord(`https://${endpoint}/${api}/_security/api/rolesmapping/${segment}`),
    '-d',
    shellWord(JSON.stringify(body)),
  ].join(' ');
}
