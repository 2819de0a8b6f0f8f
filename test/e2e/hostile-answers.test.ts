/**
 * A service that answers, but not as the logs API does, never keeps the CLI going forever nor eats
 * the machine's memory (docs/reliability.md "A service that breaks the contract"): an answer that
 * never ends, paging that goes round, pages longer than asked, events that come back or fall
 * outside the window, a web server where the API should be. Each ends at once, exit 1, saying what
 * happened.
 */
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parseNdjson, runCli } from '../helpers/cli.js';
import { apiEvent, hostileServer, sendJson } from '../helpers/hostile-server.js';

const TOKEN = 'so_test_hostile0123456789';

function envFor(url: string): Record<string, string> {
  return {
    SOTAIL_API_URL: url,
    SOTAIL_TOKEN: TOKEN,
    SOTAIL_RETRY_BASE_MS: '1',
    SOTAIL_RETRY_MAX_MS: '5',
  };
}

function page(events: unknown[], nextCursor: string | null): unknown {
  return {
    events,
    next_cursor: nextCursor,
    stats: { scanned: events.length, matched: events.length, elapsed_ms: 0 },
  };
}

/** A JSON answer that never ends: `{"events":[` and then events, as fast as the socket takes them. */
function endless(response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.write('{"events":[');
  const chunk = `${JSON.stringify(apiEvent(1, { message: 'x'.repeat(60_000) }))},`;
  const pump = (): void => {
    while (!response.destroyed && response.write(chunk)) {}
    if (!response.destroyed) response.once('drain', pump);
  };
  pump();
}

