/** The `/_mock/*` routes: the same operations as the programmatic API, over HTTP, without a token. */
import { describe, expect, test } from 'vitest';
import { startTestMock, withMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

describe('admin routes', () => {
  const mock = withMock({ history: 10 });
  const admin = (method: string, path: string, body?: unknown) =>
    call(mock(), method, `/_mock/${path}`, { token: null, body });

  test('state', async () => {
    const { status, json } = await admin('GET', 'state');
    expect(status).toBe(200);
    expect(json).toMatchObject({ events: 10, rate_per_s: 0, tails: { active: 0 }, sessions: 0, faults: [] });
    expect(Number(json.head) - Number(json.incarnation)).toBe(9);
  });

  test('events: explicit ones, or generated', async () => {
    const explicit = await admin('POST', 'events', {
      events: [{ message: 'a', level: 'error' }, { message: 'b' }],
    });
    expect(explicit.json).toMatchObject({ appended: 2, events: [{ event_id: expect.any(String) }, {}] });
    const single = await admin('POST', 'events', { message: 'c' });
    expect(single.json.appended).toBe(1);
    const generated = await admin('POST', 'events', { generate: 100 });
    expect(Number(generated.json.last_cursor) - Number(generated.json.first_cursor)).toBe(99);
    const bad = await admin('POST', 'events', { events: [{ level: 'info' }] });
    expect(bad.json.error).toMatchObject({ code: 'bad_request', field: 'message' });
  });

  test('faults: arm (objects or strings, all or nothing), list, clear', async () => {
    const armed = await admin('POST', 'faults', {
      faults: ['429@ingest:count=2', { kind: 'drop', afterEvents: 5 }],
    });
    expect(armed.json.faults).toHaveLength(2);
    expect((await call(mock(), 'POST', '/logs', { body: { message: 'x' } })).status).toBe(429);
    expect((await admin('GET', 'faults')).json.faults[0]).toMatchObject({ remaining: 1 });
    const bad = await admin('POST', 'faults', { faults: ['503@query', 'explode'] });
    expect(bad.json.error).toMatchObject({ code: 'bad_request', field: 'faults' });
    expect((await admin('GET', 'faults')).json.faults).toHaveLength(2);
    await admin('DELETE', 'faults');
    expect((await admin('GET', 'faults')).json.faults).toEqual([]);
  });

  test('tokens and revoke', async () => {
    await admin('POST', 'tokens', { token: 'so_test_ci', scopes: ['logs:read'], tier: 'enterprise' });
    expect((await call(mock(), 'GET', '/auth/whoami', { token: 'so_test_ci' })).json.tier).toBe('enterprise');
    const tail = await SseReader.open(mock(), { q: '' }, { token: 'so_test_ci' });
    expect((await admin('POST', 'revoke', { token: 'so_test_ci' })).json).toEqual({ revoked: true });
    expect(await tail.finished()).toBe('end');
    expect(tail.frames.at(-1)?.event).toBe('scope-destroyed');
    expect((await admin('POST', 'revoke', { token: 'so_test_ci' })).json).toEqual({ revoked: false });
    const bad = await admin('POST', 'tokens', { token: 'not-a-token' });
    expect(bad.json.error.field).toBe('token');
  });

  test('reset starts a new incarnation', async () => {
    const before = (await admin('GET', 'state')).json.incarnation;
    const after = await admin('POST', 'reset');
    expect(after.json.incarnation).not.toBe(before);
  });

  test('traffic rate, quota and count', async () => {
    expect((await admin('POST', 'traffic', { rate: 50 })).json).toEqual({ rate_per_s: 50 });
    expect((await admin('POST', 'traffic', { rate: 0 })).json).toEqual({ rate_per_s: 0 });
    // A rate no timer tick could keep up with would freeze the mock: refused.
    const flood = await admin('POST', 'traffic', { rate: 1e9 });
    expect(flood.json.error).toMatchObject({ code: 'bad_request', field: 'rate' });
    expect((await admin('GET', 'state')).json.rate_per_s).toBe(0);
    expect((await admin('POST', 'quota', { events: 5 })).json).toEqual({ limit: 5, used: 0 });
    expect((await admin('POST', 'quota', { events: null })).json).toEqual({ limit: null, used: 0 });
    const head = mock().head();
    mock().append({ message: 'x', level: 'error' }, { message: 'y' });
    const counted = await admin('POST', 'count', { q: 'severity >= error', after: head });
    expect(counted.json).toEqual({ count: 1 });
  });

  test('count: a bad cursor or query is a 400 naming the field, never a 500', async () => {
    for (const [body, field] of [
      [{ after: 'abc' }, 'after'],
      [{ after: '1e400' }, 'after'],
      [{ after: '-5' }, 'after'],
      [{ after: 12 }, 'after'],
      [{ through: 'x' }, 'through'],
      [{ through: '' }, 'through'],
      [{ q: 5 }, 'q'],
      [{ q: ['severity'] }, 'q'],
    ] as const) {
      const { status, json } = await admin('POST', 'count', body);
      expect(status, JSON.stringify(body)).toBe(400);
      expect(json.error, JSON.stringify(body)).toMatchObject({ code: 'bad_request', field });
    }
    const parse = await admin('POST', 'count', { q: 'sevrity >= error' });
    expect(parse.json.error).toMatchObject({ code: 'soql_parse_error', field: 'sevrity' });
    await expect(mock().count('', { after: 'abc' })).rejects.toMatchObject({ status: 400 });
  });

  test('--retain N keeps exactly N events, whatever was appended', async () => {
    const server = await startTestMock({ retainEvents: 500 });
    await call(server, 'POST', '/_mock/events', { token: null, body: { generate: 20_000 } });
    const { json } = await call(server, 'GET', '/_mock/state', { token: null });
    expect(json.events).toBe(500);
    expect(Number(json.head) - Number(json.oldest)).toBe(499);
    const page = await call(server, 'POST', '/query', { body: { limit: 1000 } });
    expect(page.json.events).toHaveLength(500);
  });

  test('unknown admin route: 404 envelope', async () => {
    expect((await admin('GET', 'nope')).json.error.code).toBe('not_found');
  });
});
