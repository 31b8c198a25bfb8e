import {
  cognitoOptionsUpdate,
  defineCheck,
  domainArnOf,
  isIdentityPoolId,
  isUserPoolId,
  poolReadOutcome,
  regionOfPoolId,
  sh,
  placeOf,
  type CheckContext,
  type DomainPlace,
  type ModeMessages,
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
    list: (region: string) =>
      sh('aws', 'cognito-idp', 'list-user-pools', '--region', region, '--max-results', '60', '--query', 'UserPools[].[Id,Name]', '--output', 'text'),
  },
  identity: {
    id: 'identity-pool-not-found',
    label: 'identity pool',
    field: 'IdentityPoolId',
    operation: 'cognito-identity:DescribeIdentityPool',
    format: '<region>:<guid>, for example eu-west-1:5f0c7a3e-2b1d-4e8f-9a6c-3d7e1b2f4a90',
    list: (region: string) =>
      sh(
        'aws',
        'cognito-identity',
        'list-identity-pools',
        '--region',
        region,
        '--max-results',
        '60',
        '--query',
        'IdentityPools[].[IdentityPoolId,IdentityPoolName]',
        '--output',
        'text',
      ),
  },
} as const;

/** A pool CognitoOptions names that is not there: its id is not a pool id, or the read answered not found. */
interface PoolNotFound {
  /** The id CognitoOptions names; null when it names none. */
  poolId: string | null;
  /** Where the pool was looked for: the Region of its id, or the snapshot's when the id is malformed. */
  region: string;
  /** What the read answered; absent when the id is not a pool id. */
  code?: string;
  errorMessage?: string;
  CognitoOptions: { UserPoolId?: string; IdentityPoolId?: string; RoleArn?: string };
  place: DomainPlace;
}

function evidenceOf(kind: Kind, d: PoolNotFound): Record<string, unknown> {
  const pool = POOL[kind];
  return {
    [pool.field]: d.poolId,
    ...(d.code === undefined
      ? { expectedFormat: pool.format }
      : { region: d.region, operation: pool.operation, code: d.code, ...(d.errorMessage ? { errorMessage: d.errorMessage } : {}) }),
  };
}

function messagesOf(kind: Kind): ModeMessages<PoolNotFound> {
  const pool = POOL[kind];
  const placeholder = kind === 'user' ? '<user-pool-id>' : '<identity-pool-id>';
  return {
    message: (d) =>
      d.code === undefined
        ? `CognitoOptions.${pool.field} is ${JSON.stringify(d.poolId)}, which is not a ${pool.label} id (${pool.format}), so no ${pool.label} can be found.`
        : `The ${pool.label} ${d.poolId ?? '(none)'} that CognitoOptions.${pool.field} names does not exist in ${d.region} (${pool.operation} answered ${d.code}).`,
    fix: (d) => {
      const options = {
        Enabled: true,
        UserPoolId: kind === 'user' ? placeholder : d.CognitoOptions.UserPoolId,
        IdentityPoolId: kind === 'identity' ? placeholder : d.CognitoOptions.IdentityPoolId,
        RoleArn: d.CognitoOptions.RoleArn,
      };
      return {
        summary: `Find the right ${pool.label} (it must be in the same Region as the other pool, in this account) and point the domain's Cognito options at it (replace ${placeholder} in the command); this is a blue/green deployment. If the pool was deleted, re-create it and its settings first.`,
        steps: [
          `Amazon Cognito console → ${kind === 'user' ? 'User pools' : 'Identity pools'} (Region ${d.region}): note the id of the pool Dashboards should use.`,
          `OpenSearch Service console → Domains → ${d.place.domain.DomainName} → Security configuration → Edit → Amazon Cognito authentication: choose that ${pool.label}; Save.`,
        ],
        commands: [pool.list(d.region), cognitoOptionsUpdate(d.place, options)],
      };
    },
  };
}

function check(ctx: CheckContext, kind: Kind) {
  const pool = POOL[kind];
  const cognito = ctx.domain.CognitoOptions ?? {};
  const id = kind === 'user' ? cognito.UserPoolId : cognito.IdentityPoolId;
  const valid = (kind === 'user' ? isUserPoolId(id) : isIdentityPoolId(id)) ? id : undefined;
  let read: { code: string; errorMessage?: string } | undefined;
  if (valid !== undefined) {
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
    read = { code: outcome.code, ...(outcome.message ? { errorMessage: outcome.message } : {}) };
  }
  const data: PoolNotFound = {
    poolId: id ?? null,
    region: valid !== undefined ? regionOfPoolId(valid) : ctx.snapshot.region,
    ...read,
    CognitoOptions: { UserPoolId: cognito.UserPoolId, IdentityPoolId: cognito.IdentityPoolId, RoleArn: cognito.RoleArn },
    place: placeOf(ctx.snapshot),
  };
  return { mode: pool.id, resource: domainArnOf(ctx.snapshot), data, evidence: evidenceOf(kind, data) };
}

export default defineCheck({
  id: 'cognito-pools-exist',
  title: 'The user pool and identity pool named in the Cognito options exist',
  description:
    "CognitoOptions.UserPoolId and CognitoOptions.IdentityPoolId must be well-formed ids (`<region>_<id>`, `<region>:<guid>`) of pools that exist: the snapshot holds the DescribeUserPool / DescribeIdentityPool result, or records the call's ResourceNotFoundException in errors (each pool is read in the Region of its own id).",
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
  messages: {
    'user-pool-not-found': messagesOf('user'),
    'identity-pool-not-found': messagesOf('identity'),
  },
  run(ctx) {
    return (['user', 'identity'] as const).flatMap((kind) => check(ctx, kind) ?? []);
  },
});
