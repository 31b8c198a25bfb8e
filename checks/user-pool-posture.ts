import {
  DataGap,
  defineCheck,
  domainClientOf,
  regionOfPoolId,
  requireWellFormedUserPoolId,
  sh,
  userPoolArnOf,
  userPoolAuthWeaknesses,
  userPoolRoundTrip,
  type AuthWeakness,
  type Fix,
  type UserPoolType,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-mfa.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/managing-users-passwords.html',
  'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_PasswordPolicyType.html',
];

/** The pool lets users sign in with a password, and these of its settings are weak. */
interface WeakAuth {
  userPoolId: string;
  weaknesses: AuthWeakness[];
  MfaConfiguration: string | null;
  PasswordPolicy: NonNullable<UserPoolType['Policies']>['PasswordPolicy'] | null;
}

interface NoDeletionProtection {
  userPoolId: string;
  DeletionProtection: string | null;
  /** The domain's DomainName. */
  domain: string;
}

function weakAuthFix(d: WeakAuth): Fix {
  const { userPoolId, weaknesses } = d;
  const mfaOff = weaknesses.some((w) => w.field === 'MfaConfiguration');
  const passwordEdits = [
    weaknesses.some((w) => w.field === 'PasswordPolicy.MinimumLength')
      ? '.Policies.PasswordPolicy.MinimumLength = ([.Policies.PasswordPolicy.MinimumLength // 8, 12] | max)'
      : undefined,
    weaknesses.some((w) => w.field === 'PasswordPolicy character classes')
      ? '.Policies.PasswordPolicy.RequireUppercase = true | .Policies.PasswordPolicy.RequireLowercase = true | .Policies.PasswordPolicy.RequireNumbers = true'
      : undefined,
    weaknesses.some((w) => w.field === 'PasswordPolicy.TemporaryPasswordValidityDays')
      ? '.Policies.PasswordPolicy.TemporaryPasswordValidityDays = 7'
      : undefined,
  ].filter((e): e is string => e !== undefined);
  return {
    summary: [
      passwordEdits.length > 0
        ? 'Tighten the password policy (at least 12 characters; upper case, lower case and digits; temporary passwords valid 7 days), keeping every other pool setting.'
        : '',
      mfaOff ? 'Turn on optional TOTP (authenticator app) MFA; users enrol at their next sign-in.' : '',
    ]
      .filter(Boolean)
      .join(' '),
    steps: [
      ...(passwordEdits.length > 0 ? [`Amazon Cognito console → User pools → ${userPoolId} → Authentication → Sign-in → Password policy → Edit.`] : []),
      ...(mfaOff
        ? [
            `Amazon Cognito console → User pools → ${userPoolId} → Authentication → Sign-in → Multi-factor authentication → Edit: Optional MFA, Authenticator apps.`,
          ]
        : []),
    ],
    commands: [
      ...(passwordEdits.length > 0 ? userPoolRoundTrip(userPoolId, passwordEdits.join(' | ')) : []),
      ...(mfaOff
        ? [
            sh(
              'aws',
              'cognito-idp',
              'set-user-pool-mfa-config',
              '--region',
              regionOfPoolId(userPoolId),
              '--user-pool-id',
              userPoolId,
              '--software-token-mfa-configuration',
              'Enabled=true',
              '--mfa-configuration',
              'OPTIONAL',
            ),
          ]
        : []),
    ],
    iac: 'If IaC defines the pool, set mfa_configuration / MfaConfiguration and password_policy / Policies.PasswordPolicy there.',
  };
}

