import { defineCheck, domainClientOf, optionalPart, userPoolArnOf, userPoolClientRoundTrip, type Fix } from '../src/check-kit.js';
import { IDP_NOT_ENABLED_ON_APP_CLIENT } from '../src/catalog/app-client-modes.js';

/**
 * The client offers no usable sign-in option (no `missing`), or it does but leaves out providers
 * configured in the pool (`missing`).
 */
interface ProvidersNotEnabled {
  userPoolId: string;
  clientName: string;
  clientId: string;
  SupportedIdentityProviders: string[];
  /** The pool's providers, when they were read (and, without `missing`, when there are any). */
  configuredProviders?: string[];
  missing?: string[];
}

function addProvidersFix(d: ProvidersNotEnabled, providers: string[], summary: string): Fix {
  return {
    summary,
    steps: [
      `Amazon Cognito console → User pools → ${d.userPoolId} → App integration → App clients → ${d.clientName} → Login pages → Edit.`,
      'Under Identity providers select Cognito user pool directory and every provider your users sign in with; Save.',
    ],
    commands: userPoolClientRoundTrip(d.userPoolId, d.clientId, '.SupportedIdentityProviders = ((.SupportedIdentityProviders // []) + $providers | unique)', {
      providers,
    }),
    iac: 'If IaC manages this service-created client, add supported_identity_providers to lifecycle.ignore_changes or list every provider there.',
  };
}

export default defineCheck({
  id: 'app-client-identity-providers',
  title: 'The OpenSearch app client offers a sign-in option and every identity provider of the pool',
  description:
    "On the OpenSearch app client (decision rule 6): SupportedIdentityProviders must name at least one usable provider: COGNITO (the pool's own users) or a provider configured in the pool. With the optional identity-provider descriptions (ListIdentityProviders / DescribeIdentityProvider), a listed name the pool no longer has is not usable, and each configured provider missing from SupportedIdentityProviders is reported: its users see no button for it.",
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool', 'identityProviders'],
  modes: [IDP_NOT_ENABLED_ON_APP_CLIENT],
  messages: {
    'idp-not-enabled-on-app-client': {
      message: (d: ProvidersNotEnabled) => {
        const { clientName: name, SupportedIdentityProviders: supported, missing } = d;
        if (missing) {
          return `The identity provider${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${d.userPoolId} ${missing.length > 1 ? 'are' : 'is'} not enabled on the app client ${name}, so ${missing.length > 1 ? 'their' : 'its'} users get no sign-in button for Dashboards.`;
        }
        return supported.length === 0
          ? `The app client ${name} has no identity provider in SupportedIdentityProviders, so its login page offers no way to sign in.`
          : `The app client ${name} lists only ${supported.join(', ')} in SupportedIdentityProviders, which ${supported.length === 1 ? 'is' : 'are'} not configured in ${d.userPoolId}, so its login page offers no way to sign in.`;
      },
      fix: (d: ProvidersNotEnabled) => {
        const { clientName: name, missing } = d;
        if (missing) {
          return addProvidersFix(
            d,
            missing,
            `Add ${missing.join(', ')} to SupportedIdentityProviders of ${name} (if ${missing.length > 1 ? 'they serve' : 'it serves'} Dashboards users), keeping every other client setting.`,
          );
        }
        const add = ['COGNITO', ...(d.configuredProviders ?? [])];
        return addProvidersFix(d, add, `Add ${add.join(', ')} to SupportedIdentityProviders of ${name}, keeping every other client setting.`);
      },
    },
  },
  run(ctx) {
    const client = domainClientOf(ctx);
    const userPoolId = ctx.domain.CognitoOptions?.UserPoolId;
    if (!client?.ClientId || !userPoolId) return []; // opensearch-app-client reports a missing client
    const name = client.ClientName ?? client.ClientId;
    const supported = client.SupportedIdentityProviders ?? [];
    const providers = optionalPart(ctx, ctx.snapshot.identityProviders, {
      operations: ['cognito-idp:ListIdentityProviders', 'cognito-idp:DescribeIdentityProvider'],
      resource: userPoolId,
      notCollected: `the identity providers of ${userPoolId} were not collected, so providers missing from the app client could not be checked: cognito-idp:ListIdentityProviders and cognito-idp:DescribeIdentityProvider would read them`,
    });
    const configured = providers
      ?.filter((p) => !p.UserPoolId || p.UserPoolId === userPoolId)
      .map((p) => p.ProviderName ?? '')
      .filter(Boolean);
    const usable = supported.filter((p) => p === 'COGNITO' || !configured || configured.includes(p));
    const missing = (configured ?? []).filter((p) => !supported.includes(p));
    let problem: ProvidersNotEnabled;
    if (usable.length === 0) {
      problem = {
        userPoolId,
        clientName: name,
        clientId: client.ClientId,
        SupportedIdentityProviders: supported,
        ...(configured && configured.length > 0 ? { configuredProviders: configured } : {}),
      };
    } else if (missing.length > 0) {
      problem = {
        userPoolId,
        clientName: name,
        clientId: client.ClientId,
        SupportedIdentityProviders: supported,
        configuredProviders: configured ?? [],
        missing,
      };
    } else {
      return [];
    }
    const { userPoolId: _userPoolId, clientName: _clientName, ...evidence } = problem;
    return [
      {
        mode: 'idp-not-enabled-on-app-client',
        // With some usable provider the others still sign in: only the missing providers' users are locked out.
        ...(problem.missing ? { severity: 'warning' as const } : {}),
        resource: userPoolArnOf(ctx.snapshot, userPoolId),
        data: problem,
        evidence,
      },
    ];
  },
});
