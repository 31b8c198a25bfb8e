import {
  anyUnsignedPathToDashboards,
  cognitoEnabled,
  dashboardsUrl,
  defineCheck,
  domainArnOf,
  fgacEnabled,
  readAccessPolicy,
  samlEnabled,
} from '../src/check-kit.js';

const COGNITO_DOC = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html';
const SAML_DOC = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/saml.html';
const FGAC_DOC = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/fgac.html';
const ERRORS_DOC = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/handling-errors.html';

/** The sign-in settings the findings show, under their AWS field names. */
interface SignInFlags {
  CognitoEnabled: boolean;
  SAMLEnabled: boolean;
  FineGrainedAccessControl: boolean;
  InternalUserDatabaseEnabled: boolean;
  AnonymousAuthEnabled: boolean;
}

/** No Cognito or SAML, and Dashboards cannot sign anyone in: an IAM master user, or a policy only signed requests pass. */
interface NoWorkingSignIn {
  DomainName: string;
  iamMaster: boolean;
  dashboards: string | null;
}

/** Neither Cognito nor SAML; `onlyInternalUsers` when FGAC basic authentication is the only login. */
interface NoFederatedSignIn {
  DomainName: string;
  onlyInternalUsers: boolean;
}

/** Cognito signs users in while FGAC's internal user database stays on. */
interface InternalUsersWithCognito {
  DomainName: string;
}

function enableSteps(domainName: string): string[] {
  return [
    `OpenSearch console → Domains → ${domainName} → Actions → Edit security configuration → Enable Amazon Cognito authentication (pick the user pool, the identity pool and the role), or configure SAML authentication.`,
    'Enabling Cognito or SAML, or choosing other pools, starts a blue/green deployment.',
  ];
}

