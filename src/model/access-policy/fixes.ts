// The fixes an access verdict calls for. The access policy is replaced whole (catalog G4), so every
// edit is written as the complete policy with every other statement kept as the domain returned it.
import { evaluatePolicy, type PolicyDocument, type Statement } from '../../policy/index.js';
import type { Fix } from '../../engine/types.js';
import type { Snapshot } from '../../snapshot/types.js';
import { domainArnOf, type DomainPlace } from '../domain.js';
import { sh } from '../shell.js';
import { awsIds, stringsOf } from './conditions.js';
import type { AccessProbe } from './requests.js';
import type { StatementRef } from './statements.js';

export const COGNITO_ACCESS_SID = 'CognitoDashboardsAccess';

/** What AWS documents for a principal that uses the domain: es:ESHttp* on every subresource, under a Sid the policy does not use yet. */
export function grantStatement(snapshot: Snapshot, arns: string[], sidBase: string, taken: Statement[] = []): Statement {
  let sid = sidBase;
  for (let n = 2; taken.some((s) => s.Sid === sid); n += 1) sid = `${sidBase}${n}`;
  const unique = [...new Set(arns)];
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: unique.length === 1 ? unique[0] : unique },
    Action: 'es:ESHttp*',
    Resource: `${domainArnOf(snapshot)}/*`,
  };
}

/** The statement AWS documents for the Cognito roles: es:ESHttp* on every subresource of the domain. */
export function cognitoRolesStatement(snapshot: Snapshot, roleArns: string[], taken: Statement[] = []): Statement {
  return grantStatement(snapshot, roleArns, COGNITO_ACCESS_SID, taken);
}

export interface PolicyEdit {
  /** Statements to leave out (by identity with the parsed policy's statements). */
  remove?: Statement[];
  /** Statements to put in place of others (same identity), e.g. a narrowed Deny. */
  replace?: Map<Statement, Statement>;
  /** Roles that get the Cognito statement. */
  addRoles?: string[];
}

/** The statements as the domain returned them (key order and all), when they line up with the parsed ones. */
function writtenStatements(snapshot: Snapshot, policy: PolicyDocument): { version?: string; statements?: unknown[] } {
  const raw = snapshot.domain.AccessPolicies;
  let doc: unknown;
  try {
    doc = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    return {};
  }
  if (!doc || typeof doc !== 'object') return {};
  const { Statement: written, Version: version } = doc as { Statement?: unknown; Version?: unknown };
  const statements = Array.isArray(written) ? written : written && typeof written === 'object' ? [written] : [];
  return { ...(typeof version === 'string' ? { version } : {}), ...(statements.length === policy.Statement.length ? { statements } : {}) };
}

/** The complete policy after an edit: every other statement kept as written. */
export function editedAccessPolicy(snapshot: Snapshot, policy: PolicyDocument | undefined, edit: PolicyEdit): PolicyDocument {
  const written = policy ? writtenStatements(snapshot, policy) : {};
  const kept: Statement[] = [];
  (policy?.Statement ?? []).forEach((s, index) => {
    if ((edit.remove ?? []).includes(s)) return;
    const replaced = edit.replace?.get(s);
    kept.push(replaced ?? (written.statements?.[index] as Statement | undefined) ?? s);
  });
  const statements = edit.addRoles && edit.addRoles.length > 0 ? [...kept, cognitoRolesStatement(snapshot, edit.addRoles, kept)] : kept;
  const doc: PolicyDocument = { Version: written.version ?? policy?.Version ?? '2012-10-17', Statement: statements };
  if (policy?.Id) doc.Id = policy.Id;
  return doc;
}

/**
 * A Deny narrowed so that it no longer covers the given requests: the Resource entries that cover
 * them are dropped; undefined when nothing would be left (the Deny has to go, or be rewritten by hand).
 */
export function narrowedDeny(statement: Statement, sessionArn: string, probes: AccessProbe[]): Statement | undefined {
  const resources = stringsOf(statement.Resource);
  if (resources.length < 2 || statement.Effect !== 'Deny') return undefined;
  const covers = (resource: string) =>
    probes.some((probe) => {
      const single: Statement = { ...statement, Resource: resource };
      delete single.Condition;
      return (
        evaluatePolicy({ Statement: [single] }, { principal: { type: 'AWS', arn: sessionArn }, ...probe, context: {} }, 'resource').decision === 'ExplicitDeny'
      );
    });
  const keep = resources.filter((r) => !covers(r));
  if (keep.length === 0 || keep.length === resources.length) return undefined;
  return { ...statement, Resource: keep.length === 1 ? keep[0]! : keep };
}

/**
 * A Deny with NotPrincipal rewritten the way IAM recommends and OpenSearch Service supports:
 * Principal "*" with aws:PrincipalArn / aws:PrincipalAccount conditions that exempt what the
 * NotPrincipal listed (a session ARN exempts its role). Undefined when there is nothing to rewrite.
 */
