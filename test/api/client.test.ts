import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiClient, type ApiClientOptions, type RetryNotice } from '../../src/api/client.js';
import { MAX_SERVER_WAIT_MS } from '../../src/api/retry.js';
import { ApiError, NetworkError, ProtocolError, UsageError } from '../../src/errors.js';
import { Token } from '../../src/model/token.js';
import { closedPort } from '../helpers/ports.js';
import { untilUndiciFails } from '../helpers/undici-events.js';
import {
  apiError,
  json,
  type ScriptedServer,
  type Step,
  startScriptedServer,
  text,
} from './scripted-server.js';

const SECRET = 'so_test_0123456789abcdefSECRET';
const TOKEN = Token.from(SECRET);
const WHOAMI = {
  token_prefix: 'so_test_0123…',
  mode: 'test',
  scopes: ['logs:read'],
  org_id: 'org_1',
  project_id: 'prj_1',
  tier: 'pro',
  tenantId: 't1',
  userUuid: 'u1',
};

const servers: ScriptedServer[] = [];
const clients: ApiClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(...steps: Step[]): Promise<ScriptedServer> {
  const server = await startScriptedServer(steps);
  servers.push(server);
  return server;
}

/** A client whose retries record their delay instead of waiting (random = 1: the full ceiling). */
function clientFor(baseUrl: string, options: Partial<ApiClientOptions> = {}) {
  const delays: number[] = [];
  const debugLines: string[] = [];
  const client = new ApiClient({
    baseUrl,
    token: TOKEN,
    userAgent: 'sotail/9.9.9',
    retry: {
      maxAttempts: 4,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      random: () => 1,
      sleep: async (ms) => {
        delays.push(ms);
      },
    },
    debug: (line) => debugLines.push(line),
    ...options,
  });
  clients.push(client);
  return { client, delays, debugLines };
}

/** A stream body read to its end or its failure, as text. */
async function readBody(body: AsyncIterable<Uint8Array>): Promise<{ text: string; error: unknown }> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of body) chunks.push(Buffer.from(chunk));
  } catch (error) {
    return { text: Buffer.concat(chunks).toString('utf8'), error };
  }
  return { text: Buffer.concat(chunks).toString('utf8'), error: undefined };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('ApiClient requests', () => {
  it('sends User-Agent, Accept, the bearer token and decodes the JSON body', async () => {
    const server = await serve(json(200, WHOAMI));
    const { client } = clientFor(server.url);
    expect(await client.whoami()).toEqual(WHOAMI);
    const [request] = server.received;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe('/auth/whoami');
    expect(request?.headers['user-agent']).toBe('sotail/9.9.9');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('sends JSON bodies with their content type, under a base URL path prefix', async () => {
    const server = await serve(json(200, { events: [], next_cursor: null, stats: {} }));
    const { client } = clientFor(`${server.url}/api/`);
    await client.query({ q: 'level=error', limit: 5 });
    expect(server.received[0]?.url).toBe('/api/query');
    expect(server.received[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(server.received[0]?.body ?? '')).toEqual({ q: 'level=error', limit: 5 });
  });

  it('adds query parameters and sends no Authorization header without a token', async () => {
    const server = await serve(json(200, {}));
    const { client } = clientFor(server.url, { token: undefined });
    await client.request('GET', '/logs/stats', { query: { a: 'b c' } });
    expect(server.received[0]?.url).toBe('/logs/stats?a=b+c');
    expect(server.received[0]?.headers.authorization).toBeUndefined();
  });
});

describe('ApiClient error decoding', () => {
  it('decodes the error envelope into ApiError with code, message, extra and URL', async () => {
    const server = await serve(
      apiError(400, 'soql_parse_error', { position: 7, near: '==', field: 'sevrity' }),
    );
    const { client } = clientFor(server.url);
    const error = (await rejection(client.query({ q: 'sevrity == x' }))) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'soql_parse_error',
      message: 'soql_parse_error happened',
    });
    expect(error.extra).toEqual({ position: 7, near: '==', field: 'sevrity' });
    expect(error.url).toBe(`${server.url}/query`);
  });

  it('says at once that an HTML page is not the logs API, with a short snippet, tags removed', async () => {
    const page = `<html><head><title>Sign in</title><style>body{}</style></head><body><h1>Please sign in</h1>${'x'.repeat(500)}</body></html>`;
    const server = await serve(text(403, page));
    const { client } = clientFor(server.url);
    const error = (await rejection(client.whoami())) as ProtocolError;
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error.message).toContain(`this does not look like the logs API at ${server.url}`);
    expect(error.message).toContain('HTTP 403 (text/html): Sign in Please sign in');
    expect(error.message).not.toContain('<');
    expect(error.message.length).toBeLessThan(400);
    expect(error.hint).toMatch(/^check the API URL/);
    expect(server.received).toHaveLength(1);
  });

  it('says that a 2xx whose body is not a JSON object is not the logs API', async () => {
    const server = await serve(text(200, '<html>login</html>'), json(200, 'a string'));
    const { client } = clientFor(server.url);
    for (const body of ['(text/html): login', '(application/json): "a string"']) {
      const error = (await rejection(client.whoami())) as ProtocolError;
      expect(error.code).toBe('not_the_api');
      expect(error.message).toContain(`GET /auth/whoami was answered with HTTP 200 ${body}`);
    }
  });

  it.each([
    [401, 'unauthorized', {}, /sotail login/],
    [403, 'forbidden', { required_scope: 'logs:write' }, /lacks the scope logs:write/],
    [
      402,
      'tier_upgrade_required',
      { upgrade_url: '/dashboard/billing/plan' },
      /Pro plan: http:\/\/127\.0\.0\.1:\d+\/dashboard\/billing\/plan/,
    ],
    [429, 'tail_session_limit_exceeded', { limit: 3, active: 3 }, /sotail sessions list/],
  ])('attaches a hint to %i %s', async (status, code, extra, hint) => {
    const server = await serve(apiError(status, code, extra));
    const { client } = clientFor(server.url);
    const error = (await rejection(client.whoami())) as ApiError;
    expect(error.hint).toMatch(hint);
  });

  it('names the host and hints at `sotail mock` when the service is not listening', async () => {
    const port = await closedPort();
    const { client, delays } = clientFor(`http://127.0.0.1:${port}`);
    const error = (await rejection(client.whoami())) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.message).toBe(
      `cannot connect to 127.0.0.1:${port}: connection refused (gave up after 4 attempts)`,
    );
    expect(error.hint).toMatch(/sotail mock/);
    expect(delays).toHaveLength(3);
  });
});

