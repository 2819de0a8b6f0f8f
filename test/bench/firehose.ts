/**
 * The SSE firehose of benchmarks B1/B2: a tiny HTTP server that answers any GET with the same
 * pre-built stream of events (~250 bytes of JSON each, `id:` on every frame), written as fast as
 * the socket takes them, then ends. It never resumes (`Last-Event-ID` is ignored): the measured
 * commands read one connection from start to end.
 *
 * Every event carries its number in `payload.n` (1..count), so a checker can prove that the output
 * holds each event exactly once and in order.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const FRAMES_PER_CHUNK = 1_000;
const SOURCES = ['api', 'web', 'auth-service', 'payments', 'worker'];
const SEVERITIES = ['debug', 'info', 'info', 'info', 'warn', 'error'];
const PATHS = ['/v1/users', '/v1/orders/4821', '/v1/search?q=kick', '/healthz', '/v1/sessions'];

/** The JSON of event `n`: a native event of the size and variety of real traffic. */
export function firehoseEvent(n: number): string {
  const hex = n.toString(16).padStart(12, '0');
  const ms = 1_779_012_000_000 + n;
  const path = PATHS[n % PATHS.length]!;
  const status = n % 97 === 0 ? 503 : 200;
  return JSON.stringify({
    event_id: `019b2f4e-8a0c-7b1e-9d3a-${hex}`,
    ts: new Date(ms).toISOString(),
    severity: SEVERITIES[n % SEVERITIES.length],
    source: SOURCES[n % SOURCES.length],
    message: `GET ${path} ${status} ${n % 900}ms`,
    payload: { method: 'GET', path, status, request_id: `req_${hex}`, n },
  });
}

export interface Firehose {
  url: string;
  events: number;
  /** Bytes of one whole stream. */
  bytes: number;
  close(): Promise<void>;
}

/** Builds `events` frames once, then serves them to every GET. */
export async function startFirehose(events: number): Promise<Firehose> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for (let first = 1; first <= events; first += FRAMES_PER_CHUNK) {
    let text = '';
    for (let n = first; n < first + FRAMES_PER_CHUNK && n <= events; n++) {
      text += `id: ${n}\ndata: ${firehoseEvent(n)}\n\n`;
    }
    const chunk = Buffer.from(text);
    bytes += chunk.length;
    chunks.push(chunk);
  }
  const server: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    let next = 0;
    const pump = (): void => {
      while (next < chunks.length) {
        if (!res.write(chunks[next++]!)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    req.socket.on('error', () => {});
    res.on('close', () => {
      next = chunks.length;
    });
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/stream`,
    events,
    bytes,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
