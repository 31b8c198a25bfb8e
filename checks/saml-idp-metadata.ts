import {
  defineCheck,
  domainClientOf,
  federatedNamesOnClient,
  identityProviderRoundTrip,
  identityProvidersOf,
  providersOnClient,
  referenceTime,
  requireWellFormedUserPoolId,
  samlSigningCertificates,
  userPoolArnOf,
  type MetadataCertificate,
} from '../src/check-kit.js';

const DAY = 24 * 60 * 60 * 1000;
/** How far ahead an expiring signing certificate is reported. */
const WARN_DAYS = 14;

/** A SAML provider with a static metadata file whose newest signing certificate has expired or expires soon. */
interface StaleMetadata {
  userPoolId: string;
  provider: string;
  metadata: 'MetadataFile (static)';
  signingCertificates: MetadataCertificate[];
  newestValidTo: string;
  expired: boolean;
  /** Whole days until newestValidTo, rounded up. */
  daysLeft: number;
}

export default defineCheck({
  id: 'saml-idp-metadata',
  title: 'SAML identity providers on the OpenSearch app client have current signing certificates',
  description:
    "For each SAML identity provider (DescribeIdentityProvider, optional part) that the OpenSearch app client offers: a provider configured with a static ProviderDetails.MetadataFile keeps the signing certificates of the day it was uploaded. Parses the X.509 certificates of the metadata's signing KeyDescriptors and reports the provider when the newest one has expired or expires within 14 days of the snapshot (capturedAt). A provider with a MetadataURL is not reported: Cognito reads that document itself. That an expired certificate in the metadata makes Cognito reject the assertions, and that an IdP rotating its key goes unnoticed with a static file, is inferred, not documented, so this is a warning.",
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool', 'identityProviders'],
  modes: [
    {
      id: 'saml-idp-signature-invalid',
      severity: 'warning',
      inferred: true,
      title: "A SAML identity provider's stored metadata has an expired or expiring signing certificate",
      symptom: '?error=server_error&error_description=Invalid SAML response received: SAML Assertion signature is invalid.',
      cause:
        'The SAML provider was configured with a metadata file, so the user pool keeps the signing certificate of that day; when the IdP rotates (or the certificate expires) the assertions no longer verify against it.',
      fix: "Point the provider at the IdP's metadata URL (Cognito then follows rotations), or upload the IdP's current metadata.",
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-managing-saml-idp.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-saml-idp.html',
        'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_UpdateIdentityProvider.html',
      ],
    },
  ],
  messages: {
    'saml-idp-signature-invalid': {
      message: (d: StaleMetadata) => {
        const when = d.newestValidTo.slice(0, 10);
        return d.expired
          ? `The metadata file stored for the SAML provider ${d.provider} holds only signing certificates that expired (the newest on ${when}), so the assertions its IdP signs now are likely rejected.`
          : `The newest signing certificate in the metadata file stored for the SAML provider ${d.provider} expires on ${when} (in ${d.daysLeft} day${d.daysLeft === 1 ? '' : 's'}); when the IdP rotates to a new one, sign-in through ${d.provider} fails until the metadata is updated.`;
      },
      fix: (d: StaleMetadata) => ({
        summary: `Switch ${d.provider} to the IdP's metadata URL so Cognito follows key rotations (set METADATA_URL to that URL before running the commands), or upload the IdP's current metadata file; the other provider settings are kept.`,
        steps: [
          `Amazon Cognito console → User pools → ${d.userPoolId} → Authentication → Social and external providers → ${d.provider} → Edit.`,
          'Under Metadata document source choose "Enter metadata document endpoint URL" and paste the IdP\'s federation metadata URL (or upload its current metadata file); Save.',
        ],
        commands: identityProviderRoundTrip(
          d.userPoolId,
          d.provider,
          '.ProviderDetails = ((.ProviderDetails // {}) | del(.MetadataFile) | .MetadataURL = $ENV.METADATA_URL)',
        ),
        iac: 'If IaC defines the provider with MetadataFile (ProviderDetails), switch it to MetadataURL there.',
      }),
    },
  },
  run(ctx) {
    const userPoolId = requireWellFormedUserPoolId(ctx);
    const client = domainClientOf(ctx);
    if (!client?.ClientId) return []; // opensearch-app-client reports a missing client
    if (federatedNamesOnClient(client, undefined).length === 0) return [];
    const providers = identityProvidersOf(ctx, userPoolId, 'the SAML metadata of the identity providers on the OpenSearch app client');
    if (!providers) return [];
    const now = referenceTime(ctx.snapshot);
    const problems: StaleMetadata[] = [];
    for (const provider of providersOnClient(providers, client)) {
      if (provider.ProviderType !== 'SAML') continue;
      const details = provider.ProviderDetails ?? {};
      const file = details['MetadataFile'];
      if (details['MetadataURL'] || typeof file !== 'string' || file.trim() === '') continue;
      const name = provider.ProviderName ?? '';
      const { certificates, unreadable } = samlSigningCertificates(file);
      if (certificates.length === 0) {
        ctx.note({
          kind: 'unknown',
          reason: `the metadata file of the SAML provider ${name} has no signing certificate cogdoctor could read${unreadable > 0 ? ` (${unreadable} unreadable)` : ''}; check it by hand`,
        });
        continue;
      }
      const newest = certificates.reduce((a, b) => (Date.parse(b.validTo) > Date.parse(a.validTo) ? b : a));
      const left = (Date.parse(newest.validTo) - now.getTime()) / DAY;
      if (left > WARN_DAYS) continue;
      problems.push({
        userPoolId,
        provider: name,
        metadata: 'MetadataFile (static)',
        signingCertificates: certificates,
        newestValidTo: newest.validTo,
        expired: left <= 0,
        daysLeft: Math.ceil(left),
      });
    }
    return problems.map((problem) => {
      // The days left only word the message; the evidence keeps the dates.
      const { daysLeft, ...evidence } = problem;
      return { mode: 'saml-idp-signature-invalid' as const, resource: userPoolArnOf(ctx.snapshot, userPoolId), data: problem, evidence };
    });
  },
});
