// Servers that misbehave at the socket level, on 127.0.0.1: raw node:net, so HTTP can be as broken as needed.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

export interface RawRequest {
  method: string;
  /** the request target as received */
  path: string;
  /** names lower-cased */
  headers: Record<string, string>;
  /** performance.now() when the head was complete */
  arrivedAt: number;
}

/** What the server does with one request; it owns the socket from then on. */
export type Behaviour = (socket: net.Socket, request: RawRequest, index: number) => void;

export interface HostileServer {
  url: string;
  port: number;
  /** every request head received, in order */
  requests: RawRequest[];
  /** requests received but not yet answered or abandoned (see markAnswered) */
  inFlight(): number;
  maxInFlight(): number;
  /** stop listening and drop every connection: the server is gone */
  close(): Promise<void>;
}

const HEAD_END = Buffer.from('\r\n\r\n');
/** a request head bigger than this is not one we sent: drop the connection */
const MAX_HEAD = 64 * 1024;

function parseHead(head: string): Omit<RawRequest, 'arrivedAt'> {
  const [requestLine = '', ...lines] = head.split('\r\n');
  const [method = '', target = ''] = requestLine.split(' ');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { method, path: target, headers };
}

/** how each server's socket reports an answered request to its in-flight count */
const answeredHooks = new WeakMap<net.Socket, () => void>();

/**
 * A raw TCP server that reads request heads (and skips Content-Length bodies) and hands each to `behaviour`.
 * In-flight counting: a request is in flight from its head until its socket closes or the behaviour calls
 * `markAnswered(socket)`.
 */
export async function startHostileServer(behaviour: Behaviour): Promise<HostileServer> {
  const sockets = new Set<net.Socket>();
  const requests: RawRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const pendingOn = new Map<net.Socket, number>();

  const settleOne = (socket: net.Socket): void => {
    const pending = pendingOn.get(socket) ?? 0;
    if (pending === 0) return;
    pendingOn.set(socket, pending - 1);
    inFlight--;
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffered = Buffer.alloc(0);
    let bodyToSkip = 0;
    socket.on('error', () => undefined); // a client reset is expected here
    socket.on('close', () => {
      sockets.delete(socket);
      inFlight -= pendingOn.get(socket) ?? 0;
      pendingOn.delete(socket);
    });
    answeredHooks.set(socket, () => settleOne(socket));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        if (bodyToSkip > 0) {
          const skipped = Math.min(bodyToSkip, buffered.length);
          buffered = buffered.subarray(skipped);
          bodyToSkip -= skipped;
          if (bodyToSkip > 0) return;
        }
        const end = buffered.indexOf(HEAD_END);
        if (end === -1) {
          if (buffered.length > MAX_HEAD) socket.destroy();
          return;
        }
        const request = { ...parseHead(buffered.subarray(0, end).toString('latin1')), arrivedAt: performance.now() };
        buffered = buffered.subarray(end + HEAD_END.length);
        bodyToSkip = Number.parseInt(request.headers['content-length'] ?? '0', 10) || 0;
        requests.push(request);
        pendingOn.set(socket, (pendingOn.get(socket) ?? 0) + 1);
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        behaviour(socket, request, requests.length - 1);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Tells the server's in-flight count that this socket's oldest request is answered. */
export function markAnswered(socket: net.Socket): void {
  answeredHooks.get(socket)?.();
}

/** A well-formed HTTP/1.1 answer, written on a kept-alive connection. */
export function writeAnswer(socket: net.Socket, status: number, headers: Record<string, string>, body: string | Buffer = ''): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  const lines = [`HTTP/1.1 ${status} ${REASONS[status] ?? 'Status'}`];
  for (const [name, value] of Object.entries({ 'content-length': String(bytes.length), ...headers })) lines.push(`${name}: ${value}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (bytes.length > 0) socket.write(bytes);
  markAnswered(socket);
}

const REASONS: Record<number, string> = { 200: 'OK', 301: 'Moved Permanently', 302: 'Found', 307: 'Temporary Redirect', 429: 'Too Many Requests', 500: 'Internal Server Error' };

// ---------------------------------------------------------------- behaviours

/** Accepts, reads the request, never answers. */
export const silent: Behaviour = () => undefined;

/** Status line and headers promising a JSON body, a first fragment of it, then nothing. */
export const headersThenStall: Behaviour = (socket) => {
  socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 64\r\n\r\n[1,2,');
};

/** The whole answer, one byte per `intervalMs` (a slowloris server). */
export function dripping(intervalMs: number): Behaviour {
  return (socket) => {
    const bytes = Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 7\r\n\r\n[1,2,3]');
    let next = 0;
    const timer = setInterval(() => {
      if (next >= bytes.length || socket.destroyed) return clearInterval(timer);
      socket.write(bytes.subarray(next, next + 1));
      next++;
    }, intervalMs);
    socket.once('close', () => clearInterval(timer));
  };
}

/** Headers and half the body, then a TCP reset. */
export const resetMidResponse: Behaviour = (socket) => {
  socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 40\r\n\r\n[1,2,3,', () => {
    socket.resetAndDestroy();
  });
};

/** Bytes that are not HTTP at all (an SSH banner and binary noise), then close. */
export const garbage: Behaviour = (socket) => {
  socket.end(Buffer.concat([Buffer.from('SSH-2.0-OpenSSH_9.6\r\n'), Buffer.from([0, 255, 254, 7, 13, 10, 0x1b])]));
};

/** A header block that never ends: header lines until the client gives up. */
export function endlessHeaders(): Behaviour {
  return (socket) => {
    socket.write('HTTP/1.1 200 OK\r\n');
    let n = 0;
    const more = (): void => {
      while (!socket.destroyed && n < 1_000_000) {
        n++;
        if (!socket.write(`x-filler-${n}: ${'y'.repeat(100)}\r\n`)) return void socket.once('drain', more);
      }
    };
    more();
  };
}

/**
 * A body of `totalBytes` (1 GB by default) streamed lazily: one 64 KiB chunk reused, written only when the
 * socket drains, so the server never holds the body. `written()` tells how far it got before the client left.
 */
export function hugeBody(totalBytes = 1024 ** 3): { behaviour: Behaviour; written(): number } {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  const behaviour: Behaviour = (socket) => {
    socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${totalBytes}\r\n\r\n`);
    let left = totalBytes;
    const pump = (): void => {
      while (left > 0 && !socket.destroyed) {
        const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
        left -= piece.length;
        written += piece.length;
        if (!socket.write(piece)) return void socket.once('drain', pump);
      }
    };
    pump();
  };
  return { behaviour, written: () => written };
}

