// What an answer must hold before the collector believes it. A 200 with an empty or HTML body
// deserializes to an empty object, which would otherwise read as "no clients", "no roles", "no
// policies": findings invented from a proxy's error page. And an error page from a server that
// is not AWS (a proxy, a wrong --endpoint-url) should say so, not "UnknownError".

/**
 * Members each operation's answer always carries (the response syntax of its API reference, or
 * for lists the collection AWS returns even when empty: inferred from the SDK's own shapes and the
 * wire notes). An answer without one is a failed read, never an empty resource.
 */
const GUARANTEED_MEMBERS: Record<string, string[]> = {
  DescribeDomain: ['DomainStatus', 'DomainStatus.ARN', 'DomainStatus.DomainName'],
  DescribeDomains: ['DomainStatusList'],
  DescribeUserPool: ['UserPool'],
  ListUserPoolClients: ['UserPoolClients'],
  DescribeUserPoolClient: ['UserPoolClient'],
  ListGroups: ['Groups'],
  DescribeUserPoolDomain: ['DomainDescription'],
  ListIdentityProviders: ['Providers'],
  DescribeIdentityProvider: ['IdentityProvider'],
  AdminGetUser: ['Username'],
  AdminListGroupsForUser: ['Groups'],
  DescribeIdentityPool: ['IdentityPoolId'],
  GetIdentityPoolRoles: ['IdentityPoolId'],
  GetRole: ['Role'],
  GetUser: ['User'],
  GetPolicy: ['Policy'],
  GetPolicyVersion: ['PolicyVersion'],
  GetRolePolicy: ['PolicyDocument'],
  GetUserPolicy: ['PolicyDocument'],
  GetGroupPolicy: ['PolicyDocument'],
  // IAM lists always say whether they are truncated; a body that parsed to nothing does not.
  ListAttachedRolePolicies: ['IsTruncated'],
  ListRolePolicies: ['IsTruncated', 'PolicyNames'],
  ListAttachedUserPolicies: ['IsTruncated'],
  ListUserPolicies: ['IsTruncated', 'PolicyNames'],
  ListGroupsForUser: ['IsTruncated', 'Groups'],
  ListAttachedGroupPolicies: ['IsTruncated'],
  ListGroupPolicies: ['IsTruncated', 'PolicyNames'],
};

/** An answer that lacks what its operation guarantees, or does not parse. */
export class MalformedResponse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedResponse';
  }
}

function memberAt(value: unknown, path: string): unknown {
  let cursor = value;
  for (const step of path.split('.')) {
    if (cursor === null || typeof cursor !== 'object') return undefined;
    cursor = (cursor as Record<string, unknown>)[step];
  }
  return cursor;
}

/** The first guaranteed member the answer lacks, if any. */
export function missingMember(operation: string, output: unknown): string | undefined {
  return (GUARANTEED_MEMBERS[operation] ?? []).find((path) => {
    const member = memberAt(output, path);
    return member === undefined || member === null || member === '';
  });
}

/** An SDK client, as far as installing a middleware goes. */
export interface MiddlewareClient {
  middlewareStack: {
    add(middleware: unknown, options: { step: 'initialize'; name: string; priority?: 'high' }): void;
    add(middleware: unknown, options: { step: 'finalizeRequest'; name: string; priority?: 'low' }): void;
  };
}

interface SentRequest {
  request?: { hostname?: string };
}

/**
 * Checks every answer of the client against what its operation guarantees, and tags every
 * failure with the host that answered, so that an answer from a server that is not AWS can name it.
 */
export function guardAnswers<T extends MiddlewareClient>(client: T): T {
  client.middlewareStack.add(
    (next: (args: SentRequest) => Promise<{ output?: unknown }>, context: { commandName?: string }) => async (args: SentRequest) => {
      const operation = (context.commandName ?? '').replace(/Command$/, '');
      const host = args.request?.hostname;
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        if (host && error !== null && typeof error === 'object') Object.defineProperty(error, '$host', { value: host, configurable: true });
        throw error;
      }
      const missing = missingMember(operation, result.output);
      if (missing) throw new MalformedResponse(`${host ?? 'the server'} answered ${operation} without ${missing}, which AWS always returns`);
      return result;
    },
    { step: 'finalizeRequest', name: 'cogdoctorAnswerGuard', priority: 'low' },
  );
  return client;
}

/** Error names the SDK gives an answer it could not read as an AWS error. */
const NOT_AN_AWS_ERROR = new Set(['Unknown', 'UnknownError', 'SyntaxError', 'Error']);

/**
 * The code and message of an answer that is not AWS's: an HTTP status and the host (never a path
 * or query, which can carry secrets), or undefined for a real AWS error or a network failure.
 */
export function foreignAnswer(error: unknown): { code: string; message: string } | undefined {
  const e = error as { name?: string; $host?: string; $metadata?: { httpStatusCode?: number } } | null;
  const status = e?.$metadata?.httpStatusCode;
  if (!e || status === undefined || !NOT_AN_AWS_ERROR.has(e.name ?? '')) return undefined;
  const from = e.$host ?? 'the server';
  if (status >= 200 && status < 300) return { code: 'MalformedResponse', message: `${from} answered HTTP ${status} with a body that is not an AWS answer` };
  return { code: `Http${status}`, message: `${from} answered HTTP ${status}, which is not an AWS error answer (a proxy or a wrong endpoint?)` };
}
