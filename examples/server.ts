// The example shop API on node:http. node:http and no framework, because some misbehave switches need
// full control of the bytes on the wire (a 204 with a body, a missing header, a plain-text stack trace).
//
//   node dist/examples/server.js --port 0 [--misbehave a,b] [--token-ttl SECONDS]
import { realpathSync } from 'node:fs';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { InputError } from '../src/errors.js';
import { answer, problemInstance, type ApiRequest, type Shop } from './api.js';
import { TokenRegistry } from './auth.js';
import { parseMisbehave, type MisbehaveName } from './misbehave.js';
import { problemReply, type Reply } from './reply.js';
import { ShopStore } from './store.js';

export { EXAMPLE_CLIENT, EXAMPLE_TOKENS, EXAMPLE_USERS } from './auth.js';
export { MISBEHAVE_NAMES, MISBEHAVIOURS, type MisbehaveName } from './misbehave.js';

export interface ExampleServerOptions {
  /** 0 (the default) picks a free port */
  port?: number;
  /** misbehave switch names; comma-separated items are split */
  misbehave?: readonly string[];
  /** lifetime of tokens issued by /auth/login and /oauth/token; default 3600 */
  tokenTtlSeconds?: number;
  /** epoch milliseconds; tests pass their own clock to expire tokens without waiting */
  clock?: () => number;
}

export interface ExampleServer {
  /** e.g. 'http://127.0.0.1:41234', no trailing slash */
  url: string;
  misbehave: ReadonlySet<MisbehaveName>;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_BODY_BYTES = 1024 * 1024;

function checkedPort(port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port: "${port}" is not a port number (0-65535)`);
  return port;
}

function checkedTtl(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1) throw new InputError(`--token-ttl: "${seconds}" is not a whole number of seconds (1 or more)`);
  return seconds;
}

/** Path and query of the request target; absolute-form targets are reduced to their path. */
function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const question = target.indexOf('?');
  const rawPath = question < 0 ? target : target.slice(0, question);
  const query = new URLSearchParams(question < 0 ? '' : target.slice(question + 1));
  if (rawPath.startsWith('/')) return { path: rawPath, query };
  try {
    return { path: new URL(target).pathname, query };
  } catch {
    return { path: rawPath, query };
  }
}

/** The body, or undefined when it is larger than MAX_BODY_BYTES. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > MAX_BODY_BYTES) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** An unhandled exception: what a server without an error handler sends. */
function crashReply(error: unknown): Reply {
  const text = error instanceof Error ? (error.stack ?? String(error)) : String(error);
  return { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: Buffer.from(`Internal Server Error\n\n${text}\n`) };
}

function finalReply(reply: Reply, shop: Shop, requestId: string): Reply {
  const headers: Record<string, string> = { ...reply.headers, 'x-request-id': requestId };
  if (shop.misbehave.has('wrong-content-type') && reply.status === 200 && headers['content-type'] === 'application/json') {
    headers['content-type'] = 'text/plain; charset=utf-8';
  }
  if (reply.body !== undefined) headers['content-length'] = String(reply.body.length);
  return { ...reply, headers };
}

/** node:http drops the body of a 204, so the body-on-204 bug writes its response to the socket itself. */
function writeRaw(res: ServerResponse, reply: Reply): void {
  const lines = [`HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? ''}`, `date: ${new Date().toUTCString()}`, 'connection: close'];
  for (const [name, value] of Object.entries(reply.headers)) lines.push(`${name}: ${value}`);
  const socket = res.socket;
  if (!socket) return;
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  socket.end(reply.body ?? '');
}

function writeReply(res: ServerResponse, reply: Reply): void {
  if (reply.status === 204 && reply.body !== undefined && reply.body.length > 0) {
    writeRaw(res, reply);
    return;
  }
  res.writeHead(reply.status, reply.headers);
  res.end(reply.body);
}

async function serve(req: IncomingMessage, res: ServerResponse, shop: Shop): Promise<void> {
  const requestId = randomUUID();
  const { path, query } = splitTarget(req.url ?? '/');
  let reply: Reply;
  try {
    const body = await readBody(req);
    if (body === undefined) {
      res.shouldKeepAlive = false;
      reply = problemReply(
        { status: 413, type: 'payload-too-large', title: 'Payload too large', detail: `the body is larger than ${MAX_BODY_BYTES} bytes` },
        problemInstance(path),
        shop.misbehave,
      );
    } else {
      const request: ApiRequest = { method: (req.method ?? 'GET').toUpperCase(), path, query, headers: req.headers, body };
      reply = answer(request, shop);
    }
  } catch (error) {
    reply = crashReply(error);
  }
  writeReply(res, finalReply(reply, shop, requestId));
}

/** Starts the example API on 127.0.0.1; each server has its own store. */
export async function startExampleServer(options: ExampleServerOptions = {}): Promise<ExampleServer> {
  const port = checkedPort(options.port ?? 0);
  const misbehave = parseMisbehave(options.misbehave ?? []);
  const shop: Shop = {
    store: new ShopStore(),
    tokens: new TokenRegistry(checkedTtl(options.tokenTtlSeconds ?? 3600)),
    misbehave,
    lenient: {
      ranges: misbehave.has('accept-out-of-range'),
      formats: misbehave.has('accept-bad-format'),
      unknownMembers: misbehave.has('accept-unknown-member'),
      dateTimes: misbehave.has('accept-bad-date-time'),
      minItems: misbehave.has('accept-empty-items'),
    },
    now: options.clock ?? (() => Date.now()),
  };
  const server = createServer((req, res) => {
    serve(req, res, shop).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : undefined);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${HOST}:${address.port}`,
    misbehave,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

// ---------------------------------------------------------------- command line

function numberOption(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^[0-9]+$/.test(text.trim())) throw new InputError(`--${name}: "${text}" is not a whole number`);
  return Number(text);
}

async function main(argv: string[]): Promise<void> {
  let options: ExampleServerOptions;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        misbehave: { type: 'string', multiple: true },
        'token-ttl': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    options = {
      port: numberOption('port', values.port, 8080),
      misbehave: values.misbehave ?? [],
      tokenTtlSeconds: numberOption('token-ttl', values['token-ttl'], 3600),
    };
  } catch (error) {
    process.stderr.write(`example server: ${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  let server: ExampleServer;
  try {
    server = await startExampleServer(options);
  } catch (error) {
    process.stderr.write(`example server: ${(error as Error).message}\n`);
    process.exitCode = error instanceof InputError ? 2 : 1;
    return;
  }
  process.stdout.write(`listening on ${server.url}\n`);
  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) await main(process.argv.slice(2));