/** `zeros` bytes of zeros compressed, built chunk by chunk so the plain text never exists in memory. */
export async function compressedZeros(encoding: 'gzip' | 'deflate', zeros: number): Promise<Buffer> {
  const stream = encoding === 'gzip' ? zlib.createGzip({ level: 9 }) : zlib.createDeflate({ level: 9 });
  const out: Buffer[] = [];
  stream.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const block = Buffer.alloc(1024 * 1024);
  for (let left = zeros; left > 0; left -= block.length) {
    if (!stream.write(left >= block.length ? block : block.subarray(0, left))) await new Promise((r) => stream.once('drain', r));
  }
  stream.end();
  await done;
  return Buffer.concat(out);
}

/** A small compressed body that inflates to far more than any cap, labelled JSON. */
export function compressionBomb(encoding: 'gzip' | 'deflate', compressed: Buffer): Behaviour {
  return (socket) => writeAnswer(socket, 200, { 'content-type': 'application/json', 'content-encoding': encoding }, compressed);
}

/** Transfer-Encoding: chunked with a chunk size that is not hexadecimal. */
export const invalidChunked: Behaviour = (socket) => {
  socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n3\r\n[1,\r\nzz\r\n2]\r\n0\r\n\r\n');
};

/** Content-Length promises more than is sent, then the connection closes. */
export const contentLengthTooLong: Behaviour = (socket) => {
  socket.end('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n[1,2,3]');
};

/** Content-Length promises less than is sent: the extra bytes reach the client as if they were the next answer. */
export const contentLengthTooShort: Behaviour = (socket) => {
  socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 3\r\n\r\n[1,2,3,4,5,6]\r\nnot http at all\r\n\r\n');
  markAnswered(socket);
};

/** A redirect to `location`, kept alive. */
export function redirectTo(location: (request: RawRequest) => string, status = 302): Behaviour {
  return (socket, request) => writeAnswer(socket, status, { location: location(request) });
}

/** A correct JSON answer. */
export function jsonAnswer(body: unknown, status = 200, headers: Record<string, string> = {}): Behaviour {
  return (socket) => writeAnswer(socket, status, { 'content-type': 'application/json', ...headers }, JSON.stringify(body));
}

/** Informational 1xx answers, one every `intervalMs`, and never a final one. */
export function endlessInformational(intervalMs: number): Behaviour {
  return (socket) => {
    const timer = setInterval(() => {
      if (socket.destroyed) return clearInterval(timer);
      socket.write('HTTP/1.1 102 Processing\r\n\r\n');
    }, intervalMs);
    socket.once('close', () => clearInterval(timer));
  };
}
