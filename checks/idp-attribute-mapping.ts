import {
  addCustomAttributeCommand,
  compareText,
  attributeMappingProblems,
  defineCheck,
  domainClientOf,
  federatedNamesOnClient,
  identityProviderRoundTrip,
  identityProvidersOf,
  providersOnClient,
  requireWellFormedUserPoolId,
  userPoolArnOf,
  userPoolClientRoundTrip,
  type AttributeMappingProblem,
  type Fix,
} from '../src/check-kit.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-specifying-attribute-mapping.html',
  'https://docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoint-idp-responses.html',
  'https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_SchemaAttributeType.html',
];

function describe(problem: AttributeMappingProblem): string {
  return problem.suggestion ? `${problem.reason} (use ${problem.suggestion})` : problem.reason;
}

/** An identity provider on the OpenSearch app client whose mapping the pool rejects, and the corrections. */
interface MappingRejected {
  userPoolId: string;
  provider: string;
  ProviderType: string | null;
  AttributeMapping: Record<string, string>;
  problems: AttributeMappingProblem[];
  clientId: string;
  clientName: string;
  WriteAttributes: string[] | null;
  /** custom: attributes the pool lacks that the mapping targets: added to the pool, the mapping kept. */
  addedAttributes: string[];
  /** The mapping Cognito accepts, keys sorted; absent when the mapping itself needs no change. */
  correctedMapping?: Record<string, string>;
  /** Mapped attributes the client's WriteAttributes leaves out. */
  unwritable: string[];
}

function attributeMappingFix(d: MappingRejected): Fix {
  const { userPoolId, provider: name, clientName, addedAttributes: added, correctedMapping, unwritable } = d;
  const saml = d.ProviderType === 'SAML';
  const required = d.problems.filter((p) => p.kind === 'required-not-mapped');
  const commands = [
    ...added.flatMap((attribute) => addCustomAttributeCommand(userPoolId, attribute) ?? []),
    ...(correctedMapping ? identityProviderRoundTrip(userPoolId, name, '.AttributeMapping = $mapping', { mapping: correctedMapping }) : []),
    ...(unwritable.length > 0
      ? userPoolClientRoundTrip(userPoolId, d.clientId, '.WriteAttributes = ((.WriteAttributes // []) + $attributes | unique)', { attributes: unwritable })
      : []),
  ];
  const steps =
    correctedMapping || required.length > 0
      ? [`Amazon Cognito console → User pools → ${userPoolId} → Authentication → Social and external providers → ${name} → Attribute mapping → Edit.`]
      : [];
  if (added.length > 0) {
    const names = added.map((a) => a.slice('custom:'.length));
    steps.unshift(
      `Amazon Cognito console → User pools → ${userPoolId} → Sign-up → Custom attributes → Add custom attributes: ${names.join(', ')} (type String, mutable; custom attributes cannot be removed later). The provider's mapping to ${added.join(', ')} then works as written.`,
    );
  }
  if (saml && required.length > 0) {
    steps.push(
      `Map ${required.map((p) => p.attribute).join(', ')} to the SAML attribute of ${name} that carries ${required.length > 1 ? 'them' : 'it'} (for email usually http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress), and make the IdP send it.`,
    );
  }
  if (unwritable.length > 0) steps.push(`App clients → ${clientName} → Attribute read and write permissions → Edit: allow writing ${unwritable.join(', ')}.`);
  const summary = [
    added.length > 0
      ? `Add ${added.join(', ')} to ${userPoolId} as mutable custom attribute${added.length > 1 ? 's' : ''}, keeping the provider's mapping to ${added.length > 1 ? 'them' : 'it'}.`
      : undefined,
    correctedMapping
      ? `Replace the attribute mapping of ${name} with ${JSON.stringify(correctedMapping)}${unwritable.length > 0 ? ` and let ${clientName} write ${unwritable.join(', ')}` : ''}, keeping the provider's other settings.`
      : unwritable.length > 0
        ? `Let ${clientName} write ${unwritable.join(', ')}, keeping every other client setting.`
        : required.length > 0
          ? `Map ${required.map((p) => p.attribute).join(', ')} from the identity provider ${name}.`
          : undefined,
  ].filter((part): part is string => part !== undefined);
  return {
    summary: summary.join(' '),
    steps,
    ...(commands.length > 0 ? { commands } : {}),
    iac: 'If CloudFormation (AWS::Cognito::UserPoolIdentityProvider AttributeMapping) or Terraform (aws_cognito_identity_provider attribute_mapping) defines the provider, change the mapping there.',
  };
}

