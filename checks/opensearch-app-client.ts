import {
  DataGap,
  clientNameRegions,
  clientPointsAtDomain,
  cognitoOptionsUpdate,
  defineCheck,
  findDomainClient,
  identityPoolArnOf,
  identityPoolClientIdsOf,
  identityPoolRolesRoundTrip,
  identityPoolRoundTrip,
  isDecisiveServiceClient,
  isIdentityPoolId,
  requireWellFormedUserPoolId,
  parseProviderName,
  parseRoleMappingKey,
  providerNameOf,
  roleMappingKeyOf,
  SERVICE_CLIENT_PREFIX,
  userPoolArnOf,
  type CheckContext,
  type FindingInput,
  type IdentityPool,
  type UserPoolClientType,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html',
];

function describeClient(client: UserPoolClientType): { ClientId?: string; ClientName?: string; CallbackURLs: string[] } {
  return { ClientId: client.ClientId, ClientName: client.ClientName, CallbackURLs: client.CallbackURLs ?? [] };
}

export default defineCheck({
  id: 'opensearch-app-client',
  title: 'The app client OpenSearch Service created for the domain exists and is the one the identity pool uses',
  description:
    'Looks for the app client OpenSearch Service created (decision rule 6): ClientName `AWSElasticsearch-<domain>-<region>-<hash>` or `AmazonOpenSearchService-<domain>-<region>-<hash>` (the whole name, so the client of `logs-prod` is not taken for `logs`), else a client named with that prefix whose CallbackURLs/LogoutURLs point at the domain, else a client listed in the identity pool\'s CognitoIdentityProviders whose URLs point at the domain. None: the client was deleted. When it exists, the identity pool\'s CognitoIdentityProviders entries and RoleMappings keys for the user pool must name it: when they name only other, hand-made clients of the pool, those settings never apply to Dashboards logins. A RoleMappings key of a client whose URLs point elsewhere is another app\'s (a shared pool), not a bypass.',
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool', 'identityPoolRoles'],
  modes: [
    {
      id: 'opensearch-app-client-deleted-or-bypassed',
      severity: 'error',
      title: 'The OpenSearch app client is deleted, or bypassed by a hand-made client',
      symptom:
        'Token is not from a supported provider of this identity pool. (or a hosted-UI error for an unknown client_id; with a hand-made client wired into the identity pool, its settings never apply)',
      cause:
        'OpenSearch Service signs users in with the app client it created, and that cannot be changed. The client was deleted (or renamed and re-pointed), or a team created its own client and wired it into the identity pool providers or role mappings instead of the service\'s.',
      fix: 'Trigger a domain deployment so the service re-creates its client and identity-pool provider, then key providers and role mappings on the service\'s client id.',
      docs: [...DOCS, 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-configuration-changes.html'],
    },
  ],
  run(ctx) {
    const cognito = ctx.domain.CognitoOptions ?? {};
    const userPoolId = requireWellFormedUserPoolId(ctx);
    const before = ctx.gaps.length;
    const clients = ctx.userPoolClients();
    // The gap an unreadable client leaves (DescribeUserPoolClient failed): dropped below once it cannot matter.
    const clientGaps = ctx.gaps.slice(before);
    const listedIds = identityPoolClientIdsOf(ctx.snapshot);
    const match = findDomainClient(ctx.domain, clients, { regions: clientNameRegions(ctx.snapshot), identityPoolClientIds: listedIds });
    const userPoolArn = userPoolArnOf(ctx.snapshot, userPoolId);

    if (!match) {
      // A client whose DescribeUserPoolClient failed may be the one: do not call it deleted.
      if (ctx.readError('cognito-idp:DescribeUserPoolClient')) return [];
      const pointing = clients.filter((c) => clientPointsAtDomain(c, ctx.domain));
      // Rule 6's last resort needs the identity pool: without it a pointing client may still be the one.
      if (pointing.length > 0 && !ctx.snapshot.identityPool && isIdentityPoolId(cognito.IdentityPoolId)) {
        try {
          ctx.identityPool();
        } catch (error) {
          if (!(error instanceof DataGap) || error.gap.kind !== 'not-applicable') throw error;
        }
      }
      const options = {
        Enabled: true,
        UserPoolId: userPoolId,
        ...(cognito.IdentityPoolId ? { IdentityPoolId: cognito.IdentityPoolId } : {}),
        ...(cognito.RoleArn ? { RoleArn: cognito.RoleArn } : {}),
      };
      const others = clients.map((c) => c.ClientName ?? c.ClientId ?? '').filter(Boolean);
      return [
        {
          id: 'opensearch-app-client-deleted-or-bypassed',
          message:
            `User pool ${userPoolId} has no app client AWSElasticsearch-${ctx.domain.DomainName}-… or AmazonOpenSearchService-${ctx.domain.DomainName}-…` +
            (pointing.length > 0
              ? `; ${pointing.map((c) => c.ClientName ?? c.ClientId).join(', ')} point${pointing.length === 1 ? 's' : ''} at the domain but ${pointing.length === 1 ? 'is' : 'are'} not the client the domain signs users in with.`
              : ': the client OpenSearch Service created for the domain was deleted.'),
          resource: userPoolArn,
          evidence: {
            userPoolId,
            domainName: ctx.domain.DomainName,
            expectedClientName: `AWSElasticsearch-${ctx.domain.DomainName}-<region>-<hash> or AmazonOpenSearchService-${ctx.domain.DomainName}-<region>-<hash>`,
            clientsInPool: others,
            clientsPointingAtDomain: pointing.map(describeClient),
            identityPoolClientIds: listedIds,
          },
          fix: {
            summary:
              'Make OpenSearch Service re-create its app client and identity-pool provider with a domain deployment: turn Cognito authentication off and on again (two blue/green deployments; wait until Processing is false in between). Do not rename or delete the client afterwards.',
            steps: [
              `OpenSearch Service console → Domains → ${ctx.domain.DomainName} → Security configuration → Edit → clear "Enable Amazon Cognito authentication" → Save; wait for the change to finish.`,
              `Edit again, enable Amazon Cognito authentication with user pool ${userPoolId}${cognito.IdentityPoolId ? ` and identity pool ${cognito.IdentityPoolId}` : ''} → Save.`,
              'Then point any role mappings at the new client id (cogdoctor shows it on the next run).',
            ],
            commands: [
              cognitoOptionsUpdate(ctx.snapshot, { Enabled: false }),
              cognitoOptionsUpdate(ctx.snapshot, options),
            ],
            iac: 'If IaC deleted the client (for example Terraform importing and then removing it), stop managing the service-created client; Terraform needs lifecycle.ignore_changes on the client fields and on cognito_identity_providers of the identity pool.',
          },
        },
      ];
    }

    const real = match.client;
    const realId = real.ClientId;
    if (!realId) return [];
    const handMade = (id: string): UserPoolClientType | undefined =>
      id === realId ? undefined : clients.find((c) => c.ClientId === id && !SERVICE_CLIENT_PREFIX.test(c.ClientName ?? ''));

    // A malformed identity pool id has no pool to read: cognito-pools-exist reports it.
    if (!isIdentityPoolId(cognito.IdentityPoolId)) return [];
    let identityPool: IdentityPool | undefined;
    let roles: ReturnType<CheckContext['identityPoolRoles']> | undefined;
    try {
      identityPool = ctx.identityPool();
      roles = ctx.identityPoolRoles();
    } catch (error) {
      if (!(error instanceof DataGap)) throw error;
      if (error.gap.kind !== 'not-applicable') ctx.note(error.gap);
    }
    if (!identityPool) return [];

    const inPool = (providerName: string | undefined) => parseProviderName(providerName)?.userPoolId === userPoolId;
    const providerIds = (identityPool.CognitoIdentityProviders ?? []).filter((p) => inPool(p.ProviderName)).map((p) => p.ClientId ?? '');
    const mappingKeys = Object.keys(roles?.RoleMappings ?? {}).flatMap((key) => {
      const parsed = parseRoleMappingKey(key);
      return parsed && inPool(parsed.providerName) ? [{ key, clientId: parsed.clientId }] : [];
    });
    // Every client the identity pool names was read (or is the service's): an unreadable one cannot change the verdict.
    const readable = new Set(clients.map((c) => c.ClientId));
    const named = [...providerIds, ...mappingKeys.map((k) => k.clientId)];
    if (isDecisiveServiceClient(ctx.domain, real, clientNameRegions(ctx.snapshot)) && named.every((id) => id === realId || readable.has(id))) {
      for (const gap of clientGaps) ctx.gaps.splice(ctx.gaps.indexOf(gap), 1);
    }
    const providersBypassed = !providerIds.includes(realId) ? providerIds.map(handMade).filter((c): c is UserPoolClientType => !!c) : [];
    // A role mapping for another app of a shared pool (its URLs elsewhere) is that app's, not a bypass.
    const mappingsBypassed = !mappingKeys.some((k) => k.clientId === realId)
      ? mappingKeys.filter((k) => {
          const other = handMade(k.clientId);
          return other !== undefined && clientPointsAtDomain(other, ctx.domain);
        })
      : [];
    if (providersBypassed.length === 0 && mappingsBypassed.length === 0) return [];

    const identityPoolId = identityPool.IdentityPoolId ?? cognito.IdentityPoolId ?? '';
    const realKey = roleMappingKeyOf(userPoolId, realId);
    const names = [...new Set([...providersBypassed.map((c) => c.ClientName ?? c.ClientId), ...mappingsBypassed.map((k) => handMade(k.clientId)?.ClientName ?? k.clientId)])];
    const where = [providersBypassed.length > 0 ? 'authentication providers' : '', mappingsBypassed.length > 0 ? 'role mappings' : ''].filter(Boolean).join(' and ');
    const commands: string[] = [];
    if (providersBypassed.length > 0) {
      commands.push(
        ...identityPoolRoundTrip(
          identityPoolId,
          '.CognitoIdentityProviders = ((.CognitoIdentityProviders // []) + [{ProviderName: $provider, ClientId: $client, ServerSideTokenCheck: true}] | unique_by(.ProviderName + ":" + .ClientId))',
          { provider: providerNameOf(userPoolId), client: realId },
        ),
      );
    }
    const from = mappingsBypassed[0];
    if (from) {
      commands.push(
        ...identityPoolRolesRoundTrip(
          identityPoolId,
          '.RoleMappings = (.RoleMappings | with_entries(if .key == $from then .key = $to else . end))',
          { from: from.key, to: realKey },
        ),
      );
    }
    const finding: FindingInput = {
      id: 'opensearch-app-client-deleted-or-bypassed',
      message: `The identity pool's ${where} for ${userPoolId} name ${names.join(', ')}, not ${real.ClientName ?? realId} (${realId}), the client the domain signs users in with, so they never apply to Dashboards logins.`,
      resource: identityPoolArnOf(ctx.snapshot, identityPoolId),
      evidence: {
        openSearchClient: describeClient(real),
        identityPoolProviderClientIds: providerIds,
        roleMappingKeys: mappingKeys.map((k) => k.key),
        handMadeClients: [...providersBypassed.map(describeClient), ...mappingsBypassed.map((k) => describeClient(handMade(k.clientId)!))].filter(
          (c, i, all) => all.findIndex((o) => o.ClientId === c.ClientId) === i,
        ),
        expectedRoleMappingKey: realKey,
      },
      fix: {
        summary: `Key the identity pool's providers and role mappings on ${realId}; the domain cannot be pointed at another client.`,
        steps: [
          `Amazon Cognito console → Identity pools → ${identityPoolId} → User access → Identity providers: make sure the provider for ${userPoolId} with app client ${realId} exists.`,
          `Edit its role settings and move the role mapping from ${names.join(', ')} to app client ${realId}.`,
        ],
        commands,
        iac: 'Point the IaC that wires the identity pool at the service-created client id (it is not exported by CloudFormation or DescribeDomain: look it up by name), or stop managing the providers there.',
      },
    };
    return [finding];
  },
});