describe('an answer that never ends is cut at the documented size', () => {
  it.each([
    ['query', ['query', '-n', '10']],
    ['tail, which asks /query where "now" is', ['tail', '--no-tui']],
    ['whoami', ['whoami']],
  ])('%s', async (_, args) => {
    const server = await hostileServer((_request, response) => endless(response));
    const result = await runCli(args, { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/passed 32 MiB, the most sotail reads in one answer/);
    expect(result.stderr).toMatch(/^hint: /m);
  });
});

describe('query --all ends when paging would not', () => {
  it('a next_cursor that repeats', async () => {
    const server = await hostileServer((request, response) =>
      sendJson(response, 200, page([apiEvent(900 - request.number)], 'again')),
    );
    const result = await runCli(['query', '--all'], { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/sent a next_cursor it had already sent/);
    expect(server.requests.length).toBeLessThanOrEqual(3);
    // What came before the loop was printed, once.
    expect(parseNdjson(result.stdout).length).toBe(server.requests.length - 1);
  });

  it.each([2, 3, 7])('cursors that go round a cycle of %i', async (period) => {
    const server = await hostileServer((request, response) =>
      sendJson(response, 200, page([apiEvent(900 - request.number)], `c${request.number % period}`)),
    );
    const result = await runCli(['query', '--all'], { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/already sent/);
    expect(server.requests.length).toBeLessThanOrEqual(3 * period + 3);
  });

  it('fresh cursors over the same events', async () => {
    const server = await hostileServer((request, response) =>
      sendJson(response, 200, page([apiEvent(3), apiEvent(2), apiEvent(1)], `fresh-${request.number}`)),
    );
    const result = await runCli(['query', '--all'], { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/sent event \S+ twice in one query/);
    expect(parseNdjson(result.stdout)).toHaveLength(3);
  });

  it.each([
    ['--all', 500, 501],
    ['-n 3', 3, 10],
  ])('pages longer than asked (%s)', async (flag, asked, sent) => {
    const server = await hostileServer((_request, response) =>
      sendJson(
        response,
        200,
        page(
          Array.from({ length: sent }, (_, i) => apiEvent(sent - i)),
          'more',
        ),
      ),
    );
    const result = await runCli(['query', ...flag.split(' ')], { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`answered a query for at most ${asked} events with ${sent}`);
    expect(result.stdout).toBe('');
  });

  it('events outside the asked window', async () => {
    const server = await hostileServer((_request, response) =>
      sendJson(response, 200, page([apiEvent(1, { ts: '2001-01-01T00:00:00.000Z' })], null)),
    );
    const result = await runCli(['query', '--since', '1h'], { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/an event outside the asked time window \(ts 2001-01-01T00:00:00.000Z/);
  });

  it('sessions list with a cursor that repeats', async () => {
    const server = await hostileServer((_request, response) =>
      sendJson(response, 200, {
        sessions: [
          { id: 'ses_0123456789abcdef', filter: '', createdAt: '2026-05-17T10:00:00Z', active: true },
        ],
        next_cursor: 'again',
      }),
    );
    const result = await runCli(['sessions', 'list'], { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/already sent/);
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });
});

describe('a server that is not the logs API is named at once', () => {
  const html = (status: number) => (_request: unknown, response: ServerResponse) => {
    response.writeHead(status, { 'content-type': 'text/html' });
    response.end(`<html><body><h1>${status} Not here</h1></body></html>`);
  };

  it.each([404, 405, 501, 400])('query against HTML %i', async (status) => {
    const server = await hostileServer(html(status));
    const result = await runCli(['query', '--api-url', server.url], { env: { SOTAIL_TOKEN: TOKEN } });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(
      `sotail: this does not look like the logs API at ${server.url}: POST /query was answered with HTTP ${status} (text/html): ${status} Not here`,
    );
    expect(result.stderr).toMatch(/^hint: check --api-url /m);
    expect(server.requests).toHaveLength(1);
  });

  it.each([405, 501])('tail against a stream answered with HTML %i', async (status) => {
    const server = await hostileServer((request, response) =>
      request.path === '/query' ? sendJson(response, 200, page([], null)) : html(status)(request, response),
    );
    const result = await runCli(['tail', '--no-tui'], { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('this does not look like the logs API');
    expect(result.stderr).toMatch(/^hint: check SOTAIL_API_URL /m);
    expect(server.requests.filter((request) => request.path === '/query/tail')).toHaveLength(1);
  });

  it('a JSON answer without the shape of a page', async () => {
    const server = await hostileServer((_request, response) => sendJson(response, 200, { hello: 'world' }));
    const result = await runCli(['query'], { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain('this does not look like the logs API');
    expect(result.stderr).toContain('a JSON body without `events` or `groups`');
  });

  it("a proxy's HTML 503 is still an outage, retried", async () => {
    const server = await hostileServer((request, response) => {
      if (request.number === 1) {
        response.writeHead(503, { 'content-type': 'text/html' });
        response.end('<html>Service Temporarily Unavailable</html>');
      } else sendJson(response, 200, page([apiEvent(1)], null));
    });
    const result = await runCli(['query'], { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(0);
    expect(parseNdjson(result.stdout)).toHaveLength(1);
  });
});

describe('a token that a server echoes is never shown', () => {
  const shown = (text: string): void => {
    expect(text).not.toContain('hostile0123456789');
    expect(text).not.toContain('456789');
  };

  it.each([
    [
      'an error message',
      (request: { headers: Record<string, unknown> }, response: ServerResponse) =>
        sendJson(response, 400, {
          error: { code: 'bad_header', message: `bad header: ${String(request.headers.authorization)}` },
        }),
    ],
    [
      'an HTML page',
      (request: { headers: Record<string, unknown> }, response: ServerResponse) => {
        response.writeHead(400, { 'content-type': 'text/html' });
        response.end(`<p>Authorization: ${String(request.headers.authorization)}</p>`);
      },
    ],
    [
      'a 503 error code',
      (request: { headers: Record<string, unknown> }, response: ServerResponse) =>
        sendJson(response, 503, { error: { code: String(request.headers.authorization), message: 'down' } }),
    ],
  ])('in %s, on stderr and in --debug', async (_, handler) => {
    const server = await hostileServer(handler);
    const result = await runCli(['query', '--debug'], { env: envFor(server.url) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('so_test_…');
    shown(result.stderr);
  });

  it('in a record on stdout, to a pipe', async () => {
    const server = await hostileServer((request, response) =>
      sendJson(response, 200, {
        token_prefix: 'so_test_host…',
        mode: 'test',
        scopes: ['logs:read'],
        org_id: `echo ${String(request.headers.authorization)}`,
        project_id: TOKEN,
        tier: 'pro',
        tenantId: 't',
        userUuid: 'u',
      }),
    );
    const result = await runCli(['whoami', '-o', 'ndjson'], { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(0);
    shown(result.stdout);
    expect(parseNdjson(result.stdout)[0]).toMatchObject({ project_id: 'so_test_…6789' });
  });
});

describe('headers larger than Node reads', () => {
  // 2,000 headers of 100 bytes: a proxy gone wrong, or not the logs API at all.
  const flood = (_request: unknown, response: ServerResponse): void => {
    for (let i = 0; i < 2000; i += 1) response.setHeader(`x-pad-${i}`, 'v'.repeat(100));
    sendJson(response, 200, page([], null));
  };

  it('query says what came back and where to look, not "is the service up?"', async () => {
    const server = await hostileServer(flood);
    const result = await runCli(['query'], { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(
      /^sotail: 127\.0\.0\.1:\d+ answered with headers over 16 KiB, more than sotail reads/m,
    );
    expect(result.stderr).toMatch(/^hint: is the URL the logs API\? a proxy in between/m);
  });

  it('a tail that times out against it gives the same advice', async () => {
    const server = await hostileServer(flood);
    // Long enough for a first attempt on a loaded machine (start-up is inside the timeout).
    const result = await runCli(['tail', '--url', `${server.url}/stream`, '--timeout', '4s'], {
      env: envFor(server.url),
    });
    expect(result.code, result.stderr).toBe(5);
    expect(result.stderr).toMatch(
      /^sotail: timed out after 4s without ever reaching the service: .*headers over 16 KiB/m,
    );
    expect(result.stderr).toMatch(/^hint: is the URL the logs API\? a proxy in between/m);
  });
});

describe('an answer compressed although sotail asked for none', () => {
  // A gzip bomb: 64 KiB that inflate to 64 MiB, sent to a client that sent no Accept-Encoding.
  const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 'a'));
  const compressed =
    (contentType: string) =>
    (_request: unknown, response: ServerResponse): void => {
      response.writeHead(200, { 'content-type': contentType, 'content-encoding': 'gzip' });
      response.end(bomb);
    };

  it.each([
    ['query', ['query'], 'application/json', /POST \/query/],
    ['a --url tail', ['tail', '--url', 'STREAM'], 'text/event-stream', /GET \/stream/],
  ])('%s fails at once, naming the encoding', async (_, args, contentType, route) => {
    const server = await hostileServer(compressed(contentType));
    const argv = args.map((arg) => (arg === 'STREAM' ? `${server.url}/stream` : arg));
    const result = await runCli(argv, { env: envFor(server.url) });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(route);
    expect(result.stderr).toMatch(/compressed \(Content-Encoding: gzip\), which sotail did not ask for/);
    expect(result.stderr).toMatch(/^hint: sotail sends no Accept-Encoding/m);
  });
});
