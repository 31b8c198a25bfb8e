import {
  cognitoEnabled,
  cognitoOptionsUpdate,
  defineCheck,
  domainArnOf,
  domainRegionOf,
  placeOf,
  samlEnabled,
  sh,
  type DomainPlace,
} from '../src/check-kit.js';

/** Both logins are on; what identifies each. */
interface BothLogins {
  userPoolId: string | null;
  samlEntityId: string | null;
  place: DomainPlace;
}

export default defineCheck({
  id: 'saml-and-cognito',
  title: 'Only one of Cognito and SAML authenticates Dashboards',
  description:
    "CognitoOptions.Enabled and AdvancedSecurityOptions.SAMLOptions.Enabled must not both be true: SAML authentication for Dashboards requires Cognito authentication to be off, and the other way round. An absent SAMLOptions means SAML is off. The exclusion is documented by a secondary source (prowler's OpenSearch checks), not yet by the SAML guide.",
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
  messages: {
    'saml-and-cognito-conflict': {
      message: (d: BothLogins) =>
        `Domain ${d.place.domain.DomainName} has both Cognito authentication (CognitoOptions.Enabled) and SAML authentication (AdvancedSecurityOptions.SAMLOptions.Enabled) on for Dashboards.`,
      fix: (d: BothLogins) => ({
        summary:
          'Keep the login you want and turn the other off (either change is a blue/green deployment): the first command turns Cognito off, the second turns SAML off.',
        steps: [
          `OpenSearch Service console → Domains → ${d.place.domain.DomainName} → Security configuration → Edit: clear either "Enable Amazon Cognito authentication" or "Prepare SAML authentication"; Save.`,
        ],
        commands: [
          cognitoOptionsUpdate(d.place, { Enabled: false }),
          sh(
            'aws',
            'opensearch',
            'update-domain-config',
            '--region',
            domainRegionOf(d.place),
            '--domain-name',
            d.place.domain.DomainName,
            '--advanced-security-options',
            JSON.stringify({ SAMLOptions: { Enabled: false } }),
          ),
        ],
      }),
    },
  },
  run(ctx) {
    if (!cognitoEnabled(ctx.domain) || !samlEnabled(ctx.domain)) return [];
    const data: BothLogins = {
      userPoolId: ctx.domain.CognitoOptions?.UserPoolId ?? null,
      samlEntityId: ctx.domain.AdvancedSecurityOptions?.SAMLOptions?.Idp?.EntityId ?? null,
      place: placeOf(ctx.snapshot),
    };
    return [
      {
        mode: 'saml-and-cognito-conflict',
        resource: domainArnOf(ctx.snapshot),
        data,
        evidence: {
          'CognitoOptions.Enabled': true,
          'AdvancedSecurityOptions.SAMLOptions.Enabled': true,
          userPoolId: data.userPoolId,
          samlEntityId: data.samlEntityId,
        },
      },
    ];
  },
});
