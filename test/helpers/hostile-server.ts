/**
 * A service that misbehaves on purpose, on 127.0.0.1 port 0, closed when the test ends: each test
 * says in a handler exactly how it breaks the contract, and counts the requests it got.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { onTestFinished } from 'vitest';

export interface HostileRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** 1 for the first request this server got. */
  number: number;
}

export interface HostileServer {
  url: string;
  requests: HostileRequest[];
}

export type HostileHandler = (request: HostileRequest, response: ServerResponse) => void;

/** Starts a server that answers every request with `handler` (after reading the request body). */
export async function hostileServer(handler: HostileHandler): Promise<HostileServer> {
  const requests: HostileRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: HostileRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        number: requests.length + 1,
      };
      requests.push(request);
      handler(request, res);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** Answers with JSON. */
export function sendJson(response: ServerResponse, status: number, body: unknown, headers = {}): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** A UUIDv7-shaped event id that sorts by `n`. */
export function eventId(n: number): string {
  return `019b2f4e-8a0c-7${String(n).padStart(3, '0')}-9d3a-5c1e2f3a4b5c`;
}

/** A valid event of the API's shape. */
export function apiEvent(n: number, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: eventId(n),
    ts: '2026-05-17T10:00:00.000Z',
    severity: 'info',
    source: 'api',
    message: `event ${n}`,
    payload: {},
    ...fields,
  };
}
