import {
  cognitoOptionsUpdate,
  defineCheck,
  domainArnOf,
  isIdentityPoolId,
  isUserPoolId,
  poolReadOutcome,
  regionOfPoolId,
  sh,
  type CheckContext,
  type FindingInput,
} from '../src/check-kit.js';

const DOCS = ['https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html'];

type Kind = 'user' | 'identity';

const POOL = {
  user: {
    id: 'user-pool-not-found',
    label: 'user pool',
    field: 'UserPoolId',
    operation: 'cognito-idp:DescribeUserPool',
    format: '<region>_<id>, for example eu-west-1_Xk2LmQp7A',
    list: (region: string) => sh('aws', 'cognito-idp', 'list-user-pools', '--region', region, '--max-results', '60', '--query', 'UserPools[].[Id,Name]', '--output', 'text'),
  },
  identity: {
    id: 'identity-pool-not-found',
    label: 'identity pool',
    field: 'IdentityPoolId',
    operation: 'cognito-identity:DescribeIdentityPool',
    format: '<region>:<guid>, for example eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90',
    list: (region: string) => sh('aws', 'cognito-identity', 'list-identity-pools', '--region', region, '--max-results', '60', '--query', 'IdentityPools[].[IdentityPoolId,IdentityPoolName]', '--output', 'text'),
  },
} as const;

function check(ctx: CheckContext, kind: Kind): FindingInput | undefined {
  const pool = POOL[kind];
  const cognito = ctx.domain.CognitoOptions ?? {};
  const id = kind === 'user' ? cognito.UserPoolId : cognito.IdentityPoolId;
  const valid = (kind === 'user' ? isUserPoolId(id) : isIdentityPoolId(id)) ? id : undefined;
  let reason: { malformed: true } | { malformed: false; code: string; message?: string };
  if (valid === undefined) {
    reason = { malformed: true };
  } else {
    if (kind === 'user' ? ctx.snapshot.userPool : ctx.snapshot.identityPool) return undefined;
    const outcome = poolReadOutcome(ctx, pool.operation, valid);
    if (outcome.state === 'unreadable') {
      ctx.note(outcome.gap);
      return undefined;
    }
    if (outcome.state === 'missing') {
      ctx.note({ kind: 'unknown', reason: `${pool.label} ${valid} is missing from the snapshot: ${pool.operation} would read it`, permission: pool.operation });
      return undefined;
    }
    reason = { malformed: false, code: outcome.code, ...(outcome.message ? { message: outcome.message } : {}) };
  }
  const shown = id ?? '(none)';
  const region = valid !== undefined ? regionOfPoolId(valid) : ctx.snapshot.region;
  const placeholder = kind === 'user' ? '<user-pool-id>' : '<identity-pool-id>';
  const options = {
    Enabled: true,
    UserPoolId: kind === 'user' ? placeholder : cognito.UserPoolId,
    IdentityPoolId: kind === 'identity' ? placeholder : cognito.IdentityPoolId,
    RoleArn: cognito.RoleArn,
  };
  return {
    id: pool.id,
    message: reason.malformed
      ? `CognitoOptions.${pool.field} is ${JSON.stringify(id ?? null)}, which is not a ${pool.label} id (${pool.format}), so no ${pool.label} can be found.`
      : `The ${pool.label} ${shown} that CognitoOptions.${pool.field} names does not exist in ${region} (${pool.operation} answered ${reason.code}).`,
    resource: domainArnOf(ctx.snapshot),
    evidence: {
      [pool.field]: id ?? null,
      ...(reason.malformed ? { expectedFormat: pool.format } : { region, operation: pool.operation, code: reason.code, ...(reason.message ? { errorMessage: reason.message } : {}) }),
    },
    fix: {
      summary: `Find the right ${pool.label} (it must be in the same Region as the other pool, in this account) and point the domain's Cognito options at it (replace ${placeholder} in the command); this is a blue/green deployment. If the pool was deleted, re-create it and its settings first.`,
      steps: [
        `Amazon Cognito console → ${kind === 'user' ? 'User pools' : 'Identity pools'} (Region ${region}): note the id of the pool Dashboards should use.`,
        `OpenSearch Service console → Domains → ${ctx.domain.DomainName} → Security configuration → Edit → Amazon Cognito authentication: choose that ${pool.label}; Save.`,
      ],
      commands: [pool.list(region), cognitoOptionsUpdate(ctx.snapshot, options)],
    },
  };
}

export default defineCheck({
  id: 'cognito-pools-exist',
  title: 'The user pool and identity pool named in the Cognito options exist',
  description:
    'CognitoOptions.UserPoolId and CognitoOptions.IdentityPoolId must be well-formed ids (`<region>_<id>`, `<region>:<guid>`) of pools that exist: the snapshot holds the DescribeUserPool / DescribeIdentityPool result, or records the call\'s ResourceNotFoundException in errors (each pool is read in the Region of its own id).',
  reads: ['domain', 'userPool', 'identityPool'],
  modes: [
    {
      id: 'user-pool-not-found',
      severity: 'error',
      title: 'The user pool named in the Cognito options does not exist',
      symptom: 'ValidationException ... User pool does not exist',
      cause: 'A wrong user pool id, a deleted pool, or a pool in another Region or account.',
      fix: 'Point CognitoOptions.UserPoolId at an existing user pool (update-domain-config --cognito-options).',
      docs: DOCS,
    },
    {
      id: 'identity-pool-not-found',
      severity: 'error',
      title: 'The identity pool named in the Cognito options does not exist',
      symptom: 'ValidationException ... IdentityPool not found',
      cause: 'A wrong identity pool id, a deleted pool, or a pool in another Region or account.',
      fix: 'Point CognitoOptions.IdentityPoolId at an existing identity pool (update-domain-config --cognito-options).',
      docs: DOCS,
    },
  ],
  run(ctx) {
    return (['user', 'identity'] as const).flatMap((kind) => check(ctx, kind) ?? []);
  },
});
