import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CursorWalk, type QueryClient, QueryWalk } from '../../src/api/paging.js';
import type { QueryRequest, QueryResponse } from '../../src/api/types.js';
import { ProtocolError } from '../../src/errors.js';
import { apiEvent } from '../helpers/hostile-server.js';

const walkOf = () => new CursorWalk(() => ({ url: 'http://h/query', what: 'POST /query' }));

describe('CursorWalk', () => {
  it('follows fresh cursors and ends at none or at an empty page', () => {
    const walk = walkOf();
    expect(walk.next('a', 1)).toBe('a');
    expect(walk.next('b', 1)).toBe('b');
    expect(walk.next('c', 0)).toBeUndefined();
    expect(walkOf().next(null, 5)).toBeUndefined();
  });

  it('finds any cycle, of any period after any lead-in, within 3 × (lead-in + period) + 2 pages', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 50 }), (lead, period) => {
        const walk = walkOf();
        const cursor = (page: number) => (page < lead ? `lead-${page}` : `cycle-${(page - lead) % period}`);
        let pages = 0;
        expect(() => {
          for (; pages < 10_000; pages++) walk.next(cursor(pages), 1);
        }).toThrow(ProtocolError);
        expect(pages).toBeLessThanOrEqual(3 * (lead + period) + 2);
      }),
    );
  });
});

/** A query client that answers from a script, recording each request. */
function scripted(answer: (request: QueryRequest, index: number) => QueryResponse) {
  const requests: QueryRequest[] = [];
  const client: QueryClient = {
    baseUrl: 'http://h',
    query: async (request) => {
      requests.push(request);
      return answer(request, requests.length - 1);
    },
  };
  return { client, requests };
}

const pageOf = (events: Record<string, unknown>[], next: string | null): QueryResponse =>
  ({
    events,
    next_cursor: next,
    stats: { scanned: 0, matched: events.length, elapsed_ms: 0 },
  }) as unknown as QueryResponse;

async function drain(walk: QueryWalk): Promise<unknown[]> {
  const all: unknown[] = [];
  const signal = new AbortController().signal;
  for (let events = await walk.next(signal); events; events = await walk.next(signal)) all.push(...events);
  return all;
}

describe('QueryWalk', () => {
  it('pages to the end, stopping at maxEvents with `truncated` when more were there', async () => {
    const { client, requests } = scripted((request, i) =>
      pageOf([apiEvent(900 - 2 * i), apiEvent(899 - 2 * i)].slice(0, request.limit), `c${i}`),
    );
    const walk = new QueryWalk(client, { request: { q: '', order: 'desc' }, pageSize: 2, maxEvents: 5 });
    expect(await drain(walk)).toHaveLength(5);
    expect(requests.map((request) => request.limit)).toEqual([2, 2, 1]);
    expect(requests[1]?.cursor).toBe('c0');
    expect(walk.truncated).toBe(true);
  });

  it('asks again in small pages, once, when an answer is too large to read', async () => {
    const tooLarge = new ProtocolError('response_too_large', 'too large', 'http://h/query');
    const { client, requests } = scripted((request) => {
      if ((request.limit ?? 0) > 16) throw tooLarge;
      return pageOf([apiEvent(1)], null);
    });
    expect(
      await drain(new QueryWalk(client, { request: { q: '', order: 'desc' }, pageSize: 500 })),
    ).toHaveLength(1);
    expect(requests.map((request) => request.limit)).toEqual([500, 16]);

    const always = scripted(() => {
      throw tooLarge;
    });
    await expect(
      drain(new QueryWalk(always.client, { request: { q: '', order: 'desc' }, pageSize: 500 })),
    ).rejects.toBe(tooLarge);
    expect(always.requests).toHaveLength(2);
  });

  it.each([
    ['an id that goes the wrong way', [apiEvent(5), apiEvent(6)], /out of order/],
    ['an id twice in a page', [apiEvent(5), apiEvent(5)], /twice/],
    [
      'ids that are no UUIDv7, twice',
      [apiEvent(1, { event_id: 'x' }), apiEvent(1, { event_id: 'x' })],
      /twice/,
    ],
    [
      'an event after `to`',
      [apiEvent(1, { ts: '2026-05-18T00:00:00.000Z' })],
      /outside the asked time window/,
    ],
    [
      'an event before `from`',
      [apiEvent(1, { ts: '2026-05-16T23:59:59.999Z' })],
      /outside the asked time window/,
    ],
  ])('stops at %s', async (_, events, message) => {
    const { client } = scripted(() => pageOf(events, null));
    const request = {
      q: '',
      order: 'desc' as const,
      from: '2026-05-17T00:00:00Z',
      to: '2026-05-18T00:00:00Z',
    };
    await expect(drain(new QueryWalk(client, { request, pageSize: 10 }))).rejects.toThrow(message);
  });

  it('takes ascending walks the other way round', async () => {
    const { client } = scripted((_, i) => pageOf([apiEvent(10 + i)], i < 3 ? `c${i}` : null));
    expect(
      await drain(new QueryWalk(client, { request: { q: '', order: 'asc' }, pageSize: 1 })),
    ).toHaveLength(4);
  });
});
