/** Tail sessions CRUD and tailing by session (api.md "Tail sessions", seed 001). */
import { describe, expect, test } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { Token } from '../../src/model/token.js';
import { DEV_TOKEN, HOBBY_TOKEN, startTestMock, withMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

const PATH = '/api/v1/logs/tail/sessions';
const BODY = {
  tenantId: 'tenant-xyz',
  userUuid: 'user-001-abc',
  filter: 'level=error',
  service: 'auth-service',
};

describe('tail sessions', () => {
  const mock = withMock();

  test('create, list, get, patch, delete', async () => {
    mock().append({ message: 'before' });
    const created = await call(mock(), 'POST', PATH, { body: BODY });
    expect(created.status).toBe(200);
    expect(created.json).toEqual({
      ...BODY,
      id: expect.stringMatching(/^ses_[0-9a-f]{16}$/),
      lastCursor: mock().head(),
      createdAt: expect.stringMatching(/Z$/),
      active: true,
    });
    const { id } = created.json;
    expect((await call(mock(), 'GET', PATH)).json).toEqual({ sessions: [created.json], next_cursor: null });
    expect((await call(mock(), 'GET', `${PATH}/${id}`)).json).toEqual(created.json);
    const [later] = mock().append({ message: 'later' });
    const patched = await call(mock(), 'PATCH', `${PATH}/${id}`, { body: { lastCursor: later!.cursor } });
    expect(patched.json).toMatchObject({ id, lastCursor: later!.cursor });
    const deleted = await call(mock(), 'DELETE', `${PATH}/${id}`);
    expect(deleted.json).toMatchObject({ id, active: false });
    expect((await call(mock(), 'GET', `${PATH}/${id}`)).status).toBe(404);
    expect((await call(mock(), 'GET', PATH)).json).toEqual({ sessions: [], next_cursor: null });
  });

  test.each([
    [{ ...BODY, tenantId: undefined }, 'tenantId'],
    [{ ...BODY, userUuid: '' }, 'userUuid'],
    [{ ...BODY, filter: undefined }, 'filter'],
    [{ ...BODY, service: 7 }, 'service'],
    [{ ...BODY, lastCursor: 7 }, 'lastCursor'],
    [{ ...BODY, lastCursor: ' ' }, 'lastCursor'],
    [{ ...BODY, lastCursor: 'c'.repeat(257) }, 'lastCursor'],
  ])('400 for %j names %s', async (body, field) => {
    const result = await call(mock(), 'POST', PATH, { body });
    expect(result.status).toBe(400);
    expect(result.json.error).toMatchObject({ code: 'bad_request', field });
  });

  test('a bad filter is a SOQL error; GROUP BY cannot be a session', async () => {
    const parse = await call(mock(), 'POST', PATH, { body: { ...BODY, filter: 'level >=' } });
    expect(parse.json.error.code).toBe('soql_parse_error');
    const group = await call(mock(), 'POST', PATH, { body: { ...BODY, filter: 'GROUP BY source' } });
    expect(group.json.error.code).toBe('soql_tail_aggregation_unsupported');
  });

  test('PATCH needs a lastCursor; hobby cannot create', async () => {
    const { json } = await call(mock(), 'POST', PATH, { body: BODY });
    const missing = await call(mock(), 'PATCH', `${PATH}/${json.id}`, { body: {} });
    expect(missing.json.error).toMatchObject({ code: 'bad_request', field: 'lastCursor' });
    const hobby = await call(mock(), 'POST', PATH, { token: HOBBY_TOKEN, body: BODY });
    expect(hobby.status).toBe(402);
  });

  test('tailing a session: its filter and service, from its lastCursor', async () => {
    const [first] = mock().append({ message: 'm0', source: 'auth-service', level: 'error' });
    const { json } = await call(mock(), 'POST', PATH, { body: { ...BODY, lastCursor: first!.cursor } });
    mock().append(
      { message: 'm1', source: 'auth-service', level: 'error' },
      { message: 'm2', source: 'auth-service', level: 'info' },
      { message: 'm3', source: 'api', level: 'error' },
    );
    const tail = await SseReader.open(mock(), { session_id: json.id });
    await tail.until((t) => t.events.length === 1);
    mock().append({ message: 'm4', source: 'auth-service', level: 'err' });
    await tail.until((t) => t.events.length === 2);
    expect(tail.events.map((event) => event.message)).toEqual(['m1', 'm4']);
    tail.close();
  });

  test('a session made without lastCursor starts from its creation, and Last-Event-ID wins', async () => {
    mock().append({ message: 'old', source: 'auth-service', level: 'error' });
    const { json } = await call(mock(), 'POST', PATH, { body: BODY });
    const [fresh] = mock().append({ message: 'fresh', source: 'auth-service', level: 'error' });
    mock().append({ message: 'fresher', source: 'auth-service', level: 'error' });
    const tail = await SseReader.open(mock(), { session_id: json.id });
    await tail.until((t) => t.events.length === 2);
    expect(tail.events.map((event) => event.message)).toEqual(['fresh', 'fresher']);
    const resumed = await SseReader.open(mock(), { session_id: json.id }, { lastEventId: fresh!.cursor });
    await resumed.until((t) => t.events.length === 1);
    expect(resumed.events[0].message).toBe('fresher');
    tail.close();
    resumed.close();
  });

  test('deleting a session ends its tails with scope-destroyed', async () => {
    const { json } = await call(mock(), 'POST', PATH, { body: BODY });
    const tail = await SseReader.open(mock(), { session_id: json.id });
    const other = await SseReader.open(mock(), { q: '' });
    await tail.until((t) => t.comments.length > 0);
    await call(mock(), 'DELETE', `${PATH}/${json.id}`);
    expect(await tail.finished()).toBe('end');
    expect(tail.frames.at(-1)).toMatchObject({
      event: 'scope-destroyed',
      data: '{"reason":"session_closed"}',
    });
    expect(other.ended).toBeUndefined();
    other.close();
    const gone = await call(mock(), 'POST', '/query/tail', { body: { session_id: json.id } });
    expect(gone.status).toBe(404);
  });

  test('session_id and q together are refused', async () => {
    const { json } = await call(mock(), 'POST', PATH, { body: BODY });
    const result = await call(mock(), 'POST', '/query/tail', { body: { session_id: json.id, q: '' } });
    expect(result.json.error).toMatchObject({ code: 'bad_request', field: 'q' });
  });

  test('a lastCursor this service never issued is stored; its tail resets once, then runs from now', async () => {
    mock().append({ message: 'before', source: 'auth-service', level: 'error' });
    const created = await call(mock(), 'POST', PATH, { body: { ...BODY, lastCursor: 'cursor-0000001' } });
    expect(created.status).toBe(200);
    expect(created.json.lastCursor).toBe('cursor-0000001');
    const patched = await call(mock(), 'PATCH', `${PATH}/${created.json.id}`, {
      body: { lastCursor: '999999999999999' },
    });
    expect(patched.json.lastCursor).toBe('999999999999999');

    const first = await SseReader.open(mock(), { session_id: created.json.id });
    expect(await first.finished()).toBe('end');
    expect(first.frames).toEqual([{ event: 'reset', id: '', data: '{"reason":"server_restart"}' }]);
    // "From now": the session's cursor moved to the newest event, so the reconnect goes live.
    const moved = await call(mock(), 'GET', `${PATH}/${created.json.id}`);
    expect(moved.json.lastCursor).toBe(mock().head());
    const second = await SseReader.open(mock(), { session_id: created.json.id });
    mock().append({ message: 'live', source: 'auth-service', level: 'error' });
    await second.until((t) => t.events.length === 1);
    expect(second.events[0].message).toBe('live');
    expect(second.frames.some((frame) => frame.event === 'reset')).toBe(false);
    second.close();
  });
});

describe('session bounds', () => {
  test('a token holds at most maxSessionsPerToken sessions: 429 with the limit; deleting frees one', async () => {
    const server = await startTestMock({ maxSessionsPerToken: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) ids.push((await call(server, 'POST', PATH, { body: BODY })).json.id);
    const over = await call(server, 'POST', PATH, { body: BODY });
    expect(over.status).toBe(429);
    expect(over.json.error).toMatchObject({ code: 'session_limit_exceeded', limit: 2, active: 2 });
    expect(server.snapshot().sessions).toBe(2);
    // Per token: another token of the same org still has its own allowance.
    server.addToken({ token: 'so_test_other', scopes: ['logs:read'], tier: 'pro' });
    expect((await call(server, 'POST', PATH, { token: 'so_test_other', body: BODY })).status).toBe(200);
    await call(server, 'DELETE', `${PATH}/${ids[0]}`);
    expect((await call(server, 'POST', PATH, { body: BODY })).status).toBe(200);
  });

  test('GET …/sessions pages with limit and next_cursor, oldest first, without repeats', async () => {
    const server = await startTestMock();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await call(server, 'POST', PATH, { body: BODY })).json.id);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = await call(server, 'GET', `${PATH}${query}`);
      expect(page.status).toBe(200);
      sizes.push(page.json.sessions.length);
      seen.push(...page.json.sessions.map((session: { id: string }) => session.id));
      cursor = page.json.next_cursor;
    } while (cursor);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(made);
    for (const bad of ['?limit=0', '?limit=1001', '?limit=two']) {
      expect((await call(server, 'GET', `${PATH}${bad}`)).json.error).toMatchObject({ field: 'limit' });
    }
    expect((await call(server, 'GET', `${PATH}?cursor=nope`)).json.error).toMatchObject({ field: 'cursor' });
  });

  test("the client's listSessions follows every page", async () => {
    const server = await startTestMock({ maxSessionsPerToken: 300 });
    for (let i = 0; i < 230; i++) await call(server, 'POST', PATH, { body: BODY });
    const client = new ApiClient({ baseUrl: server.url, token: Token.from(DEV_TOKEN), userAgent: 'test' });
    try {
      const sessions = await client.listSessions();
      expect(sessions).toHaveLength(230);
      expect(new Set(sessions.map((session) => session.id)).size).toBe(230);
    } finally {
      await client.close();
    }
  });
});
