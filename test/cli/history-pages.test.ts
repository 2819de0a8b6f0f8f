import { describe, expect, it } from 'vitest';
import type { ApiClient } from '../../src/api/client.js';
import type { QueryRequest } from '../../src/api/types.js';
import { historyPages, historyQuery } from '../../src/cli/history-pages.js';

describe('history pages for the live view', () => {
  it('asks /query for a page older or newer than an event, with the tail’s filter and the view’s', () => {
    const scope = { q: 'source == api', from: '2026-05-17T09:00:00.000Z' };
    expect(
      historyQuery(scope, { direction: 'older', from: 'e5', filter: '(level == "x")', limit: 200 }),
    ).toEqual({
      q: '(source == api) AND ((level == "x")) AND (event_id < "e5")',
      order: 'desc',
      limit: 200,
      from: '2026-05-17T09:00:00.000Z',
    });
    expect(
      historyQuery(scope, { direction: 'older', from: 'e5', inclusive: true, filter: '', limit: 5 }).q,
    ).toBe('(source == api) AND (event_id <= "e5")');
    expect(
      historyQuery({ q: '' }, { direction: 'newer', from: 'e1', until: 'e9', filter: '', limit: 5 }),
    ).toEqual({
      q: '(event_id > "e1") AND (event_id < "e9")',
      order: 'asc',
      limit: 5,
    });
    // From the newest: no bound at all.
    expect(historyQuery({ q: '' }, { direction: 'older', filter: '', limit: 5 }).q).toBe('');
    // An id is quoted, whatever it holds.
    expect(historyQuery({ q: '' }, { direction: 'older', from: 'a"b\\c', filter: '', limit: 5 }).q).toBe(
      '(event_id < "a\\"b\\\\c")',
    );
  });

  it('says whether more lies beyond a page, and leaves out what the live tail leaves out', async () => {
    const answers = [
      {
        events: [{ event_id: 'e2', org_id: 'o', project_id: 'p', message: 'm' }],
        next_cursor: 'c',
        stats: {},
      },
      { events: [], next_cursor: null, stats: {} },
    ];
    const asked: QueryRequest[] = [];
    const client = {
      query: async (request: QueryRequest) => {
        asked.push(request);
        return answers.shift();
      },
    } as unknown as ApiClient;
    const fetch = historyPages(client, { q: '', omit: ['org_id', 'project_id'] });
    const signal = new AbortController().signal;
    expect(await fetch({ direction: 'older', filter: '', limit: 1 }, signal)).toEqual({
      events: [{ event_id: 'e2', message: 'm' }],
      more: true,
    });
    expect(await fetch({ direction: 'older', from: 'e2', filter: '', limit: 1 }, signal)).toEqual({
      events: [],
      more: false,
    });
  });
});
