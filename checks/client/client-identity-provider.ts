import { userPoolClientRoundTrip } from '../../src/model/fixes.js';
import { optionalPart } from '../../src/model/client.js';
import { DataGap } from '../../src/check-kit.js';
import { defineClientCheck } from '../../src/engine/define.js';
import { consoleStepsOf, type ClientRef } from '../../src/engine/client-context.js';
import { IDP_NOT_ENABLED_ON_APP_CLIENT } from '../../src/catalog/app-client-modes.js';

/** What the app client lists, the provider the relying party names (if any) and, when read, the pool's providers. */
interface ProviderProblem extends ClientRef {
  SupportedIdentityProviders: string[];
  identityProvider?: string;
  configuredProviders?: string[];
}

const stepsOf = (d: ClientRef) => [consoleStepsOf(d), 'Under Identity providers select the providers users sign in with; Save.'];
const addProviders = (d: ClientRef, providers: string[]) =>
  userPoolClientRoundTrip(d.userPoolId, d.clientId, '.SupportedIdentityProviders = ((.SupportedIdentityProviders // []) + $providers | unique)', { providers });
/** The pool lacks the named provider (known only when its providers were read). */
const missingFromPool = (d: ProviderProblem) =>
  d.identityProvider !== undefined &&
  d.identityProvider !== 'COGNITO' &&
  d.configuredProviders !== undefined &&
  !d.configuredProviders.includes(d.identityProvider);
const configuredText = (d: ProviderProblem) => (d.configuredProviders?.length ? d.configuredProviders.join(', ') : 'none');

export default defineClientCheck({
  id: 'client-identity-provider',
  title: 'The app client offers the identity provider users sign in with',
  description:
    'SupportedIdentityProviders must not be empty for the code and implicit flows, and must name --identity-provider when given; with ListIdentityProviders read (only when --identity-provider is given), a provider other than COGNITO must also exist in the user pool.',
  reads: ['userPoolClients', 'identityProviders'],
  modes: [IDP_NOT_ENABLED_ON_APP_CLIENT],
  messages: {
    'idp-not-enabled-on-app-client': {
      message: (d: ProviderProblem) => {
        const wanted = d.identityProvider;
        if (wanted === undefined)
          return `The app client ${d.clientName} has no identity provider in SupportedIdentityProviders, so its login page offers no way to sign in.`;
        if (d.SupportedIdentityProviders.includes(wanted)) {
          return `The app client ${d.clientName} lists ${wanted} in SupportedIdentityProviders, but ${d.userPoolId} has no such identity provider (it has ${configuredText(d)}).`;
        }
        const fromPool = missingFromPool(d) ? ` and ${d.userPoolId} has no identity provider ${wanted} (it has ${configuredText(d)})` : '';
        return `The app client ${d.clientName} does not list ${wanted} in SupportedIdentityProviders (${JSON.stringify(d.SupportedIdentityProviders)})${fromPool}.`;
      },
      fix: (d: ProviderProblem) => {
        const wanted = d.identityProvider;
        if (wanted === undefined) {
          return {
            summary: `Add COGNITO (or the provider users sign in with) to SupportedIdentityProviders of ${d.clientName}, keeping every other client setting.`,
            steps: stepsOf(d),
            commands: addProviders(d, ['COGNITO']),
          };
        }
        if (missingFromPool(d)) {
          return {
            summary: `Create the identity provider ${wanted} in ${d.userPoolId} (create-identity-provider), then add it to SupportedIdentityProviders of ${d.clientName}.`,
            steps: stepsOf(d),
          };
        }
        return {
          summary: `Add ${wanted} to SupportedIdentityProviders of ${d.clientName}, keeping every other client setting.`,
          steps: stepsOf(d),
          commands: addProviders(d, [wanted]),
        };
      },
    },
  },
  run(ctx) {
    if (ctx.party.flow === 'client_credentials') throw new DataGap({ kind: 'not-applicable', reason: 'client_credentials signs in no user' });
    const client = ctx.client();
    const { userPoolId, clientId } = ctx.reads;
    const supported = client.SupportedIdentityProviders ?? [];
    const wanted = ctx.party.identityProvider;
    if (!wanted) {
      if (supported.length > 0) return [];
      return [
        {
          mode: 'idp-not-enabled-on-app-client',
          resource: ctx.resource,
          data: { ...ctx.ref, SupportedIdentityProviders: supported },
          evidence: { clientId, SupportedIdentityProviders: supported },
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
    const evidence = { clientId, identityProvider: wanted, SupportedIdentityProviders: supported, ...(configured ? { configuredProviders: configured } : {}) };
    const data: ProviderProblem = {
      ...ctx.ref,
      identityProvider: wanted,
      SupportedIdentityProviders: supported,
      ...(configured ? { configuredProviders: configured } : {}),
    };
    if (supported.includes(wanted) && !missingFromPool(data)) return [];
    return [{ mode: 'idp-not-enabled-on-app-client', resource: ctx.resource, data, evidence }];
  },
});
