/** The live tail rules of api.md, one test each, against a real server with short intervals. */
import { request } from 'node:http';
import { describe, expect, test } from 'vitest';
import { startTestMock, withMock } from '../helpers/mock-server.js';
import { call, SseReader } from './client.js';

describe('live tail', () => {
  const mock = withMock();

  test('starts with retry:, then sends matching events with ids, oldest first, without org/project', async () => {
    const tail = await SseReader.open(mock(), { q: 'source == api' });
    expect(tail.status).toBe(200);
    expect(tail.contentType).toBe('text/event-stream; charset=utf-8');
    const appended = mock().append(
      { message: 'one', source: 'api' },
      { message: 'skip', source: 'web' },
      { message: 'two', source: 'api', level: 'error' },
    );
    await tail.until((t) => t.events.length === 2);
    expect(tail.raw.startsWith('retry: 100\n\n')).toBe(true);
    expect(tail.events.map((event) => event.message)).toEqual(['one', 'two']);
    expect(tail.frames.map((frame) => frame.id)).toEqual([appended[0]!.cursor, appended[2]!.cursor]);
    expect(tail.events[0]).not.toHaveProperty('org_id');
    expect(tail.events[0]).not.toHaveProperty('project_id');
    expect(tail.events[1]).toMatchObject({ severity: 'error', event_id: appended[2]!.event.event_id });
    tail.close();
  });

  test('sends :heartbeat comments while nothing matches', async () => {
    const tail = await SseReader.open(mock(), { q: 'source == nothing' });
    await tail.until((t) => t.comments.filter((comment) => comment === 'heartbeat').length >= 2);
    expect(tail.raw).toContain(':heartbeat\n\n');
    tail.close();
  });

  test('Last-Event-ID replays every matching event after it, then goes live', async () => {
    const appended = mock().append(
      ...Array.from({ length: 10 }, (_, i) => ({ message: `m${i}`, source: i % 2 ? 'api' : 'web' })),
    );
    const tail = await SseReader.open(mock(), { q: 'source == api' }, { lastEventId: appended[2]!.cursor });
    await tail.until((t) => t.events.length === 4);
    expect(tail.events.map((event) => event.message)).toEqual(['m3', 'm5', 'm7', 'm9']);
    mock().append({ message: 'live', source: 'api' });
    await tail.until((t) => t.events.length === 5);
    expect(tail.frames.some((frame) => frame.event === 'gap')).toBe(false);
    tail.close();
  });

  test('a resume point older than the replay window gets one gap frame first', async () => {
    const server = await startTestMock({ replayWindow: 5 });
    const appended = server.append(...Array.from({ length: 20 }, (_, i) => ({ message: `m${i}` })));
    const tail = await SseReader.open(server, { q: '' }, { lastEventId: appended[3]!.cursor });
    await tail.until((t) => t.events.length === 5);
    const gap = tail.frames[0]!;
    expect(gap.event).toBe('gap');
    expect(JSON.parse(gap.data)).toEqual({ after: appended[3]!.cursor, resumed_from: appended[15]!.cursor });
    expect(tail.events.map((event) => event.message)).toEqual(['m15', 'm16', 'm17', 'm18', 'm19']);
    tail.close();
  });

  test('a Last-Event-ID from before a restart gets event: reset, then the end', async () => {
    const [before] = mock().append({ message: 'before restart' });
    await mock().restart();
    mock().append({ message: 'after restart' });
    const tail = await SseReader.open(mock(), { q: '' }, { lastEventId: before!.cursor });
    expect(await tail.finished()).toBe('end');
    // The empty id clears the client's Last-Event-ID (SSE rules), so its reconnect starts from now.
    expect(tail.frames).toEqual([{ event: 'reset', id: '', data: '{"reason":"server_restart"}' }]);
    expect(tail.raw).toContain('event: reset\nid:\ndata: {"reason":"server_restart"}\n\n');
  });

  test.each(['not-a-number', '99999999999999'])(
    'a Last-Event-ID never issued (%s) gets event: reset',
    async (id) => {
      const tail = await SseReader.open(mock(), { q: '' }, { lastEventId: id });
      expect(await tail.finished()).toBe('end');
      expect(tail.frames.map((frame) => frame.event)).toEqual(['reset']);
    },
  );

  test('revoking the token sends scope-destroyed and ends the stream', async () => {
    const token = 'so_test_revoke_me';
    mock().addToken({ token, scopes: ['logs:read'], tier: 'pro' });
    const tail = await SseReader.open(mock(), { q: '' }, { token });
    await tail.until((t) => t.comments.length > 0);
    expect(mock().revokeToken(token)).toBe(true);
    expect(await tail.finished()).toBe('end');
    expect(tail.frames.at(-1)).toMatchObject({
      event: 'scope-destroyed',
      data: '{"reason":"token_revoked"}',
    });
    expect((await call(mock(), 'GET', '/auth/whoami', { token })).status).toBe(401);
  });

  test('sends at most 200 events per batch, in order, and all of them', async () => {
    const tail = await SseReader.open(mock(), { q: '' });
    const appended = mock().append(...Array.from({ length: 1000 }, (_, i) => ({ message: `m${i}` })));
    await tail.until((t) => t.events.length === 1000);
    expect(tail.frames.map((frame) => frame.id)).toEqual(appended.map((entry) => entry.cursor));
    const { metrics } = mock().snapshot().tails;
    expect(metrics.largestBatch).toBe(200);
    expect(metrics.batches).toBeGreaterThanOrEqual(5);
    tail.close();
  });

  test('a 4th tail for a token gets 429; closing one frees its slot', async () => {
    const tails = await Promise.all([1, 2, 3].map(() => SseReader.open(mock(), { q: '' })));
    expect((await call(mock(), 'POST', '/query/tail', { body: { q: '' } })).status).toBe(429);
    // Another token has its own slots.
    expect((await SseReader.open(mock(), { q: '' }, { token: 'so_test_sotail_readonly' })).status).toBe(200);
    tails[0]!.close();
    await waitFor(() => mock().snapshot().tails.by_token['so_test_…_dev'] === 2);
    const again = await SseReader.open(mock(), { q: '' });
    expect(again.status).toBe(200);
  });

  test('needs q or session_id', async () => {
    const result = await call(mock(), 'POST', '/query/tail', { body: {} });
    expect(result.json.error).toMatchObject({ code: 'bad_request', field: 'q' });
  });
});

