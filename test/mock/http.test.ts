/** HTTP-level behaviour: HEAD, `Connection: close` on streams, and who may use `/_mock/*`. */
import { connect } from 'node:net';
import { request } from 'undici';
import { describe, expect, test } from 'vitest';
import type { MockServer } from '../../src/mock/index.js';
import { startMockProcess } from '../helpers/mock-process.js';
import { DEV_TOKEN, READONLY_TOKEN, startTestMock, withMock } from '../helpers/mock-server.js';

/**
 * Sends raw request text and resolves with everything the server sent once it closes the socket.
 * The socket is abandoned after `guardMs` (a liveness guard: a server that keeps it open fails).
 */
function rawExchange(port: number, text: string, guardMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open; received so far:\n${received}`));
    }, guardMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      received += chunk;
    });
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(received);
    });
    socket.on('error', reject);
    socket.end(text);
  });
}

function tailRequest(headers: string, body = '{"q":""}'): string {
  return (
    `POST /query/tail HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${DEV_TOKEN}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}\r\n${body}`
  );
}

describe('HTTP', () => {
  const mock = withMock({ history: 3 });

  test('HEAD on every GET route answers like GET without a body', async () => {
    const session = await request(`${mock().url}/api/v1/logs/tail/sessions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEV_TOKEN}` },
      body: JSON.stringify({ tenantId: 't', userUuid: 'u', filter: '', service: 'api' }),
    });
    const sessionId = ((await session.body.json()) as { id: string }).id;
    // Every GET route of docs/api.md: the API, the other stream shapes, the admin routes.
    for (const [path, auth] of [
      ['/auth/whoami', true],
      ['/logs/stats', true],
      ['/api/v1/logs/tail/sessions', true],
      [`/api/v1/logs/tail/sessions/${sessionId}`, true],
      ['/api/proxy-logs/_logs/stream', true],
      ['/portal/v1/accounts/sotail_dev/audit-log/identities/stream', true],
      ['/_mock/state', false],
      ['/_mock/faults', false],
    ] as const) {
      const headers: Record<string, string> = auth ? { authorization: `Bearer ${DEV_TOKEN}` } : {};
      const gone = new AbortController();
      const get = await request(`${mock().url}${path}`, { headers, signal: gone.signal });
      const stream = String(get.headers['content-type']).startsWith('text/event-stream');
      // A stream's first bytes are enough to show it opened; then hang up.
      for await (const chunk of get.body) if (chunk.length > 0) break;
      gone.abort();
      const head = await request(`${mock().url}${path}`, { method: 'HEAD', headers });
      expect(head.statusCode, path).toBe(get.statusCode);
      expect(head.statusCode, path).toBe(200);
      expect(await head.body.text()).toBe('');
      expect(head.headers['content-type'], path).toBe(get.headers['content-type']);
      if (!stream) expect(Number(head.headers['content-length']), path).toBeGreaterThan(0);
    }
    // A HEAD opens no stream: no slot is held, no audit row is written.
    await expect.poll(() => mock().snapshot().tails.active).toBe(0);
    const unauthorised = await request(`${mock().url}/auth/whoami`, { method: 'HEAD' });
    expect(unauthorised.statusCode).toBe(401);
    await unauthorised.body.text();
    const shaped = await request(`${mock().url}/api/proxy-logs/_logs/stream`, { method: 'HEAD' });
    expect(shaped.statusCode).toBe(403);
    await shaped.body.text();
  });

  test('a 405 lists HEAD beside GET in Allow', async () => {
    const response = await request(`${mock().url}/logs/stats`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${DEV_TOKEN}` },
    });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD');
    await response.body.text();
    const stream = await request(`${mock().url}/api/proxy-logs/_logs/stream`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEV_TOKEN}` },
    });
    expect(stream.statusCode).toBe(405);
    expect(stream.headers.allow).toBe('GET, HEAD');
    await stream.body.text();
  });

  test('a stream answer honours Connection: close: the socket closes when the stream ends', async () => {
    // A stale Last-Event-ID: `event: reset`, then the end of the stream.
    const answer = await rawExchange(
      mock().port,
      tailRequest('Connection: close\r\nLast-Event-ID: nope\r\n'),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('event: reset\nid:\n');
  });

  test('a live stream ended by the server closes a Connection: close socket too', async () => {
    const server = await startTestMock({ idleTimeoutMs: 100 });
    const answer = await rawExchange(server.port, tailRequest('Connection: close\r\n'));
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(answer).toContain('retry: 100');
  });

  test('without Connection: close a stream keeps the connection alive', async () => {
    const response = await request(`${mock().url}/query/tail`, {
      method: 'POST',
      headers: { authorization: `Bearer ${DEV_TOKEN}`, 'last-event-id': 'nope' },
      body: '{"q":""}',
    });
    expect(response.headers.connection).toBe('keep-alive');
    await response.body.text();
  });
});

describe('/_mock/* on an interface other than loopback', () => {
  /** The mock bound to every interface, reached over loopback. */
  const local = (server: MockServer): string => `http://127.0.0.1:${server.port}`;

  test('needs a token with every log scope', async () => {
    const server = await startTestMock({ host: '0.0.0.0' });
    const state = (headers: Record<string, string> = {}) =>
      request(`${local(server)}/_mock/state`, { headers }).then(async (response) => ({
        status: response.statusCode,
        json: JSON.parse(await response.body.text()),
      }));
    const anonymous = await state();
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.error.code).toBe('unauthorized');
    const readonly = await state({ authorization: `Bearer ${READONLY_TOKEN}` });
    expect(readonly.status).toBe(403);
    expect(readonly.json.error).toMatchObject({ code: 'forbidden', required_scope: 'logs:write' });
    const dev = await state({ authorization: `Bearer ${DEV_TOKEN}` });
    expect(dev.status).toBe(200);
    const append = await request(`${local(server)}/_mock/events`, {
      method: 'POST',
      body: '{"message":"x"}',
    });
    expect(append.statusCode).toBe(401);
    await append.body.text();
    expect(server.snapshot().events).toBe(0);
  });

  test('on loopback, or with openAdmin, needs none', async () => {
    const loopback = await startTestMock();
    const open = await startTestMock({ host: '0.0.0.0', openAdmin: true });
    for (const server of [loopback, open]) {
      const response = await request(`${local(server)}/_mock/state`);
      expect(response.statusCode).toBe(200);
      await response.body.text();
    }
  });

  test('`sotail mock --host 0.0.0.0` locks them; `--open-admin` opens them', async () => {
    for (const [args, status] of [
      [['--host', '0.0.0.0'], 401],
      [['--host', '0.0.0.0', '--open-admin'], 200],
    ] as const) {
      const mockProcess = await startMockProcess([...args]);
      try {
        const port = new URL(mockProcess.url).port;
        const response = await request(`http://127.0.0.1:${port}/_mock/state`);
        expect(response.statusCode, args.join(' ')).toBe(status);
        await response.body.text();
      } finally {
        await mockProcess.stop();
      }
    }
  });
});
