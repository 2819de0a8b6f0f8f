/** What `tail --url` adds: frames of any stream read as engine meanings, and stream URLs kept whole. */
import { describe, expect, it, test } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { parseStreamUrl } from '../../src/api/transport-policy.js';
import { UsageError } from '../../src/errors.js';
import { openTail } from '../../src/tail/engine.js';
import type { TailItem } from '../../src/tail/items.js';
import type { FrameMeaning } from '../../src/tail/source.js';
import { interpretShapedFrame, urlTailSource } from '../../src/tail/url-source.js';
import { hostileServer } from '../helpers/hostile-server.js';
import { untilUndiciFails } from '../helpers/undici-events.js';

const ENTRY = {
  id: 7,
  tsMs: 1_779_012_000_123,
  level: 'warn',
  serviceName: 'user-api',
  url: '/v1',
  status: 503,
  source: 'edge',
};

function shown(meaning: FrameMeaning): unknown {
  if (meaning.kind !== 'event') throw new Error(`not an event: ${meaning.kind}`);
  return meaning.display ? meaning.display(meaning.record) : meaning.record;
}

describe('interpretShapedFrame', () => {
  test.each<[string, string, unknown, object]>([
    ['gap', 'gap', { after: '1', resumed_from: '5' }, { kind: 'gap', after: '1', resumedFrom: '5' }],
    ['reset', 'reset', { reason: 'server_restart' }, { kind: 'reset', detail: 'server_restart' }],
    ['scope-destroyed', 'scope-destroyed', {}, { kind: 'scope-destroyed', detail: undefined }],
    ['a log frame that is not an object', 'audit-log', [1], { kind: 'invalid' }],
    ['a log frame that is not JSON', 'audit-log', undefined, { kind: 'invalid' }],
    ['an unknown name', 'ping', {}, { kind: 'ignore' }],
  ])('%s', (_, name, data, expected) => {
    expect(interpretShapedFrame(name, data)).toMatchObject(expected);
  });

  it('keeps the record as sent and shows a proxy entry by its mapped common fields', () => {
    const meaning = interpretShapedFrame('message', ENTRY);
    expect(meaning).toMatchObject({ kind: 'event', record: ENTRY });
    expect(shown(meaning)).toMatchObject({
      ts: '2026-05-17T10:00:00.123Z',
      severity: 'warn',
      source: 'user-api',
      message: '/v1 503',
      payload: { id: 7, source: 'edge' },
    });
  });

  it('shows an audit row by its action, and a native event as it is', () => {
    expect(shown(interpretShapedFrame('audit-log', { action: 'a.b', severity: 'notice' }))).toMatchObject({
      severity: 'notice',
      message: 'a.b',
    });
    const native = { ts: '2026-05-17T10:00:00.123Z', severity: 'info', message: 'm' };
    expect(shown(interpretShapedFrame('message', native))).toBe(native);
  });
});

describe('parseStreamUrl', () => {
  it('keeps the query (a stream filters there) and the path as given, drops the fragment', () => {
    expect(parseStreamUrl(' http://h:1/a/stream/?level=error&kind=event#x ').toString()).toBe(
      'http://h:1/a/stream/?level=error&kind=event',
    );
  });

  it.each(['ftp://h/x', 'http://user:pw@h/x', 'not a url'])('refuses %s', (url) => {
    expect(() => parseStreamUrl(url)).toThrow(UsageError);
  });
});

describe('a --url stream the server cuts', () => {
  const frame = (n: number): string => `id: ${n}\ndata: {"message":"m${n}"}\n\n`;

  test('the frames received before the cut are delivered, and the tail resumes after the last', async () => {
    const server = await hostileServer((request, response) => {
      if (request.number > 1) {
        response.writeHead(204).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      // Three whole frames and part of a fourth, then the connection breaks under them.
      response.write(`${frame(1)}${frame(2)}${frame(3)}id: 4\ndata: {"mess`, () => response.destroy());
    });
    const client = new ApiClient({ baseUrl: server.url, userAgent: 'test' });
    const cut = untilUndiciFails(server.url);
    const items: TailItem[] = [];
    const tail = openTail({
      source: urlTailSource(client, `${server.url}/stream`, {}),
      signal: AbortSignal.timeout(10_000),
      sleep: async () => {},
    });
    try {
      for await (const item of tail) {
        items.push(item);
        // The consumer is busy (a slow pipe, a loaded machine) until the client has seen the cut.
        if (item.kind === 'live' && server.requests.length === 1) await cut;
      }
    } finally {
      await client.close();
    }
    const delivered = items.flatMap((item) => (item.kind === 'batch' ? item.events : []));
    expect(delivered.map((event) => event.event.message)).toEqual(['m1', 'm2', 'm3']);
    expect(server.requests[1]?.headers['last-event-id']).toBe('3');
    expect(items.at(-1)).toMatchObject({ kind: 'ended', reason: 'server-stop' });
  });
});
