import {
  defineCheck,
  domainClientMatch,
  cognitoReenable,
  domainRegionOf,
  extraCallbacks,
  hasClientSecret,
  requireWellFormedUserPoolId,
  userPoolArnOf,
  userPoolClientRoundTrip,
  type CallbackConcern,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html',
];

/** The service's client allows the implicit flow next to code, or callbacks beyond the domain's. */
interface ExtraFlows {
  userPoolId: string;
  clientId: string;
  clientName: string;
  AllowedOAuthFlows: string[];
  CallbackURLs: string[];
  implicit: boolean;
  extraCallbacks: CallbackConcern[];
}

/** The service's client has no ClientSecret: it was re-created as a public client. */
interface NoClientSecret {
  userPoolId: string;
  clientId: string;
  ClientName: string | null;
  domainName: string;
  /** The domain's region, for the update-domain-config commands. */
  domainRegion: string;
  /** The domain's CognitoOptions, given again when Cognito is turned back on. */
  IdentityPoolId?: string;
  RoleArn?: string;
}

export default defineCheck({
  id: 'opensearch-client-posture',
  title: 'The OpenSearch app client allows only what Dashboards needs, and keeps its secret',
  description:
    'On the app client OpenSearch Service created (decision rule 6, found by its name): AllowedOAuthFlows should hold only "code" (an "implicit" next to it hands tokens to the browser; a client without "code" is oauth-flows-not-enabled instead), and CallbackURLs only the domain\'s endpoints or a proxy in front of Dashboards (a URL on another host whose path is /_dashboards… or /_plugin/kibana…): loopback URLs (http://localhost…) and pages of other applications make the client usable by other apps, whose tokens the identity pool accepts for the Dashboards role (inferred risk, so a warning; plain-HTTP URLs are http-callback-rejected). The service creates a confidential client: DescribeUserPoolClient returns ClientSecret (snapshots keep the key, redacted), and a client without it was re-created or replaced by hand. Secrets on other clients are not judged: which of them serve browser apps is not in the configuration.',
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool'],
  modes: [
    {
      id: 'opensearch-client-extra-flows',
      severity: 'warning',
      inferred: true,
      title: 'The OpenSearch app client allows more than the code flow to the domain',
      symptom:
        "Other applications (or a developer's localhost) can sign users in through the Dashboards app client and receive tokens the identity pool accepts for the Dashboards role.",
      cause:
        'The service only needs the authorization code flow and callbacks on the domain\'s own endpoints. Hand-written configurations add "implicit" or extra callback URLs, often to reuse the client for another app or for local testing.',
      fix: 'Remove the implicit flow and the extra callback URLs with a describe → edit → update round trip; give other apps their own client.',
      docs: DOCS,
    },
    {
      id: 'client-secret-placement',
      severity: 'warning',
      title: 'The OpenSearch app client has no client secret',
      symptom: 'The Dashboards app client works without a secret: anyone who knows its client id (it is in every login URL) can run the sign-in flows with it.',
      cause:
        "OpenSearch Service creates a confidential client and stores its secret; a client without a secret under the service's name was re-created by hand or by IaC (for example Terraform replacing it with generate_secret = false), and is not the client the service created.",
      fix: 'Let the service re-create its own client (turn Cognito authentication off and on), and stop IaC from managing it.',
      docs: DOCS,
    },
  ],
  messages: {
    'opensearch-client-extra-flows': {
      message: (d: ExtraFlows) => {
        const listed = (kind: CallbackConcern['kind']) => d.extraCallbacks.filter((c) => c.kind === kind).map((c) => c.url);
        const problems = [
          d.implicit ? 'the implicit flow' : undefined,
          listed('loopback').length > 0 ? `loopback callback URLs (${listed('loopback').join(', ')})` : undefined,
          listed('other-app').length > 0 ? `callback URLs of other applications (${listed('other-app').join(', ')})` : undefined,
        ].filter(Boolean);
        return `The OpenSearch app client ${d.clientName} allows ${problems.join(' and ')}, beyond the code flow to the domain that Dashboards needs.`;
      },
      fix: (d: ExtraFlows) => {
        const urls = d.extraCallbacks.map((c) => c.url);
        return {
          summary: `Keep only the code flow and the Dashboards callback URLs on ${d.clientName} (the URLs leave LogoutURLs too), keeping every other client setting; give other applications their own app client.`,
          steps: [
            `Amazon Cognito console → User pools → ${d.userPoolId} → App integration → App clients → ${d.clientName} → Login pages → Edit.`,
            `${d.implicit ? 'Under OAuth 2.0 grant types clear "Implicit grant". ' : ''}${urls.length > 0 ? `Remove ${urls.join(', ')} from Allowed callback URLs and Allowed sign-out URLs. ` : ''}Save.`,
          ],
          commands: userPoolClientRoundTrip(
            d.userPoolId,
            d.clientId,
            '.AllowedOAuthFlows = ((.AllowedOAuthFlows // []) - $flows) | .CallbackURLs = ((.CallbackURLs // []) - $urls) | .LogoutURLs = ((.LogoutURLs // []) - $urls)',
            { flows: d.implicit ? ['implicit'] : [], urls },
          ),
          iac: 'If IaC manages this service-created client, remove the extra flows and URLs there (or stop managing the client), or the next apply puts them back.',
        };
      },
    },
    'client-secret-placement': {
      message: (d: NoClientSecret) =>
        `The OpenSearch app client ${d.ClientName ?? d.clientId} (${d.clientId}) has no client secret (DescribeUserPoolClient returned no ClientSecret), so it is not the confidential client OpenSearch Service creates.`,
      fix: (d: NoClientSecret) => {
        const reenable = cognitoReenable(d);
        return {
          summary:
            'Make OpenSearch Service re-create its confidential client: turn Cognito authentication off and on again (two blue/green deployments; wait until Processing is false in between); a secret cannot be added to a public client. Then re-point role mappings at the new client id and stop IaC from managing the client.',
          ...reenable,
          iac: 'If Terraform manages the client, generate_secret = false replaces it with a public client: remove the resource from the configuration (the service owns the client) or set generate_secret = true and ignore_changes.',
        };
      },
    },
  },
  run(ctx) {
    const userPoolId = requireWellFormedUserPoolId(ctx);
    const match = domainClientMatch(ctx);
    // A hand-made client found by its callbacks is opensearch-app-client's finding, not a posture question.
    if (!match?.client.ClientId || match.by !== 'name') return [];
    const client = match.client;
    const clientId = client.ClientId!;
    const name = client.ClientName ?? clientId;
    const resource = userPoolArnOf(ctx.snapshot, userPoolId);
    const flows = client.AllowedOAuthFlows ?? [];
    // Without "code" the login fails: oauth-flows-not-enabled reports the flows.
    const implicit = flows.includes('implicit') && flows.includes('code');
    const extra = extraCallbacks(client, ctx.snapshot);
    const cognito = ctx.domain.CognitoOptions ?? {};
    return [
      ...(implicit || extra.length > 0
        ? [
            {
              mode: 'opensearch-client-extra-flows' as const,
              resource,
              data: {
                userPoolId,
                clientId,
                clientName: name,
                AllowedOAuthFlows: flows,
                CallbackURLs: client.CallbackURLs ?? [],
                implicit,
                extraCallbacks: extra,
              },
              evidence: { clientId, AllowedOAuthFlows: flows, CallbackURLs: client.CallbackURLs ?? [], implicit, extraCallbacks: extra },
            },
          ]
        : []),
      ...(!hasClientSecret(client)
        ? [
            {
              mode: 'client-secret-placement' as const,
              resource,
              data: {
                userPoolId,
                clientId,
                ClientName: client.ClientName ?? null,
                domainName: ctx.domain.DomainName,
                domainRegion: domainRegionOf(ctx.snapshot),
                ...(cognito.IdentityPoolId ? { IdentityPoolId: cognito.IdentityPoolId } : {}),
                ...(cognito.RoleArn ? { RoleArn: cognito.RoleArn } : {}),
              },
              evidence: {
                clientId,
                ClientName: client.ClientName ?? null,
                ClientSecret: 'absent',
                expected: 'a client secret (the service creates a confidential client)',
              },
            },
          ]
        : []),
    ];
  },
});
