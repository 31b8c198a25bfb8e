import {
  DataGap,
  clientNameRegions,
  clientPointsAtDomain,
  defineCheck,
  cognitoReenable,
  domainRegionOf,
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
  type Fix,
  type IdentityPool,
  type UserPoolClientType,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/cognito-auth.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html',
];

interface DescribedClient {
  ClientId?: string;
  ClientName?: string;
  CallbackURLs: string[];
}

function describeClient(client: UserPoolClientType): DescribedClient {
  return { ClientId: client.ClientId, ClientName: client.ClientName, CallbackURLs: client.CallbackURLs ?? [] };
}

/** No client of the pool is the service's: it was deleted (clients that point at the domain are hand-made). */
interface ClientDeleted {
  kind: 'deleted';
  userPoolId: string;
  domainName: string;
  /** The domain's region, for the update-domain-config commands. */
  domainRegion: string;
  /** The domain's CognitoOptions, given again when Cognito is turned back on. */
  IdentityPoolId?: string;
  RoleArn?: string;
  /** ClientName (or ClientId) of every client in the pool. */
  clientsInPool: string[];
  clientsPointingAtDomain: DescribedClient[];
  identityPoolClientIds: string[];
}

/** The identity pool's providers or role mappings name hand-made clients instead of the service's. */
interface ClientBypassed {
  kind: 'bypassed';
  userPoolId: string;
  IdentityPoolId: string;
  openSearchClient: DescribedClient & { ClientId: string };
  identityPoolProviderClientIds: string[];
  roleMappingKeys: string[];
  /** Hand-made clients the providers name, the service's client not among them (ClientName or ClientId). */
  providerClients: string[];
  /** Role mappings keyed on hand-made clients that point at the domain, none keyed on the service's client. */
  roleMappings: Array<{ key: string; client: string }>;
  handMadeClients: DescribedClient[];
  expectedRoleMappingKey: string;
}

type AppClientProblem = ClientDeleted | ClientBypassed;

function expectedClientName(domainName: string): string {
  return `AWSElasticsearch-${domainName}-<region>-<hash> or AmazonOpenSearchService-${domainName}-<region>-<hash>`;
}

function evidenceOf(d: AppClientProblem): Record<string, unknown> {
  if (d.kind === 'deleted') {
    return {
      userPoolId: d.userPoolId,
      domainName: d.domainName,
      expectedClientName: expectedClientName(d.domainName),
      clientsInPool: d.clientsInPool,
      clientsPointingAtDomain: d.clientsPointingAtDomain,
      identityPoolClientIds: d.identityPoolClientIds,
    };
  }
  return {
    openSearchClient: d.openSearchClient,
    identityPoolProviderClientIds: d.identityPoolProviderClientIds,
    roleMappingKeys: d.roleMappingKeys,
    handMadeClients: d.handMadeClients,
    expectedRoleMappingKey: d.expectedRoleMappingKey,
  };
}

function bypassingNames(d: ClientBypassed): string[] {
  return [...new Set([...d.providerClients, ...d.roleMappings.map((m) => m.client)])];
}

function deletedMessage(d: ClientDeleted): string {
  const pointing = d.clientsPointingAtDomain;
  return (
    `User pool ${d.userPoolId} has no app client AWSElasticsearch-${d.domainName}-… or AmazonOpenSearchService-${d.domainName}-…` +
    (pointing.length > 0
      ? `; ${pointing.map((c) => c.ClientName ?? c.ClientId).join(', ')} point${pointing.length === 1 ? 's' : ''} at the domain but ${pointing.length === 1 ? 'is' : 'are'} not the client the domain signs users in with.`
      : ': the client OpenSearch Service created for the domain was deleted.')
  );
}

function deletedFix(d: ClientDeleted): Fix {
  const reenable = cognitoReenable(d);
  return {
    summary:
      'Make OpenSearch Service re-create its app client and identity-pool provider with a domain deployment: turn Cognito authentication off and on again (two blue/green deployments; wait until Processing is false in between). Do not rename or delete the client afterwards.',
    steps: [...reenable.steps, 'Then point any role mappings at the new client id (cogdoctor shows it on the next run).'],
    commands: reenable.commands,
    iac: 'If IaC deleted the client (for example Terraform importing and then removing it), stop managing the service-created client; Terraform needs lifecycle.ignore_changes on the client fields and on cognito_identity_providers of the identity pool.',
  };
}

function bypassedMessage(d: ClientBypassed): string {
  const where = [d.providerClients.length > 0 ? 'authentication providers' : '', d.roleMappings.length > 0 ? 'role mappings' : '']
    .filter(Boolean)
    .join(' and ');
  const realId = d.openSearchClient.ClientId;
  return `The identity pool's ${where} for ${d.userPoolId} name ${bypassingNames(d).join(', ')}, not ${d.openSearchClient.ClientName ?? realId} (${realId}), the client the domain signs users in with, so they never apply to Dashboards logins.`;
}