describe('ApiClient retries', () => {
  it.each([
    [400, 'bad_request', {}],
    [401, 'unauthorized', {}],
    [402, 'tier_upgrade_required', {}],
    [403, 'forbidden', {}],
    [500, 'internal', {}],
    [429, 'tail_session_limit_exceeded', { limit: 3 }],
    [429, 'quota_exceeded', { quotas: [{ metric: 'events', used: 10, limit: 10, cumulative: true }] }],
  ])('does not retry %i %s', async (status, code, extra) => {
    const server = await serve(apiError(status, code, extra), json(200, WHOAMI));
    const { client, delays } = clientFor(server.url);
    const error = (await rejection(client.whoami())) as ApiError;
    expect(error.code).toBe(code);
    expect(server.received).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it.each([
    [503, 'unavailable'],
    [502, 'http_502'],
    [504, 'http_504'],
    [429, 'rate_limited'],
    [429, 'quota_exceeded'],
  ])('retries %i %s with exponential backoff', async (status, code) => {
    const failure = code.startsWith('http_') ? text(status, 'Bad gateway') : apiError(status, code);
    const server = await serve(failure, failure, json(200, WHOAMI));
    const { client, delays } = clientFor(server.url);
    expect(await client.whoami()).toEqual(WHOAMI);
    expect(server.received).toHaveLength(3);
    expect(delays).toEqual([100, 200]);
  });

  it('honours Retry-After exactly, in seconds and as an HTTP-date', async () => {
    const sent = Date.now();
    const inTwoMinutes = new Date(sent + 120_000).toUTCString();
    const server = await serve(
      apiError(429, 'rate_limited', {}, { 'retry-after': '7' }),
      apiError(503, 'unavailable', {}, { 'retry-after': inTwoMinutes }),
      json(200, WHOAMI),
    );
    const { client, delays } = clientFor(server.url, {
      retry: { random: () => 0, sleep: async (ms) => void delays.push(ms) },
    });
    await client.whoami();
    expect(delays[0]).toBe(7_000);
    // The date has whole seconds, and is read some time after it was made: at most that much less.
    const elapsed = Date.now() - sent;
    expect(delays[1]).toBeGreaterThanOrEqual(120_000 - 1_000 - elapsed);
    expect(delays[1]).toBeLessThanOrEqual(120_000);
  });

  it('cuts a Retry-After past the 5-minute ceiling, and tells the retry listener what was asked', async () => {
    const server = await serve(
      apiError(429, 'rate_limited', {}, { 'retry-after': '999999' }),
      json(200, WHOAMI),
    );
    const notices: RetryNotice[] = [];
    const { client, delays } = clientFor(server.url, {
      retry: { random: () => 0, sleep: async (ms) => void delays.push(ms) },
      onRetry: (notice) => notices.push(notice),
    });
    await client.whoami();
    expect(delays).toEqual([MAX_SERVER_WAIT_MS]);
    expect(notices[0]?.clampedRetryAfterMs).toBe(999_999_000);
  });

  it('gives up after maxAttempts and throws the last error', async () => {
    const server = await serve(...Array.from({ length: 5 }, () => apiError(503, 'unavailable')));
    const { client, delays } = clientFor(server.url, {
      retry: { maxAttempts: 3, random: () => 1, sleep: async (ms) => void delays.push(ms) },
    });
    const error = (await rejection(client.whoami())) as ApiError;
    expect(error.status).toBe(503);
    expect(server.received).toHaveLength(3);
  });

  it('retries a connection reset on a read', async () => {
    const server = await serve('reset', json(200, WHOAMI));
    const { client } = clientFor(server.url);
    expect(await client.whoami()).toEqual(WHOAMI);
    expect(server.received).toHaveLength(2);
  });

  it('retries ingest (it carries an Idempotency-Key) with the same key, and reports a replay', async () => {
    const created = { id: 'e1', level: 'info', message: 'm', meta: {}, created_at: 'now' };
    const server = await serve('reset', json(201, created, { 'idempotent-replayed': 'true' }));
    const { client } = clientFor(server.url);
    const result = await client.ingest({ level: 'info', message: 'm' }, { idempotencyKey: 'key-1' });
    expect(result).toEqual({ response: created, replayed: true });
    expect(server.received.map((request) => request.headers['idempotency-key'])).toEqual(['key-1', 'key-1']);
  });

  it('retries ingest after a 500 (the key makes a repeat harmless), a bounded number of times', async () => {
    const created = { id: 'e1', level: 'info', message: 'm', meta: {}, created_at: 'now' };
    const server = await serve(
      apiError(500, 'internal'),
      apiError(502, 'http_502'),
      json(201, created, { 'idempotent-replayed': 'true' }),
    );
    const { client, delays } = clientFor(server.url);
    const result = await client.ingest({ level: 'info', message: 'm' }, { idempotencyKey: 'key-5' });
    expect(result.replayed).toBe(true);
    expect(server.received.map((request) => request.headers['idempotency-key'])).toEqual([
      'key-5',
      'key-5',
      'key-5',
    ]);
    expect(delays).toHaveLength(2);

    const stubborn = await serve(...Array.from({ length: 6 }, () => apiError(500, 'internal')));
    const { client: again } = clientFor(stubborn.url);
    const error = (await rejection(
      again.ingest({ level: 'info', message: 'm' }, { idempotencyKey: 'k' }),
    )) as ApiError;
    expect(error.status).toBe(500);
    expect(stubborn.received).toHaveLength(4);
  });

  it('does not retry ingest after a 501 (no repeat changes it): not the logs API', async () => {
    const server = await serve(apiError(501, 'not_implemented'), json(201, {}));
    const { client } = clientFor(server.url);
    const error = (await rejection(
      client.ingest({ level: 'info', message: 'm' }, { idempotencyKey: 'k' }),
    )) as ProtocolError;
    expect(error.code).toBe('not_the_api');
    expect(server.received).toHaveLength(1);
  });

  it('does not retry a 404: on a route the API always has it is not the API, on a session it is gone', async () => {
    const route = await serve(apiError(404, 'not_found'), json(200, WHOAMI));
    const { client, delays } = clientFor(route.url);
    expect(((await rejection(client.whoami())) as ProtocolError).code).toBe('not_the_api');
    expect(route.received).toHaveLength(1);
    const session = await serve(apiError(404, 'not_found'), json(200, {}));
    const { client: other } = clientFor(session.url);
    const gone = (await rejection(other.getSession('ses_0123456789abcdef'))) as ApiError;
    expect(gone.code).toBe('not_found');
    expect(session.received).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('does not retry creating a session once the request was sent', async () => {
    const server = await serve('reset', json(200, {}));
    const { client } = clientFor(server.url);
    const request = { tenantId: 't', userUuid: 'u', filter: 'level=error' };
    expect(await rejection(client.createSession(request))).toBeInstanceOf(NetworkError);
    expect(server.received).toHaveLength(1);
  });

  it('retries creating a session when the service itself refused it (503 unavailable)', async () => {
    const session = { id: 's1', tenantId: 't', userUuid: 'u', filter: 'x', createdAt: 'now', active: true };
    const server = await serve(apiError(503, 'unavailable'), json(200, session));
    const { client } = clientFor(server.url);
    expect(await client.createSession({ tenantId: 't', userUuid: 'u', filter: 'x' })).toEqual(session);
  });

  it('retries creating a session when the connection was refused', async () => {
    const port = await closedPort();
    const { client, delays } = clientFor(`http://127.0.0.1:${port}`);
    expect(
      await rejection(client.createSession({ tenantId: 't', userUuid: 'u', filter: 'x' })),
    ).toBeInstanceOf(NetworkError);
    expect(delays).toHaveLength(3);
  });

  it('stops retrying when the signal is aborted during the backoff', async () => {
    const server = await serve(apiError(503, 'unavailable'), json(200, WHOAMI));
    const controller = new AbortController();
    const reason = new Error('user quit');
    const { client } = clientFor(server.url, {
      signal: controller.signal,
      retry: {
        sleep: async () => {
          controller.abort(reason);
          throw reason;
        },
      },
    });
    expect(await rejection(client.whoami())).toBe(reason);
    expect(server.received).toHaveLength(1);
  });

  it('does not start a request once the signal is aborted', async () => {
    const server = await serve(json(200, WHOAMI));
    const { client } = clientFor(server.url);
    const reason = new Error('stop');
    expect(await rejection(client.whoami(AbortSignal.abort(reason)))).toBe(reason);
    expect(server.received).toHaveLength(0);
  });
});

describe('ApiClient signals over a long run', () => {
  /** What a signal keeps reachable: its abort listeners and the composite signals Node tracks on it. */
  function heldBy(signal: AbortSignal): number {
    const dependants = Object.getOwnPropertySymbols(signal).find(
      (s) => s.description === 'kDependantSignals',
    );
    const tracked = dependants
      ? ((signal as unknown as Record<symbol, Set<unknown> | undefined>)[dependants]?.size ?? 0)
      : 0;
    return getEventListeners(signal, 'abort').length + tracked;
  }

  it('leaves nothing on the run signal after each request, whichever signals the caller passes', async () => {
    const created = { id: 'e1', level: 'info', message: 'm', meta: {}, created_at: 'now' };
    const requests = 40;
    const server = await serve(
      apiError(503, 'unavailable'),
      ...Array.from({ length: requests * 2 }, () => json(201, created)),
    );
    const run = new AbortController();
    const { client } = clientFor(server.url, { signal: run.signal });
    const baseline = heldBy(run.signal);
    for (let i = 0; i < requests; i += 1) {
      // The run's own signal again (bulk ingest), and a signal of the request's own (paging, a tail).
      await client.ingest({ level: 'info', message: 'm' }, { idempotencyKey: `k${i}`, signal: run.signal });
      await client.ingest(
        { level: 'info', message: 'm' },
        { idempotencyKey: `j${i}`, signal: new AbortController().signal },
      );
    }
    expect(heldBy(run.signal)).toBe(baseline);
  });

  it('still aborts a request in flight when the run signal is aborted', async () => {
    const server = await serve(() => {
      // Never answers: only the abort can end this request.
    });
    const run = new AbortController();
    const { client } = clientFor(server.url, { signal: run.signal });
    const reason = new Error('interrupted');
    const pending = rejection(
      client.ingest(
        { level: 'info', message: 'm' },
        { idempotencyKey: 'k', signal: new AbortController().signal },
      ),
    );
    await vi.waitFor(() => expect(server.received).toHaveLength(1));
    run.abort(reason);
    expect(await pending).toBe(reason);
    expect(heldBy(run.signal)).toBe(0);
  });
});

describe('ApiClient debug output', () => {
  it('logs method, URL, status and time with the token redacted', async () => {
    const server = await serve(apiError(503, 'unavailable'), json(200, WHOAMI));
    const { client, debugLines } = clientFor(server.url);
    await client.whoami();
    const all = debugLines.join('\n');
    expect(all).not.toContain(SECRET);
    expect(debugLines[0]).toBe(`→ GET ${server.url}/auth/whoami (authorization: Bearer ${TOKEN.redacted()})`);
    expect(debugLines[1]).toMatch(new RegExp(`^← 503 GET ${server.url}/auth/whoami \\d+ms$`));
    expect(debugLines[2]).toMatch(/^retry 1\/3 of GET .* in 100ms: 503 unavailable$/);
  });
});

describe('ApiClient transport policy', () => {
  it('refuses a token over plain http to a non-loopback host before any connection', () => {
    expect(() => new ApiClient({ baseUrl: 'http://example.invalid', token: TOKEN, userAgent: 'x' })).toThrow(
      UsageError,
    );
  });

  it('allows it with insecure, and always without a token or over https or loopback', async () => {
    const made = [
      new ApiClient({ baseUrl: 'http://example.invalid', token: TOKEN, userAgent: 'x', insecure: true }),
      new ApiClient({ baseUrl: 'http://example.invalid', userAgent: 'x' }),
      new ApiClient({ baseUrl: 'https://example.invalid', token: TOKEN, userAgent: 'x' }),
      new ApiClient({ baseUrl: 'http://localhost:4010', token: TOKEN, userAgent: 'x' }),
    ];
    await Promise.all(made.map((client) => client.close()));
  });
});

describe('ApiClient.openStream', () => {
  const sse: Step = (response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.end('id: 1\ndata: {}\n\n');
  };

  it('returns the raw body of a 200 text/event-stream, with the token for its own origin', async () => {
    const server = await serve(sse);
    const { client } = clientFor(server.url);
    const stream = await client.openStream({
      method: 'POST',
      url: '/query/tail',
      body: { q: 'x' },
      headers: { 'Last-Event-ID': '41' },
      signal: new AbortController().signal,
    });
    expect(stream.status).toBe(200);
    expect((await readBody(stream.body)).text).toBe('id: 1\ndata: {}\n\n');
    const [request] = server.received;
    expect(request?.headers.accept).toBe('text/event-stream');
    expect(request?.headers['last-event-id']).toBe('41');
    expect(request?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('sends no token to another origin', async () => {
    const [own, other] = [await serve(), await serve(sse)];
    const { client } = clientFor(own.url);
    const stream = await client.openStream({
      method: 'GET',
      url: `${other.url}/stream`,
      signal: AbortSignal.timeout(5_000),
    });
    await readBody(stream.body);
    expect(other.received[0]?.headers.authorization).toBeUndefined();
  });

  it('hands out every byte received before the server cut the stream, then the cut', async () => {
    const sent = 'id: 1\ndata: {}\n\nid: 2\ndata: {}\n\nid: 3\ndata: {"ha';
    const server = await serve((response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // Two whole frames and part of a third, then the connection breaks (no final chunk).
      response.write(sent, () => response.destroy());
    });
    const { client } = clientFor(server.url);
    const cut = untilUndiciFails(server.url);
    const stream = await client.openStream({
      method: 'GET',
      url: '/stream',
      signal: AbortSignal.timeout(5_000),
    });
    // The reader was busy (writing a batch out, a loaded machine) until the client had seen the cut.
    await cut;
    const { text, error } = await readBody(stream.body);
    expect(text).toBe(sent);
    expect(error).toMatchObject({ code: 'UND_ERR_SOCKET' });
  });

  it('decodes an error answer, and rejects a 200 that is not an event stream', async () => {
    const server = await serve(apiError(402, 'tier_upgrade_required'), text(200, '<p>login</p>'));
    const { client } = clientFor(server.url);
    const options = { method: 'POST' as const, url: '/query/tail', signal: new AbortController().signal };
    expect(await rejection(client.openStream(options))).toMatchObject({
      status: 402,
      code: 'tier_upgrade_required',
    });
    const error = (await rejection(client.openStream(options))) as ProtocolError;
    expect(error.code).toBe('not_the_api');
    expect(error.message).toContain('HTTP 200 (text/html): login, not an event stream');
  });
});
