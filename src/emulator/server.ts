// The HTTP server: classify each request, apply faults and recorded errors, answer from the snapshots.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { classify } from './classify.js';
import { cognitoIdentityOperations } from './cognito-identity.js';
import { cognitoIdpOperations } from './cognito-idp.js';
import { ApiError, faultError, isNetworkCode, throttleError } from './errors.js';
import { type Caller, Directory } from './directory.js';
import { FaultInjector, RateLimiter } from './faults.js';
import { iamOperations } from './iam.js';
import { inputViolation } from './limits.js';
import { accountOperations, organizationsOperations } from './organizations.js';
import { authError, scopeOf, signingViolation } from './signing.js';
import { jsonCodec } from './json-protocol.js';
import { queryCodec } from './query-protocol.js';
import { opensearchOperations, restJsonCodec } from './rest-opensearch.js';
import { domainApiCodec, securityPluginOperations } from './security-plugin.js';
import { stsOperations } from './sts.js';
import { wafv2Operations } from './wafv2.js';
import type { Call, Codec, Emulator, EmulatorOptions, Handler, HttpReply, Protocol, ServedRequest, ServiceContext, ServiceName } from './types.js';

const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_PAGE_SIZE = 60;

const OPERATIONS: Record<ServiceName, Record<string, Handler>> = {
  opensearch: opensearchOperations,
  'cognito-idp': cognitoIdpOperations,
  'cognito-identity': cognitoIdentityOperations,
  iam: iamOperations,
  sts: stsOperations,
  wafv2: wafv2Operations,
  'es-rest': securityPluginOperations,
  organizations: organizationsOperations,
  account: accountOperations,
};

const CODECS: Record<Protocol, Codec> = { json: jsonCodec, query: queryCodec, 'rest-json': restJsonCodec, 'es-rest': domainApiCodec };

/** What to do with a request: answer it, never answer it, or drop the connection. */
type Outcome = { reply: HttpReply } | 'hang' | 'reset';

function handlerFor(call: Call): { service: ServiceName; handler: Handler } | undefined {
  if (call.service === 'unknown') return undefined;
  const operations = OPERATIONS[call.service];
  const handler = Object.hasOwn(operations, call.operation) ? operations[call.operation] : undefined;
  return handler && { service: call.service, handler };
}

function unknownOperation(call: Call): ApiError {
  const reason = call.mutating ? 'the emulator is read-only' : 'the emulator does not serve it';
  switch (call.protocol) {
    case 'query':
      return new ApiError('InvalidAction', `The action ${call.operation} is not valid for this web service: ${reason}.`);
    case 'es-rest':
      return new ApiError('MethodNotAllowed', `${call.operation} is not allowed: ${reason}.`, 405);
    case 'rest-json': // no route: a 404, as from any REST API
      return new ApiError('UnknownOperationException', `${call.operation}: ${reason}.`, 404);
    case 'json':
      return new ApiError('UnknownOperationException', `${call.operation}: ${reason}.`);
  }
}

/** A 200 whose body stops halfway: what a client sees when a proxy or the network cuts a response. */
function malformed(reply: HttpReply): HttpReply {
  return { ...reply, status: 200, body: reply.body.slice(0, Math.floor(reply.body.length / 2)) };
}

/** The body, up to the size limit; the rest is read and dropped so that the client still gets an answer. */
function readBody(req: IncomingMessage): Promise<{ body: string; tooLarge: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve({ body: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES });
    req.on('data', (chunk: Buffer) => {
      const room = MAX_BODY_BYTES - Math.min(size, MAX_BODY_BYTES);
      if (room > 0) chunks.push(chunk.subarray(0, room));
      size += chunk.length;
    });
    req.on('end', done);
    req.on('error', done);
    req.on('close', done);
  });
}

