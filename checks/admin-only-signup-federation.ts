import { defineCheck, domainClientOf, federatedNamesOnClient, requireWellFormedUserPoolId, userPoolArnOf } from '../src/check-kit.js';

/** Admin-only sign-up while the OpenSearch app client offers federated sign-in. */
interface FederatedMayBeRefused {
  userPoolId: string;
  AllowAdminCreateUserOnly: true;
  clientId: string;
  clientName: string;
  federatedProviders: string[];
  SupportedIdentityProviders: string[];
  verified: false;
}

export default defineCheck({
  id: 'admin-only-signup-federation',
  title: 'Admin-only sign-up does not lock out the federated users of the OpenSearch app client',
  description:
    'DescribeUserPool: AdminCreateUserConfig.AllowAdminCreateUserOnly is true, and the OpenSearch app client offers a federated identity provider in SupportedIdentityProviders (checked against the pool\'s providers when DescribeIdentityProvider results are in the snapshot). A 2019 report (labelled "Service Team") says the hosted UI then answers "Login not allowed" to identity-provider users; other reports say federated users are still created. The behaviour is unverified and may have changed, so this is a warning to confirm by hand.',
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool', 'identityProviders'],
  modes: [
    {
      id: 'admin-only-signup-blocks-federated',
      severity: 'warning',
      inferred: true,
      title: 'Admin-only sign-up may block users of the identity providers',
      symptom: 'The hosted UI shows "Login not allowed" to a user who signs in through an identity provider.',
      cause:
        'The user pool allows only administrators to create users (AllowAdminCreateUserOnly) while the OpenSearch app client offers federated sign-in; a reported service behaviour (unverified, it may have changed) refuses identity-provider users the pool would have to create or update.',
      fix: 'Sign in once through the identity provider to confirm; if it is refused, pre-create and link the federated users, or allow sign-up and restrict it with a pre sign-up Lambda that only accepts external-provider sign-ups.',
      docs: [
        'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_AdminCreateUserConfigType.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-identity-federation-consolidate-users.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-sign-up.html',
      ],
    },
  ],
  messages: {
    'admin-only-signup-blocks-federated': {
      message: (d: FederatedMayBeRefused) =>
        `User pool ${d.userPoolId} lets only administrators create users while ${d.clientName} offers sign-in through ${d.federatedProviders.join(', ')}; identity-provider users may be refused with "Login not allowed" (reported, unverified).`,
      fix: (d: FederatedMayBeRefused) => {
        const first = d.federatedProviders[0];
        return {
          summary: `Sign in to Dashboards once through ${first} with a user who has never signed in; if the hosted UI answers "Login not allowed", pre-create and link the federated users, or allow sign-up with a pre sign-up Lambda that rejects everything but external-provider sign-ups.`,
          steps: [
            `Test: open Dashboards in a private window and choose ${first} on the login page of ${d.userPoolId}.`,
            `If refused: Amazon Cognito console → User pools → ${d.userPoolId} → Users → Create user for each federated user, then link them (aws cognito-idp admin-link-provider-for-user, source ProviderName ${first}).`,
            `Or: User pools → ${d.userPoolId} → Extensions → Add Lambda trigger → Pre sign-up, accepting only triggerSource PreSignUp_ExternalProvider; then Sign-up → Self-service sign-up → Enable self-registration.`,
          ],
        };
      },
    },
  },
  run(ctx) {
    const userPoolId = requireWellFormedUserPoolId(ctx);
    const pool = ctx.userPool();
    if (pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true) return [];
    const client = domainClientOf(ctx);
    if (!client?.ClientId) return []; // opensearch-app-client reports a missing client
    // The client's list decides; the providers, when read, drop names the pool no longer has.
    const providers = ctx.snapshot.identityProviders?.filter((p) => !p.UserPoolId || p.UserPoolId === userPoolId) ?? undefined;
    const federated = federatedNamesOnClient(client, providers);
    if (federated.length === 0) return [];
    const problem: FederatedMayBeRefused = {
      userPoolId,
      AllowAdminCreateUserOnly: true,
      clientId: client.ClientId,
      clientName: client.ClientName ?? client.ClientId,
      federatedProviders: federated,
      SupportedIdentityProviders: client.SupportedIdentityProviders ?? [],
      verified: false,
    };
    const { clientName: _clientName, ...evidence } = problem;
    return [{ mode: 'admin-only-signup-blocks-federated', resource: userPoolArnOf(ctx.snapshot, userPoolId), data: problem, evidence }];
  },
});
