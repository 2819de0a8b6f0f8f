/**
 * `--tail N` against the mock over loopback: the history request leaves out the newest N over as
 * many pages as it takes (the API's pages hold at most 1,000 events), only matching events count,
 * and the events appended once the tail is live follow the N without a gap or a repeat.
 */
import { describe, expect, onTestFinished, test } from 'vitest';
import { ApiClient } from '../../src/api/client.js';
import { Token } from '../../src/model/token.js';
import { apiTailSource } from '../../src/tail/api-source.js';
import { openTail } from '../../src/tail/engine.js';
import { DEV_TOKEN, startTestMock } from '../helpers/mock-server.js';

describe('tail --tail N against the mock', () => {
  test.each([
    ['one page', 7],
    ['several pages', 1_234],
  ])('%s: the newest N matching events, then live, each once', async (_name, last) => {
    const mock = await startTestMock();
    const client = new ApiClient({ baseUrl: mock.url, token: Token.from(DEV_TOKEN), userAgent: 'test' });
    onTestFinished(() => client.close());
    const matching: string[] = [];
    for (let i = 0; i < 1_500; i += 1) {
      const [api, other] = mock.append(
        { message: `a${i}`, source: 'api' },
        { message: `w${i}`, source: 'web' },
      );
      matching.push(api!.event.event_id);
      expect(other).toBeDefined();
    }
    const live: string[] = [];
    const seen: string[] = [];
    const tail = openTail({
      source: apiTailSource(client, { kind: 'query', q: 'source == api' }),
      signal: AbortSignal.timeout(30_000),
      last,
      maxEvents: last + 5,
    });
    for await (const item of tail) {
      if (item.kind === 'batch') seen.push(...item.events.map((e) => String(e.event.event_id)));
      if (item.kind === 'backfilled' && live.length === 0) {
        // Written to the log once the stream is open and the history delivered: live events.
        for (const added of mock.append(
          ...Array.from({ length: 5 }, (_, i) => ({ message: `l${i}`, source: 'api' })),
        ))
          live.push(added.event.event_id);
      }
      if (item.kind === 'ended') break;
    }
    expect(seen).toEqual([...matching.slice(-last), ...live]);
  });
});