export default defineCheck({
  id: 'user-pool-posture',
  title: 'The Dashboards user pool has MFA, a sound password policy and deletion protection',
  description:
    'DescribeUserPool: when the OpenSearch app client lets users sign in with a user pool password (COGNITO in SupportedIdentityProviders, or the client unknown), MfaConfiguration must not be OFF (OPTIONAL or ON); Policies.PasswordPolicy must ask for at least 8 characters (MinimumLength) and at least three of RequireUppercase, RequireLowercase, RequireNumbers, RequireSymbols, and TemporaryPasswordValidityDays must be 7 or fewer; a client that offers only federated identity providers leaves sign-in, MFA included, to the IdP, and a pool whose Policies.SignInPolicy.AllowedFirstAuthFactors leaves out PASSWORD (passkeys, email or SMS codes) has no password to guess. DeletionProtection must be ACTIVE: deleting the pool strands the domain. Threat protection (UserPoolAddOns.AdvancedSecurityMode) is a paid feature tier and is not judged.',
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool'],
  modes: [
    {
      id: 'user-pool-weak-auth',
      severity: 'warning',
      title: 'The Dashboards user pool has no MFA or a weak password policy',
      symptom: 'A guessed or reused password is enough to open Dashboards.',
      cause:
        'MFA is off, the password policy allows short passwords or ones with fewer than three character classes, or temporary passwords stay valid for more than a week.',
      fix: 'Turn on (optional) TOTP MFA and tighten the password policy with a describe → edit → update round trip of the pool.',
      docs: DOCS,
    },
    {
      id: 'user-pool-no-deletion-protection',
      severity: 'warning',
      title: 'The Dashboards user pool can be deleted',
      symptom: 'Deleting the user pool (by hand or by an IaC change) leaves the domain stuck in Processing and nobody can sign in to Dashboards.',
      cause: 'DeletionProtection is not ACTIVE on the user pool the domain depends on; a deleted pool cannot be restored.',
      fix: 'Set DeletionProtection to ACTIVE with a describe → edit → update round trip of the pool.',
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-deletion-protection.html',
        'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
      ],
    },
  ],
  messages: {
    'user-pool-weak-auth': {
      message: (d: WeakAuth) =>
        `User pool ${d.userPoolId} protects Dashboards logins weakly: ${d.weaknesses
          .map((w) => `${w.field} is ${Array.isArray(w.value) ? `[${w.value.join(', ')}]` : String(w.value ?? 'absent')} (expected ${w.expected})`)
          .join('; ')}.`,
      fix: weakAuthFix,
    },
    'user-pool-no-deletion-protection': {
      message: (d: NoDeletionProtection) =>
        `User pool ${d.userPoolId}, which domain ${d.domain} signs users in with, has no deletion protection (DeletionProtection is ${d.DeletionProtection ?? 'absent, which means INACTIVE'}).`,
      fix: (d: NoDeletionProtection) => ({
        summary: `Turn on deletion protection for ${d.userPoolId}, keeping every other pool setting.`,
        steps: [`Amazon Cognito console → User pools → ${d.userPoolId} → Settings → Deletion protection → Activate.`],
        commands: userPoolRoundTrip(d.userPoolId, '.DeletionProtection = "ACTIVE"'),
        iac: 'Set deletion_protection = "ACTIVE" (DeletionProtection: ACTIVE) where the pool is defined.',
      }),
    },
  },
  run(ctx) {
    requireWellFormedUserPoolId(ctx);
    const pool = ctx.userPool();
    const userPoolId = pool.Id ?? ctx.domain.CognitoOptions?.UserPoolId ?? '';
    const resource = userPoolArnOf(ctx.snapshot, userPoolId);

    // Users of a client that offers only identity providers never type a user pool password:
    // MFA and the password policy are the IdP's, not this pool's.
    let federatedOnly = false;
    const gaps = ctx.gaps.length;
    try {
      const supported = domainClientOf(ctx)?.SupportedIdentityProviders;
      federatedOnly = Array.isArray(supported) && supported.length > 0 && !supported.includes('COGNITO');
    } catch (error) {
      if (!(error instanceof DataGap)) throw error; // clients unreadable: judge the pool as if it served passwords
    }
    ctx.gaps.length = gaps; // the clients only narrow the check: a client that could not be read leaves nothing undecided
    const weaknesses = federatedOnly ? [] : userPoolAuthWeaknesses(pool);
    return [
      ...(weaknesses.length > 0
        ? [
            {
              mode: 'user-pool-weak-auth' as const,
              resource,
              data: { userPoolId, weaknesses, MfaConfiguration: pool.MfaConfiguration ?? null, PasswordPolicy: pool.Policies?.PasswordPolicy ?? null },
            },
          ]
        : []),
      ...(pool.DeletionProtection !== 'ACTIVE'
        ? [
            {
              mode: 'user-pool-no-deletion-protection' as const,
              resource,
              data: { userPoolId, DeletionProtection: pool.DeletionProtection ?? null, domain: ctx.domain.DomainName },
            },
          ]
        : []),
    ];
  },
});
