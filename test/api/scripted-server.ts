/**
 * A node:http server on port 0 that answers each request with the next scripted step, and records
 * what it received, so a test states exactly what the service says and checks what was sent.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Responder = (response: ServerResponse, request: Received) => void;

/** One scripted answer: a response, or `'reset'` to destroy the socket without answering. */
export type Step = Responder | 'reset';

export interface ScriptedServer {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

/** Answers with a JSON body (and optional headers). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Responder {
  return (response) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  };
}

/** Answers with the api.md error envelope. */
export function apiError(
  status: number,
  code: string,
  extra: Record<string, unknown> = {},
  headers = {},
): Responder {
  return json(status, { error: { code, message: `${code} happened`, ...extra } }, headers);
}

export function text(status: number, body: string, contentType = 'text/html'): Responder {
  return (response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(body);
  };
}

/** Starts the server; requests beyond the script get a 599 so a test notices them. */
export async function startScriptedServer(steps: Step[]): Promise<ScriptedServer> {
  const queue = [...steps];
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry: Received = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(entry);
      const step = queue.shift();
      if (step === 'reset') request.socket.destroy();
      else if (step) step(response, entry);
      else text(599, 'unscripted request', 'text/plain')(response, entry);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
