import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the hostile server answers the operation it targets (every other request goes to the emulator). */
export type HostileAnswer = (res: ServerResponse, call: number) => void;

export interface HostileServer {
  url: string;
  /** Requests of the targeted operation received so far. */
  calls: number;
  /** Bytes of body written for the targeted operation before the client went away. */
  bytesSent: number;
  close(): Promise<void>;
}

/** The operation a request names, whichever protocol carries it. */
function operationOf(req: IncomingMessage, body: string): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.slice(target.lastIndexOf('.') + 1);
  const action = /(?:^|&)Action=([A-Za-z]+)/.exec(body);
  if (action) return action[1]!;
  if (req.url?.includes('/_security/api/rolesmapping')) return 'ESHttpGet';
  if (req.method === 'GET' && /\/opensearch\/domain\/[^/]+$/.test(req.url ?? '')) return 'DescribeDomain';
  return '';
}

/**
 * A server on 127.0.0.1 in front of the emulator: requests for `operation` get `answer`, the rest
 * are passed through, so a whole collection runs with one hostile read in it.
 */
export async function startHostileServer(upstream: string, operation: string, answer: HostileAnswer): Promise<HostileServer> {
  const state = { calls: 0, bytesSent: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (operationOf(req, body.toString('utf8')) === operation) {
        state.calls++;
        const write = res.write.bind(res);
        res.write = ((chunk: string | Buffer, ...rest: never[]) => {
          state.bytesSent += Buffer.byteLength(chunk);
          return write(chunk, ...rest);
        }) as typeof res.write;
        answer(res, state.calls);
        return;
      }
      const forwarded = request(`${upstream}${req.url}`, { method: req.method, headers: req.headers }, (reply) => {
        res.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(res);
      });
      forwarded.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get calls() {
      return state.calls;
    },
    get bytesSent() {
      return state.bytesSent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A JSON answer (the Cognito and OpenSearch protocols). */
export const json =
  (value: unknown): HostileAnswer =>
  (res) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify(value));
  };

/** An IAM (query protocol) answer whose result element holds `inner`. */
export const iamXml =
  (operation: string, inner: string): HostileAnswer =>
  (res) => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(
      `<${operation}Response xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><${operation}Result>${inner}</${operation}Result><ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata></${operation}Response>`,
    );
  };

/** A 200 whose body is `body` as is (empty, HTML). */
export const raw =
  (status: number, body: string, type = 'text/html'): HostileAnswer =>
  (res) => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };

/** Headers at once, then one byte every `everyMs` for as long as the client listens: never silent, never done. */
export const trickle =
  (everyMs: number): HostileAnswer =>
  (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
    const timer = setInterval(() => res.write(' '), everyMs);
    res.on('close', () => clearInterval(timer));
  };

/** A body that never ends, sent as fast as the client takes it. */
export const endless =
  (chunkBytes = 64 * 1024): HostileAnswer =>
  (res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(chunkBytes, 0x20);
    let open = true;
    res.on('close', () => (open = false));
    const pump = () => {
      while (open && res.write(chunk));
      if (open) res.once('drain', pump);
    };
    res.write('{');
    pump();
  };
