/**
 * The mock's own bounds on what one request may make it hold (docs/api.md "Limits"): GROUP BY keys
 * of bounded size, pages and tail batches of bounded bytes.
 */
import { describe, expect, test } from 'vitest';
import { startTestMock, withMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

/** docs/api.md: the longest key value shown whole, and the most JSON a page holds. */
const MAX_GROUP_KEY_CHARS = 256;
const MAX_PAGE_CHARS = 4 * 1024 * 1024;

describe('bounds', () => {
  const mock = withMock();

  test('GROUP BY cuts long key values, says so, and still tells different long values apart', async () => {
    const long = 'v'.repeat(5_000);
    mock().append(
      { message: 'a', meta: { blob: `${long}-one`, obj: { text: long } } },
      { message: 'b', meta: { blob: `${long}-one`, obj: { text: long } } },
      { message: 'c', meta: { blob: `${long}-two`, obj: { text: 'short' } } },
      { message: 'd', meta: { blob: 'short', obj: { text: 'short' } } },
    );
    const { json } = await call(mock(), 'POST', '/query', { body: { q: 'GROUP BY payload.blob' } });
    expect(json.groups.map((group: { count: number }) => group.count)).toEqual([2, 1, 1]);
    const [one, short, other] = json.groups;
    expect(one.key['payload.blob']).toBe(`${'v'.repeat(MAX_GROUP_KEY_CHARS)}…`);
    expect(one.truncated).toEqual(['payload.blob']);
    expect(other.key['payload.blob']).toBe(one.key['payload.blob']);
    expect(short).toEqual({ key: { 'payload.blob': 'short' }, count: 1 });
    // An object value is cut as JSON text; a small one stays an object.
    const objects = await call(mock(), 'POST', '/query', { body: { q: 'GROUP BY payload.obj, source' } });
    expect(objects.json.groups).toEqual([
      {
        key: {
          'payload.obj': `${JSON.stringify({ text: long }).slice(0, MAX_GROUP_KEY_CHARS)}…`,
          source: null,
        },
        count: 2,
        truncated: ['payload.obj'],
      },
      { key: { 'payload.obj': { text: 'short' }, source: null }, count: 2 },
    ]);
  });

  test('a page of large events stops at its byte bound and the cursor carries on, losing none', async () => {
    const meta = { blob: 'p'.repeat(200_000) };
    const appended = mock().append(...Array.from({ length: 30 }, (_, i) => ({ message: `big ${i}`, meta })));
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await call(mock(), 'POST', '/query', {
        body: { limit: 1000, ...(cursor ? { cursor } : {}) },
      });
      pages += 1;
      expect(JSON.stringify(page.json).length).toBeLessThanOrEqual(MAX_PAGE_CHARS + 100_000);
      seen.push(...page.json.events.map((event: { event_id: string }) => event.event_id));
      cursor = page.json.next_cursor ?? undefined;
    } while (cursor);
    expect(pages).toBeGreaterThan(1);
    expect(seen).toEqual(appended.map(({ event }) => event.event_id).reverse());
  });

  test('a tail batch of large events stops at the buffer bound', async () => {
    // A loaded machine may take a while to read megabytes: this test is not about slow readers.
    const server = await startTestMock({ slowClientTimeoutMs: 60_000 });
    const tail = await SseReader.open(server, { q: '' });
    await tail.until((t) => t.raw.startsWith('retry:'));
    const meta = { blob: 't'.repeat(200_000) };
    server.append(...Array.from({ length: 30 }, (_, i) => ({ message: `big ${i}`, meta })));
    await tail.until((t) => t.events.length === 30);
    // 1 MiB of frames at most, plus the one that crosses it: 6 events of 200 KB.
    expect(server.snapshot().tails.metrics.largestBatch).toBeLessThanOrEqual(6);
    tail.close();
  });
});
