import type { JSONWebKeySet } from 'jose';
import { redactReport } from '../redact.js';
import { renderTraceJson, renderTraceText } from '../report/trace.js';
import { InputFileError, jsonErrorMessage, readInputFile } from '../snapshot/input.js';
import { inertLine } from '../util/inert.js';
import { readSnapshotFile } from '../snapshot/read.js';
import type { Snapshot } from '../snapshot/types.js';
import {
  decodeToken,
  identityFromClaims,
  identityFromGroups,
  identityFromToken,
  identityFromUser,
  issuerOf,
  tokenInfo,
  traceLogin,
  TraceInputError,
  verifyToken,
  type TokenVerification,
  type TraceIdentity,
  type UserRead,
} from '../trace/index.js';
import { UsageError } from '../errors.js';
import type { LiveOptions } from './live.js';
import { emit, useColor, type OutputOptions } from './output.js';
import { VERSION } from './version.js';

export interface TraceCommandOptions extends LiveOptions, OutputOptions {
  snapshot?: string;
  token?: string;
  jwks?: string;
  claims?: string;
  user?: string;
  groups?: string[];
  url?: string;
}

/** Claims and key sets are a few kilobytes. */
const MAX_JSON_INPUT_BYTES = 1024 * 1024;

async function readJson(file: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readInputFile(file, MAX_JSON_INPUT_BYTES);
  } catch (error) {
    if (error instanceof InputFileError) throw new UsageError(`${flag}: ${error.message}`);
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag}: ${inertLine(file)} is ${jsonErrorMessage(error)}`);
  }
}

function checkFlags(domain: string | undefined, options: TraceCommandOptions): void {
  if ([domain !== undefined, options.snapshot !== undefined].filter(Boolean).length !== 1) {
    throw new UsageError('name one source: a domain (live) or --snapshot FILE');
  }
  const identities = [options.token, options.claims, options.user, options.groups].filter((v) => v !== undefined).length;
  if (identities !== 1) {
    throw new UsageError(`name ${identities === 0 ? 'one' : 'only one'} identity to trace: --token JWT, --claims FILE, --user NAME or --groups a,b`);
  }
  if (options.user !== undefined && options.snapshot !== undefined) {
    throw new UsageError('--user reads the user live: name the domain instead of --snapshot (offline, use --claims FILE or --groups a,b)');
  }
  if (options.jwks !== undefined && options.token === undefined) throw new UsageError('--jwks verifies --token: pass both');
  // Not even the shape of a JWT: said without a fingerprint, which would invent an eyJ… prefix.
  if (options.token !== undefined && !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(options.token)) {
    throw new UsageError('--token is not a JSON Web Token (three base64url parts separated by dots): pass the id_token of a Dashboards login');
  }
  if (options.url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(options.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new UsageError(`--url ${JSON.stringify(options.url)} is not an http(s) URL`);
  }
}

/** AWS calls sent elsewhere (an emulator): the pool's public keys on AWS are not the ones to trust. */
function endpointOverridden(options: LiveOptions): boolean {
  return Boolean(options.endpointUrl || process.env['AWS_ENDPOINT_URL'] || process.env['AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER']);
}

async function verification(
  token: string,
  issuer: unknown,
  snapshot: Snapshot,
  jwks: { value: unknown; file: string } | undefined,
  options: TraceCommandOptions,
): Promise<TokenVerification> {
  if (jwks) return verifyToken(token, { kind: 'file', jwks: jwks.value as JSONWebKeySet, file: jwks.file });
  if (options.snapshot !== undefined) {
    return { state: 'decoded', reason: "only decoded: offline (--snapshot), the user pool's keys were not fetched; pass --jwks FILE to verify the signature" };
  }
  const userPoolId = snapshot.domain.CognitoOptions?.UserPoolId;
  if (!userPoolId || issuer !== issuerOf(userPoolId)) {
    return {
      state: 'decoded',
      reason: `only decoded: the token was not issued by the domain's user pool${userPoolId ? ` ${userPoolId}` : ''}, whose keys are the ones cogdoctor fetches`,
    };
  }
  if (endpointOverridden(options)) {
    return {
      state: 'decoded',
      reason: "only decoded: AWS calls go to --endpoint-url, so the user pool's public keys were not fetched; pass --jwks FILE to verify the signature",
    };
  }
  return verifyToken(token, { kind: 'remote', issuer: issuerOf(userPoolId), timeoutMs: options.timeout ?? 10_000 });
}

async function run(domain: string | undefined, options: TraceCommandOptions): Promise<number> {
  checkFlags(domain, options);
  // Inputs are read before any AWS call, so a bad token or file fails fast.
  const decoded = options.token !== undefined ? decodeToken(options.token) : undefined;
  const claims = options.claims !== undefined ? await readJson(options.claims, '--claims') : undefined;
  const jwks = options.jwks !== undefined ? { value: await readJson(options.jwks, '--jwks'), file: options.jwks } : undefined;

  let snapshot: Snapshot;
  let user: UserRead | undefined;
  if (options.snapshot !== undefined) snapshot = await readSnapshotFile(options.snapshot);
  else {
    const { collectForTrace } = await import('./live.js');
    ({ snapshot, user } = await collectForTrace(domain!, options.user, options));
    if (user?.userError?.code === 'UserNotFoundException') throw new UsageError(`--user ${user.username}: user pool ${user.userPoolId} has no such user`);
  }

  let identity: TraceIdentity;
  if (decoded) {
    const verified = await verification(options.token!, decoded.claims['iss'], snapshot, jwks, options);
    identity = identityFromToken(snapshot, decoded.claims, tokenInfo(decoded, verified));
  } else if (claims !== undefined) identity = identityFromClaims(snapshot, claims, options.claims!);
  else if (user) identity = identityFromUser(snapshot, user);
  else identity = identityFromGroups(snapshot, options.groups ?? []);

  const result = traceLogin(snapshot, identity, {
    now: new Date(),
    version: VERSION,
    source: options.snapshot !== undefined ? 'snapshot' : 'live',
    ...(options.snapshot !== undefined ? { file: options.snapshot } : {}),
    ...(options.url !== undefined ? { url: options.url } : {}),
  });
  const safe = redactReport(result);
  const text =
    options.format === 'json'
      ? renderTraceJson(safe)
      : options.format === 'html'
        ? (await import('../report/html.js')).renderTraceHtml(safe, { version: VERSION })
        : renderTraceText(safe, { color: useColor(options), verbose: options.verbose === true });
  await emit(text, options);
  return safe.outcome.result === 'success' ? 0 : safe.outcome.result === 'failure' ? 1 : 3;
}

export async function runTraceCommand(domain: string | undefined, options: TraceCommandOptions): Promise<number> {
  try {
    return await run(domain, options);
  } catch (error) {
    if (error instanceof TraceInputError) throw new UsageError(error.message);
    throw error;
  }
}
