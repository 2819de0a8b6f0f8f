/**
 * `sotail tail` against an event stream that misbehaves on purpose (docs/reliability.md): a
 * stream is served by a small scripted server, and the built CLI is run as a user would.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, onTestFinished, test } from 'vitest';
import { parseNdjson, runCli } from '../helpers/cli.js';

interface StreamServer {
  url: string;
  /** Requests received so far. */
  requests: () => number;
}

/** Serves every GET with `write`, counting requests; sockets are destroyed when the test ends. */
async function streamServer(
  write: (response: ServerResponse, request: IncomingMessage, n: number) => void,
): Promise<StreamServer> {
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    write(response, request, requests);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/stream`, requests: () => requests };
}

/** Writes the pieces in order, waiting for the socket to drain, then leaves the stream open. */
function writeAll(response: ServerResponse, pieces: Iterable<string | Buffer>): void {
  const iterator = pieces[Symbol.iterator]();
  const pump = (): void => {
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      if (!response.write(next.value)) {
        response.once('drain', pump);
        return;
      }
    }
  };
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  pump();
}

const event = (n: number): string =>
  `id: ${n}\ndata: ${JSON.stringify({ event_id: `e${n}`, ts: '2026-05-17T10:00:00.000Z', message: `m${n}` })}\n\n`;

function* fiftyMegabyteFrame(): Generator<Buffer> {
  yield Buffer.from('id: 0\ndata: {"message":"');
  const block = Buffer.alloc(1024 * 1024, 'x');
  for (let i = 0; i < 50; i++) yield block;
  yield Buffer.from('"}\n\n');
}

test('one 50 MB frame, then 5 events: the frame is skipped with one warning, the 5 arrive, one request', async () => {
  const server = await streamServer((response) =>
    writeAll(response, [...fiftyMegabyteFrame(), ...[1, 2, 3, 4, 5].map(event)]),
  );
  const result = await runCli(['tail', '--url', server.url, '--count', '5', '--timeout', '20s'], {
    env: { SOTAIL_API_URL: server.url },
    timeoutMs: 40_000,
  });
  expect(result.code, result.stderr).toBe(0);
  expect(parseNdjson(result.stdout).map((e) => e.message)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  expect(result.stderr.match(/larger than 8 MiB/g)).toHaveLength(1);
  expect(server.requests()).toBe(1);
}, 60_000);