export function rewrittenNotPrincipalDeny(statement: Statement): Statement | undefined {
  if (statement.Effect !== 'Deny' || statement.NotPrincipal === undefined || statement.NotPrincipal === '*') return undefined;
  const arns: string[] = [];
  const accounts: string[] = [];
  for (const id of awsIds(statement.NotPrincipal)) {
    const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(id);
    const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(id);
    if (/^\d{12}$/.test(id)) accounts.push(id);
    else if (root) accounts.push(root[1]!);
    else if (session) arns.push(`arn:${session[1]}:iam::${session[2]}:role/${session[3]}`);
    else arns.push(id);
  }
  if (arns.length + accounts.length === 0) return undefined;
  const condition: Record<string, Record<string, unknown>> = { ...(statement.Condition ?? {}) };
  const add = (operator: string, key: string, values: string[]) => {
    if (values.length === 0) return;
    const block = { ...(condition[operator] ?? {}) };
    const unique = [...new Set([...stringsOf(block[key]), ...values])];
    block[key] = unique.length === 1 ? unique[0]! : unique;
    condition[operator] = block;
  };
  // Account entries sit next to role ARNs because IAM may check the account first; they state an
  // exemption of their own only when nothing narrower is listed ("deny everyone outside the account").
  if (arns.length > 0) add('ArnNotEquals', 'aws:PrincipalArn', arns);
  else add('StringNotEquals', 'aws:PrincipalAccount', accounts);
  const rewritten: Statement = { ...statement, Principal: { AWS: '*' }, Condition: condition };
  delete rewritten.NotPrincipal;
  return rewritten;
}

/** An edit of the access policy being gathered, with what it does in words. */
export interface DenyEdits {
  remove: Statement[];
  replace: Map<Statement, Statement>;
  changes: string[];
}

/**
 * Adds to `edits` what takes the access-policy Denies among `denies` off the caller's requests: a
 * NotPrincipal Deny rewritten (when `rewriteNotPrincipal`), else a Deny narrowed to the Resource
 * entries that do not cover the requests, else removed. Denies already handled are skipped.
 */
export function addDenyEdits(edits: DenyEdits, denies: StatementRef[], callerArn: string, requests: AccessProbe[], rewriteNotPrincipal = false): DenyEdits {
  for (const deny of denies) {
    if (deny.policy !== 'access policy' || edits.remove.includes(deny.statement) || edits.replace.has(deny.statement)) continue;
    const name = deny.sid ?? `statement ${(deny.index ?? 0) + 1}`;
    const rewritten = rewriteNotPrincipal ? rewrittenNotPrincipalDeny(deny.statement) : undefined;
    if (rewritten) {
      edits.replace.set(deny.statement, rewritten);
      edits.changes.push(
        `rewrites the Deny ${name} without NotPrincipal (Principal "*" with an aws:PrincipalArn or aws:PrincipalAccount condition that exempts what NotPrincipal listed)`,
      );
      continue;
    }
    const narrowed = narrowedDeny(deny.statement, callerArn, requests);
    if (narrowed) {
      edits.replace.set(deny.statement, narrowed);
      edits.changes.push(`narrows the Deny ${name} to ${JSON.stringify(narrowed.Resource)}`);
    } else {
      edits.remove.push(deny.statement);
      edits.changes.push(`removes the Deny ${name} (narrow it by hand instead if it guards something else)`);
    }
  }
  return edits;
}

/**
 * The command that gives a role or user an inline identity policy allowing es:ESHttp* on every
 * subresource of the domain (enough in the same account while no Deny matches).
 */
export function identityPolicyCommand(snapshot: DomainPlace, who: { kind: 'role' | 'user'; name: string }, policyName: string): string {
  const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${domainArnOf(snapshot)}/*` }] };
  const [command, flag] = who.kind === 'user' ? ['put-user-policy', '--user-name'] : ['put-role-policy', '--role-name'];
  return sh('aws', 'iam', command, flag, who.name, '--policy-name', policyName, '--policy-document', JSON.stringify(document));
}

/** A role or user as the IAM console lists it. */
export interface IamIdentityName {
  kind: 'role' | 'user';
  name: string;
}

function consolePath(who: IamIdentityName): string {
  return `IAM console → ${who.kind === 'user' ? 'Users' : 'Roles'} → ${who.name}`;
}

/** Console steps for Denies in the caller's own policies or boundary: narrow each so it no longer covers `requests`. */
export function ownDenySteps(who: IamIdentityName, denies: StatementRef[], requests: string): string[] {
  return denies
    .filter((d) => d.policy !== 'access policy')
    .map(
      (d) =>
        `${consolePath(who)} → ${d.policy} ${d.policyName ?? ''}: narrow or remove the Deny ${d.sid ? `statement ${d.sid}` : 'statement'} so it no longer covers ${requests}.`,
    );
}

/**
 * Let a permissions boundary allow es:ESHttp* on the domain: a new default version of it (with the
 * Allow added, when its document is known), or no boundary. The access policy needs no change.
 */
export function boundaryFix(snapshot: DomainPlace, who: IamIdentityName, boundaryArn: string, boundary: PolicyDocument | undefined): Fix {
  const domainArn = domainArnOf(snapshot);
  const grant = { Sid: 'OpenSearchDashboards', Effect: 'Allow', Action: 'es:ESHttp*', Resource: `${domainArn}/*` };
  return {
    summary: `Add es:ESHttp* on ${domainArn}/* to the permissions boundary ${boundaryArn}, or remove the boundary from ${who.name}; the access policy needs no change.`,
    steps: [
      `IAM console → Policies → ${boundaryArn.split('/').pop()} → Edit: add an Allow of es:ESHttp* on ${domainArn}/* (the boundary is shared by every role or user that uses it; a policy keeps at most five versions).`,
      `Or ${consolePath(who)} → Permissions boundary → Remove.`,
    ],
    commands: boundary
      ? [
          sh(
            'aws',
            'iam',
            'create-policy-version',
            '--policy-arn',
            boundaryArn,
            '--set-as-default',
            '--policy-document',
            JSON.stringify({ ...boundary, Statement: [...boundary.Statement, grant] }),
          ),
        ]
      : [],
    iac: 'If a landing-zone baseline or IaC sets the boundary, change it there, or the next deployment restores it.',
  };
}
