import { evaluatePolicy, type PolicyDocument, type PolicyEvaluation, type Statement } from '../../policy/index.js';
import type { Role } from '../../snapshot/types.js';
import { providerNameOf } from '../pools.js';
import { asList, trustPolicyOf, wildcardMatches, type WebIdentityKind } from '../trust.js';
import { cognitoConditions, cognitoFederatedNames, cognitoIdentityPrincipalsFor, literalAudPools, partitionOfRoleArn } from './principals.js';
import {
  COMMERCIAL_COGNITO_IDENTITY,
  acceptedIn,
  actionsOf,
  allowsAction,
  isCognitoIdentityPrincipal,
  looksLikeIdentityPoolId,
  principalIds,
  unique,
} from './statements.js';

// Trust verdicts.

/** The amr values STS sees for a login through the user pool (enhanced flow). */
function amrFor(kind: WebIdentityKind, userPoolId: string | undefined): string[] {
  if (kind !== 'authenticated') return ['unauthenticated'];
  if (!userPoolId) return ['authenticated'];
  const provider = providerNameOf(userPoolId);
  return ['authenticated', provider, `${provider}:CognitoSignIn:00000000-0000-0000-0000-000000000000`];
}

/**
 * How the trust policy answers the identity pool's request for a login of `kind`: by default
 * sts:AssumeRoleWithWebIdentity, or `action` (sts:TagSession when principal tags are on).
 */
export function webIdentityEvaluations(
  policy: PolicyDocument,
  roleArn: string,
  identityPoolId: string,
  userPoolId: string | undefined,
  kind: WebIdentityKind,
  action = 'sts:AssumeRoleWithWebIdentity',
): PolicyEvaluation[] {
  const partition = partitionOfRoleArn(roleArn);
  const named = unique(policy.Statement.flatMap(cognitoFederatedNames));
  const candidates = partition === 'aws' ? [COMMERCIAL_COGNITO_IDENTITY] : unique([...named, ...cognitoIdentityPrincipalsFor(partition)]);
  const amr = amrFor(kind, userPoolId);
  return candidates.map((principal) => {
    const prefixes = partition === 'aws' ? [principal] : unique([principal, ...named]);
    const context: Record<string, string | string[]> = {};
    for (const prefix of prefixes) {
      context[`${prefix}:aud`] = identityPoolId;
      context[`${prefix}:amr`] = amr;
    }
    return evaluatePolicy(policy, { principal: { type: 'Federated', id: principal }, action, resource: roleArn, context }, 'resource');
  });
}

export interface IdentityTrustVerdict {
  allowed: boolean;
  /** Why not, in words, when not allowed. */
  problem?: string;
  /** Set when the answer rests on condition operators cogdoctor cannot evaluate: neither pass nor fail. */
  uncertain?: string;
  evidence: Record<string, unknown>;
}

/** The verdict on a role whose trust policy cannot be parsed: no principal can be shown to be trusted. */
export function unreadableTrust(role: Role, error: string | undefined): IdentityTrustVerdict {
  return {
    allowed: false,
    problem: `its trust policy cannot be read: ${error}`,
    evidence: { role: role.Arn ?? '', AssumeRolePolicyDocument: role.AssumeRolePolicyDocument },
  };
}

/**
 * Can identity pool `identityPoolId` hand this role to its (authenticated or unauthenticated)
 * identities? Accepts the trust as IAM's URL-encoded string or as an object, StringEquals or
 * StringLike, an `aud` list (a role shared by several pools), `sts:*`, and the GovCloud/China
 * principal names (catalog E1/E2).
 */
