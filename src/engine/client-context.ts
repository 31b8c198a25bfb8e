// What a check of `cogdoctor client` sees (checks/client/): what an OIDC relying party (a gateway,
// a load balancer, an app) needs from one user pool app client, and what was read about that
// client, live or from a snapshot. The counterpart of CheckContext, which sees a domain's snapshot.
import type { DomainDescriptionType, IdentityProviderType, UserPoolClientType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { DataGap } from '../context/check-context.js';
import { findReadError, gapOfFailedRead } from '../snapshot/gaps.js';
import type { CheckMeta, FindingInput, Gap, MessagesOf, Problem } from './types.js';
import type { ReadError } from '../snapshot/types.js';
import { regionOfPoolId } from '../model/pools.js';

export const FLOWS = ['code', 'implicit', 'client_credentials'] as const;
export type Flow = (typeof FLOWS)[number];
export const APPS = ['server', 'browser'] as const;
/** `server`: a confidential client that keeps a secret (Kong, an ALB, a backend); `browser`: a public one (SPA, mobile). */
export type AppKind = (typeof APPS)[number];

/** What the relying party sends and expects, from the command line. */
export interface RelyingParty {
  redirectUris: string[];
  logoutUris: string[];
  flow: Flow;
  /** The scopes it requests; empty for client_credentials without --scopes (Cognito then grants every allowed scope). */
  scopes: string[];
  identityProvider?: string;
  app: AppKind;
}

/** What was read about the app client, in the AWS API's shapes; every failed read is in `errors`. */
export interface ClientReads {
  userPoolId: string;
  clientId: string;
  accountId?: string;
  /** DescribeUserPool → .UserPool */
  userPool?: UserPoolType;
  /** DescribeUserPoolClient → .UserPoolClient (ClientSecret redacted) */
  client?: UserPoolClientType;
  /** DescribeUserPoolDomain → .DomainDescription, for each of UserPool.Domain and UserPool.CustomDomain that was described */
  domains: DomainDescriptionType[];
  /** ListIdentityProviders (+ DescribeIdentityProvider): read only when the relying party names a provider */
  identityProviders?: IdentityProviderType[];
  errors: ReadError[];
}

/** Standard OIDC and Cognito scopes: they describe a user, so client_credentials cannot have them. */
export const USER_SCOPES = ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'];

/** A resource-server scope is `<identifier>/<scope>`. */
export function isCustomScope(scope: string): boolean {
  return scope.includes('/') && !USER_SCOPES.includes(scope);
}

export function issuerOf(userPoolId: string): string {
  return `https://cognito-idp.${regionOfPoolId(userPoolId)}.amazonaws.com/${userPoolId}`;
}

/** The hosted UI base of a domain of the pool: a custom domain is its own host, a prefix lives under amazoncognito.com. */
export function hostedUiUrlOf(userPoolId: string, domain: string, custom: boolean): string {
  return custom ? `https://${domain}` : `https://${domain}.auth.${regionOfPoolId(userPoolId)}.amazoncognito.com`;
}

/** The app client a finding is about, as the messages of a client check word it. */
export interface ClientRef {
  userPoolId: string;
  clientId: string;
  /** ClientName, or the client id when it has none. */
  clientName: string;
}

/** The console path to an app client's login pages settings. */
export function consoleStepsOf(client: ClientRef): string {
  return `Amazon Cognito console → User pools → ${client.userPoolId} → App integration → App clients → ${client.clientName} → Login pages → Edit.`;
}

/** What a check of `cogdoctor client` sees: the reads, the relying party, and accessors that turn a failed read into `unknown`. */
export class ClientContext {
  readonly gaps: Gap[] = [];

  constructor(
    readonly reads: ClientReads,
    readonly party: RelyingParty,
  ) {}

  readError(operation: string, resource?: string): ReadError | undefined {
    return findReadError(this.reads.errors, operation, resource);
  }

  note(gap: Gap): void {
    this.gaps.push(gap);
  }

  private required<T>(value: T | undefined, operation: string, resource: string): T {
    if (value !== undefined) return value;
    const error = this.readError(operation, resource);
    throw new DataGap(
      error ? gapOfFailedRead(error) : { kind: 'unknown', reason: `${resource} was not read: ${operation} would read it`, permission: operation },
    );
  }

  client(): UserPoolClientType {
    return this.required(this.reads.client, 'cognito-idp:DescribeUserPoolClient', `${this.reads.userPoolId}/${this.reads.clientId}`);
  }

  userPool(): UserPoolType {
    return this.required(this.reads.userPool, 'cognito-idp:DescribeUserPool', this.reads.userPoolId);
  }

  get clientName(): string {
    return this.reads.client?.ClientName ?? this.reads.clientId;
  }

  /** Findings name the user pool (app clients have no ARN of their own); the client id is in the evidence. */
  get resource(): string {
    const { userPool, userPoolId, accountId } = this.reads;
    if (userPool?.Arn) return userPool.Arn;
    return accountId ? `arn:aws:cognito-idp:${regionOfPoolId(userPoolId)}:${accountId}:userpool/${userPoolId}` : userPoolId;
  }

  /** The app client, for the data of a problem. */
  get ref(): ClientRef {
    return { userPoolId: this.reads.userPoolId, clientId: this.reads.clientId, clientName: this.clientName };
  }
}

/** A check of `cogdoctor client`: the same metadata as a domain check, run on one app client. */
export interface ClientCheck extends CheckMeta {
  kind: 'client';
  /** The wording of each failure mode this check reports as a Problem. */
  messages?: MessagesOf;
  /** Problems, or finished findings (plugins written before messages existed). */
  run(ctx: ClientContext): Array<Problem | FindingInput>;
}
