import {
  DataGap,
  defineCheck,
  domainClientOf,
  federatedNamesOnClient,
  fgacEnabled,
  requireWellFormedUserPoolId,
  userPoolArnOf,
  userPoolRoundTrip,
  type CheckContext,
  type Fix,
  type UserPoolClientType,
} from '../src/check-kit.js';

/** The identity providers the Dashboards app client offers; none when the clients cannot be read (that is another check's finding). */
function federatedOnDashboardsClient(ctx: CheckContext, userPoolId: string): string[] {
  let client: UserPoolClientType | undefined;
  try {
    client = domainClientOf(ctx);
  } catch (error) {
    if (error instanceof DataGap) return [];
    throw error;
  }
  if (!client) return [];
  const providers = ctx.snapshot.identityProviders?.filter((p) => !p.UserPoolId || p.UserPoolId === userPoolId) ?? undefined;
  return federatedNamesOnClient(client, providers);
}

/** Self sign-up is on; the federated providers on the Dashboards client change how to turn it off. */
interface SelfSignUp {
  userPoolId: string;
  AllowAdminCreateUserOnly: boolean | null;
  estimatedUsers: number | null;
  fineGrainedAccessControl: boolean;
  /** Identity providers the Dashboards app client offers. */
  federatedProviders: string[];
}

export default defineCheck({
  id: 'user-pool-self-signup',
  title: 'Only administrators can create users in the Dashboards user pool',
  description:
    "DescribeUserPool: AdminCreateUserConfig.AllowAdminCreateUserOnly must be true. When it is false (or absent, which the API treats as false) anyone who reaches the login page can sign up, and every confirmed user gets the identity pool's authenticated role.",
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool', 'identityProviders'],
  modes: [
    {
      id: 'user-pool-self-signup',
      severity: 'warning',
      title: 'Anyone can sign up to the Dashboards user pool',
      symptom: 'Anyone can self-register into the Dashboards user pool.',
      cause:
        'Self sign-up is on (AllowAdminCreateUserOnly is false): a self-registered user gets the authenticated role and, unless fine-grained access control restricts that role, Dashboards access. A user pool shared with a public app exposes Dashboards to all its users.',
      fix: 'Set AdminCreateUserConfig.AllowAdminCreateUserOnly to true (a describe → edit → update round trip: update-user-pool resets what it is not given).',
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/signing-up-users-in-your-app.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pool-updating.html',
      ],
    },
  ],
  messages: {
    'user-pool-self-signup': {
      message: (d: SelfSignUp) =>
        `User pool ${d.userPoolId} allows self sign-up (AllowAdminCreateUserOnly is ${d.AllowAdminCreateUserOnly ?? 'absent, which means false'}): anyone who reaches the login page can create an account and get the authenticated role${d.fineGrainedAccessControl ? ', limited by the fine-grained access control mappings' : ' and Dashboards access'}.`,
      fix: (d: SelfSignUp) =>
        d.federatedProviders.length > 0
          ? federatedFix(d.userPoolId, d.federatedProviders)
          : {
              summary: `Allow only administrators to create users in ${d.userPoolId}, keeping every other pool setting; if the pool also serves a public app, give Dashboards its own user pool.`,
              steps: [`Amazon Cognito console → User pools → ${d.userPoolId} → Sign-up → Self-service sign-up → Edit: clear "Enable self-registration"; Save.`],
              commands: userPoolRoundTrip(d.userPoolId, '.AdminCreateUserConfig.AllowAdminCreateUserOnly = true'),
            },
    },
  },
  run(ctx) {
    requireWellFormedUserPoolId(ctx);
    const pool = ctx.userPool();
    if (pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly === true) return [];
    const userPoolId = pool.Id ?? ctx.domain.CognitoOptions?.UserPoolId ?? '';
    const setting = {
      userPoolId,
      AllowAdminCreateUserOnly: pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? null,
      estimatedUsers: pool.EstimatedNumberOfUsers ?? null,
      fineGrainedAccessControl: fgacEnabled(ctx.domain),
    };
    // Admin-only sign-up may refuse first-time users of these providers (admin-only-signup-blocks-federated).
    const federatedProviders = federatedOnDashboardsClient(ctx, userPoolId);
    return [{ mode: 'user-pool-self-signup', resource: userPoolArnOf(ctx.snapshot, userPoolId), data: { ...setting, federatedProviders }, evidence: setting }];
  },
});

/**
 * With identity providers on the Dashboards client, admin-only sign-up may refuse their first-time
 * users ("Login not allowed", catalog D5): reject self sign-ups in a pre sign-up Lambda instead,
 * which leaves sign-ups through the providers alone.
 */
function federatedFix(userPoolId: string, federated: string[]): Fix {
  return {
    summary: `Reject native self sign-ups with a pre sign-up Lambda that accepts only triggerSource PreSignUp_ExternalProvider, so sign-in through ${federated.join(', ')} keeps working; turning self-registration off instead may refuse their first-time users with "Login not allowed" (admin-only-signup-blocks-federated).`,
    steps: [
      `Amazon Cognito console → User pools → ${userPoolId} → Extensions → Add Lambda trigger → Pre sign-up: a function that throws unless event.triggerSource is PreSignUp_ExternalProvider.`,
      `Or, if every Dashboards user of ${federated.join(', ')} is pre-created and linked (aws cognito-idp admin-link-provider-for-user): Sign-up → Self-service sign-up → Edit: clear "Enable self-registration".`,
    ],
  };
}
