// Shared values and snapshot edits for the identity-pool and trust-policy check tests.
import type { PolicyDocument, Role, Snapshot } from '../../src/index.js';
import { loadFixture, variant } from '../helpers.js';

export const ACCT = '123456789012';
export const IP = 'eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90';
export const OLD_IP = 'eu-west-1:0b7d2e94-6c1a-4f3b-8e5d-2a9c7f1e4b63';
export const STAGING_IP = 'eu-west-1:9c4e1a7b-3d5f-4b2e-a8c6-1f7d3e9b5a24';
export const UP = 'eu-west-1_Xk2LmQp7A';
export const CID = '4q8v2n6k1m3p5r7t9w0y2a4c6e';
export const OLD_CID = '6t1m4p8r2v5x9b3d7f0h2k6n8q';
export const PROVIDER = `cognito-idp.eu-west-1.amazonaws.com/${UP}`;
export const OS_KEY = `${PROVIDER}:${CID}`;
export const AUTH = `arn:aws:iam::${ACCT}:role/Cognito_logsprodAuth_Role`;
export const UNAUTH = `arn:aws:iam::${ACCT}:role/Cognito_logsprodUnauth_Role`;
export const SERVICE = `arn:aws:iam::${ACCT}:role/service-role/CognitoAccessForAmazonOpenSearch`;
export const LEGACY_SERVICE = `arn:aws:iam::${ACCT}:role/service-role/CognitoAccessForAmazonES`;
export const ADMIN = `arn:aws:iam::${ACCT}:role/logs-prod-dashboards-admin`;
export const READER = `arn:aws:iam::${ACCT}:role/logs-prod-dashboards-reader`;
export const POOL_ARN = `arn:aws:cognito-identity:eu-west-1:${ACCT}:identitypool/${IP}`;

export const fgac = loadFixture('healthy/opensearch-fgac.json');
export const groups = loadFixture('healthy/token-groups.json');
export const legacy = loadFixture('healthy/legacy-es-kibana.json');
export const custom = loadFixture('healthy/custom-endpoint.json');

export const enc = (doc: unknown): string => encodeURIComponent(JSON.stringify(doc));

/** `{"StringEquals": {aud}, "ForAnyValue:StringLike": {amr}}`, each part optional. */
export function cond(
  aud?: string | string[],
  amr?: string | string[],
  audOp = 'StringEquals',
  amrOp = 'ForAnyValue:StringLike',
): Record<string, Record<string, unknown>> {
  return {
    ...(aud !== undefined ? { [audOp]: { 'cognito-identity.amazonaws.com:aud': aud } } : {}),
    ...(amr !== undefined ? { [amrOp]: { 'cognito-identity.amazonaws.com:amr': amr } } : {}),
  };
}

/** A one-statement identity-pool trust. */
export function trust(condition?: Record<string, Record<string, unknown>>, extra: Record<string, unknown> = {}): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: 'cognito-identity.amazonaws.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        ...(condition ? { Condition: condition } : {}),
        ...extra,
      },
    ],
  };
}

export const GOOD = (pool = IP, amr: string | string[] = 'authenticated') => trust(cond(pool, amr));

export function role(s: Snapshot, arn: string): Role {
  const found = s.roles!.find((r) => r.Arn === arn);
  if (!found) throw new Error(`no role ${arn}`);
  return found;
}

/** Sets a role's trust as IAM's URL-encoded string, a plain JSON string, or a decoded object. */
export function setTrust(s: Snapshot, arn: string, doc: unknown, form: 'encoded' | 'json' | 'object' = 'encoded'): void {
  // The snapshot keeps the trust as IAM returns it: the SDK types it as a string, a hand-made snapshot may hold the object.
  const r = role(s, arn) as unknown as { AssumeRolePolicyDocument?: unknown };
  r.AssumeRolePolicyDocument = form === 'encoded' ? enc(doc) : form === 'json' ? JSON.stringify(doc) : doc;
}

export function withTrust(base: Snapshot, arn: string, doc: unknown, form: 'encoded' | 'json' | 'object' = 'encoded'): Snapshot {
  return variant(base, (s) => setTrust(s, arn, doc, form));
}

/** The role is gone from the snapshot and its GetRole failed with `code`. */
export function failRole(s: Snapshot, arn: string, code: string): void {
  s.roles = s.roles!.filter((r) => r.Arn !== arn);
  if (s.rolePolicies) delete s.rolePolicies[arn];
  s.errors = [
    ...(s.errors ?? []),
    {
      operation: 'iam:GetRole',
      resource: arn,
      code,
      message: code === 'NoSuchEntity' ? 'The role cannot be found.' : 'not authorized to perform: iam:GetRole',
    },
  ];
}

/** Adds a role to the snapshot with the given trust. */
export function addRole(s: Snapshot, arn: string, doc: unknown): void {
  const name = arn.slice(arn.lastIndexOf('/') + 1);
  s.roles!.push({ Path: '/', RoleName: name, RoleId: 'AROA0000000000000TEST', Arn: arn, AssumeRolePolicyDocument: enc(doc) } as Role);
}

/** The whole snapshot moved to GovCloud (US-West): partition, regions and the identity-pool principal. */
export function govCloud(base: Snapshot): Snapshot {
  const text = JSON.stringify(base)
    .replaceAll('arn:aws:', 'arn:aws-us-gov:')
    .replaceAll('eu-west-1', 'us-gov-west-1')
    .replaceAll('cognito-identity.amazonaws.com', 'cognito-identity-us-gov.amazonaws.com');
  return JSON.parse(text) as Snapshot;
}

/** The same for the China (Beijing) partition, keeping the plain principal name. */
export function china(base: Snapshot): Snapshot {
  const text = JSON.stringify(base).replaceAll('arn:aws:', 'arn:aws-cn:').replaceAll('eu-west-1', 'cn-north-1');
  return JSON.parse(text) as Snapshot;
}

/** The JSON document a printed `--policy-document '…'` carries. */
export function policyInCommand(command: string): PolicyDocument {
  const match = /--(?:policy-document|assume-role-policy-document) '((?:[^']|'\\'')*)'/.exec(command);
  if (!match) throw new Error(`no policy document in ${command}`);
  return JSON.parse(match[1]!.replaceAll(`'\\''`, `'`)) as PolicyDocument;
}

/** Applies a printed update-assume-role-policy command to the snapshot. */
export function applyTrustFix(base: Snapshot, command: string): Snapshot {
  const name = /--role-name (\S+)/.exec(command)![1]!;
  return variant(base, (s) => {
    const r = s.roles!.find((x) => x.RoleName === name || x.Arn?.endsWith(`/${name}`))!;
    (r as { AssumeRolePolicyDocument?: unknown }).AssumeRolePolicyDocument = policyInCommand(command);
  });
}