export function identityTrustVerdict(
  role: Role,
  identityPoolId: string,
  userPoolId: string | undefined,
  kind: WebIdentityKind = 'authenticated',
): IdentityTrustVerdict {
  const roleArn = role.Arn ?? '';
  const { policy, error } = trustPolicyOf(role);
  if (!policy) return unreadableTrust(role, error);
  const partition = partitionOfRoleArn(roleArn);
  const evaluations = webIdentityEvaluations(policy, roleArn, identityPoolId, userPoolId, kind);
  const federated = policy.Statement.filter((s) => s.Effect === 'Allow' && cognitoFederatedNames(s).length > 0);
  const accepted = federated.filter((s) => cognitoFederatedNames(s).some((n) => acceptedIn(partition, n)));
  const trustAud = unique(accepted.flatMap((s) => cognitoConditions(s, 'aud').flatMap((c) => c.values)));
  const trustAmr = unique(accepted.flatMap((s) => cognitoConditions(s, 'amr').flatMap((c) => c.values)));
  const evidence: Record<string, unknown> = {
    role: roleArn,
    identityPoolId,
    identities: kind,
    trustedPrincipals: unique(federated.flatMap(cognitoFederatedNames)),
    trustActions: unique(accepted.flatMap(actionsOf)),
    trustAud,
    trustAmr,
    trustPolicy: policy,
  };
  if (evaluations.some((e) => e.decision === 'Allow')) return { allowed: true, evidence };

  const denies = evaluations.flatMap((e) => e.denies);
  if (denies.length > 0) {
    const sids = unique(denies.map((d) => d.sid ?? `Statement[${d.index}]`));
    return {
      allowed: false,
      problem: `a Deny statement in its trust policy (${sids.join(', ')}) matches logins from ${identityPoolId}`,
      evidence: { ...evidence, denyStatements: sids },
    };
  }

  const asService = policy.Statement.filter((s) => principalIds(s, 'Service').some(isCognitoIdentityPrincipal));
  const expected = cognitoIdentityPrincipalsFor(partition)[0]!;
  let problem: string;
  if (accepted.length === 0) {
    const elsewhere = unique(federated.flatMap(cognitoFederatedNames));
    if (elsewhere.length > 0) problem = `its trust names ${elsewhere.join(', ')}, but identity pools in partition ${partition} present ${expected}`;
    else if (asService.length > 0) problem = `its trust names ${expected} as a Service principal; identity pools need it as the Federated principal`;
    else {
      const others = unique(
        policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [
          ...principalIds(s, 'Service'),
          ...principalIds(s, 'Federated'),
          ...principalIds(s, 'AWS'),
        ]),
      );
      problem = `its trust policy does not trust ${expected}${others.length > 0 ? ` (it trusts ${others.join(', ')})` : ''}`;
    }
  } else if (!accepted.some((s) => allowsAction(s, 'sts:AssumeRoleWithWebIdentity'))) {
    problem = `its trust allows ${unique(accepted.flatMap(actionsOf)).join(', ') || 'no action'} for ${expected}, not sts:AssumeRoleWithWebIdentity`;
  } else {
    const aud = accepted.flatMap((s) => cognitoConditions(s, 'aud').filter((c) => !c.negated));
    const amr = accepted.flatMap((s) => cognitoConditions(s, 'amr').filter((c) => !c.negated));
    const audValues = unique(aud.flatMap((c) => c.values));
    const amrValues = unique(amr.flatMap((c) => c.values));
    const wanted = amrFor(kind, userPoolId);
    if (audValues.length > 0 && !audValues.some((v) => wildcardMatches(v, identityPoolId))) {
      problem = `its trust lets identity pool ${audValues.join(', ')} use it, not ${identityPoolId}`;
    } else if (amrValues.length > 0 && !amrValues.some((v) => wanted.some((w) => wildcardMatches(v, w)))) {
      problem = `its trust accepts only ${amrValues.join(', ')} identities (amr), not ${kind} ones`;
    } else {
      problem = `the conditions of its trust policy do not match a ${kind} login from identity pool ${identityPoolId}`;
    }
  }
  const unsupported = unique(evaluations.flatMap((e) => e.unsupported));
  if (unsupported.length > 0) {
    return {
      allowed: false,
      problem,
      uncertain: `the trust policy of ${roleArn} uses condition operators cogdoctor cannot evaluate (${unsupported.join(', ')}); check it by hand`,
      evidence,
    };
  }
  return { allowed: false, problem, evidence };
}

function matchesRequest(statement: Statement, roleArn: string, identityPoolId: string, userPoolId: string | undefined, kind: WebIdentityKind): boolean {
  return webIdentityEvaluations({ Statement: [statement] }, roleArn, identityPoolId, userPoolId, kind).some((e) => e.denies.length > 0 || e.allows.length > 0);
}

/**
 * The role's trust policy repaired for `identityPoolId`: statements about other principals are
 * kept, a Cognito Deny is kept unless it blocks this pool, and the Cognito Allow statements become
 * one statement with the partition's principal, an `aud` that keeps every identity pool the role
 * already trusted (a shared role keeps working) plus this one, and `amr` = `kind`. Pass the user
 * pool so that a Deny on its provider's amr is recognised as blocking.
 */
export function repairedIdentityTrust(
  role: Role | undefined,
  roleArn: string,
  identityPoolId: string,
  kind: WebIdentityKind | WebIdentityKind[] = 'authenticated',
  userPoolId?: string,
): PolicyDocument {
  const kinds = asList(kind) as WebIdentityKind[];
  const partition = partitionOfRoleArn(roleArn);
  const policy = role ? trustPolicyOf(role).policy : undefined;
  const statements = policy?.Statement ?? [];
  const isCognito = (s: Statement) => cognitoFederatedNames(s).length > 0 || principalIds(s, 'Service').some(isCognitoIdentityPrincipal);
  const cognitoAllows = statements.filter((s) => s.Effect === 'Allow' && cognitoFederatedNames(s).length > 0);
  const principal = cognitoAllows.flatMap(cognitoFederatedNames).find((n) => acceptedIn(partition, n)) ?? cognitoIdentityPrincipalsFor(partition)[0]!;
  const pools = unique([...cognitoAllows.flatMap(literalAudPools).filter(looksLikeIdentityPoolId), identityPoolId]);
  const tagSession = cognitoAllows.some((s) => actionsOf(s).some((a) => a.toLowerCase() === 'sts:tagsession'));
  const kept = statements.filter(
    (s) => !isCognito(s) || (s.Effect === 'Deny' && !kinds.some((k) => matchesRequest(s, roleArn, identityPoolId, userPoolId, k))),
  );
  const actions = tagSession ? ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] : 'sts:AssumeRoleWithWebIdentity';
  const statement: Statement = {
    Effect: 'Allow',
    Principal: { Federated: principal },
    Action: actions,
    Condition: {
      StringEquals: { [`${principal}:aud`]: pools.length === 1 ? pools[0]! : pools },
      'ForAnyValue:StringLike': { [`${principal}:amr`]: kinds.length === 1 ? kinds[0]! : kinds },
    },
  };
  return { Version: '2012-10-17', Statement: [...kept, statement] };
}
