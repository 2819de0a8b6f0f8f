/**
 * Filters that once cost the whole mock: a backtracking regex, a huge full-text string, GROUP BY
 * over many fields. Each is answered (a result or a 400 with the position) and the mock stays
 * responsive to everyone else meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MockServer } from '../../src/mock/index.js';
import { type MockProcess, startMockProcess } from '../helpers/mock-process.js';
import { startTestMock } from '../helpers/mock-server.js';
import { call, SseReader } from '../mock/client.js';

const EVIL = '^(a+)+$';
const ALMOST_AS = `${'a'.repeat(31)}!`;

describe('a catastrophic regex in a separate mock process', () => {
  let mock: MockProcess;
  let server: MockServer;
  beforeAll(async () => {
    mock = await startMockProcess(['--heartbeat', '100ms', '--poll-interval', '20ms']);
    server = { url: mock.url } as MockServer;
  });
  afterAll(() => mock.stop());

  it('is answered, while a tail keeps its heartbeats and events and an ingest is answered', async () => {
    const events = Array.from({ length: 8 }, () => ({ message: ALMOST_AS }));
    expect((await call(server, 'POST', '/_mock/events', { body: { events } })).status).toBe(200);
    const tail = await SseReader.open(server, { q: 'source == liveness' });
    const query = call(server, 'POST', '/query', { body: { q: `message ~ "${EVIL}"` } });
    const count = call(server, 'POST', '/_mock/count', { body: { q: `message ~ "${EVIL}"` } });

    // A backtracking engine would hold the single-threaded mock for about a minute right here.
    const heartbeats = tail.comments.length;
    const ingest = await call(server, 'POST', '/logs', {
      body: { message: 'still alive', source: 'liveness' },
    });
    expect(ingest.status).toBe(201);
    await tail.until((t) => t.events.some((event) => event.message === 'still alive'));
    await tail.until((t) => t.comments.length > heartbeats);

    const [answer, counted] = await Promise.all([query, count]);
    expect(answer.status).toBe(200);
    expect(answer.json.events).toEqual([]);
    expect(counted.json).toEqual({ count: 0 });
    const plain = await call(server, 'POST', '/query', { body: { q: 'message ~ "^(a+)+!$"' } });
    expect(plain.json.events).toHaveLength(8);
  });
});

describe('bounds checked when the query is parsed, on every route', () => {
  const huge = `"${'x'.repeat(32_768)}"`;
  const manyFields = `GROUP BY ${Array.from({ length: 1_000 }, (_, i) => `payload.f${i}`).join(', ')}`;

  it('answers 400 soql_parse_error with the position for a 32 Ki full-text string', async () => {
    const server = await startTestMock();
    await call(server, 'POST', '/_mock/events', { body: { generate: 3 } });
    for (const [path, body] of [
      ['/query', { q: `severity >= info AND ${huge}` }],
      [
        '/api/v1/logs/tail/sessions',
        { filter: `severity >= info AND ${huge}`, service: 'api', tenantId: 't', userUuid: 'u' },
      ],
    ] as const) {
      const reply = await call(server, 'POST', path, { body });
      expect(reply.status, path).toBe(400);
      expect(reply.json.error).toMatchObject({
        code: 'soql_parse_error',
        message: 'full-text string too long: 32768 characters, at most 1000',
        position: 21,
      });
    }
    const count = await call(server, 'POST', '/_mock/count', { body: { q: huge } });
    expect([count.status, count.json.error?.code]).toEqual([400, 'soql_parse_error']);
  });

  it('answers a tail with the full-text string over the limit with an HTTP 400, not a cut connection', async () => {
    const server = await startTestMock();
    await call(server, 'POST', '/_mock/events', { body: { generate: 3 } });
    const reply = await call(server, 'POST', '/query/tail', { body: { q: huge } });
    expect(reply.status).toBe(400);
    expect(reply.json.error).toMatchObject({ code: 'soql_parse_error', position: 0 });
  });

  it('refuses GROUP BY over more than two fields at the third one', async () => {
    const server = await startTestMock();
    const reply = await call(server, 'POST', '/query', { body: { q: manyFields } });
    expect(reply.status).toBe(400);
    expect(reply.json.error).toMatchObject({
      code: 'soql_parse_error',
      message: 'GROUP BY takes at most 2 fields',
      position: 'GROUP BY payload.f0, payload.f1, '.length,
      near: 'payload.f2',
    });
  });
});
