import {
  accessPolicyUpdate,
  accountIdOf,
  cognitoEnabled,
  DataGap,
  defineCheck,
  domainArnOf,
  editedAccessPolicy,
  endpointHosts,
  fgacEnabled,
  isVpcDomain,
  openStatements,
  partitionOf,
  placeOf,
  readAccessPolicy,
  roleNameOf,
  rolesUsersGet,
  unsignedDashboardsStatements,
  type CheckContext,
  type DomainPlace,
  type Fix,
  type PolicyDocument,
  type Statement,
  type UnsignedStatement,
} from '../src/check-kit.js';

const AC_DOC = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html';
const COGNITO_DOC = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html';
const FGAC_DOC = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html';
const VPC_DOC = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html';

function label(entry: UnsignedStatement): string {
  return entry.sid ? `statement ${entry.sid}` : `statement ${entry.index + 1}`;
}

function labels(entries: UnsignedStatement[]): string {
  const text = entries.map(label).join(', ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function evidenceOf(entries: UnsignedStatement[]): Array<Record<string, unknown>> {
  return entries.map((e) => ({
    index: e.index,
    ...(e.sid ? { sid: e.sid } : {}),
    restriction: e.restriction,
    ...(e.addresses.length > 0 ? { aws_SourceIp: e.addresses } : {}),
    statement: e.statement,
  }));
}

/** The roles Cognito users get, for the replacement statement; empty when the Cognito parts cannot be read. */
function cognitoRoles(ctx: CheckContext): string[] {
  try {
    return rolesUsersGet(ctx).map((g) => g.roleArn);
  } catch (error) {
    if (!(error instanceof DataGap)) throw error;
    const authenticated = ctx.snapshot.identityPoolRoles?.Roles?.['authenticated'];
    return authenticated ? [authenticated] : [];
  }
}

/**
 * What replaces the unsigned statements: a statement for the Cognito roles when Cognito is on (none
 * when the identity pool cannot be read), otherwise the same statements with the account as principal
 * (IAM policies decide). `policy` is the whole new access policy.
 */
type Replacement =
  | { admits: 'cognito-roles'; roles: string[]; policy: PolicyDocument }
  | { admits: 'cognito-roles-unread' }
  | { admits: 'account'; root: string; policy: PolicyDocument };

/** Statements of the access policy that let unsigned requests in, and the policy without them. */
interface UnsignedAccess {
  place: DomainPlace;
  statements: UnsignedStatement[];
  vpc: boolean;
  endpoints: string[];
  replacement: Replacement;
}

function replacementOf(ctx: CheckContext, policy: PolicyDocument, entries: UnsignedStatement[]): Replacement {
  const snapshot = ctx.snapshot;
  const remove = entries.map((e) => e.statement);
  if (cognitoEnabled(ctx.domain)) {
    const roles = cognitoRoles(ctx);
    if (roles.length === 0) return { admits: 'cognito-roles-unread' };
    return { admits: 'cognito-roles', roles, policy: editedAccessPolicy(snapshot, policy, { remove, addRoles: roles }) };
  }
  const root = `arn:${partitionOf(snapshot)}:iam::${accountIdOf(snapshot)}:root`;
  const replace = new Map<Statement, Statement>(
    remove.map((s) => {
      const restricted: Statement = { ...s, Principal: { AWS: root } };
      delete restricted.Condition;
      return [s, restricted];
    }),
  );
  return { admits: 'account', root, policy: editedAccessPolicy(snapshot, policy, { replace }) };
}

/** The whole policy with the unsigned statements replaced (catalog G4: it is replaced whole). */
function restrictedPolicyFix(d: UnsignedAccess, why: string): Fix {
  const domainArn = domainArnOf(d.place);
  const replaced = d.statements.map(label).join(', ');
  const steps: string[] = [];
  let commands: string[] = [];
  const replacement = d.replacement;
  if (replacement.admits === 'cognito-roles') {
    commands = [accessPolicyUpdate(d.place, replacement.policy)];
    steps.push(
      `The new policy drops ${replaced} and allows es:ESHttp* on ${domainArn}/* to the Cognito role(s) ${replacement.roles.map(roleNameOf).join(', ')}; every other statement stays.`,
    );
  } else if (replacement.admits === 'cognito-roles-unread') {
    steps.push(
      `Replace ${replaced} with a statement that allows es:ESHttp* on ${domainArn}/* to the identity pool's authenticated role (the identity pool could not be read, so the command is not shown).`,
    );
  } else {
    commands = [accessPolicyUpdate(d.place, replacement.policy)];
    steps.push(
      `The new policy gives ${replaced} the principal ${replacement.root}: only IAM principals of the account whose own policies allow es:ESHttp* get in (requests must be signed). Name specific roles instead where you can.`,
    );
  }
  steps.push(
    `Or turn on fine-grained access control (OpenSearch console → Domains → ${d.place.domain.DomainName} → Actions → Edit security configuration → Enable fine-grained access control): with FGAC an open policy is the recommended one.`,
    'Clients that relied on the open or address-based statement (log shippers, scripts, a proxy) must then sign their requests with an IAM principal the policy names.',
  );
  return {
    summary: `${why} Replace the access policy with the complete policy below (catalog G4: it is replaced whole).`,
    steps,
    commands,
    iac: 'If CloudFormation (AccessPolicies), Terraform (access_policies / aws_opensearch_domain_policy) or the CDK manages the domain, change the policy there, or the next deployment restores it.',
  };
}

export default defineCheck({
  id: 'open-access-policy',
  title: 'The access policy does not let unsigned requests past the login',
  description:
    'Reads domain.AccessPolicies when fine-grained access control is off (AdvancedSecurityOptions.Enabled false: with FGAC an open policy is the recommended one and FGAC checks every request). ' +
    'login-page-bypassed-open-policy (Cognito on): an Allow statement whose principal is "*" or {"AWS":"*"}, with no Condition or only aws:SourceIp conditions, that covers es:ESHttpGet on the Dashboards page (<domain ARN>/_dashboards/app/home, /_plugin/kibana/app/kibana on Elasticsearch): a browser opens Dashboards without the Cognito login, from anywhere or from the listed addresses. ' +
    'access-policy-open-no-fgac (public domain) and vpc-open-policy-no-fgac (VPC domain: VPCOptions.VPCId or an Endpoints "vpc" key) are posture warnings about the policy itself: an Allow statement with a wildcard principal and no Condition (or an aws:SourceIp condition listing a /0 range) that covers any es:ESHttp* verb on the domain and that no Deny of the policy takes back for a request from an arbitrary address (a Deny NotIpAddress makes it an IP-restricted policy), with or without Cognito. ' +
    "How they overlap on one policy: the catalog's detection columns decide, so both the login-path error and the posture warning fire on an unconditioned open statement when Cognito is on (B1 names the bypassed login, the posture id the exposure); an IP-restricted statement yields only B1; exactly one of the two posture ids fires, the VPC one for VPC domains (an open policy there exposes the domain to everyone the security groups admit). Scope: domain, so the posture ids are reported when Cognito is off too.",
  reads: ['domain', 'identityPool', 'identityPoolRoles'],
  scope: 'domain',
  modes: [
    {
      id: 'login-page-bypassed-open-policy',
      severity: 'error',
      title: 'The access policy lets browsers past the Cognito login',
      symptom: 'Browsing to https://<endpoint>/_dashboards opens Dashboards without any Cognito login.',
      cause:
        'Fine-grained access control is off and an access-policy statement allows unsigned requests: a wildcard principal with no condition (for a VPC domain: "all VPC users can access Dashboards and the domain without Amazon Cognito authentication") or with an aws:SourceIp condition that includes the user\'s address. Such requests never reach the Cognito login.',
      fix: 'Replace the open or IP-based statement with one that allows the Cognito authenticated role es:ESHttp* on <domain ARN>/*, re-applying the whole policy.',
      docs: [COGNITO_DOC, AC_DOC],
    },
    {
      id: 'access-policy-open-no-fgac',
      severity: 'warning',
      title: 'The access policy is open and fine-grained access control is off',
      symptom: 'Domain policy Principal:"*" with no Condition, FGAC off',
      cause:
        'Anyone who reaches the endpoint gets in; a Cognito login is bypassed. AWS: "If your domain is in a VPC or uses fine-grained access control, you can use an open domain access policy. Otherwise, your domain access policy must contain some restriction."',
      fix: 'Restrict the policy to named IAM principals (the Cognito roles) or turn on fine-grained access control.',
      docs: [AC_DOC, FGAC_DOC],
    },
    {
      id: 'vpc-open-policy-no-fgac',
      severity: 'warning',
      title: 'VPC domain with an open access policy and fine-grained access control off',
      symptom: 'VPC domain, open policy, FGAC off',
      cause: 'Every host the security groups let reach the VPC endpoint gets in without signing, bypassing a Cognito login.',
      fix: 'Name the Cognito roles (or other IAM principals) in the access policy, or turn on fine-grained access control; keep the security groups tight.',
      docs: [VPC_DOC, COGNITO_DOC, AC_DOC],
    },
  ],
  messages: {
    'login-page-bypassed-open-policy': {
      message: (d: UnsignedAccess) =>
        d.statements.every((u) => u.restriction === 'source-ip')
          ? `${labels(d.statements)} of the access policy lets unsigned requests from ${[...new Set(d.statements.flatMap((u) => u.addresses))].join(', ')} reach Dashboards on ${d.place.domain.DomainName}, so users there skip the Cognito login.`
          : `${labels(d.statements)} of the access policy lets anyone${d.vpc ? ' in the VPC' : ''} reach Dashboards on ${d.place.domain.DomainName} without the Cognito login.`,
      fix: (d: UnsignedAccess) => restrictedPolicyFix(d, 'Only the Cognito roles should reach Dashboards.'),
    },
    'access-policy-open-no-fgac': {
      message: (d: UnsignedAccess) =>
        `${labels(d.statements)} of the access policy of ${d.place.domain.DomainName} allows everyone, with no condition, and fine-grained access control is off: anyone who reaches ${d.endpoints[0] ?? 'the endpoint'} gets in.`,
      fix: (d: UnsignedAccess) => restrictedPolicyFix(d, 'The policy should name who may send requests.'),
    },
    'vpc-open-policy-no-fgac': {
      message: (d: UnsignedAccess) =>
        `${labels(d.statements)} of the access policy of VPC domain ${d.place.domain.DomainName} allows everyone and fine-grained access control is off: every host the security groups admit gets in.`,
      fix: (d: UnsignedAccess) => restrictedPolicyFix(d, 'The policy should name who may send requests.'),
    },
  },
  run(ctx) {
    const domain = ctx.domain;
    if (fgacEnabled(domain)) return [];
    const policy = readAccessPolicy(ctx.snapshot);
    if (!policy) return [];
    const resource = domainArnOf(ctx.snapshot);
    const place = placeOf(ctx.snapshot);
    const vpc = isVpcDomain(domain);
    const endpoints = endpointHosts(domain).map((h) => h.host);
    const accessOf = (statements: UnsignedStatement[]): UnsignedAccess => ({
      place,
      statements,
      vpc,
      endpoints,
      replacement: replacementOf(ctx, policy, statements),
    });
    const problems = [];

    if (cognitoEnabled(domain)) {
      const unsigned = unsignedDashboardsStatements(ctx.snapshot, policy);
      if (unsigned.length > 0) {
        problems.push({
          mode: 'login-page-bypassed-open-policy' as const,
          resource,
          data: accessOf(unsigned),
          evidence: { statements: evidenceOf(unsigned), fineGrainedAccessControl: false, vpc, endpoints },
        });
      }
    }

    const open = openStatements(ctx.snapshot, policy);
    if (open.length > 0) {
      problems.push({
        mode: vpc ? ('vpc-open-policy-no-fgac' as const) : ('access-policy-open-no-fgac' as const),
        resource,
        data: accessOf(open),
        evidence: {
          statements: evidenceOf(open),
          fineGrainedAccessControl: false,
          vpc,
          ...(vpc ? { vpcId: domain.VPCOptions?.VPCId ?? null, securityGroups: domain.VPCOptions?.SecurityGroupIds ?? [] } : {}),
          endpoints,
        },
      });
    }
    return problems;
  },
});