describe('tail ends', () => {
  test('after idleTimeout without a matching event, cleanly', async () => {
    const server = await startTestMock({ idleTimeoutMs: 150 });
    const tail = await SseReader.open(server, { q: 'source == nothing' });
    server.append({ message: 'no match' });
    expect(await tail.finished()).toBe('end');
    expect(server.snapshot().tails.metrics.ended.idle_timeout).toBe(1);
  });

  test('after maxDuration even while events flow', async () => {
    const server = await startTestMock({ maxDurationMs: 200 });
    const tail = await SseReader.open(server, { q: '' });
    server.setRate(200);
    expect(await tail.finished()).toBe('end');
    expect(tail.events.length).toBeGreaterThan(0);
    expect(server.snapshot().tails.metrics.ended.max_duration).toBe(1);
  });

  test('a client that stops reading is dropped without holding back the others', async () => {
    // Long enough that the healthy reader, sharing this process and a busy machine, always drains in
    // time: only the stalled one, which never drains, can reach it.
    const server = await startTestMock({ slowClientTimeoutMs: 3_000 });
    const healthy = await SseReader.open(server, { q: '' });
    const stalled = await openStalledTail(server.url);
    await waitFor(() => server.snapshot().tails.active === 2);
    const payload = { blob: 'x'.repeat(8 * 1024) };
    let appended = 0;
    // Enough to fill the socket buffers of the stalled reader (several MB), in slices.
    while (server.snapshot().tails.metrics.ended.slow_client === undefined && appended < 20_000) {
      server.append(
        ...Array.from({ length: 500 }, (_, i) => ({ message: `m${appended + i}`, meta: payload })),
      );
      appended += 500;
      // Frames, not `events`: re-parsing every 8 KiB event on each wake made this reader slow
      // enough (quadratic) to be dropped as a slow client itself on a busy machine.
      await healthy.until((t) => t.frames.length === appended, 10_000);
    }
    // The stalled reader's buffers are full by now; its stall timer cuts it, the healthy one stays.
    await waitFor(() => server.snapshot().tails.metrics.ended.slow_client === 1, 15_000);
    expect(server.snapshot().tails.metrics.ended.slow_client).toBe(1);
    expect(healthy.events.length).toBe(appended);
    await waitFor(() => server.snapshot().tails.active === 1);
    stalled.destroy();
    healthy.close();
  });
});

/** A tail whose reader never reads: the response is paused as soon as it arrives. */
function openStalledTail(url: string): Promise<import('node:http').ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/query/tail`, {
      method: 'POST',
      headers: { authorization: 'Bearer so_test_sotail_dev', 'content-type': 'application/json' },
    });
    req.on('response', (res) => {
      res.pause();
      resolve(req);
    });
    req.on('error', () => {});
    req.once('error', reject);
    req.end(JSON.stringify({ q: '' }));
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
