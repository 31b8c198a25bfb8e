// Secrets never leave cogdoctor: every snapshot it writes and every report it prints passes
// through here. Keys are matched by name, so a secret is caught wherever AWS puts it.
export const REDACTED = '<redacted>';

const SECRET_KEYS = /^(ClientSecret|SecretAccessKey|SecretKey|SessionToken|MasterUserPassword|Password|id_token|access_token|refresh_token|IdToken|AccessToken|RefreshToken|Authorization|x-amz-security-token)$/i;

/** A deep copy with every secret value replaced by "<redacted>". */
export function redactDeep<T>(value: T): T {
  return walk(value, 0, false) as T;
}

/** redactDeep, and redactText on every string: what every report format prints, since a message or evidence may quote a token. */
export function redactReport<T>(value: T): T {
  return walk(value, 0, true) as T;
}

/** Objects whose keys share a secret's name but hold no secret: an app client's token validity units ("hours"). */
const NOT_SECRET_PARENTS = new Set(['TokenValidityUnits']);

function walk(value: unknown, depth: number, text: boolean, parent?: string): unknown {
  if (text && typeof value === 'string') return redactText(value);
  if (depth > 200 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, text));
  const copy: Record<string, unknown> = {};
  const secrets = parent === undefined || !NOT_SECRET_PARENTS.has(parent);
  for (const [key, item] of Object.entries(value)) {
    copy[key] = secrets && SECRET_KEYS.test(key) && item !== null && item !== undefined && item !== '' ? REDACTED : walk(item, depth + 1, text, key);
  }
  return copy;
}

/** JWTs (three base64url parts) anywhere in free text, e.g. an error message that echoes a token. */
const JWT = /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
/** AWS access key ids. */
const ACCESS_KEY_ID = /\b(AKIA|ASIA)[A-Z0-9]{16}\b/g;

export function redactText(text: string): string {
  return text.replace(JWT, (jwt) => `${jwt.slice(0, 10)}…${REDACTED}`).replace(ACCESS_KEY_ID, (id) => `${id.slice(0, 4)}…${REDACTED}`);
}
