/**
 * `sotail tail` against an event stream that misbehaves on purpose (docs/reliability.md): a
 * stream is served by a small scripted server, and the built CLI is run as a user would.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, onTestFinished, test } from 'vitest';
import { parseNdjson, runCli, tempConfigDir } from '../helpers/cli.js';
import { runInProcess } from '../helpers/in-process.js';
import { closedPort } from '../helpers/ports.js';
import { until } from '../helpers/tail.js';

interface StreamServer {
  url: string;
  /** Requests received so far. */
  requests: () => number;
  /** When each request arrived, by this process's clock (performance.now()). */
  arrivals: number[];
  /** Stops listening and drops every connection: the service is gone. */
  stop: () => void;
}

/** Serves every GET with `write`, counting requests; sockets are destroyed when the test ends. */
async function streamServer(
  write: (response: ServerResponse, request: IncomingMessage, n: number) => void,
): Promise<StreamServer> {
  const arrivals: number[] = [];
  const server = createServer((request, response) => {
    arrivals.push(performance.now());
    write(response, request, arrivals.length);
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
  const stop = (): void => {
    server.close();
    server.closeAllConnections();
  };
  return { url: `http://127.0.0.1:${port}/stream`, requests: () => arrivals.length, arrivals, stop };
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

/**
 * Runs `sotail tail --url` against the server in process until `enough` resolves, then stops it as
 * Ctrl-C does; what it printed. The test ends it, not `--timeout` (which counts from start-up), so
 * a slow start on a loaded machine takes nothing from what is observed.
 */
async function tailUntil(server: StreamServer, enough: (stderr: () => string) => Promise<void>) {
  const run = runInProcess(['tail', '--url', server.url], {
    env: { SOTAIL_API_URL: server.url, SOTAIL_CONFIG_DIR: tempConfigDir() },
  });
  try {
    await enough(run.stderr);
  } finally {
    run.interrupt();
  }
  const code = await run.exited;
  const stderr = run.stderr();
  expect(code, stderr).toBe(130);
  return { stderr, lines: stderr.split('\n').filter(Boolean) };
}

/**
 * Requests are counted in this much of the server's time from the second one: the first may wait
 * on a cold start, and every later one is paced by the floor (at most one a second).
 */
const WINDOW_MS = 3_000;

test.each<[string, (response: ServerResponse) => void]>([
  [
    'retry: 0, then a hang-up',
    (response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end('retry: 0\n\n');
    },
  ],
  [
    'event: reset on every connection',
    (response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end('retry: 0\n\nevent: reset\ndata: {"reason":"server_restart"}\n\n');
    },
  ],
  [
    'a 503 with Retry-After: 0',
    (response) => {
      response.writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' });
      response.end('{"error":{"code":"unavailable","message":"down"}}');
    },
  ],
])(
  '%s: one request a second at most, and a few stderr lines',
  async (_what, answer) => {
    const server = await streamServer((response) => answer(response));
    const { arrivals } = server;
    const run = await tailUntil(server, async () => {
      await until(() => arrivals.length >= 2, 'a second request');
      await until(
        () => performance.now() - arrivals[1]! >= WINDOW_MS,
        'the end of the window',
        WINDOW_MS * 2,
      );
    });
    const inWindow = arrivals.filter((at) => at >= arrivals[1]! && at - arrivals[1]! < WINDOW_MS);
    // The second request, then at most one more a second (a flood would be hundreds).
    expect(inWindow.length).toBeLessThanOrEqual(4);
    expect(run.lines.length).toBeLessThanOrEqual(8);
  },
  30_000,
);

test.each([
  ['2147484', '24d21h'],
  ['999999', '11d14h'],
])('Retry-After: %s is waited 5 minutes at most, and the line says so', async (seconds, shown) => {
  const server = await streamServer((response) => {
    response.writeHead(429, { 'content-type': 'application/json', 'retry-after': seconds });
    response.end('{"error":{"code":"rate_limited","message":"slow down"}}');
  });
  const run = await tailUntil(server, (stderr) =>
    until(() => /reconnecting in/.test(stderr()), 'the reconnect line'),
  );
  expect(server.requests()).toBe(1);
  expect(run.stderr).toContain(`the server asked to wait ${shown}; sotail waits at most 5m`);
  expect(run.stderr).toMatch(/reconnecting in 5m(?:\d+s)? \(attempt 2\)/);
});

describe('--timeout tells "the service is down" from "the event never came"', () => {
  test('nothing listening: exit 5, the summary says it never connected, and no line claims it gave up', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    // Long enough for a first attempt to fail even when start-up is slow on a loaded machine.
    const result = await runCli(['tail', 'event == "deploy_done"', '--count', '1', '--timeout', '6s'], {
      env: { SOTAIL_API_URL: url, SOTAIL_TOKEN: 'so_test_nothing_there' },
      timeoutMs: 30_000,
    });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(/; never connected \(last: cannot connect to .*connection refused\)\n/);
    expect(result.stderr).toMatch(/timed out after 6s without ever reaching the service/);
    expect(result.stderr).toMatch(/connection refused; reconnecting in \S+ \(attempt 2\)/);
    expect(result.stderr).not.toMatch(/gave up/);
  });

  // In process (no start-up to wait for), so that the stream is surely live before the time runs out.
  test('connected, then lost: exit 5, and the summary says so', async () => {
    // After the first stream has begun, the service goes away for good.
    const server: StreamServer = await streamServer((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(':hi\n\n', () => server.stop());
    });
    const run = runInProcess(['tail', '--url', server.url, '--timeout', '3s'], {
      env: { SOTAIL_API_URL: server.url, SOTAIL_CONFIG_DIR: tempConfigDir() },
    });
    expect(await run.exited, run.stderr()).toBe(5);
    expect(run.stderr()).toMatch(/; connected, then lost \S+ ago \(last: /);
    expect(run.stderr()).toMatch(/timed out after 3s with the service out of reach/);
  });

  test('connected and live, nothing matched: exit 124, and the summary says it was connected', async () => {
    const server = await streamServer((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(':heartbeat\n\n');
    });
    const run = runInProcess(['tail', '--url', server.url, '--count', '1', '--timeout', '2s'], {
      env: { SOTAIL_API_URL: server.url, SOTAIL_CONFIG_DIR: tempConfigDir() },
    });
    expect(await run.exited, run.stderr()).toBe(124);
    expect(run.stderr()).toMatch(/; connected, no matching event\n/);
    expect(server.requests()).toBe(1);
  });
});
