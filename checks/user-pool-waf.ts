import {
  defineCheck,
  hostedUiDomainOf,
  requireWellFormedUserPoolId,
  userPoolArnOf,
  userPoolWebAclOf,
  usesManagedLogin,
  classicHostedUiCommand,
} from '../src/check-kit.js';

/** Since this day AWS WAF inspects requests to managed login pages too (What's New, 2025-06-27). */
const MANAGED_LOGIN_WAF_SINCE = Date.parse('2025-06-27T00:00:00Z');

/** A web ACL on the pool while its domain uses managed login, in a snapshot from before WAF covered managed login. */
interface ManagedLoginUnprotected {
  userPoolId: string;
  webAcl: { Name: string | null; ARN: string | null };
  /** The user pool domain. */
  domain: string;
  ManagedLoginVersion: number | undefined;
  capturedAt: string | null;
  managedLoginCoveredSince: string;
  /** The custom domain's certificate, which update-user-pool-domain must be given again. */
  CertificateArn?: string;
}

export default defineCheck({
  id: 'user-pool-waf',
  title: 'The web ACL on the user pool covers the login pages',
  description:
    'With the optional wafv2 GetWebACLForResource result for the user pool and the DescribeUserPoolDomain result: a web ACL associated with the pool did not apply to managed login pages (ManagedLoginVersion 2), only to the classic hosted UI and the API endpoints ("web ACL rules only apply to requests to user pool domains with the hosted UI (classic) branding version"). ' +
    'AWS lifted that limit on 2025-06-27, when AWS WAF support for managed login was announced, and the current user-pool-waf documentation lists managed login among the protected endpoints: the warning is therefore only given for snapshots captured before that day (capturedAt; a snapshot without it is taken as captured now). The web ACL is read first: a failed read is unknown even for a classic domain.',
  reads: ['domain', 'userPool', 'userPoolDomain', 'userPoolWebAcl'],
  modes: [
    {
      id: 'waf-not-enforced-managed-login',
      severity: 'warning',
      title: "The user pool's web ACL does not protect the managed login pages",
      symptom:
        'Requests to the Cognito login pages are not filtered by the web ACL associated with the user pool (no blocks, no CAPTCHA, no WAF metrics for the login pages).',
      cause:
        'The user pool domain used managed login (ManagedLoginVersion 2), and Amazon Cognito applied web ACL rules only to domains with the classic hosted UI branding version.',
      fix: "Set the domain's branding version to the classic hosted UI (ManagedLoginVersion 1), or rely on the managed login WAF support AWS has offered since June 2025 and check the web ACL's metrics.",
      docs: [
        'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-waf.html',
        'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-managed-login.html',
      ],
    },
  ],
  messages: {
    'waf-not-enforced-managed-login': {
      message: (d: ManagedLoginUnprotected) =>
        `Web ACL ${d.webAcl.Name ?? d.webAcl.ARN ?? '(unnamed)'} is associated with user pool ${d.userPoolId}, but its domain ${d.domain} uses managed login (ManagedLoginVersion 2), whose pages the web ACL's rules did not cover when this snapshot was captured (${d.capturedAt ?? 'now'}).`,
      fix: (d: ManagedLoginUnprotected) => ({
        summary: `Check the user pool again now: AWS WAF has covered managed login pages since June 27, 2025. If the pages must be filtered where that is not yet the case, switch ${d.domain} to the classic hosted UI (it changes the look of the login pages of every app client).`,
        steps: [
          `Amazon Cognito console → User pools → ${d.userPoolId} → Branding → Domain → ${d.domain} → Edit → Branding version: Hosted UI (classic) → Save.`,
        ],
        commands: [classicHostedUiCommand(d.userPoolId, d.domain, d.CertificateArn)],
      }),
    },
  },
  run(ctx) {
    const userPoolId = requireWellFormedUserPoolId(ctx);
    ctx.userPool();
    const acl = userPoolWebAclOf(ctx, userPoolId);
    if (!acl) return [];
    const hosted = hostedUiDomainOf(ctx, 'whether the web ACL applies to the login pages');
    if (!hosted || !usesManagedLogin(hosted.description)) return [];
    const captured = ctx.snapshot.capturedAt ? Date.parse(ctx.snapshot.capturedAt) : Date.now();
    if (!(captured < MANAGED_LOGIN_WAF_SINCE)) return [];
    const certificate = hosted.description.CustomDomainConfig?.CertificateArn;
    const evidence = {
      userPoolId,
      webAcl: { Name: acl.Name ?? null, ARN: acl.ARN ?? null },
      domain: hosted.name,
      ManagedLoginVersion: hosted.description.ManagedLoginVersion,
      capturedAt: ctx.snapshot.capturedAt ?? null,
      managedLoginCoveredSince: '2025-06-27',
    };
    return [
      {
        mode: 'waf-not-enforced-managed-login',
        resource: userPoolArnOf(ctx.snapshot, userPoolId),
        data: { ...evidence, ...(typeof certificate === 'string' ? { CertificateArn: certificate } : {}) },
        evidence,
      },
    ];
  },
});
