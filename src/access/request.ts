// The request `cogdoctor access` evaluates: who (a role, a role session, a user, or nobody), which
// es:ESHttp* action, and which path of the domain.

/** Input that names no principal, action or path cogdoctor can evaluate: a usage error. */
export class AccessInputError extends Error {}

export type AccessPrincipal =
  | { kind: 'role'; given: string; roleArn: string; name: string; account: string; partition: string; sessionArn: string }
  | { kind: 'user'; given: string; userArn: string; name: string; account: string; partition: string }
  | { kind: 'anonymous'; given: string };

const ROLE = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/;
const SESSION = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/;
const USER = /^arn:(aws[a-z-]*):iam::(\d{12}):user\/(?:[^/]+\/)*([^/]+)$/;

/**
 * A role ARN, a role session ARN (mapped to its role: IAM evaluates the session with the role's
 * policies), an IAM user ARN, or `anonymous` for requests that are not signed.
 */
export function parsePrincipal(value: string): AccessPrincipal {
  const given = value.trim();
  if (given.toLowerCase() === 'anonymous' || given === '*') return { kind: 'anonymous', given: 'anonymous' };
  const session = SESSION.exec(given);
  if (session) {
    const [, partition, account, name] = session as unknown as [string, string, string, string];
    return { kind: 'role', given, roleArn: `arn:${partition}:iam::${account}:role/${name}`, name, account, partition, sessionArn: given };
  }
  const role = ROLE.exec(given);
  if (role) {
    const [, partition, account, name] = role as unknown as [string, string, string, string];
    return { kind: 'role', given, roleArn: given, name, account, partition, sessionArn: `arn:${partition}:sts::${account}:assumed-role/${name}/<session>` };
  }
  const user = USER.exec(given);
  if (user) {
    const [, partition, account, name] = user as unknown as [string, string, string, string];
    return { kind: 'user', given, userArn: given, name, account, partition };
  }
  const hint = /:root$/.test(given) ? ': the account root is not a caller; name the role or user that sends the requests' : '';
  throw new AccessInputError(
    `--principal ${JSON.stringify(value)} is not an IAM role ARN, a role session ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>), an IAM user ARN, or anonymous${hint}`,
  );
}

const VERBS = ['Get', 'Post', 'Put', 'Delete', 'Head', 'Patch'] as const;

/** `es:ESHttpGet`, `ESHttpGet` or the HTTP method (`GET`, `post`) → `es:ESHttpGet`. */
export function parseAction(value: string | undefined): string {
  if (value === undefined) return 'es:ESHttpGet';
  const bare = value
    .trim()
    .replace(/^es:/i, '')
    .replace(/^eshttp/i, '');
  const verb = VERBS.find((v) => v.toLowerCase() === bare.toLowerCase());
  if (!verb)
    throw new AccessInputError(
      `--action ${JSON.stringify(value)}: use es:ESHttpGet, es:ESHttpPost, es:ESHttpPut, es:ESHttpDelete, es:ESHttpHead or es:ESHttpPatch (or GET, POST, …)`,
    );
  return `es:ESHttp${verb}`;
}

/** The path of the request on the domain, `/*` (every subresource) by default. */
export function parsePath(value: string | undefined): string {
  if (value === undefined) return '/*';
  const path = value.trim();
  if (!path.startsWith('/') || /\s/.test(path))
    throw new AccessInputError(`--path ${JSON.stringify(value)}: give the path of the request on the domain, starting with /, e.g. /my-index/_search`);
  return path;
}
