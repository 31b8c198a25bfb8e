import { cognitoEnabled, cognitoOptionsUpdate, defineCheck, domainArnOf, domainRegionOf, samlEnabled, sh } from '../src/check-kit.js';

export default defineCheck({
  id: 'saml-and-cognito',
  title: 'Only one of Cognito and SAML authenticates Dashboards',
  description:
    'CognitoOptions.Enabled and AdvancedSecurityOptions.SAMLOptions.Enabled must not both be true: SAML authentication for Dashboards requires Cognito authentication to be off, and the other way round. An absent SAMLOptions means SAML is off. The exclusion is documented by a secondary source (prowler\'s OpenSearch checks), not yet by the SAML guide.',
  reads: ['domain'],
  scope: 'domain',
  modes: [
    {
      id: 'saml-and-cognito-conflict',
      severity: 'error',
      title: 'Cognito and SAML authentication are both enabled for Dashboards',
      symptom: 'Enabling SAML for Dashboards requires Cognito to be disabled (and vice versa).',
      cause: 'Dashboards can use Amazon Cognito or SAML authentication, not both.',
      fix: 'Turn one of them off: --cognito-options Enabled=false, or SAMLOptions Enabled=false.',
      docs: [
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/saml.html',
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
      ],
    },
  ],
  run(ctx) {
    if (!cognitoEnabled(ctx.domain) || !samlEnabled(ctx.domain)) return [];
    const name = ctx.domain.DomainName;
    return [
      {
        id: 'saml-and-cognito-conflict',
        message: `Domain ${name} has both Cognito authentication (CognitoOptions.Enabled) and SAML authentication (AdvancedSecurityOptions.SAMLOptions.Enabled) on for Dashboards.`,
        resource: domainArnOf(ctx.snapshot),
        evidence: {
          'CognitoOptions.Enabled': true,
          'AdvancedSecurityOptions.SAMLOptions.Enabled': true,
          userPoolId: ctx.domain.CognitoOptions?.UserPoolId ?? null,
          samlEntityId: ctx.domain.AdvancedSecurityOptions?.SAMLOptions?.Idp?.EntityId ?? null,
        },
        fix: {
          summary: 'Keep the login you want and turn the other off (either change is a blue/green deployment): the first command turns Cognito off, the second turns SAML off.',
          steps: [
            `OpenSearch Service console → Domains → ${name} → Security configuration → Edit: clear either "Enable Amazon Cognito authentication" or "Prepare SAML authentication"; Save.`,
          ],
          commands: [
            cognitoOptionsUpdate(ctx.snapshot, { Enabled: false }),
            sh('aws', 'opensearch', 'update-domain-config', '--region', domainRegionOf(ctx.snapshot), '--domain-name', name, '--advanced-security-options', JSON.stringify({ SAMLOptions: { Enabled: false } })),
          ],
        },
      },
    ];
  },
});
