/**
 * Request bodies are bounded in time and in the memory they hold together (docs/api.md "Limits"):
 * a stalled body is cut with 408, the body that would overrun the shared budget gets 503, and a
 * client that goes mid-body gives its bytes back at once. Raw sockets, since clients that stall on
 * purpose are the point; every wait polls for a condition under a liveness guard.
 */
import { connect, type Socket } from 'node:net';
import { expect, test } from 'vitest';
import type { MockServer } from '../../src/mock/index.js';
import { DEV_TOKEN, startTestMock } from '../helpers/mock-server.js';

interface Exchange {
  socket: Socket;
  /** Everything the server sent, once it closed the connection. */
  closed: Promise<string>;
}

/** Opens a connection, sends a POST /logs declaring `declared` body bytes and then `sent` of them. */
function stalledIngest(server: MockServer, declared: number, sent: number): Exchange {
  const socket = connect(server.port, '127.0.0.1');
  let received = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    received += chunk;
  });
  const closed = new Promise<string>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`still open; got ${JSON.stringify(received)}`)), 20_000);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(received);
    });
  });
  socket.on('error', () => {});
  socket.write(
    `POST /logs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${DEV_TOKEN}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`,
  );
  socket.write(`{"message":"${'x'.repeat(Math.max(0, sent - 12))}`);
  return { socket, closed };
}

const inFlight = (server: MockServer): number => server.snapshot().bodies.in_flight_bytes;

test('a body that stalls is answered 408 after the body timeout and its connection closed', async () => {
  const server = await startTestMock({ bodyTimeoutMs: 200 });
  const stalled = stalledIngest(server, 1_000, 100);
  await expect.poll(() => inFlight(server)).toBe(100);
  const answer = await stalled.closed;
  expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  expect(answer).toContain('"code":"request_timeout"');
  expect(answer.toLowerCase()).toContain('connection: close');
  expect(inFlight(server)).toBe(0);
});

test('bodies being received hold at most the shared budget; a client that goes frees its bytes', async () => {
  const server = await startTestMock({ maxInflightBodyBytes: 100_000, bodyTimeoutMs: 60_000 });
  const first = stalledIngest(server, 80_000, 60_000);
  await expect.poll(() => inFlight(server)).toBe(60_000);
  // The next body cannot fit beside it: 503 with Retry-After, its bytes given back, connection closed.
  const second = stalledIngest(server, 80_000, 60_000);
  const refused = await second.closed;
  expect(refused).toMatch(/^HTTP\/1\.1 503 /);
  expect(refused.toLowerCase()).toContain('retry-after: 1');
  expect(inFlight(server)).toBe(60_000);
  expect(server.snapshot().bodies.limit_bytes).toBe(100_000);
  // The first client hangs up mid-body: what it held is let go at once.
  first.socket.destroy();
  await expect.poll(() => inFlight(server)).toBe(0);
  const response = await fetch(`${server.url}/logs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${DEV_TOKEN}` },
    body: JSON.stringify({ message: 'after' }),
  });
  expect(response.status).toBe(201);
});