function bypassedFix(d: ClientBypassed): Fix {
  const realId = d.openSearchClient.ClientId;
  const commands: string[] = [];
  if (d.providerClients.length > 0) {
    commands.push(
      ...identityPoolRoundTrip(
        d.IdentityPoolId,
        '.CognitoIdentityProviders = ((.CognitoIdentityProviders // []) + [{ProviderName: $provider, ClientId: $client, ServerSideTokenCheck: true}] | unique_by(.ProviderName + ":" + .ClientId))',
        { provider: providerNameOf(d.userPoolId), client: realId },
      ),
    );
  }
  const from = d.roleMappings[0];
  if (from) {
    commands.push(
      ...identityPoolRolesRoundTrip(d.IdentityPoolId, '.RoleMappings = (.RoleMappings | with_entries(if .key == $from then .key = $to else . end))', {
        from: from.key,
        to: d.expectedRoleMappingKey,
      }),
    );
  }
  return {
    summary: `Key the identity pool's providers and role mappings on ${realId}; the domain cannot be pointed at another client.`,
    steps: [
      `Amazon Cognito console → Identity pools → ${d.IdentityPoolId} → User access → Identity providers: make sure the provider for ${d.userPoolId} with app client ${realId} exists.`,
      `Edit its role settings and move the role mapping from ${bypassingNames(d).join(', ')} to app client ${realId}.`,
    ],
    commands,
    iac: 'Point the IaC that wires the identity pool at the service-created client id (it is not exported by CloudFormation or DescribeDomain: look it up by name), or stop managing the providers there.',
  };
}

export default defineCheck({
  id: 'opensearch-app-client',
  title: 'The app client OpenSearch Service created for the domain exists and is the one the identity pool uses',
  description:
    "Looks for the app client OpenSearch Service created (decision rule 6): ClientName `AWSElasticsearch-<domain>-<region>-<hash>` or `AmazonOpenSearchService-<domain>-<region>-<hash>` (the whole name, so the client of `logs-prod` is not taken for `logs`), else a client named with that prefix whose CallbackURLs/LogoutURLs point at the domain, else a client listed in the identity pool's CognitoIdentityProviders whose URLs point at the domain. None: the client was deleted. When it exists, the identity pool's CognitoIdentityProviders entries and RoleMappings keys for the user pool must name it: when they name only other, hand-made clients of the pool, those settings never apply to Dashboards logins. A RoleMappings key of a client whose URLs point elsewhere is another app's (a shared pool), not a bypass.",
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool', 'identityPoolRoles'],
  modes: [
    {
      id: 'opensearch-app-client-deleted-or-bypassed',
      severity: 'error',
      title: 'The OpenSearch app client is deleted, or bypassed by a hand-made client',
      symptom:
        'Token is not from a supported provider of this identity pool. (or a hosted-UI error for an unknown client_id; with a hand-made client wired into the identity pool, its settings never apply)',
      cause:
        "OpenSearch Service signs users in with the app client it created, and that cannot be changed. The client was deleted (or renamed and re-pointed), or a team created its own client and wired it into the identity pool providers or role mappings instead of the service's.",
      fix: "Trigger a domain deployment so the service re-creates its client and identity-pool provider, then key providers and role mappings on the service's client id.",
      docs: [...DOCS, 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-configuration-changes.html'],
    },
  ],
  messages: {
    'opensearch-app-client-deleted-or-bypassed': {
      message: (d: AppClientProblem) => (d.kind === 'deleted' ? deletedMessage(d) : bypassedMessage(d)),
      fix: (d: AppClientProblem) => (d.kind === 'deleted' ? deletedFix(d) : bypassedFix(d)),
    },
  },
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
      const problem: ClientDeleted = {
        kind: 'deleted',
        userPoolId,
        domainName: ctx.domain.DomainName,
        domainRegion: domainRegionOf(ctx.snapshot),
        ...(cognito.IdentityPoolId ? { IdentityPoolId: cognito.IdentityPoolId } : {}),
        ...(cognito.RoleArn ? { RoleArn: cognito.RoleArn } : {}),
        clientsInPool: clients.map((c) => c.ClientName ?? c.ClientId ?? '').filter(Boolean),
        clientsPointingAtDomain: pointing.map(describeClient),
        identityPoolClientIds: listedIds,
      };
      return [{ mode: 'opensearch-app-client-deleted-or-bypassed', resource: userPoolArn, data: problem, evidence: evidenceOf(problem) }];
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
    const problem: ClientBypassed = {
      kind: 'bypassed',
      userPoolId,
      IdentityPoolId: identityPoolId,
      openSearchClient: { ...describeClient(real), ClientId: realId },
      identityPoolProviderClientIds: providerIds,
      roleMappingKeys: mappingKeys.map((k) => k.key),
      providerClients: providersBypassed.map((c) => c.ClientName ?? c.ClientId ?? ''),
      roleMappings: mappingsBypassed.map((k) => ({ key: k.key, client: handMade(k.clientId)?.ClientName ?? k.clientId })),
      handMadeClients: [...providersBypassed.map(describeClient), ...mappingsBypassed.map((k) => describeClient(handMade(k.clientId)!))].filter(
        (c, i, all) => all.findIndex((o) => o.ClientId === c.ClientId) === i,
      ),
      expectedRoleMappingKey: roleMappingKeyOf(userPoolId, realId),
    };
    return [
      {
        mode: 'opensearch-app-client-deleted-or-bypassed',
        resource: identityPoolArnOf(ctx.snapshot, identityPoolId),
        data: problem,
        evidence: evidenceOf(problem),
      },
    ];
  },
});
