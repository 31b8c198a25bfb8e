import { OAUTH_SCOPES_MISSING } from '../../src/catalog/app-client-modes.js';
import { userPoolClientRoundTrip } from '../../src/model/fixes.js';
import { defineClientCheck } from '../../src/engine/define.js';
import { consoleStepsOf, isCustomScope, USER_SCOPES, type ClientRef } from '../../src/engine/client-context.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-define-resource-servers.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/authorization-endpoint.html',
];

/** The user scopes a client_credentials relying party requests, and those its client allows. */
interface UserScopeProblem extends ClientRef {
  requestedUser: string[];
  allowedUser: string[];
}

/** The scopes the relying party needs and the client lacks; none, for client_credentials, when it allows no resource-server scope. */
interface MissingScopeProblem extends ClientRef {
  flow: string;
  AllowedOAuthScopes: string[];
  missing: string[];
}

const addScopes = (d: ClientRef, scopes: string[]) =>
  userPoolClientRoundTrip(d.userPoolId, d.clientId, '.AllowedOAuthScopes = ((.AllowedOAuthScopes // []) + $scopes | unique)', { scopes });

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
      cause:
        'client_credentials issues an access token to a machine, not a user: only resource-server custom scopes (<identifier>/<scope>) apply; openid, email, profile, phone and aws.cognito.signin.user.admin do not.',
      fix: 'Request and allow only resource-server scopes for client_credentials; use a separate app client with the code flow where a user signs in.',
      docs: DOCS,
    },
  ],
  messages: {
    'client-credentials-user-scope': {
      message: (d: UserScopeProblem) => {
        const parts = [
          d.requestedUser.length ? `the relying party requests ${d.requestedUser.join(', ')}` : undefined,
          d.allowedUser.length ? `AllowedOAuthScopes of ${d.clientName} has ${d.allowedUser.join(', ')}` : undefined,
        ].filter(Boolean);
        return `With client_credentials only resource-server scopes (<identifier>/<scope>) apply, but ${parts.join(' and ')}.`;
      },
      fix: (d: UserScopeProblem) => ({
        summary: `Request only resource-server scopes${d.allowedUser.length ? ` and remove ${d.allowedUser.join(', ')} from AllowedOAuthScopes of ${d.clientName}, keeping every other client setting` : ''}.`,
        ...(d.allowedUser.length
          ? {
              commands: userPoolClientRoundTrip(d.userPoolId, d.clientId, '.AllowedOAuthScopes = ((.AllowedOAuthScopes // []) - $scopes)', {
                scopes: d.allowedUser,
              }),
            }
          : {}),
      }),
    },
    'oauth-scopes-missing': {
      message: (d: MissingScopeProblem) => {
        if (d.flow === 'client_credentials' && d.missing.length === 0) {
          return `The app client ${d.clientName} allows no resource-server scope (AllowedOAuthScopes is ${JSON.stringify(d.AllowedOAuthScopes)}), so client_credentials has nothing to grant.`;
        }
        const consequence =
          d.flow === 'client_credentials'
            ? ', so the token request fails with invalid_scope'
            : d.missing.includes('openid')
              ? ': without openid Cognito issues no ID token'
              : '';
        return `The app client ${d.clientName} does not allow ${d.missing.join(', ')} (AllowedOAuthScopes is ${JSON.stringify(d.AllowedOAuthScopes)})${consequence}.`;
      },
      fix: (d: MissingScopeProblem) => {
        if (d.flow !== 'client_credentials') {
          return {
            summary: `Add ${d.missing.join(', ')} to AllowedOAuthScopes of ${d.clientName}, keeping every other client setting.`,
            steps: [consoleStepsOf(d), `Under OpenID Connect scopes (and custom scopes) choose ${d.missing.join(', ')}; Save.`],
            commands: addScopes(d, d.missing),
          };
        }
        if (d.missing.length === 0)
          return { summary: `Create a resource server in ${d.userPoolId} (create-resource-server) and allow its scopes on ${d.clientName}.` };
        return {
          summary: `Add ${d.missing.join(', ')} to AllowedOAuthScopes of ${d.clientName} (each must be a scope of a resource server of ${d.userPoolId}), keeping every other client setting.`,
          commands: addScopes(d, d.missing),
        };
      },
    },
  },
  run(ctx) {
    const client = ctx.client();
    const { clientId } = ctx.reads;
    const { party } = ctx;
    const allowed = client.AllowedOAuthScopes ?? [];
    const missingScopes = (missing: string[], requested = party.scopes) => ({
      mode: 'oauth-scopes-missing' as const,
      resource: ctx.resource,
      data: { ...ctx.ref, flow: party.flow, AllowedOAuthScopes: allowed, missing },
      evidence: { clientId, requested, AllowedOAuthScopes: allowed, ...(missing.length > 0 ? { missing } : {}) },
    });
    if (party.flow === 'client_credentials') {
      const problems = [];
      const requestedUser = party.scopes.filter((s) => !isCustomScope(s));
      const allowedUser = (client.AllowedOAuthFlows ?? []).includes('client_credentials') ? allowed.filter((s) => USER_SCOPES.includes(s)) : [];
      if (requestedUser.length > 0 || allowedUser.length > 0) {
        problems.push({
          mode: 'client-credentials-user-scope' as const,
          resource: ctx.resource,
          data: { ...ctx.ref, requestedUser, allowedUser },
          evidence: {
            clientId,
            flow: party.flow,
            requested: party.scopes,
            AllowedOAuthScopes: allowed,
            userScopes: [...new Set([...requestedUser, ...allowedUser])],
          },
        });
      }
      const missing = party.scopes.filter((s) => isCustomScope(s) && !allowed.includes(s));
      if (missing.length > 0) problems.push(missingScopes(missing));
      else if (party.scopes.length === 0 && !allowed.some(isCustomScope)) problems.push(missingScopes([], []));
      return problems;
    }
    const wanted = [...new Set([...party.scopes, 'openid'])];
    const missing = wanted.filter((s) => !allowed.includes(s));
    if (missing.length === 0) return [];
    // Without openid there is no ID token: the OIDC login fails. Another scope only narrows the token.
    return [{ ...missingScopes(missing), severity: missing.includes('openid') ? 'error' : 'warning' }];
  },
});
