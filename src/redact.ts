// Secrets never leave cogdoctor: every snapshot it writes and every report it prints passes
// through here. What is secret comes from the AWS service models: every member they mark
// `sensitive` (src/sensitive-members.ts, derived from the SDK's schemas), wherever it appears,
// plus what the models cannot mark, minus the identifiers they mark that are not secrets.
import { inert } from './util/inert.js';
import { MODEL_SENSITIVE_MEMBERS } from './sensitive-members.js';

export const REDACTED = '<redacted>';

/**
 * Members the models mark sensitive that are identifiers or names, not secrets, and that a
 * diagnosis needs: an app client id is in every login URL and is how clients are matched; user
 * and master-user names identify who; `Value` is sensitive only as a user attribute's value
 * (AttributeType), which cogdoctor never reads, and is an ordinary member elsewhere (tags).
 */
const MODEL_SENSITIVE_NOT_SECRET = new Set(['ClientId', 'Username', 'MasterUserName', 'Value']);

/**
 * Secrets the models leave unmarked (STS and Cognito session tokens are plain strings in them, the
 * OAuth token response and the HTTP headers that carry credentials are not modelled), and the
 * model's own secret names as hand-written snapshots and other tools spell them: matched in any case.
 */
const SECRETS_ANY_CASE = new Set(
  [
    'SessionToken',
    'id_token',
    'access_token',
    'refresh_token',
    'client_secret',
    'Authorization',
    'x-amz-security-token',
    'ClientSecret',
    'SecretAccessKey',
    'SecretKey',
    'MasterUserPassword',
    'Password',
    'IdToken',
    'AccessToken',
    'RefreshToken',
  ].map((key) => key.toLowerCase()),
);

/** The model's sensitive members, spelled as the SDK returns them (cogdoctor's own lower-case fields, such as a trace's `token`, are not the model's `Token`). */
const MODEL_SECRETS = new Set(Object.keys(MODEL_SENSITIVE_MEMBERS).filter((member) => !MODEL_SENSITIVE_NOT_SECRET.has(member)));

/**
 * ProviderDetails is a free-form map in the model (no trait can mark its entries): only the keys
 * DescribeIdentityProvider documents as settings are kept; client_secret, private_key and any key
 * added later are redacted (Amazon Cognito API Reference, CreateIdentityProvider, ProviderDetails).
 */
const PROVIDER_DETAILS_SETTINGS = new Set([
  'client_id',
  'authorize_scopes',
  'api_version',
  'team_id',
  'key_id',
  'attributes_request_method',
  'oidc_issuer',
  'authorize_url',
  'token_url',
  'attributes_url',
  'attributes_url_add_attributes',
  'jwks_uri',
  'MetadataFile',
  'MetadataURL',
  'IDPSignout',
  'IDPInit',
  'EncryptedResponses',
  'RequestSigningAlgorithm',
  'ActiveEncryptionCertificate',
  'SLORedirectBindingURI',
  'SSORedirectBindingURI',
]);

/** Objects whose keys share a secret's name but hold no secret: an app client's token validity units ("hours"). */
const NOT_SECRET_PARENTS = new Set(['TokenValidityUnits']);

/** A deep copy with every secret value replaced by "<redacted>", and the credentials cogdoctor holds scrubbed from every string. */
export function redactDeep<T>(value: T): T {
  return walk(value, 0, scrubCredentials) as T;
}

/** redactDeep, and every secret pattern scrubbed from every string: what every report format prints, since a message or evidence may quote a token. */
export function redactReport<T>(value: T): T {
  return walk(value, 0, scrubSecrets) as T;
}

function isSecretKey(key: string, parent: string | undefined): boolean {
  if (parent === 'ProviderDetails') return !PROVIDER_DETAILS_SETTINGS.has(key);
  return (parent === undefined || !NOT_SECRET_PARENTS.has(parent)) && (MODEL_SECRETS.has(key) || SECRETS_ANY_CASE.has(key.toLowerCase()));
}

function walk(value: unknown, depth: number, text: (s: string) => string, parent?: string): unknown {
  if (typeof value === 'string') return text(value);
  if (depth > 200 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, text));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = isSecretKey(key, parent) && item !== null && item !== undefined && item !== '' ? REDACTED : walk(item, depth + 1, text, key);
  }
  return copy;
}

/** JWTs (three base64url parts) anywhere in free text, e.g. an error message that echoes a token. */
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
/** AWS access key ids. */
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;

/** Credential values the SDK resolved for this run (a profile, SSO, an assumed role, instance metadata). */
const resolved = new Set<string>();

/** Registers the credentials a client signs with, so that no text cogdoctor prints can carry them. */
export function holdCredentials(credentials: unknown): void {
  if (typeof credentials !== 'object' || credentials === null) return;
  for (const key of ['accessKeyId', 'secretAccessKey', 'sessionToken']) {
    const value = (credentials as Record<string, unknown>)[key];
    if (typeof value === 'string') resolved.add(value);
  }
}

const CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'];
let held: { key: string; values: string[] } | undefined;

/**
 * The credential values cogdoctor signs with, from the environment or as the SDK resolved them: a
 * server's error text may echo a request header. Shorter values are left alone: they cannot be
 * told from ordinary words. Computed again only when a credential is added (a sweep adds a session
 * per account, and every string of every report is scrubbed).
 */
function heldCredentials(): string[] {
  const environment = CREDENTIAL_VARIABLES.map((name) => process.env[name]);
  const key = `${environment.join('\0')}\0${resolved.size}`;
  if (held?.key !== key) {
    const values = [...environment, ...resolved]
      .filter((value): value is string => typeof value === 'string' && value.length >= 8)
      .flatMap((value) => [value, encodeURIComponent(value)]);
    held = { key, values: [...new Set(values)] };
  }
  return held.values;
}

function scrubCredentials(text: string): string {
  let scrubbed = text;
  for (const value of heldCredentials()) if (scrubbed.includes(value)) scrubbed = scrubbed.split(value).join(REDACTED);
  return scrubbed;
}

function scrubSecrets(text: string): string {
  return scrubCredentials(text)
    .replace(JWT, (jwt) => `${jwt.slice(0, 10)}…${REDACTED}`)
    .replace(ACCESS_KEY_ID, (id) => `${id.slice(0, 4)}…${REDACTED}`);
}

/** A message for stderr: secrets scrubbed, control, bidi and invisible characters shown as escapes (line breaks kept, for stack traces). */
export function redactText(text: string): string {
  return inert(scrubSecrets(text));
}
