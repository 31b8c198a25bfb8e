import type { RoleMapping } from '@aws-sdk/client-cognito-identity';
import {
  defineCheck,
  identityPoolArnOf,
  identityPoolRolesRoundTrip,
  openSearchClientIdOrGap,
  roleMappingKeyOf,
  userPoolArnOf,
  type MessagesOf,
  type ProblemOf,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html',
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
];

/** A pre token generation trigger whose role claims the OpenSearch provider's mapping (absent, or not Token) ignores. */
interface UnmappedTriggerRoles {
  userPoolId: string;
  identityPoolId: string;
  domainName: string;
  openSearchClientId: string;
  openSearchKey: string;
  mapping: RoleMapping | null;
  preTokenGenerationLambda: string;
}

const messages = {
  'pre-token-trigger-without-token-mapping': {
    message: (d: UnmappedTriggerRoles) =>
      d.mapping
        ? `User pool ${d.userPoolId} runs the pre token generation Lambda ${d.preTokenGenerationLambda}, but the role mapping of ${d.openSearchKey} is Type ${d.mapping.Type}, so cognito:preferred_role and cognito:roles from the Lambda are ignored.`
        : `User pool ${d.userPoolId} runs the pre token generation Lambda ${d.preTokenGenerationLambda}, but identity pool ${d.identityPoolId} has no role mapping for ${d.openSearchKey}, so any cognito:preferred_role or cognito:roles the Lambda sets is ignored and users get the default authenticated role.`,
    fix: (d: UnmappedTriggerRoles) => ({
      summary: `Set the role mapping of ${d.openSearchKey} to Type Token ("Choose role from token"), keeping every other mapping and the roles; each role the Lambda sets must trust identity pool ${d.identityPoolId} and be mapped in FGAC.`,
      steps: [
        `Amazon Cognito console → Identity pools → ${d.identityPoolId} → User access → the user pool provider with app client ${d.openSearchClientId} → Edit.`,
        'Role settings: Choose role from token; Role resolution: Use default authenticated role (or Deny), then Save.',
        `Check one user: cogdoctor trace ${d.domainName} --claims claims.json, with the cognito:preferred_role the Lambda sets.`,
      ],
      commands: identityPoolRolesRoundTrip(
        d.identityPoolId,
        '.RoleMappings = ((.RoleMappings // {}) | .[$key] = ((.[$key] // {AmbiguousRoleResolution: "AuthenticatedRole"}) | .Type = "Token" | del(.RulesConfiguration)))',
        { key: d.openSearchKey },
      ),
    }),
  },
} satisfies MessagesOf;

export default defineCheck({
  id: 'pre-token-trigger-mapping',
  title: 'Roles a pre token generation Lambda sets reach the identity pool',
  description:
    "When the user pool has a pre token generation Lambda trigger (UserPool.LambdaConfig.PreTokenGeneration, or LambdaConfig.PreTokenGenerationConfig.LambdaArn), the roles it puts in cognito:preferred_role / cognito:roles only take effect when the identity pool's RoleMappings entry for the OpenSearch provider key cognito-idp.<region>.amazonaws.com/<UserPoolId>:<OpenSearch client id> is Type Token. Reports the trigger without such a mapping; quiet with a Token mapping or without a trigger. " +
    'What the Lambda sets cannot be read from configuration, so the finding is a warning: a trigger that only adds other claims loses nothing. The roles it sets must also trust the identity pool and be mapped in FGAC; `cogdoctor trace --claims` with the claims the Lambda produces checks that for one user.',
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool', 'identityPoolRoles'],
  modes: [
    {
      id: 'pre-token-trigger-without-token-mapping',
      severity: 'warning',
      title: 'A pre token generation Lambda sets roles the identity pool ignores',
      symptom:
        'Users land in Dashboards with the default authenticated role (often "Missing Role") instead of the role the pre token generation Lambda put in their token.',
      cause:
        'A pre token generation trigger can set cognito:preferred_role and cognito:roles for custom role mapping, but the identity pool reads those claims only with "Choose role from token" (RoleMappings Type Token) for the OpenSearch provider. With no mapping, or Rules, the claims are ignored. Whether the Lambda sets role claims at all is not visible in configuration.',
      fix: 'Set the role mapping of the OpenSearch provider to Type Token, keeping every other mapping; make sure each role the Lambda sets trusts the identity pool and is mapped in FGAC.',
      docs: DOCS,
      inferred: true,
    },
  ],
  messages,
  run(ctx): ProblemOf<typeof messages>[] {
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    const identityPoolId = ctx.domain.CognitoOptions?.IdentityPoolId;
    if (!userPoolId || !identityPoolId) return [];
    const lambda = ctx.userPool().LambdaConfig;
    const trigger = lambda?.PreTokenGenerationConfig?.LambdaArn ?? lambda?.PreTokenGeneration;
    if (!trigger) return [];
    const mappings = ctx.identityPoolRoles().RoleMappings ?? {};
    const clientId = openSearchClientIdOrGap(ctx);
    if (!clientId) return []; // a missing client is opensearch-app-client-deleted-or-bypassed
    const key = roleMappingKeyOf(userPoolId, clientId);
    const mapping = mappings[key];
    if (mapping?.Type === 'Token') return [];
    return [
      {
        mode: 'pre-token-trigger-without-token-mapping',
        resource: identityPoolArnOf(ctx.snapshot, identityPoolId),
        data: {
          userPoolId,
          identityPoolId,
          domainName: ctx.domain.DomainName,
          openSearchClientId: clientId,
          openSearchKey: key,
          mapping: mapping ?? null,
          preTokenGenerationLambda: trigger,
        },
        evidence: {
          userPool: userPoolArnOf(ctx.snapshot, userPoolId),
          preTokenGenerationLambda: trigger,
          ...(lambda?.PreTokenGenerationConfig?.LambdaVersion ? { lambdaVersion: lambda.PreTokenGenerationConfig.LambdaVersion } : {}),
          openSearchKey: key,
          mapping: mapping ?? null,
          note: 'what the Lambda sets is not visible in configuration: if it sets no role claims, nothing is lost',
        },
      },
    ];
  },
});
