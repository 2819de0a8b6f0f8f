/** POST /query: paging, order, time range, GROUP BY (api.md "Query"). */
import { describe, expect, test } from 'vitest';
import { startTestMock, withMock } from '../helpers/mock-server.js';
import { call } from './client.js';

async function pageAll(server: import('../../src/mock/index.js').MockServer, body: Record<string, unknown>) {
  const messages: string[] = [];
  let cursor: string | null | undefined;
  let pages = 0;
  do {
    const { status, json } = await call(server, 'POST', '/query', {
      body: { ...body, cursor: cursor ?? undefined },
    });
    expect(status).toBe(200);
    messages.push(...json.events.map((event: { message: string }) => event.message));
    cursor = json.next_cursor;
    pages += 1;
  } while (cursor);
  return { messages, pages };
}

describe('query', () => {
  const mock = withMock();

  test('newest first by default, limit 100 by default, stats', async () => {
    mock().append(...Array.from({ length: 150 }, (_, i) => ({ message: `m${i}` })));
    const { json } = await call(mock(), 'POST', '/query', { body: {} });
    expect(json.events).toHaveLength(100);
    expect(json.events[0].message).toBe('m149');
    expect(json.next_cursor).toEqual(expect.any(String));
    expect(json.stats).toEqual({ scanned: 101, matched: 100, elapsed_ms: expect.any(Number) });
  });

  test('pages through everything exactly once, in both orders, with a filter', async () => {
    mock().append(
      ...Array.from({ length: 95 }, (_, i) => ({ message: `m${i}`, level: i % 3 ? 'info' : 'error' })),
    );
    const errors = Array.from({ length: 95 }, (_, i) => `m${i}`).filter((_, i) => i % 3 === 0);
    const asc = await pageAll(mock(), { q: 'severity >= error', order: 'asc', limit: 7 });
    expect(asc.messages).toEqual(errors);
    expect(asc.pages).toBe(5);
    const desc = await pageAll(mock(), { q: 'severity >= error', limit: 8 });
    expect(desc.messages).toEqual([...errors].reverse());
    expect(desc.pages).toBe(4);
  });

  test('paging is stable while events are appended between pages', async () => {
    mock().append(...Array.from({ length: 30 }, (_, i) => ({ message: `old${i}` })));
    let appended = 0;
    for (const order of ['desc', 'asc']) {
      const existing = Number(mock().head());
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const { json } = await call(mock(), 'POST', '/query', { body: { order, limit: 10, cursor } });
        seen.push(...json.events.map((event: { event_id: string }) => event.event_id));
        cursor = json.next_cursor ?? undefined;
        mock().append({ message: `new${appended++}` });
      } while (cursor);
      // Exactly the events that existed when the first page was served: none twice, none new.
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(existing - Number(mock().snapshot().incarnation) + 1);
    }
  });

  test('from is inclusive, to exclusive', async () => {
    mock().append(
      { message: 'a', ts: '2026-05-17T10:00:00.000Z' },
      { message: 'b', ts: '2026-05-17T10:00:01.000Z' },
      { message: 'c', ts: '2026-05-17T10:00:02.000Z' },
    );
    const { json } = await call(mock(), 'POST', '/query', {
      body: { from: '2026-05-17T10:00:00Z', to: '2026-05-17T10:00:02Z', order: 'asc' },
    });
    expect(json.events.map((event: { message: string }) => event.message)).toEqual(['a', 'b']);
    const bad = await call(mock(), 'POST', '/query', {
      body: { from: '2026-05-17T10:00:02Z', to: '2026-05-17T10:00:00Z' },
    });
    expect(bad.json.error).toMatchObject({ code: 'bad_request', field: 'to' });
  });

  test('GROUP BY counts per group, largest first', async () => {
    mock().append(
      ...['api', 'web', 'api', 'fivem', 'api', 'web'].map((source) => ({
        message: 'x',
        source,
        level: 'warn',
      })),
      { message: 'quiet', source: 'api', level: 'debug' },
    );
    const { json } = await call(mock(), 'POST', '/query', {
      body: { q: 'severity >= warn GROUP BY source' },
    });
    expect(json.groups).toEqual([
      { key: { source: 'api' }, count: 3 },
      { key: { source: 'web' }, count: 2 },
      { key: { source: 'fivem' }, count: 1 },
    ]);
    expect(json.stats).toMatchObject({ scanned: 7, matched: 6 });
    const two = await call(mock(), 'POST', '/query', { body: { q: 'GROUP BY source, severity', limit: 1 } });
    expect(two.json.groups).toEqual([{ key: { source: 'api', severity: 'warn' }, count: 3 }]);
  });

  test.each([
    [{ order: 'newest' }, 'order'],
    [{ limit: 0 }, 'limit'],
    [{ limit: 2.5 }, 'limit'],
    [{ from: 'noon' }, 'from'],
    [{ q: 42 }, 'q'],
    [{ cursor: 'garbage' }, 'cursor'],
  ])('400 for %j names %s', async (body, field) => {
    const result = await call(mock(), 'POST', '/query', { body });
    expect(result.status).toBe(400);
    expect(result.json.error).toMatchObject({ code: 'bad_request', field });
  });

  test('a cursor only continues its own query, and not across a restart', async () => {
    mock().append(...Array.from({ length: 5 }, (_, i) => ({ message: `m${i}` })));
    const first = await call(mock(), 'POST', '/query', { body: { limit: 2 } });
    const other = await call(mock(), 'POST', '/query', {
      body: { limit: 2, order: 'asc', cursor: first.json.next_cursor },
    });
    expect(other.json.error).toMatchObject({ code: 'bad_request', field: 'cursor' });
    await mock().restart();
    const stale = await call(mock(), 'POST', '/query', {
      body: { limit: 2, cursor: first.json.next_cursor },
    });
    expect(stale.json.error.message).toMatch(/restart/);
  });
});

test('paging a large log: each page scans about what it returns', async () => {
  const server = await startTestMock({ history: 50_000 });
  let cursor: string | undefined;
  for (let page = 0; page < 3; page++) {
    const { json } = await call(server, 'POST', '/query', { body: { limit: 1000, cursor } });
    expect(json.events).toHaveLength(1000);
    expect(json.stats.scanned).toBe(1001);
    cursor = json.next_cursor;
  }
});
