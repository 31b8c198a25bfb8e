import {
  defineCheck,
  domainClientOf,
  hostedUiDomainOf,
  managedLoginBrandingOf,
  regionOfPoolId,
  requireWellFormedUserPoolId,
  sh,
  userPoolArnOf,
  usesManagedLogin,
  classicHostedUiCommand,
} from '../src/check-kit.js';

/** The domain uses managed login and the OpenSearch app client has no branding style. */
interface BrandingMissing {
  userPoolId: string;
  /** The user pool domain. */
  domain: string;
  ManagedLoginVersion: number | undefined;
  clientId: string;
  ClientName: string | null;
  brandingStyles: 0;
  /** The custom domain's certificate, which update-user-pool-domain must be given again. */
  CertificateArn?: string;
}

export default defineCheck({
  id: 'managed-login-branding',
  title: 'With managed login, the OpenSearch app client has a branding style',
  description:
    'With the optional DescribeUserPoolDomain result: when the user pool domain uses managed login (DomainDescription.ManagedLoginVersion 2), every app client needs a branding style or Cognito shows "Login pages unavailable" instead of the sign-in page. ' +
    "Reads the optional DescribeManagedLoginBrandingByClient result for the OpenSearch app client (decision rule 6): no style (ResourceNotFoundException, kept as an empty list) fails. The classic hosted UI (version 1) needs no style. OpenSearch Service creates its client itself, so it has no style unless someone added one (inferred from the service's behaviour, documented for managed login in general).",
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool', 'userPoolDomain', 'managedLoginBranding'],
  modes: [
    {
      id: 'managed-login-branding-missing',
      severity: 'error',
      title: 'Managed login without a branding style for the OpenSearch app client',
      symptom: 'Login pages unavailable',
      cause:
        'The user pool domain uses managed login (ManagedLoginVersion 2), where app clients without an assigned branding style do not show the login page; the app client OpenSearch Service created has none.',
      fix: 'Create a branding style for the OpenSearch app client (create-managed-login-branding --use-cognito-provided-values), or set the domain back to the classic hosted UI (ManagedLoginVersion 1).',
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/managed-login-branding.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-managed-login.html',
      ],
    },
  ],
  messages: {
    'managed-login-branding-missing': {
      message: (d: BrandingMissing) =>
        `The user pool domain ${d.domain} of ${d.userPoolId} uses managed login (ManagedLoginVersion 2), but the OpenSearch app client ${d.ClientName ?? d.clientId} has no branding style, so users get "Login pages unavailable" instead of the sign-in page.`,
      fix: (d: BrandingMissing) => {
        const region = regionOfPoolId(d.userPoolId);
        const clientName = d.ClientName ?? d.clientId;
        return {
          summary: `Create a branding style with Cognito's default look for ${clientName}, or switch the domain ${d.domain} back to the classic hosted UI, which needs no style (it changes the look of the login pages of every app client of the pool).`,
          steps: [
            `Amazon Cognito console → User pools → ${d.userPoolId} → Branding → Managed login → Create a style → App client: ${clientName} → Create.`,
            `Or: Branding → Domain → ${d.domain} → Edit → Branding version: Hosted UI (classic) → Save.`,
          ],
          commands: [
            sh(
              'aws',
              'cognito-idp',
              'create-managed-login-branding',
              '--region',
              region,
              '--user-pool-id',
              d.userPoolId,
              '--client-id',
              d.clientId,
              '--use-cognito-provided-values',
            ),
            classicHostedUiCommand(d.userPoolId, d.domain, d.CertificateArn),
          ],
          iac: 'With CloudFormation (AWS::Cognito::ManagedLoginBranding) or Terraform (aws_cognito_managed_login_branding), create the style for the client id OpenSearch Service generated; or set managed_login_version = 1 on the user pool domain.',
        };
      },
    },
  },
  run(ctx) {
    const userPoolId = requireWellFormedUserPoolId(ctx);
    const hosted = hostedUiDomainOf(ctx, 'whether the login pages use managed login');
    if (!hosted || !usesManagedLogin(hosted.description)) return [];
    const client = domainClientOf(ctx);
    if (typeof client?.ClientId !== 'string' || !client.ClientId) return []; // opensearch-app-client reports a missing client
    const clientId = client.ClientId;
    const styles = managedLoginBrandingOf(ctx, userPoolId, clientId);
    if (!styles || styles.length > 0) return [];
    const certificate = hosted.description.CustomDomainConfig?.CertificateArn;
    const evidence = {
      userPoolId,
      domain: hosted.name,
      ManagedLoginVersion: hosted.description.ManagedLoginVersion,
      clientId,
      ClientName: client.ClientName ?? null,
      brandingStyles: 0 as const,
    };
    return [
      {
        mode: 'managed-login-branding-missing',
        resource: userPoolArnOf(ctx.snapshot, userPoolId),
        data: { ...evidence, ...(typeof certificate === 'string' ? { CertificateArn: certificate } : {}) },
        evidence,
      },
    ];
  },
});