/** Refused as AWS refuses credentials it does not know: an unknown temporary key, or an opt-in Region the account has not enabled. */
const INVALID_TOKEN = 'The security token included in the request is invalid.';

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const directory = new Directory(options.snapshots, options.organization);
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const faults = new FaultInjector(options.faults ?? []);
  const limiter = new RateLimiter(options.rateLimits ?? {});
  const log: ServedRequest[] = [];
  const sockets = new Set<Socket>();
  const sleepers = new Set<() => void>();
  let closed = false;

  /** A delay that close() cuts short. */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const serve = (call: Call, handler: Handler, codec: Codec, context: ServiceContext): HttpReply => {
    try {
      return codec.result(call, handler(call, context));
    } catch (error) {
      if (error instanceof ApiError) return codec.error(call, error);
      throw error;
    }
  };

  /** `caller` is undefined when the request's temporary credentials are unknown. */
  const answer = async (call: Call, caller: Caller | undefined): Promise<Outcome> => {
    const codec = CODECS[call.protocol];
    if (call.rejection) return { reply: codec.error(call, call.rejection) };
    const target = handlerFor(call);
    if (!target) return { reply: codec.error(call, unknownOperation(call)) };
    const { service, handler } = target;
    const account = caller ? directory.accountOf(caller) : directory.management;
    const refused = signingViolation(call, account.partition);
    if (refused) return { reply: codec.error(call, refused) };
    // An unsigned request (the domain's REST API takes them) carries no credentials to check.
    if (call.scope && (!caller || directory.regionDisabled(caller.accountId, call.scope.region))) {
      // An opt-in Region the account has not enabled does not know its credentials: AWS answers
      // UnrecognizedClientException / InvalidClientTokenId, "The security token included in the
      // request is invalid" (as reported in epsagon/clear-lambda-storage#9, SWO-GS/retro-tag#10).
      return { reply: codec.error(call, authError(call.protocol, 'token', INVALID_TOKEN)) };
    }
    // A session's keys stop working at its Expiration; the caller must assume the role again.
    if (call.scope && caller?.session && Date.now() >= caller.session.expiration.getTime()) {
      return { reply: codec.error(call, authError(call.protocol, 'expired', 'The security token included in the request is expired')) };
    }
    const invalid = inputViolation(call);
    if (invalid) return { reply: codec.error(call, invalid) };
    const identity = caller ?? directory.identify(undefined, undefined)!;
    call.callerArn = identity.arn;
    const denied = directory.sessionDenial(identity, call);
    if (denied) return { reply: codec.error(call, denied) };
    const context: ServiceContext = { account, caller: identity, directory, pageSize };

    const plan = faults.plan(call);
    if (plan.delayMs > 0) await sleep(plan.delayMs);
    if (closed) return 'reset';
    switch (plan.fault) {
      case undefined:
        break;
      case 'hang':
        return 'hang';
      case 'malformed':
        return { reply: malformed(serve(call, handler, codec, context)) };
      default:
        return { reply: codec.error(call, faultError(plan.fault, call, service, account.accountId)) };
    }
    if (!limiter.take(`${account.accountId} ${call.scope?.region ?? ''} ${service}`, service)) return { reply: codec.error(call, throttleError(service)) };

    const recorded = account.recordedError(call);
    if (recorded) {
      if (isNetworkCode(recorded.code)) return 'reset';
      return { reply: codec.error(call, new ApiError(recorded.code, recorded.message ?? recorded.code)) };
    }
    return { reply: serve(call, handler, codec, context) };
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const { body, tooLarge } = await readBody(req);
    const token = req.headers['x-amz-security-token'];
    const caller = directory.identify(scopeOf(req.headers)?.accessKeyId, Array.isArray(token) ? token[0] : token);
    const account = caller ? directory.accountOf(caller) : directory.management;
    const call = classify({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, tooLarge }, account);
    const entry: ServedRequest = { service: call.service, operation: call.operation, status: 0, mutating: call.mutating, accountId: account.accountId, at };
    if (call.scope) entry.region = call.scope.region;
    if (call.resources[0] !== undefined) entry.resource = call.resources[0];
    if (call.resources.length > 1) entry.ids = call.resources;
    log.push(entry);

    const outcome = await answer(call, caller);
    if (outcome === 'hang') return; // close() destroys the socket
    if (outcome === 'reset') {
      req.socket.destroy();
      return;
    }
    const { status, headers, body: text } = outcome.reply;
    entry.status = status;
    res.writeHead(status, { ...headers, 'x-amzn-requestid': randomUUID(), 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  };

  const server = createServer((req, res) => {
    onRequest(req, res).catch(() => {
      // A bug in a handler must not take the server down: answer 500 if the response is still open.
      if (!res.headersSent && !res.destroyed) res.writeHead(500).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    log,
    setFaults: (rules) => faults.set(rules),
    close: async () => {
      if (closed) return;
      closed = true;
      for (const wake of [...sleepers]) wake();
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      // Keep-alive and hanging requests would hold server.close() open: end them.
      for (const socket of sockets) socket.destroy();
      await stopped;
    },
  };
}
