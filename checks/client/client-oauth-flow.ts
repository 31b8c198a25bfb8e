import { OAUTH_FLOWS_NOT_ENABLED } from '../../src/catalog/app-client-modes.js';
import { userPoolClientRoundTrip } from '../../src/model/fixes.js';
import { regionOfPoolId } from '../../src/model/pools.js';
import { sh } from '../../src/model/shell.js';
import { defineClientCheck } from '../../src/engine/define.js';
import { consoleStepsOf, type ClientRef, type Flow } from '../../src/engine/client-context.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-app-idp-settings.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints-oauth-grants.html',
];

const USER_FLOWS: Flow[] = ['code', 'implicit'];

/** A second app client for the flow this one cannot take, built from this client's settings by a describe → jq → create round trip. */
function separateClient({ userPoolId, clientId }: ClientRef, flow: Flow): string[] {
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

/** The flows of the app client and the one the relying party uses; `combined`: the client holds both kinds already. */
interface FlowProblem extends ClientRef {
  wanted: Flow;
  AllowedOAuthFlows: string[];
  AllowedOAuthFlowsUserPoolClient?: boolean;
  combined: boolean;
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
      cause:
        'Cognito does not let one app client combine the machine-to-machine client_credentials grant with the code or implicit grant, so the flow the relying party needs cannot be added to this client.',
      fix: "Use one app client per kind of flow: create a second app client for the other flow (the command copies this client's settings).",
      docs: DOCS,
    },
  ],
  messages: {
    'client-credentials-mixed-with-user-flows': {
      message: (d: FlowProblem) =>
        d.combined
          ? `The app client ${d.clientName} combines ${JSON.stringify(d.AllowedOAuthFlows)}: Cognito refuses a client with client_credentials and code or implicit, so it cannot be saved as it is.`
          : `The relying party uses ${d.wanted}, but the app client ${d.clientName} allows ${JSON.stringify(d.AllowedOAuthFlows)}: Cognito refuses to add ${d.wanted} to it, so the relying party needs a separate app client.`,
      fix: (d: FlowProblem) => {
        const machine = d.wanted === 'client_credentials';
        if (d.combined) {
          return {
            summary: `Keep only ${machine ? 'client_credentials' : 'the user flows'} on ${d.clientName} and move the ${machine ? 'user' : 'client_credentials'} flow to a second app client.`,
            commands: userPoolClientRoundTrip(
              d.userPoolId,
              d.clientId,
              machine ? '.AllowedOAuthFlows = ["client_credentials"]' : '.AllowedOAuthFlows = ((.AllowedOAuthFlows // []) - ["client_credentials"])',
            ),
          };
        }
        return {
          summary: `Create a second app client for ${d.wanted} from the settings of ${d.clientName}, and point the relying party at its client id${machine ? ' and secret' : ''}.`,
          steps: [
            `Amazon Cognito console → User pools → ${d.userPoolId} → App integration → App clients → Create app client (${machine ? 'Machine-to-machine application' : 'Traditional web application'}).`,
          ],
          commands: separateClient(d, d.wanted),
        };
      },
    },
    'oauth-flows-not-enabled': {
      message: (d: FlowProblem) => {
        const problems = [
          d.AllowedOAuthFlowsUserPoolClient === true ? undefined : `AllowedOAuthFlowsUserPoolClient is ${d.AllowedOAuthFlowsUserPoolClient ?? 'unset'}`,
          d.AllowedOAuthFlows.includes(d.wanted) ? undefined : `AllowedOAuthFlows is ${JSON.stringify(d.AllowedOAuthFlows)}`,
        ].filter(Boolean);
        return `The app client ${d.clientName} cannot use the ${d.wanted} flow the relying party starts: ${problems.join(' and ')}.`;
      },
      fix: (d: FlowProblem) => ({
        summary: `Turn OAuth on for ${d.clientName} with the ${d.wanted} flow, keeping every other client setting.`,
        steps: [
          consoleStepsOf(d),
          `Under OAuth 2.0 grant types choose the ${d.wanted === 'code' ? 'Authorization code grant' : d.wanted === 'implicit' ? 'Implicit grant' : 'Client credentials'}; Save.`,
        ],
        commands: userPoolClientRoundTrip(
          d.userPoolId,
          d.clientId,
          '.AllowedOAuthFlowsUserPoolClient = true | .AllowedOAuthFlows = ((.AllowedOAuthFlows // []) + [$flow] | unique)',
          { flow: d.wanted },
        ),
      }),
    },
  },
  run(ctx) {
    const client = ctx.client();
    const { clientId } = ctx.reads;
    const wanted = ctx.party.flow;
    const flows = client.AllowedOAuthFlows ?? [];
    const enabled = client.AllowedOAuthFlowsUserPoolClient === true;
    const hasUserFlow = flows.some((f) => USER_FLOWS.includes(f as Flow));
    const hasMachineFlow = flows.includes('client_credentials');
    const evidence = { clientId, wanted, AllowedOAuthFlows: flows, AllowedOAuthFlowsUserPoolClient: client.AllowedOAuthFlowsUserPoolClient ?? null };
    const data = (combined: boolean): FlowProblem => ({
      ...ctx.ref,
      wanted,
      AllowedOAuthFlows: flows,
      AllowedOAuthFlowsUserPoolClient: client.AllowedOAuthFlowsUserPoolClient,
      combined,
    });
    if (hasUserFlow && hasMachineFlow) return [{ mode: 'client-credentials-mixed-with-user-flows', resource: ctx.resource, data: data(true), evidence }];
    if (flows.includes(wanted) && enabled) return [];
    if (!flows.includes(wanted) && (wanted === 'client_credentials' ? hasUserFlow : hasMachineFlow)) {
      return [{ mode: 'client-credentials-mixed-with-user-flows', resource: ctx.resource, data: data(false), evidence }];
    }
    return [{ mode: 'oauth-flows-not-enabled', resource: ctx.resource, data: data(false), evidence }];
  },
});