export default defineCheck({
  id: 'idp-attribute-mapping',
  title: 'The attribute mappings of the identity providers on the OpenSearch app client fit the user pool',
  description:
    'For each identity provider (DescribeIdentityProvider, optional part) that the OpenSearch app client offers in SupportedIdentityProviders, compares AttributeMapping with DescribeUserPool.SchemaAttributes: every key must be an attribute of the pool (a standard attribute, or custom:<name> for custom ones; `username` only for social and OIDC providers, SAML providers take it from NameID), must not be immutable (Mutable: false: Cognito rewrites every mapped attribute at each federated sign-in), must be writable by the app client when its WriteAttributes is set, and every Required attribute of the pool (except sub) must be mapped. Without identity providers on the client there is nothing to check.',
  reads: ['domain', 'userPool', 'userPoolClients', 'identityPool', 'identityProviders'],
  modes: [
    {
      id: 'federated-attribute-mapping-error',
      severity: 'error',
      title: 'An identity provider maps attributes the user pool rejects',
      symptom:
        'After the IdP login, a redirect with error=server_error (or invalid_request) and error_description such as: Error in SAML response processing: Invalid user attributes: username: Attribute does not exist in the schema. / Invalid SAML response received: Invalid user attributes: Type for attribute {custom:x} could not be determined / Invalid user attributes: email: Attribute cannot be updated.',
      cause:
        "The provider's AttributeMapping targets an attribute the user pool does not have (a custom attribute without custom:, a typo, username on a SAML provider), an immutable attribute, or one the app client cannot write; or a required attribute of the pool is not mapped. Required and mutability cannot be changed after the pool is created.",
      fix: "Correct the provider's attribute mapping (a describe → edit → update round trip), add the missing custom attribute, or give the app client write access to the mapped attributes.",
      docs: DOCS,
    },
  ],
  messages: {
    'federated-attribute-mapping-error': {
      message: (d: MappingRejected) =>
        `Users of the ${d.ProviderType ? `${d.ProviderType} ` : ''}identity provider ${d.provider} cannot sign in to Dashboards: ${d.problems.map(describe).join('; ')}.`,
      fix: attributeMappingFix,
    },
  },
  run(ctx) {
    const userPoolId = requireWellFormedUserPoolId(ctx);
    const client = domainClientOf(ctx);
    if (!client?.ClientId) return []; // opensearch-app-client reports a missing client
    // No identity provider on the client: Dashboards users never go through a mapping.
    if (federatedNamesOnClient(client, undefined).length === 0) return [];
    const providers = identityProvidersOf(ctx, userPoolId, 'the attribute mappings of the identity providers on the OpenSearch app client');
    if (!providers) return [];
    const pool = ctx.userPool();
    const clientName = client.ClientName ?? client.ClientId;
    const problems: MappingRejected[] = [];
    for (const provider of providersOnClient(providers, client)) {
      const found = attributeMappingProblems(provider, pool, client);
      if (found.length === 0) continue;
      const mapping = provider.AttributeMapping ?? {};
      // The mapping Cognito accepts: wrong keys renamed or dropped, immutable ones dropped,
      // required standard attributes mapped from the same OIDC claim name (SAML names differ by IdP).
      // A custom: attribute the pool lacks is added, not unmapped (catalog D3): the mapping says the
      // users need it, and a role mapping rule may test it. A name Cognito would refuse cannot be added.
      const added = found
        .filter(
          (p) =>
            p.kind === 'not-in-schema' &&
            !p.suggestion &&
            p.attribute.startsWith('custom:') &&
            addCustomAttributeCommand(userPoolId, p.attribute) !== undefined,
        )
        .map((p) => p.attribute);
      const corrected: Record<string, string> = {};
      for (const [key, value] of Object.entries(mapping)) {
        const problem = found.find((p) => p.attribute === key && (p.kind === 'not-in-schema' || p.kind === 'immutable'));
        if (!problem || added.includes(key)) corrected[key] = value;
        else if (problem.suggestion && mapping[problem.suggestion] === undefined) corrected[problem.suggestion] = value;
      }
      if (provider.ProviderType !== 'SAML') for (const p of found.filter((p) => p.kind === 'required-not-mapped')) corrected[p.attribute] ??= p.attribute;
      // Key order as the API happens to return it must not change the command.
      const sorted = (m: Record<string, string>) => JSON.stringify(Object.fromEntries(Object.entries(m).sort(([a], [b]) => compareText(a, b))));
      problems.push({
        userPoolId,
        provider: provider.ProviderName ?? '',
        ProviderType: provider.ProviderType ?? null,
        AttributeMapping: mapping,
        problems: found,
        clientId: client.ClientId,
        clientName,
        WriteAttributes: client.WriteAttributes ?? null,
        addedAttributes: added,
        ...(sorted(corrected) !== sorted(mapping) ? { correctedMapping: JSON.parse(sorted(corrected)) as Record<string, string> } : {}),
        unwritable: found.filter((p) => p.kind === 'not-writable' && Array.isArray(client.WriteAttributes)).map((p) => p.attribute),
      });
    }
    return problems.map((d) => ({
      mode: 'federated-attribute-mapping-error' as const,
      resource: userPoolArnOf(ctx.snapshot, userPoolId),
      data: d,
      evidence: {
        userPoolId,
        provider: d.provider,
        ProviderType: d.ProviderType,
        AttributeMapping: d.AttributeMapping,
        problems: d.problems.map((p) => ({ attribute: p.attribute, kind: p.kind, reason: p.reason, ...(p.suggestion ? { suggestion: p.suggestion } : {}) })),
        clientId: d.clientId,
        WriteAttributes: d.WriteAttributes,
      },
    }));
  },
});
