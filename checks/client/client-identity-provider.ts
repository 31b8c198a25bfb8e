import { userPoolClientRoundTrip } from '../../src/model/fixes.js';
import { optionalPart } from '../../src/model/client.js';
import { DataGap } from '../../src/engine/context.js';
import { defineClientCheck } from '../../src/engine/define.js';
import { IDP_NOT_ENABLED_ON_APP_CLIENT } from '../../src/catalog/app-client-modes.js';

export default defineClientCheck({
  id: 'client-identity-provider',
  title: 'The app client offers the identity provider users sign in with',
  description:
    'SupportedIdentityProviders must not be empty for the code and implicit flows, and must name --identity-provider when given; with ListIdentityProviders read (only when --identity-provider is given), a provider other than COGNITO must also exist in the user pool.',
  reads: ['userPoolClients', 'identityProviders'],
  modes: [
    IDP_NOT_ENABLED_ON_APP_CLIENT,
  ],
  run(ctx) {
    if (ctx.party.flow === 'client_credentials') throw new DataGap({ kind: 'not-applicable', reason: 'client_credentials signs in no user' });
    const client = ctx.client();
    const { userPoolId, clientId } = ctx.reads;
    const supported = client.SupportedIdentityProviders ?? [];
    const wanted = ctx.party.identityProvider;
    const add = (providers: string[]) => userPoolClientRoundTrip(userPoolId, clientId, '.SupportedIdentityProviders = ((.SupportedIdentityProviders // []) + $providers | unique)', { providers });
    const steps = [ctx.consoleSteps, 'Under Identity providers select the providers users sign in with; Save.'];
    if (!wanted) {
      if (supported.length > 0) return [];
      return [
        {
          id: 'idp-not-enabled-on-app-client',
          message: `The app client ${ctx.clientName} has no identity provider in SupportedIdentityProviders, so its login page offers no way to sign in.`,
          resource: ctx.resource,
          evidence: { clientId, SupportedIdentityProviders: supported },
          fix: { summary: `Add COGNITO (or the provider users sign in with) to SupportedIdentityProviders of ${ctx.clientName}, keeping every other client setting.`, steps, commands: add(['COGNITO']) },
        },
      ];
    }
    const providers =
      wanted === 'COGNITO'
        ? undefined
        : optionalPart(ctx, ctx.reads.identityProviders, {
            operations: ['cognito-idp:ListIdentityProviders', 'cognito-idp:DescribeIdentityProvider'],
            resource: userPoolId,
            notCollected: `the identity providers of ${userPoolId} were not read, so whether ${wanted} exists in the pool was not checked: cognito-idp:ListIdentityProviders would read them`,
          });
    const configured = providers?.map((p) => p.ProviderName ?? '').filter(Boolean);
    const exists = wanted === 'COGNITO' || !configured ? undefined : configured.includes(wanted);
    if (supported.includes(wanted) && exists !== false) return [];
    const missingFromPool = exists === false ? ` and ${userPoolId} has no identity provider ${wanted} (it has ${configured!.length ? configured!.join(', ') : 'none'})` : '';
    return [
      {
        id: 'idp-not-enabled-on-app-client',
        message: supported.includes(wanted)
          ? `The app client ${ctx.clientName} lists ${wanted} in SupportedIdentityProviders, but ${userPoolId} has no such identity provider (it has ${configured!.length ? configured!.join(', ') : 'none'}).`
          : `The app client ${ctx.clientName} does not list ${wanted} in SupportedIdentityProviders (${JSON.stringify(supported)})${missingFromPool}.`,
        resource: ctx.resource,
        evidence: { clientId, identityProvider: wanted, SupportedIdentityProviders: supported, ...(configured ? { configuredProviders: configured } : {}) },
        fix: {
          summary:
            exists === false
              ? `Create the identity provider ${wanted} in ${userPoolId} (create-identity-provider), then add it to SupportedIdentityProviders of ${ctx.clientName}.`
              : `Add ${wanted} to SupportedIdentityProviders of ${ctx.clientName}, keeping every other client setting.`,
          steps,
          ...(exists === false ? {} : { commands: add([wanted]) }),
        },
      },
    ];
  },
});
