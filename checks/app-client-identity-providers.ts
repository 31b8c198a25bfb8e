import {
  defineCheck,
  domainClientOf,
  optionalPart,
  userPoolArnOf,
  userPoolClientRoundTrip,
  type FindingInput,
} from '../src/check-kit.js';
import { IDP_NOT_ENABLED_ON_APP_CLIENT } from '../src/catalog/app-client-modes.js';

export default defineCheck({
  id: 'app-client-identity-providers',
  title: 'The OpenSearch app client offers a sign-in option and every identity provider of the pool',
  description:
    'On the OpenSearch app client (decision rule 6): SupportedIdentityProviders must name at least one usable provider: COGNITO (the pool\'s own users) or a provider configured in the pool. With the optional identity-provider descriptions (ListIdentityProviders / DescribeIdentityProvider), a listed name the pool no longer has is not usable, and each configured provider missing from SupportedIdentityProviders is reported: its users see no button for it.',
  reads: ['domain', 'userPoolClients', 'identityProviders'],
  modes: [
    IDP_NOT_ENABLED_ON_APP_CLIENT,
  ],
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
    const resource = userPoolArnOf(ctx.snapshot, userPoolId);
    const steps = [
      `Amazon Cognito console → User pools → ${userPoolId} → App integration → App clients → ${name} → Login pages → Edit.`,
      'Under Identity providers select Cognito user pool directory and every provider your users sign in with; Save.',
    ];
    const findings: FindingInput[] = [];
    if (usable.length === 0) {
      const add = configured && configured.length > 0 ? ['COGNITO', ...configured] : ['COGNITO'];
      findings.push({
        id: 'idp-not-enabled-on-app-client',
        message:
          supported.length === 0
            ? `The app client ${name} has no identity provider in SupportedIdentityProviders, so its login page offers no way to sign in.`
            : `The app client ${name} lists only ${supported.join(', ')} in SupportedIdentityProviders, which ${supported.length === 1 ? 'is' : 'are'} not configured in ${userPoolId}, so its login page offers no way to sign in.`,
        resource,
        evidence: { clientId: client.ClientId, SupportedIdentityProviders: supported, ...(configured && configured.length > 0 ? { configuredProviders: configured } : {}) },
        fix: {
          summary: `Add ${add.join(', ')} to SupportedIdentityProviders of ${name}, keeping every other client setting.`,
          steps,
          commands: userPoolClientRoundTrip(userPoolId, client.ClientId, '.SupportedIdentityProviders = ((.SupportedIdentityProviders // []) + $providers | unique)', { providers: add }),
          iac: 'If IaC manages this service-created client, add supported_identity_providers to lifecycle.ignore_changes or list every provider there.',
        },
      });
      return findings;
    }
    const missing = (configured ?? []).filter((p) => !supported.includes(p));
    if (missing.length > 0) {
      findings.push({
        id: 'idp-not-enabled-on-app-client',
        // The others still sign in: only this provider's users are locked out.
        severity: 'warning',
        message: `The identity provider${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${userPoolId} ${missing.length > 1 ? 'are' : 'is'} not enabled on the app client ${name}, so ${missing.length > 1 ? 'their' : 'its'} users get no sign-in button for Dashboards.`,
        resource,
        evidence: { clientId: client.ClientId, SupportedIdentityProviders: supported, configuredProviders: configured, missing },
        fix: {
          summary: `Add ${missing.join(', ')} to SupportedIdentityProviders of ${name} (if ${missing.length > 1 ? 'they serve' : 'it serves'} Dashboards users), keeping every other client setting.`,
          steps,
          commands: userPoolClientRoundTrip(userPoolId, client.ClientId, '.SupportedIdentityProviders = ((.SupportedIdentityProviders // []) + $providers | unique)', { providers: missing }),
          iac: 'If IaC manages this service-created client, add supported_identity_providers to lifecycle.ignore_changes or list every provider there.',
        },
      });
    }
    return findings;
  },
});