export default defineCheck({
  id: 'dashboards-authentication',
  title: 'Dashboards has a way for people to sign in',
  description:
    'Reads CognitoOptions.Enabled, AdvancedSecurityOptions.{Enabled, InternalUserDatabaseEnabled, AnonymousAuthEnabled, SAMLOptions.Enabled} and AccessPolicies. ' +
    'iam-master-without-dashboards-auth (catalog B3): neither Cognito nor SAML, and either FGAC is on with an IAM master user (InternalUserDatabaseEnabled false, anonymous auth off), so Dashboards shows a sign-in page that cannot work, or FGAC is off and no Allow statement of the access policy can admit an unsigned browser request to the Dashboards page (every Allow names IAM principals, or there is no policy), so the browser gets "User: anonymous is not authorized". ' +
    'dashboards-auth-missing (posture): neither Cognito nor SAML is enabled for Dashboards; it fires next to B3 when both hold (decision rule 18). ' +
    "internal-user-db-with-cognito (posture): FGAC's internal user database is on while Cognito signs users in to Dashboards. Scope: domain, so B3 and dashboards-auth-missing are reported when Cognito is off.",
  reads: ['domain'],
  scope: 'domain',
  modes: [
    {
      id: 'iam-master-without-dashboards-auth',
      severity: 'error',
      title: 'Dashboards has no working sign-in',
      symptom:
        'A Dashboards login form that never works ("nonfunctional sign-in page"), or {"Message":"User: anonymous is not authorized to perform: es:ESHttpGet"}; on VPC domains the request may just time out.',
      cause:
        'Fine-grained access control with an IAM master user but neither Cognito nor SAML enabled ("If you choose IAM for the master user and don\'t enable Amazon Cognito or SAML authentication, Dashboards displays a nonfunctional sign-in page"); or no FGAC and an access policy that admits only IAM principals, whose requests a browser cannot sign.',
      fix: 'Enable Cognito (or SAML) authentication for Dashboards, or, without FGAC, reach Dashboards through an IP-restricted statement and a proxy.',
      docs: [FGAC_DOC, COGNITO_DOC, ERRORS_DOC],
    },
    {
      id: 'dashboards-auth-missing',
      severity: 'warning',
      title: 'Neither Cognito nor SAML authentication for Dashboards',
      symptom: 'Neither Cognito nor SAML for Dashboards',
      cause:
        'Dashboards relies on the access policy (IP addresses, signed requests) or on FGAC basic authentication with internal users; there is no federated sign-in with its own session and MFA policies.',
      fix: 'Enable Amazon Cognito or SAML authentication for Dashboards.',
      docs: [COGNITO_DOC, SAML_DOC],
    },
    {
      id: 'internal-user-db-with-cognito',
      severity: 'warning',
      title: 'FGAC internal user database enabled together with Cognito',
      symptom: 'FGAC internal user DB enabled together with Cognito',
      cause:
        'Basic-auth internal users keep working against the REST API while Dashboards signs people in with Cognito; Cognito replaces the basic-auth login screen, so an internal master user cannot sign in to Dashboards to fix role mappings.',
      fix: 'Make an IAM role the master user (which turns the internal user database off) after mapping the Cognito roles, and move API clients to IAM.',
      docs: [FGAC_DOC, COGNITO_DOC],
    },
  ],
  messages: {
    'iam-master-without-dashboards-auth': {
      message: (d: NoWorkingSignIn) =>
        d.iamMaster
          ? `${d.DomainName} uses fine-grained access control with an IAM master user but neither Cognito nor SAML, so ${d.dashboards ?? 'Dashboards'} shows a sign-in page that cannot work.`
          : `${d.DomainName} has neither Cognito nor SAML and its access policy admits only signed IAM requests, so a browser opening ${d.dashboards ?? 'Dashboards'} is refused as anonymous.`,
      fix: (d: NoWorkingSignIn) => ({
        summary: 'Enable Amazon Cognito (or SAML) authentication for Dashboards.',
        steps: [
          ...enableSteps(d.DomainName),
          d.iamMaster
            ? 'With Cognito, one of the roles the identity pool hands out must be mapped in fine-grained access control (or be the master user), or users see "Missing Role".'
            : 'Without Cognito, Dashboards needs a statement that admits the browser: an IP-restricted one, used through a proxy (a posture risk: prefer Cognito).',
        ],
      }),
    },
    'dashboards-auth-missing': {
      message: (d: NoFederatedSignIn) =>
        `Dashboards on ${d.DomainName} has neither Cognito nor SAML authentication${d.onlyInternalUsers ? ' (only FGAC basic authentication with internal users)' : ''}.`,
      fix: (d: NoFederatedSignIn) => ({ summary: 'Enable Amazon Cognito or SAML authentication for Dashboards.', steps: enableSteps(d.DomainName) }),
    },
    'internal-user-db-with-cognito': {
      message: (d: InternalUsersWithCognito) =>
        `${d.DomainName} keeps FGAC's internal user database on while Dashboards signs users in with Cognito: basic-auth users still reach the REST API, and an internal master user cannot sign in to Dashboards.`,
      fix: (d: InternalUsersWithCognito) => ({
        summary: 'Map the Cognito roles in FGAC first, then make an IAM role the master user, which turns the internal user database off.',
        steps: [
          'Check that every role Cognito users get is mapped (see the fgac-role-mappings check); otherwise they lose access when the internal master goes.',
          `OpenSearch console → Domains → ${d.DomainName} → Actions → Edit security configuration → Fine-grained access control → Set IAM ARN as master user → the ARN of an administrators' role (update-domain-config --advanced-security-options with InternalUserDatabaseEnabled=false and MasterUserOptions={MasterUserARN=<that role>}).`,
          'Move API clients that use basic authentication to signed IAM requests.',
        ],
      }),
    },
  },
  run(ctx) {
    const domain = ctx.domain;
    const DomainName = domain.DomainName;
    const security = domain.AdvancedSecurityOptions;
    const cognito = cognitoEnabled(domain);
    const saml = samlEnabled(domain);
    const fgac = fgacEnabled(domain);
    const internalDb = security?.InternalUserDatabaseEnabled === true;
    const anonymous = security?.AnonymousAuthEnabled === true;
    const resource = domainArnOf(ctx.snapshot);
    const dashboards = dashboardsUrl(domain) ?? null;
    const flags: SignInFlags = {
      CognitoEnabled: cognito,
      SAMLEnabled: saml,
      FineGrainedAccessControl: fgac,
      InternalUserDatabaseEnabled: internalDb,
      AnonymousAuthEnabled: anonymous,
    };
    const problems = [];

    if (!cognito && !saml) {
      const iamMaster = fgac && !internalDb && !anonymous;
      const iamOnlyPolicy = !fgac && !anyUnsignedPathToDashboards(ctx.snapshot, readAccessPolicy(ctx.snapshot));
      if (iamMaster || iamOnlyPolicy) {
        problems.push({
          mode: 'iam-master-without-dashboards-auth' as const,
          resource,
          data: { DomainName, iamMaster, dashboards },
          evidence: {
            ...flags,
            reason: iamMaster ? 'IAM master user (internal user database off)' : 'no Allow statement admits unsigned requests to the Dashboards page',
            dashboards,
          },
        });
      }
      problems.push({
        mode: 'dashboards-auth-missing' as const,
        resource,
        data: { DomainName, onlyInternalUsers: fgac && internalDb },
        evidence: { ...flags, dashboards },
      });
    }

    if (cognito && fgac && internalDb) {
      problems.push({ mode: 'internal-user-db-with-cognito' as const, resource, data: { DomainName }, evidence: { ...flags } });
    }
    return problems;
  },
});
