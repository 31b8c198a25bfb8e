import { OAUTH_FLOWS_NOT_ENABLED } from '../../src/catalog/app-client-modes.js';
import { userPoolClientRoundTrip } from '../../src/model/fixes.js';
import { regionOfPoolId } from '../../src/model/pools.js';
import { sh } from '../../src/model/shell.js';
import { defineClientCheck } from '../../src/engine/define.js';
import type { ClientContext, Flow } from '../../src/engine/client-context.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-app-idp-settings.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints-oauth-grants.html',
];

const USER_FLOWS: Flow[] = ['code', 'implicit'];

/** A second app client for the flow this one cannot take, built from this client's settings by a describe → jq → create round trip. */
function separateClient(ctx: ClientContext, flow: Flow): string[] {
  const { userPoolId, clientId } = ctx.reads;
  const region = regionOfPoolId(userPoolId);
  const edit =
    flow === 'client_credentials'
      ? '.ClientName = (.ClientName + "-machine") | .GenerateSecret = true | .AllowedOAuthFlows = ["client_credentials"] | .AllowedOAuthScopes = ((.AllowedOAuthScopes // []) | map(select(contains("/")))) | del(.CallbackURLs, .LogoutURLs, .DefaultRedirectURI, .SupportedIdentityProviders)'
      : `.ClientName = (.ClientName + "-users") | .AllowedOAuthFlows = [$flow] | .AllowedOAuthScopes = ((.AllowedOAuthScopes // []) | map(select(contains("/") | not)) + ["openid"] | unique)`;
  return [
    `${sh('aws', 'cognito-idp', 'describe-user-pool-client', '--region', region, '--user-pool-id', userPoolId, '--client-id', clientId, '--query', 'UserPoolClient')} > client.json`,
    `${sh('jq', '--argjson', 'flow', JSON.stringify(flow), `${edit} | del(.ClientId, .ClientSecret, .CreationDate, .LastModifiedDate)`, 'client.json')} > new-client.json`,
    sh('aws', 'cognito-idp', 'create-user-pool-client', '--region', region, '--cli-input-json', 'file://new-client.json'),
  ];
}

export default defineClientCheck({
  id: 'client-oauth-flow',
  title: 'The app client allows the OAuth flow the relying party uses, and no forbidden mix of flows',
  description:
    'AllowedOAuthFlowsUserPoolClient must be true and AllowedOAuthFlows must contain the --flow (code by default). client_credentials cannot share a client with code or implicit: Cognito refuses to save such a client, so a relying party that needs the other kind needs a second app client.',
  reads: ['userPoolClients'],
  modes: [
    OAUTH_FLOWS_NOT_ENABLED,
    {
      id: 'client-credentials-mixed-with-user-flows',
      severity: 'error',
      title: 'client_credentials and a user flow (code or implicit) on one app client',
      symptom: 'InvalidOAuthFlowException: client_credentials flow can not be selected if authorization code or implicit flow is selected.',
      cause: 'Cognito does not let one app client combine the machine-to-machine client_credentials grant with the code or implicit grant, so the flow the relying party needs cannot be added to this client.',
      fix: 'Use one app client per kind of flow: create a second app client for the other flow (the command copies this client\'s settings).',
      docs: DOCS,
    },
  ],
  run(ctx) {
    const client = ctx.client();
    const { userPoolId, clientId } = ctx.reads;
    const wanted = ctx.party.flow;
    const flows = client.AllowedOAuthFlows ?? [];
    const enabled = client.AllowedOAuthFlowsUserPoolClient === true;
    const hasUserFlow = flows.some((f) => USER_FLOWS.includes(f as Flow));
    const hasMachineFlow = flows.includes('client_credentials');
    const evidence = { clientId, wanted, AllowedOAuthFlows: flows, AllowedOAuthFlowsUserPoolClient: client.AllowedOAuthFlowsUserPoolClient ?? null };
    if (hasUserFlow && hasMachineFlow) {
      const other: Flow = wanted === 'client_credentials' ? 'code' : 'client_credentials';
      return [
        {
          id: 'client-credentials-mixed-with-user-flows',
          message: `The app client ${ctx.clientName} combines ${JSON.stringify(flows)}: Cognito refuses a client with client_credentials and code or implicit, so it cannot be saved as it is.`,
          resource: ctx.resource,
          evidence,
          fix: {
            summary: `Keep only ${wanted === 'client_credentials' ? 'client_credentials' : 'the user flows'} on ${ctx.clientName} and move the ${other === 'client_credentials' ? 'client_credentials' : 'user'} flow to a second app client.`,
            commands: userPoolClientRoundTrip(
              userPoolId,
              clientId,
              wanted === 'client_credentials' ? '.AllowedOAuthFlows = ["client_credentials"]' : '.AllowedOAuthFlows = ((.AllowedOAuthFlows // []) - ["client_credentials"])',
            ),
          },
        },
      ];
    }
    if (flows.includes(wanted) && enabled) return [];
    if (!flows.includes(wanted) && (wanted === 'client_credentials' ? hasUserFlow : hasMachineFlow)) {
      return [
        {
          id: 'client-credentials-mixed-with-user-flows',
          message: `The relying party uses ${wanted}, but the app client ${ctx.clientName} allows ${JSON.stringify(flows)}: Cognito refuses to add ${wanted} to it, so the relying party needs a separate app client.`,
          resource: ctx.resource,
          evidence,
          fix: {
            summary: `Create a second app client for ${wanted} from the settings of ${ctx.clientName}, and point the relying party at its client id${wanted === 'client_credentials' ? ' and secret' : ''}.`,
            steps: [`Amazon Cognito console → User pools → ${userPoolId} → App integration → App clients → Create app client (${wanted === 'client_credentials' ? 'Machine-to-machine application' : 'Traditional web application'}).`],
            commands: separateClient(ctx, wanted),
          },
        },
      ];
    }
    const problems = [enabled ? undefined : `AllowedOAuthFlowsUserPoolClient is ${client.AllowedOAuthFlowsUserPoolClient ?? 'unset'}`, flows.includes(wanted) ? undefined : `AllowedOAuthFlows is ${JSON.stringify(flows)}`].filter(Boolean);
    return [
      {
        id: 'oauth-flows-not-enabled',
        message: `The app client ${ctx.clientName} cannot use the ${wanted} flow the relying party starts: ${problems.join(' and ')}.`,
        resource: ctx.resource,
        evidence,
        fix: {
          summary: `Turn OAuth on for ${ctx.clientName} with the ${wanted} flow, keeping every other client setting.`,
          steps: [ctx.consoleSteps, `Under OAuth 2.0 grant types choose the ${wanted === 'code' ? 'Authorization code grant' : wanted === 'implicit' ? 'Implicit grant' : 'Client credentials'}; Save.`],
          commands: userPoolClientRoundTrip(userPoolId, clientId, '.AllowedOAuthFlowsUserPoolClient = true | .AllowedOAuthFlows = ((.AllowedOAuthFlows // []) + [$flow] | unique)', { flow: wanted }),
        },
      },
    ];
  },
});
