import { OAUTH_SCOPES_MISSING } from '../../src/catalog/app-client-modes.js';
import { userPoolClientRoundTrip } from '../../src/model/fixes.js';
import type { FindingInput } from '../../src/engine/types.js';
import { defineClientCheck } from '../../src/engine/define.js';
import { isCustomScope, USER_SCOPES } from '../../src/engine/client-context.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html',
];

export default defineClientCheck({
  id: 'client-oauth-scopes',
  title: 'The app client allows the scopes the relying party requests',
  description:
    'Every --scopes entry must be in AllowedOAuthScopes. The code and implicit flows need openid there too, or Cognito issues no ID token. client_credentials takes only resource-server scopes (<identifier>/<scope>): never openid, email, profile, phone or aws.cognito.signin.user.admin, which describe a user; without --scopes the client needs at least one resource-server scope.',
  reads: ['userPoolClients'],
  modes: [
    OAUTH_SCOPES_MISSING,
    {
      id: 'client-credentials-user-scope',
      severity: 'error',
      title: 'A user scope with the client_credentials flow',
      symptom: 'The token endpoint answers {"error":"invalid_scope"}; saving the client fails with InvalidOAuthFlowException.',
      cause: 'client_credentials issues an access token to a machine, not a user: only resource-server custom scopes (<identifier>/<scope>) apply; openid, email, profile, phone and aws.cognito.signin.user.admin do not.',
      fix: 'Request and allow only resource-server scopes for client_credentials; use a separate app client with the code flow where a user signs in.',
      docs: DOCS,
    },
  ],
  run(ctx) {
    const client = ctx.client();
    const { userPoolId, clientId } = ctx.reads;
    const { party } = ctx;
    const allowed = client.AllowedOAuthScopes ?? [];
    const findings: FindingInput[] = [];
    const addScopes = (scopes: string[]) => userPoolClientRoundTrip(userPoolId, clientId, '.AllowedOAuthScopes = ((.AllowedOAuthScopes // []) + $scopes | unique)', { scopes });
    if (party.flow === 'client_credentials') {
      const requestedUser = party.scopes.filter((s) => !isCustomScope(s));
      const allowedUser = (client.AllowedOAuthFlows ?? []).includes('client_credentials') ? allowed.filter((s) => USER_SCOPES.includes(s)) : [];
      if (requestedUser.length > 0 || allowedUser.length > 0) {
        const parts = [
          requestedUser.length ? `the relying party requests ${requestedUser.join(', ')}` : undefined,
          allowedUser.length ? `AllowedOAuthScopes of ${ctx.clientName} has ${allowedUser.join(', ')}` : undefined,
        ].filter(Boolean);
        findings.push({
          id: 'client-credentials-user-scope',
          message: `With client_credentials only resource-server scopes (<identifier>/<scope>) apply, but ${parts.join(' and ')}.`,
          resource: ctx.resource,
          evidence: { clientId, flow: party.flow, requested: party.scopes, AllowedOAuthScopes: allowed, userScopes: [...new Set([...requestedUser, ...allowedUser])] },
          fix: {
            summary: `Request only resource-server scopes${allowedUser.length ? ` and remove ${allowedUser.join(', ')} from AllowedOAuthScopes of ${ctx.clientName}, keeping every other client setting` : ''}.`,
            ...(allowedUser.length ? { commands: userPoolClientRoundTrip(userPoolId, clientId, '.AllowedOAuthScopes = ((.AllowedOAuthScopes // []) - $scopes)', { scopes: allowedUser }) } : {}),
          },
        });
      }
      const missing = party.scopes.filter((s) => isCustomScope(s) && !allowed.includes(s));
      if (missing.length > 0) {
        findings.push({
          id: 'oauth-scopes-missing',
          message: `The app client ${ctx.clientName} does not allow ${missing.join(', ')} (AllowedOAuthScopes is ${JSON.stringify(allowed)}), so the token request fails with invalid_scope.`,
          resource: ctx.resource,
          evidence: { clientId, requested: party.scopes, AllowedOAuthScopes: allowed, missing },
          fix: { summary: `Add ${missing.join(', ')} to AllowedOAuthScopes of ${ctx.clientName} (each must be a scope of a resource server of ${userPoolId}), keeping every other client setting.`, commands: addScopes(missing) },
        });
      } else if (party.scopes.length === 0 && !allowed.some(isCustomScope)) {
        findings.push({
          id: 'oauth-scopes-missing',
          message: `The app client ${ctx.clientName} allows no resource-server scope (AllowedOAuthScopes is ${JSON.stringify(allowed)}), so client_credentials has nothing to grant.`,
          resource: ctx.resource,
          evidence: { clientId, requested: [], AllowedOAuthScopes: allowed },
          fix: { summary: `Create a resource server in ${userPoolId} (create-resource-server) and allow its scopes on ${ctx.clientName}.` },
        });
      }
      return findings;
    }
    const wanted = [...new Set([...party.scopes, 'openid'])];
    const missing = wanted.filter((s) => !allowed.includes(s));
    if (missing.length === 0) return [];
    return [
      {
        id: 'oauth-scopes-missing',
        // Without openid there is no ID token: the OIDC login fails. Another scope only narrows the token.
        severity: missing.includes('openid') ? 'error' : 'warning',
        message: `The app client ${ctx.clientName} does not allow ${missing.join(', ')} (AllowedOAuthScopes is ${JSON.stringify(allowed)})${missing.includes('openid') ? ': without openid Cognito issues no ID token' : ''}.`,
        resource: ctx.resource,
        evidence: { clientId, requested: party.scopes, AllowedOAuthScopes: allowed, missing },
        fix: {
          summary: `Add ${missing.join(', ')} to AllowedOAuthScopes of ${ctx.clientName}, keeping every other client setting.`,
          steps: [ctx.consoleSteps, `Under OpenID Connect scopes (and custom scopes) choose ${missing.join(', ')}; Save.`],
          commands: addScopes(missing),
        },
      },
    ];
  },
});
